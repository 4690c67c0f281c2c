/** `NOTICE target :text`: as PRIVMSG, never answered with an error. @module */

import { sendMessage } from "./_message.ts";
import type { IrcCommand } from "./command.ts";

/** `NOTICE`. */
export const noticeVerb: IrcCommand = {
  name: "NOTICE",
  run: (ctx) => sendMessage(ctx, true),
};
