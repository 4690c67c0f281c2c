/**
 * `USER username 0 * :realname`: registration's second half; WHOIS and WHO show
 * both (sources show `nick!nick@chat`). After registration: `462`.
 *
 * @module
 */

import { ERR } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `USER`. */
export const user: IrcCommand = {
  name: "USER",
  minParams: 4,
  preRegistration: true,
  run({ session, params }) {
    if (session.registered || session.hasUser) {
      session.numeric(ERR.ALREADYREGISTERED, "You may not reregister");
      return;
    }
    if (params[0] === "" || params[3] === "") {
      session.numeric(ERR.NEEDMOREPARAMS, "USER", "Not enough parameters");
      return;
    }
    return session.setUser(params[0], params[3]);
  },
};
