/** `PRIVMSG target :text`: to a channel (the room) or a nickname (a whisper). @module */

import { sendMessage } from "./_message.ts";
import type { IrcCommand } from "./command.ts";

/** `PRIVMSG`. */
export const privmsg: IrcCommand = {
  name: "PRIVMSG",
  run: (ctx) => sendMessage(ctx, false),
};
