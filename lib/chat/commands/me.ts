/** `/me TEXT`: an action, shown as `* nick text`. @module */

import type { Command } from "./command.ts";

/** `/me` (`/나`). */
export const me: Command = {
  names: ["/me", "/나"],
  usage: { ko: "/me 행동", en: "/me TEXT" },
  help: { ko: "행동 보내기 (* 닉네임 행동)", en: "send an action (* nick text)" },
  minArgs: 1,
  run(ctx) {
    const user = ctx.user;
    // Not waited for, as a plain line: it waits while the chat is unavailable, and one
    // that was lost is said so (see chat.ts).
    ctx.chat.publish(user, {
      type: "action",
      room: user.room?.name ?? "",
      nick: user.nickname,
      text: ctx.args,
      time: Date.now(),
    });
  },
};
