/** `/rooms`: the rooms with people in them, busiest first. @module */

import type { Command } from "./command.ts";

/** `/rooms` (`/방목록`). */
export const rooms: Command = {
  names: ["/rooms", "/방목록"],
  usage: { ko: "/rooms", en: "/rooms" },
  help: { ko: "방 목록과 인원", en: "rooms and how many are in each" },
  run(ctx) {
    return ctx.chat.rooms((rooms) => ctx.reply({ type: "rooms", rooms }));
  },
};
