/**
 * `/ban NICK [MINUTES [REASON]]`: kick a user and refuse its address, and its
 * nickname when it is registered (operators).
 *
 * @module
 */

import { whenReady } from "../../util/maybe_async.ts";
import { nicknameKey } from "../nickname.ts";
import { withOtherUser } from "./_other_user.ts";
import type { Command } from "./command.ts";

/** Minutes a ban lasts when none are given. */
export const DEFAULT_BAN_MINUTES = 60;

/** The nickname, then the minutes (digits), then the reason: the rest of the line. */
const ARGS = /^(\S+)(?:\s+(\d{1,7})(?:\s+(.+))?)?$/s;

/** `/ban` (`/차단`). */
export const ban: Command = {
  names: ["/ban", "/차단"],
  usage: { ko: "/ban 닉네임 [분 [사유]]", en: "/ban NICK [MINUTES [REASON]]" },
  help: {
    ko:
      `강퇴하고 그 주소(등록된 닉네임이면 닉네임도)를 막기 (기본 ${DEFAULT_BAN_MINUTES}분, 0 = 해제할 때까지)`,
    en:
      `kick and refuse the address (and a registered nickname; default ${DEFAULT_BAN_MINUTES} min, 0 = until lifted)`,
  },
  op: true,
  minArgs: 1,
  run(ctx) {
    const parsed = ARGS.exec(ctx.args);
    if (parsed === null) {
      ctx.notice({ code: "usage", usage: ban.usage });
      return;
    }
    const [, name, given, reason] = parsed;
    const minutes = given === undefined ? DEFAULT_BAN_MINUTES : Number(given);
    return withOtherUser(ctx, name, (target) => {
      const key = nicknameKey(target.nickname);
      return whenReady(ctx.chat.store.account(key), (account) => {
        ctx.chat.directory.ban(target.address, minutes);
        // A registered nickname is banned too: its account cannot log in from anywhere.
        const nickname = account !== undefined;
        if (nickname) {
          ctx.chat.directory.banNickname({
            key,
            name: account.nickname,
            minutes,
            by: ctx.user.nickname,
            reason,
          });
        }
        // The user is told it is banned and for how long, its room sees it, the operator
        // gets one line: the ban, or that the kick was lost (while the chat is unavailable
        // the line waits, and runs again when it is back: see chat.ts).
        const removal = { by: ctx.user.nickname, reason, banMinutes: minutes };
        return ctx.chat.kick(target, removal, (kicked) => {
          ctx.notice(
            kicked
              ? {
                code: "banAdded",
                nick: target.nickname,
                address: target.address,
                minutes,
                nickname,
              }
              : { code: "tryAgainLater" },
          );
        });
      });
    });
  },
};
