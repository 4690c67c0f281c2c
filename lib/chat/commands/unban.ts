/** `/unban ADDRESS`: lift a ban (operators). @module */

import { normalizeAddress } from "../../util/ip_address.ts";
import type { Command } from "./command.ts";

/** `/unban` (`/차단해제`). */
export const unban: Command = {
  names: ["/unban", "/차단해제"],
  usage: { ko: "/unban 주소", en: "/unban ADDRESS" },
  help: { ko: "주소의 차단 풀기", en: "lift the ban on an address" },
  op: true,
  minArgs: 1,
  run(ctx) {
    const address = normalizeAddress(ctx.args.split(/\s/, 1)[0]);
    if (ctx.chat.directory.unban(address)) ctx.notice({ code: "unbanned", address });
    else ctx.notice({ code: "notBanned", address });
  },
};
