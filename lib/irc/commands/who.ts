/**
 * `WHO #channel` (the user's channel: a `352` per member), `WHO nick`, or `WHO
 * mask` (`*` and `?` over the nicknames of the user's channel and itself); `315`
 * ends it. The flags are `H` (here) or `G` (away), then `*` for an operator.
 * Everyone's host is `chat`: addresses are not shown.
 *
 * @module
 */

import type { UserRef } from "../../chat/directory.ts";
import { nicknameKey } from "../../chat/nickname.ts";
import { type Step, whenReady } from "../../util/maybe_async.ts";
import { channelOf, IRC_USER_HOST } from "../irc_format.ts";
import { RPL } from "../numerics.ts";
import type { IrcSession } from "../irc_session.ts";
import type { IrcCommand } from "./command.ts";

/** `WHO`. */
export const who: IrcCommand = {
  name: "WHO",
  run({ session, params }) {
    const mask = params[0] ?? "*";
    const user = session.user!;
    const room = mask.startsWith("#") ? session.roomOf(mask) : user.room;
    const end = () => session.numeric(RPL.ENDOFWHO, mask, "End of WHO list");
    if (mask.startsWith("#")) {
      if (room === undefined) {
        end();
        return;
      }
      return session.chat.who(room, ({ users }) => {
        return whenReady(
          replyEach(session, channelOf(room.name), users.map((u) => u.nick), 0),
          end,
        );
      });
    }
    if (!/[*?]/.test(mask)) {
      return session.chat.findUser(mask, (found) => {
        if (found !== undefined) reply(session, "*", found);
        end();
      });
    }
    const pattern = globOf(mask);
    const own = user.nickname;
    if (room === undefined) {
      if (pattern.test(own)) reply(session, "*", user);
      end();
      return;
    }
    return session.chat.who(room, ({ users }) => {
      const nicks = users.map((u) => u.nick).filter((nick) => pattern.test(nick));
      return whenReady(replyEach(session, "*", nicks, 0), end);
    });
  },
};

/** Replies for each nickname in turn (a cluster may look each one up). */
function replyEach(session: IrcSession, channel: string, nicks: string[], from: number): Step {
  for (let i = from; i < nicks.length; i++) {
    const step = session.chat.findUser(nicks[i], (found) => {
      if (found !== undefined) reply(session, channel, found);
    });
    if (step instanceof Promise) return step.then(() => replyEach(session, channel, nicks, i + 1));
  }
}

function reply(session: IrcSession, channel: string, user: UserRef): void {
  const info = session.info;
  const nick = user.nickname;
  const identity = info.identities.get(nicknameKey(nick));
  const operator = "operator" in user && user.operator === true ? "*" : "";
  session.numeric(
    RPL.WHOREPLY,
    channel,
    identity?.username ?? nick,
    IRC_USER_HOST,
    info.name,
    nick,
    (user.away === undefined ? "H" : "G") + operator,
    `0 ${identity?.realname ?? nick}`,
  );
}

/** A WHO mask as a RegExp: `*` any run, `?` one character, ignoring case. */
function globOf(mask: string): RegExp {
  const source = mask.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(
    /\?/g,
    ".",
  );
  return new RegExp(`^${source}$`, "iu");
}
