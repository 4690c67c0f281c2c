/** `/kick NICK [REASON]`: remove a user (operators). @module */

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
    const target = ctx.chat.findUser(name);
    if (target === undefined) {
      ctx.notice({ code: "noSuchUser", nick: name });
      return;
    }
    if (target === ctx.user) {
      ctx.notice({ code: "cannotKickSelf" });
      return;
    }
    target.kick(ctx.user.nickname, reason);
  },
};
