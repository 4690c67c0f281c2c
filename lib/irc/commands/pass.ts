/**
 * `PASS PASSWORD`: the server password (when the server has one); without one,
 * the password of the account of the nickname given (as bouncers use PASS).
 * After registration: `462`.
 *
 * @module
 */

import { ERR } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `PASS`. */
export const pass: IrcCommand = {
  name: "PASS",
  minParams: 1,
  preRegistration: true,
  run({ session, params }) {
    if (session.registered) {
      session.numeric(ERR.ALREADYREGISTERED, "You may not reregister");
      return;
    }
    session.setPassword(params[0]);
  },
};
