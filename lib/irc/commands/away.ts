/** `AWAY [:reason]`: the chat's `/away` (`306`), or `/back` without a reason (`305`). @module */

import { away as chatAway } from "../../chat/commands/away.ts";
import { back } from "../../chat/commands/back.ts";
import type { IrcCommand } from "./command.ts";

/** `AWAY`. */
export const away: IrcCommand = {
  name: "AWAY",
  run({ session, params }) {
    const reason = params[0] ?? "";
    return reason === ""
      ? session.runChatCommand(back, "")
      : session.runChatCommand(chatAway, reason);
  },
};
