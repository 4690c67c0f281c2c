/** `PONG token`: the answer to the server's PING (any line resets the wait). @module */

import type { IrcCommand } from "./command.ts";

/** `PONG`. */
export const pong: IrcCommand = {
  name: "PONG",
  preRegistration: true,
  run({ session }) {
    session.pong();
  },
};
