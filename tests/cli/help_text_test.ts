import { assert, assertStringIncludes } from "@std/assert";
import { type CliCommand, cliText } from "../../lib/catalog/cli_text.ts";
import { LANGS } from "../../lib/catalog/lang.ts";
import { helpText } from "../../lib/cli/help_text.ts";
import { COMMAND_OPTIONS } from "../../lib/config/option_table.ts";
import { shownDefault } from "../../lib/config/option_row.ts";
import { columnsOf } from "../../lib/server/text_format.ts";

const COMMANDS: CliCommand[] = ["menu", "server", "client"];

Deno.test("help lists every row of its command with its variable and default, in both languages", () => {
  for (const command of COMMANDS) {
    for (const lang of LANGS) {
      const help = helpText(command, lang);
      const flat = help.replace(/\s+/g, " ");
      const text = cliText(lang);
      for (const row of COMMAND_OPTIONS[command]) {
        const flag = row.negatable
          ? `--no-${row.flag}`
          : row.flag
          ? `--${row.flag}`
          : row.short
          ? `-${row.short}`
          : row.env;
        assertStringIncludes(help, `  ${row.short && row.flag ? `-${row.short}, ` : ""}${flag}`);
        assertStringIncludes(flat, row.help[lang].split(" ").slice(0, 3).join(" "));
        if (row.env !== undefined && row.flag !== undefined) {
          assertStringIncludes(flat, text.orVariable(row.env));
        }
        const shown = row.defaultHelp?.[lang] ?? shownDefault(row);
        if (shown !== undefined) assertStringIncludes(flat, text.defaultIs(shown));
      }
    }
  }
});

Deno.test("help numbers come from the table: port, limits, the C form", () => {
  const en = helpText("server", "en").replace(/\s+/g, " ");
  assertStringIncludes(en, "--max-rooms N rooms at once, the lobby included (default 100)");
  assertStringIncludes(en, '"server 12345 -e -b" works as in the original');
  assertStringIncludes(en, "--nick-timeout SECONDS time to send");
  assertStringIncludes(en, "(default 60)");
  assertStringIncludes(en, "more than 200 lines waiting");
  assertStringIncludes(en, "over 1 MiB is cut off");
  assertStringIncludes(helpText("server", "ko"), "사용법: main.ts server [PORT] [옵션]");
  assertStringIncludes(helpText("client", "en"), "Usage: main.ts client [HOST [PORT]] [options]");
});

Deno.test("help lines fit 80 terminal columns (a Korean character takes two)", () => {
  for (const command of COMMANDS) {
    for (const lang of LANGS) {
      for (const line of helpText(command, lang).split("\n")) {
        assert(columnsOf(line) <= 80, `${command} ${lang}: ${columnsOf(line)} columns: ${line}`);
      }
    }
  }
});
