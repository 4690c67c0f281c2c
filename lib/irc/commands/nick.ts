/**
 * `NICK nickname`: the nickname at registration, or a rename after it (the chat's
 * `/nick`: taken `433`, registered `433`, banned or invalid `432`). Nicknames are
 * the chat's: 1 to 20 letters, digits, `_` or `-`, in any script.
 *
 * @module
 */

import { nick as chatNick } from "../../chat/commands/nick.ts";
import { ERR } from "../numerics.ts";
import { validNickname } from "../irc_session.ts";
import type { IrcCommand } from "./command.ts";

/** `NICK`. */
export const nick: IrcCommand = {
  name: "NICK",
  preRegistration: true,
  run({ session, params }) {
    const given = params[0] ?? "";
    if (given === "") {
      session.numeric(ERR.NONICKNAMEGIVEN, "No nickname given");
      return;
    }
    const wanted = validNickname(given);
    if (wanted === undefined) {
      session.numeric(ERR.ERRONEUSNICKNAME, given, "Erroneous nickname");
      return;
    }
    const user = session.user;
    if (user === undefined) return session.wantNick(wanted);
    if (wanted === user.nickname) return;
    return session.runChatCommand(chatNick, wanted);
  },
};
