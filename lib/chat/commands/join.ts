/** `/join ROOM`: move to another room, creating it. @module */

import type { Command } from "./command.ts";

/** `/join` (`/방`). */
export const join: Command = {
  names: ["/join", "/방"],
  usage: { ko: "/join 방이름", en: "/join ROOM" },
  help: { ko: "다른 방으로 옮기기 (없으면 만들기)", en: "move to another room (made if new)" },
  minArgs: 1,
  run(ctx) {
    return ctx.chat.enter(ctx.user, ctx.args);
  },
};
