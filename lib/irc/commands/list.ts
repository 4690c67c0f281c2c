/** `LIST`: the rooms with members (`321`, `322` each, `323`), busiest first. @module */

import type { IrcCommand } from "./command.ts";

/** `LIST`. */
export const list: IrcCommand = {
  name: "LIST",
  run({ session }) {
    return session.chat.rooms((rooms) => {
      session.send({ type: "rooms", rooms });
    });
  },
};
