/** `/away [REASON]`: mark yourself away. @module */

import { whenReady } from "../../util/maybe_async.ts";
import type { Command } from "./command.ts";

/** `/away` (`/자리비움`). */
export const away: Command = {
  names: ["/away", "/자리비움"],
  usage: { ko: "/away [사유]", en: "/away [REASON]" },
  help: { ko: "자리 비움으로 표시", en: "mark yourself away" },
  run(ctx) {
    ctx.user.away = ctx.args;
    // Said once every server sees it.
    return whenReady(ctx.chat.changed(ctx.user), () => ctx.notice({ code: "markedAway" }));
  },
};
