/** `/bans`: the banned addresses and nicknames (operators). @module */

import { whenReady } from "../../util/maybe_async.ts";
import type { BanEntry } from "../events.ts";
import type { Command } from "./command.ts";

/** `/bans` (`/차단목록`). */
export const bans: Command = {
  names: ["/bans", "/차단목록"],
  usage: { ko: "/bans", en: "/bans" },
  help: { ko: "차단된 주소와 닉네임 목록", en: "banned addresses and nicknames" },
  op: true,
  run(ctx) {
    return whenReady(ctx.chat.store.bans(), (stored) => {
      const nicknames: BanEntry[] = stored
        .filter((ban) => ban.kind === "nickname")
        .map((ban) => ({ nick: ban.name ?? ban.target, until: ban.until }));
      ctx.reply({ type: "bans", bans: [...ctx.chat.bans.list(), ...nicknames] });
    });
  },
};
