/**
 * `MODE`: channel modes map onto the chat's operator commands: `b` lists bans
 * (`367`, `368`), `+b nick!*@*` is `/ban nick`, `-b` a mask's nickname or address
 * is `/unban`; `-o nick` is `/deop nick` (operators are the server's, made by
 * OPER). A user's own modes: `+o` when an operator; `i` and `w` are taken and mean
 * nothing here; others are `501`.
 *
 * @module
 */

import { ban } from "../../chat/commands/ban.ts";
import { bans } from "../../chat/commands/bans.ts";
import { deop } from "../../chat/commands/deop.ts";
import { unban } from "../../chat/commands/unban.ts";
import { channelOf } from "../irc_format.ts";
import { ERR, RPL } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `MODE`. */
export const mode: IrcCommand = {
  name: "MODE",
  minParams: 1,
  run({ session, params }) {
    const user = session.user!;
    const target = params[0];
    if (!target.startsWith("#")) {
      if (target.toLowerCase() !== user.nickname.toLowerCase()) {
        session.numeric(ERR.USERSDONTMATCH, "Can't change mode for other users");
        return;
      }
      const change = params[1];
      if (change === undefined) {
        session.numeric(RPL.UMODEIS, user.operator ? "+o" : "+");
      } else if (!/^[+-][iw]+$/.test(change)) {
        session.numeric(ERR.UMODEUNKNOWNFLAG, "Unknown MODE flag");
      }
      return;
    }
    const room = session.roomOf(target);
    if (room === undefined) {
      return session.channelExists(target, (exists) => {
        if (exists) session.numeric(ERR.NOTONCHANNEL, target, "You're not on that channel");
        else session.numeric(ERR.NOSUCHCHANNEL, target, "No such channel");
      });
    }
    const channel = channelOf(room.name);
    const change = params[1];
    if (change === undefined) {
      session.numeric(RPL.CHANNELMODEIS, channel, "+");
      return;
    }
    const arg = params[2];
    switch (change) {
      case "b":
      case "+b":
      case "-b":
        if (arg === undefined) {
          // The list is the operators' (it holds addresses); others see it empty.
          if (user.operator) return session.runChatCommand(bans, "");
          session.numeric(RPL.ENDOFBANLIST, channel, "End of channel ban list");
          return;
        }
        if (change === "-b") return session.runChatCommand(unban, maskName(arg));
        return session.runChatCommand(ban, maskName(arg));
      case "-o":
        if (arg === undefined) break;
        return session.runChatCommand(deop, arg);
      case "+o":
        if (!user.operator) {
          session.numeric(ERR.CHANOPRIVSNEEDED, channel, "You're not a channel operator");
        } else session.notice("Operators are made with OPER (the operator password)");
        return;
      default:
        session.numeric(
          ERR.UNKNOWNMODE,
          change.replace(/^[+-]/, "")[0] ?? change,
          "is unknown mode char to me",
        );
        return;
    }
    session.numeric(ERR.NEEDMOREPARAMS, "MODE", "Not enough parameters");
  },
};

/** The nickname of `nick!user@host` (or its address when the nickname is `*`). */
function maskName(mask: string): string {
  const nick = mask.split("!")[0];
  if (nick !== "*" && nick !== "") return nick;
  const at = mask.lastIndexOf("@");
  return at === -1 ? mask : mask.slice(at + 1);
}
