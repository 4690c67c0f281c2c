/** `/back`: no longer away. @module */

import { whenReady } from "../../util/maybe_async.ts";
import type { Command } from "./command.ts";

/** `/back` (`/복귀`). */
export const back: Command = {
  names: ["/back", "/복귀"],
  usage: { ko: "/back", en: "/back" },
  help: { ko: "자리 비움 해제", en: "you are back" },
  run(ctx) {
    if (ctx.user.away === undefined) {
      ctx.notice({ code: "notAway" });
      return;
    }
    ctx.user.away = undefined;
    return whenReady(ctx.chat.changed(ctx.user), () => ctx.notice({ code: "welcomeBack" }));
  },
};
