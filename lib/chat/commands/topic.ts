/** `/topic [TEXT]`: show or set your room's topic. @module */

import type { Command } from "./command.ts";

/** `/topic` (`/주제`). Setting it is for operators when the server has an operator password. */
export const topic: Command = {
  names: ["/topic", "/주제"],
  usage: { ko: "/topic [주제]", en: "/topic [TEXT]" },
  help: { ko: "방 주제 보기, 또는 설정하기", en: "show your room's topic, or set it" },
  run(ctx) {
    const room = ctx.user.room;
    if (room === undefined) return;
    if (ctx.args === "") {
      if (room.topic === undefined) ctx.notice({ code: "noTopic" });
      else ctx.reply({ type: "topic", room: room.name, text: room.topic });
      return;
    }
    if (ctx.chat.opPassword !== undefined && !ctx.user.operator) {
      ctx.notice({ code: "opOnly" });
      return;
    }
    // The room's topic line is the answer; as a plain line, it waits while the chat is
    // unavailable, and one that was lost is said so (see chat.ts).
    ctx.chat.publish(ctx.user, {
      type: "topic",
      room: room.name,
      nick: ctx.user.nickname,
      text: ctx.args,
      time: Date.now(),
    });
  },
};
