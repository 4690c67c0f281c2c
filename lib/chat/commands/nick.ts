/**
 * `/nick NEW`: change your nickname. A registered nickname takes a login (unless it
 * is the account this connection logged in to); a banned one is refused. Renamed to
 * another nickname, the user no longer acts as its account (see `User.loggedIn`).
 *
 * @module
 */

import type { Step } from "../../util/maybe_async.ts";
import {
  isValidNickname,
  MAX_NICKNAME_CHARS,
  nicknameKey,
  normalizeNickname,
} from "../nickname.ts";
import type { Command, CommandContext } from "./command.ts";

/** `/nick` (`/닉네임`). */
export const nick: Command = {
  names: ["/nick", "/닉네임"],
  usage: { ko: "/nick 새닉네임", en: "/nick NEW" },
  help: { ko: "닉네임 바꾸기", en: "change your nickname" },
  minArgs: 1,
  run(ctx) {
    const user = ctx.user;
    const wanted = normalizeNickname(ctx.args);
    if (!isValidNickname(wanted)) {
      ctx.notice({ code: "nicknameInvalid", maxChars: MAX_NICKNAME_CHARS });
      return;
    }
    const old = user.nickname;
    if (wanted === old) return;
    const key = nicknameKey(wanted);
    // One's own nickname in another case is one's own; another registered one takes a login.
    if (key === user.key) return rename(ctx, old, wanted);
    return ctx.chat.nicknameStatus(key, (banned, account) => {
      if (banned) ctx.notice({ code: "nicknameBanned", nick: wanted });
      else if (account !== undefined && account.key !== user.account) {
        ctx.notice({ code: "nicknameRegistered", nick: account.nickname });
      } else return rename(ctx, old, wanted);
    });
  },
};

/** Renames the user and tells its rooms. */
function rename(ctx: CommandContext, old: string, wanted: string): Step {
  const user = ctx.user;
  return ctx.chat.rename(user, wanted, (renamed) => {
    if (!renamed) {
      ctx.notice({ code: "nicknameTaken", nick: wanted });
      return;
    }
    ctx.reply({ type: "renamed", from: old, to: wanted });
    // The rename is done, so this line must not run again (it would find nothing to
    // do): a chat that became unavailable meanwhile does not tell the room, as it
    // does not tell joins and leaves then. A notice that was lost is said so.
    if (!ctx.chat.available) return;
    ctx.chat.publishRename(user, old);
  });
}
