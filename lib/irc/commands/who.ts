/**
 * `WHO #channel` (the user's channel: a `352` per member) or `WHO nick`; `315` ends
 * it. Everyone's user and host are `nick` and `chat`: addresses are not shown.
 *
 * @module
 */

import { nicknameKey } from "../../chat/nickname.ts";
import { channelOf, IRC_USER_HOST } from "../irc_format.ts";
import { RPL } from "../numerics.ts";
import { type IrcSession, sameChannel } from "../irc_session.ts";
import type { IrcCommand } from "./command.ts";

/** `WHO`. */
export const who: IrcCommand = {
  name: "WHO",
  run({ session, params }) {
    const mask = params[0] ?? "*";
    const room = session.user?.room;
    const end = () => session.numeric(RPL.ENDOFWHO, mask, "End of WHO list");
    if (mask.startsWith("#")) {
      if (room === undefined || !sameChannel(channelOf(room.name), mask)) {
        end();
        return;
      }
      return session.chat.who(room, ({ users }) => {
        for (const u of users) reply(session, channelOf(room.name), u.nick, u.away);
        end();
      });
    }
    return session.chat.findUser(mask, (found) => {
      if (found !== undefined) reply(session, "*", found.nickname, found.away !== undefined);
      end();
    });
  },
};

function reply(session: IrcSession, channel: string, nick: string, away: boolean): void {
  const info = session.info;
  const identity = info.identities.get(nicknameKey(nick));
  session.numeric(
    RPL.WHOREPLY,
    channel,
    identity?.username ?? nick,
    IRC_USER_HOST,
    info.name,
    nick,
    away ? "G" : "H",
    `0 ${identity?.realname ?? nick}`,
  );
}
