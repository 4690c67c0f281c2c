/** `TIME`: the server's local time (`391`). @module */

import { RPL } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `TIME`. */
export const time: IrcCommand = {
  name: "TIME",
  run({ session }) {
    session.numeric(RPL.TIME, session.info.name, new Date().toUTCString());
  },
};
