/** `/bans`: the banned addresses (operators). @module */

import type { Command } from "./command.ts";

/** `/bans` (`/차단목록`). */
export const bans: Command = {
  names: ["/bans", "/차단목록"],
  usage: { ko: "/bans", en: "/bans" },
  help: { ko: "차단된 주소 목록", en: "banned addresses" },
  op: true,
  run(ctx) {
    ctx.reply({ type: "bans", bans: ctx.chat.bans.list() });
  },
};
