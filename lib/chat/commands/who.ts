/** `/who`: the members of your room. @module */

import type { Command } from "./command.ts";

/** `/who` (`/접속자`). */
export const who: Command = {
  names: ["/who", "/접속자"],
  usage: { ko: "/who", en: "/who" },
  help: { ko: "이 방의 접속자 목록", en: "who is in your room" },
  run(ctx) {
    const room = ctx.user.room;
    if (room === undefined) return;
    return ctx.chat.who(room, ({ users }) => ctx.reply({ type: "who", room: room.name, users }));
  },
};
