/** `/quit`: leave the chat. @module */

import type { Command } from "./command.ts";

/** `/quit` (`/종료`, the original's word). */
export const quit: Command = {
  names: ["/quit", "/종료"],
  usage: { ko: "/종료", en: "/quit" },
  help: { ko: "나가기", en: "leave" },
  run(ctx) {
    ctx.session.quit();
  },
};
