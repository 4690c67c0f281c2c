/**
 * `KICK #channel nick [:reason]`: the chat's `/kick` (operators: `482` else), for a
 * member of the user's channel (`442`, `441`). The chat's kick removes the user
 * from the chat, as `/kick` does for everyone.
 *
 * @module
 */

import { kick as chatKick } from "../../chat/commands/kick.ts";
import { ERR } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `KICK`. */
export const kick: IrcCommand = {
  name: "KICK",
  minParams: 2,
  run({ session, params }) {
    const user = session.user!;
    const [channel, target] = params;
    const room = session.roomOf(channel);
    if (room === undefined) {
      return session.channelExists(channel, (exists) => {
        if (exists) session.numeric(ERR.NOTONCHANNEL, channel, "You're not on that channel");
        else session.numeric(ERR.NOSUCHCHANNEL, channel, "No such channel");
      });
    }
    if (!user.operator) {
      session.numeric(ERR.CHANOPRIVSNEEDED, channel, "You're not a channel operator");
      return;
    }
    return session.chat.who(room, ({ users }) => {
      if (!users.some((u) => u.nick.toLowerCase() === target.toLowerCase())) {
        session.numeric(ERR.USERNOTINCHANNEL, target, channel, "They aren't on that channel");
        return;
      }
      const reason = params[2] ?? "";
      return session.runChatCommand(chatKick, `${target} ${reason}`.trim());
    });
  },
};
