/** `MOTD`: the message of the day again (`375`, `372`, `376`; `422` without one). @module */

import type { IrcCommand } from "./command.ts";

/** `MOTD`. */
export const motd: IrcCommand = {
  name: "MOTD",
  run({ session }) {
    session.sendMotd();
  },
};
