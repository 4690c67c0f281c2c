/** `/ban NICK [MINUTES]`: kick a user and refuse its address (operators). @module */

import { withOtherUser } from "./_other_user.ts";
import { words } from "../parse_line.ts";
import type { Command } from "./command.ts";

/** Minutes a ban lasts when none are given. */
export const DEFAULT_BAN_MINUTES = 60;

/** `/ban` (`/차단`). */
export const ban: Command = {
  names: ["/ban", "/차단"],
  usage: { ko: "/ban 닉네임 [분]", en: "/ban NICK [MINUTES]" },
  help: {
    ko: `강퇴하고 그 주소를 막기 (기본 ${DEFAULT_BAN_MINUTES}분, 0 = 해제할 때까지)`,
    en: `kick and refuse the address (default ${DEFAULT_BAN_MINUTES} min, 0 = until lifted)`,
  },
  op: true,
  minArgs: 1,
  run(ctx) {
    const [name, given, ...rest] = words(ctx.args);
    if (rest.length > 0 || (given !== undefined && !/^\d{1,7}$/.test(given))) {
      ctx.notice({ code: "usage", usage: ban.usage });
      return;
    }
    const minutes = given === undefined ? DEFAULT_BAN_MINUTES : Number(given);
    return withOtherUser(ctx, name, (target) => {
      ctx.chat.directory.ban(target.address, minutes);
      ctx.notice({ code: "banAdded", nick: target.nickname, address: target.address, minutes });
      ctx.chat.directory.kick(target, ctx.user.nickname, undefined);
    });
  },
};
