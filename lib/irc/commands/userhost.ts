/**
 * `USERHOST nick…` (up to 5): `302` with `nick=+user@host` for each one online
 * (`-` when away), on any server.
 *
 * @module
 */

import { nicknameKey } from "../../chat/nickname.ts";
import type { UserRef } from "../../chat/directory.ts";
import { type Step, whenReady } from "../../util/maybe_async.ts";
import { IRC_USER_HOST } from "../irc_format.ts";
import type { IrcSession } from "../irc_session.ts";
import { RPL } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** Nicknames one USERHOST may name (RFC 2812). */
const MAX_USERHOST_NICKS = 5;

/** `USERHOST`. */
export const userhost: IrcCommand = {
  name: "USERHOST",
  minParams: 1,
  run({ session, params }) {
    const nicks = params.join(" ").split(" ").filter((n) => n !== "").slice(0, MAX_USERHOST_NICKS);
    return lookUp(session, nicks, 0, []);
  },
};

function lookUp(session: IrcSession, nicks: string[], from: number, found: string[]): Step {
  if (from === nicks.length) {
    session.numeric(RPL.USERHOST, found.join(" "));
    return;
  }
  return whenReady(
    session.chat.findUser(nicks[from], (user: UserRef | undefined) => {
      if (user !== undefined) {
        const identity = session.info.identities.get(nicknameKey(user.nickname));
        const away = user.away === undefined ? "+" : "-";
        found.push(
          `${user.nickname}=${away}${identity?.username ?? user.nickname}@${IRC_USER_HOST}`,
        );
      }
    }),
    () => lookUp(session, nicks, from + 1, found),
  );
}
