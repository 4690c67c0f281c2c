/** `PING token`: answered `PONG server :token`, before registration too. @module */

import { ERR } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `PING`. */
export const ping: IrcCommand = {
  name: "PING",
  preRegistration: true,
  run({ session, params }) {
    if (params.length === 0 || params[0] === "") {
      session.numeric(ERR.NOORIGIN, "No origin specified");
      return;
    }
    const name = session.info.name;
    session.sendLine(`:${name} PONG ${name} :${params[0]}`);
  },
};
