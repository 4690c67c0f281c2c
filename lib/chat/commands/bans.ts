/** `/bans`: the banned addresses and nicknames (operators). @module */

import type { Command } from "./command.ts";

/** `/bans` (`/차단목록`). */
export const bans: Command = {
  names: ["/bans", "/차단목록"],
  usage: { ko: "/bans", en: "/bans" },
  help: { ko: "차단된 주소와 닉네임 목록", en: "banned addresses and nicknames" },
  op: true,
  run(ctx) {
    const directory = ctx.chat.directory;
    ctx.reply({ type: "bans", bans: [...directory.bans.list(), ...directory.nicknameBans.list()] });
  },
};
