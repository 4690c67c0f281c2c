/** `/kick NICK [REASON]`: remove a user (operators). @module */

import { withOtherUser } from "./_other_user.ts";
import type { Command } from "./command.ts";

/** `/kick` (`/강퇴`). */
export const kick: Command = {
  names: ["/kick", "/강퇴"],
  usage: { ko: "/kick 닉네임 [사유]", en: "/kick NICK [REASON]" },
  help: { ko: "사용자 내보내기", en: "remove a user" },
  op: true,
  minArgs: 1,
  run(ctx) {
    const [name] = ctx.args.split(/\s/, 1);
    const reason = ctx.args.slice(name.length).trim() || undefined;
    // The operator is answered wherever the user was: this room, another, another server;
    // while the chat is unavailable the line waits (see chat.ts), a lost kick is said so.
    return withOtherUser(
      ctx,
      name,
      (target) =>
        ctx.chat.kick(target, { by: ctx.user.nickname, reason }, (kicked) => {
          ctx.notice(
            kicked ? { code: "kickDone", nick: target.nickname } : { code: "tryAgainLater" },
          );
        }),
    );
  },
};
