/** `/unban ADDRESS|NICK`: lift a ban on an address or on a nickname (operators). @module */

import { normalizeAddress } from "../../util/ip_address.ts";
import { nicknameKey, normalizeNickname } from "../nickname.ts";
import type { Command } from "./command.ts";

/** `/unban` (`/차단해제`). */
export const unban: Command = {
  names: ["/unban", "/차단해제"],
  usage: { ko: "/unban 주소|닉네임", en: "/unban ADDRESS|NICK" },
  help: { ko: "주소나 닉네임의 차단 풀기", en: "lift the ban on an address or a nickname" },
  op: true,
  minArgs: 1,
  run(ctx) {
    const given = ctx.args.split(/\s/, 1)[0];
    // An address has dots or colons; a nickname never does.
    if (/[.:]/.test(given)) {
      const address = normalizeAddress(given);
      if (ctx.chat.directory.unban(address)) ctx.notice({ code: "unbanned", address });
      else ctx.notice({ code: "notBanned", address });
      return;
    }
    const nick = normalizeNickname(given);
    const removed = ctx.chat.directory.unbanNickname(nicknameKey(nick));
    ctx.notice({ code: removed ? "nickUnbanned" : "nickNotBanned", nick });
  },
};
