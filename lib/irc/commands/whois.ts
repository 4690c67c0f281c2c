/**
 * `WHOIS [server] nick`: `311`, `312`, `313` for an operator, `301` when away, for a
 * user of this server its account (`330`), `318`; nobody is `401`. No `319`: with
 * one room per user and no channel operators it could only mislead.
 *
 * @module
 */

import { nicknameKey } from "../../chat/nickname.ts";
import { User } from "../../chat/user.ts";
import { whenReady } from "../../util/maybe_async.ts";
import { IRC_USER_HOST } from "../irc_format.ts";
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
        session.numeric(RPL.ENDOFWHOIS, nick, "End of /WHOIS list");
        return;
      }
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
      if ("operator" in found && found.operator === true) {
        session.numeric(RPL.WHOISOPERATOR, name, "is an IRC operator");
      }
      if (found.away !== undefined) session.numeric(RPL.AWAY, name, found.away || "Away");
      // A user of this server: its account is known here (by its key: the store names it).
      const key = found instanceof User ? found.account : undefined;
      return whenReady(
        key === undefined ? undefined : session.chat.store.account(key),
        (account) => {
          if (account !== undefined) {
            session.numeric(RPL.WHOISACCOUNT, name, account.nickname, "is logged in as");
          }
          session.numeric(RPL.ENDOFWHOIS, name, "End of /WHOIS list");
        },
      );
    });
  },
};
