/**
 * `WHOIS [server] nick`: `311`, `312`, for a user of this server its channel (`319`)
 * and account (`330`), `313` for an operator, `301` when away, `318`; nobody is `401`.
 *
 * @module
 */

import { nicknameKey } from "../../chat/nickname.ts";
import { User } from "../../chat/user.ts";
import { channelOf, IRC_USER_HOST } from "../irc_format.ts";
import { ERR, RPL } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `WHOIS`. */
export const whois: IrcCommand = {
  name: "WHOIS",
  minParams: 1,
  run({ session, params }) {
    const nick = (params.length > 1 ? params[1] : params[0]).split(",")[0];
    return session.chat.findUser(nick, (found) => {
      if (found === undefined) {
        session.numeric(ERR.NOSUCHNICK, nick, "No such nick/channel");
      } else {
        const name = found.nickname;
        const identity = session.info.identities.get(nicknameKey(name));
        session.numeric(
          RPL.WHOISUSER,
          name,
          identity?.username ?? name,
          IRC_USER_HOST,
          "*",
          identity?.realname ?? name,
        );
        session.numeric(RPL.WHOISSERVER, name, session.info.name, session.info.network);
        // A user of this server: its room and its account are known here.
        if (found instanceof User) {
          if (found.room !== undefined) {
            session.numeric(RPL.WHOISCHANNELS, name, channelOf(found.room.name));
          }
          if (found.account !== undefined) {
            const account = found.loggedIn ? name : found.account;
            session.numeric(RPL.WHOISACCOUNT, name, account, "is logged in as");
          }
        }
        if ("operator" in found && found.operator === true) {
          session.numeric(RPL.WHOISOPERATOR, name, "is an IRC operator");
        }
        if (found.away !== undefined) session.numeric(RPL.AWAY, name, found.away || "Away");
      }
      session.numeric(RPL.ENDOFWHOIS, found?.nickname ?? nick, "End of /WHOIS list");
    });
  },
};
