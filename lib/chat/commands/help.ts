/** `/help`: every command, generated from the table. @module */

import type { Command } from "./command.ts";

/** `/help` (`/도움말`). */
export const help: Command = {
  names: ["/help", "/도움말"],
  usage: { ko: "/help", en: "/help" },
  help: { ko: "이 도움말", en: "this help" },
  run(ctx) {
    ctx.reply({
      type: "help",
      commands: ctx.commands.map((command) => ({
        names: command.names,
        usage: command.usage,
        help: command.help,
        op: command.op ?? false,
      })),
    });
  },
};
