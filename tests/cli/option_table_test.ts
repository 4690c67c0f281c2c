import { assert, assertEquals, fail } from "@std/assert";
import denoJson from "../../deno.json" with { type: "json" };
import { parseCommandLine } from "../../lib/cli/command_line.ts";
import { isVariableOnly, type OptionRow, shownDefault } from "../../lib/config/option_row.ts";
import { CLIENT_OPTIONS, COMMAND_OPTIONS, SERVER_OPTIONS } from "../../lib/config/option_table.ts";
import { resolveServeOptions, SERVED_DEFAULTS } from "../../lib/server/options.ts";
import { MAIN_PERMISSIONS } from "../_helpers.ts";

const README = new URL("../../README.md", import.meta.url);

/** How a row is written in the README's first column. */
function readmeFlag(row: OptionRow): string {
  if (row.negatable) return `--no-${row.flag}`;
  return row.flag !== undefined ? `--${row.flag}` : `-${row.short}`;
}

/** The rows of the first Markdown table after a heading: cells, split on unescaped pipes. */
function tableAfter(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert(start >= 0, `README.md has a "${heading}" section`);
  const rows: string[][] = [];
  for (const line of markdown.slice(start + heading.length + 2).split("\n")) {
    if (!line.startsWith("|")) {
      if (rows.length > 0) break;
      continue;
    }
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
    if (!/^-+$/.test(cells[0])) rows.push(cells);
  }
  return rows.slice(1); // the header
}

/** Checks one README flag table against the rows of a command. */
function checkReadmeTable(markdown: string, heading: string, rows: readonly OptionRow[]): void {
  // A variable-only row has no flag to list (the README names its variable).
  const settings = rows.filter((row) => row.kind !== "action" && !isVariableOnly(row));
  const byFlag = new Map(settings.map((row) => [readmeFlag(row), row]));
  const listed = new Set<string>();
  for (const [flags, defaults] of tableAfter(markdown, heading)) {
    for (const [flag] of flags.matchAll(/(?<![\w-])--?[a-z][a-z-]*/g)) {
      const row = byFlag.get(flag);
      if (row === undefined) fail(`${heading}: README lists ${flag}, which the option table lacks`);
      listed.add(flag);
      const shown = shownDefault(row);
      if (shown !== undefined && row.defaultHelp === undefined) {
        assert(
          defaults.includes(`\`${shown}\``),
          `${heading}: ${flag}'s default is \`${shown}\` in the table, "${defaults}" in the README`,
        );
      }
    }
  }
  const missing = [...byFlag.keys()].filter((flag) => !listed.has(flag));
  assertEquals(missing, [], `${heading}: flags of the option table missing from the README`);
}

Deno.test("option table: each row has help in both languages and its own flag and field", () => {
  for (const [command, rows] of Object.entries(COMMAND_OPTIONS)) {
    const flags = rows.flatMap((row) => [row.flag, row.short]).filter((f) => f !== undefined);
    assertEquals(new Set(flags).size, flags.length, `${command}: a flag is used twice`);
    const fields = rows.map((row) => row.field);
    assertEquals(new Set(fields).size, fields.length, `${command}: a field is used twice`);
    for (const row of rows) {
      const name = `${command} ${row.flag ?? row.short}`;
      assert(row.help.ko.trim() !== "" && row.help.en.trim() !== "", `${name}: help in ko and en`);
      if (row.short !== undefined) {
        assert(row.kind === "switch" || row.kind === "action", `${name}: -x only on switches`);
      }
      if (row.kind !== "switch" && row.kind !== "action") assert(row.arg, `${name}: an arg name`);
      if (row.kind === "choice") {
        assert(row.default === undefined || row.choices?.includes(`${row.default}`));
      }
    }
    const places = rows.flatMap((row) => row.positional === undefined ? [] : [row.positional]);
    assertEquals(places.sort(), places.map((_, i) => i), `${command}: bare arguments 0, 1, …`);
  }
});

Deno.test("option table: each default, written as its flag's text, reads back as itself", () => {
  for (const [command, rows] of [["server", SERVER_OPTIONS], ["client", CLIENT_OPTIONS]] as const) {
    for (const row of rows as readonly OptionRow[]) {
      const shown = shownDefault(row);
      if (shown === undefined || row.flag === undefined) continue;
      const parsed = parseCommandLine([command, `--${row.flag}`, shown]);
      assert(parsed.kind === command, `${command} --${row.flag} ${shown}`);
      assertEquals((parsed.args as Record<string, unknown>)[row.field], row.default);
    }
  }
});

Deno.test("option table: serve() takes its defaults from the table", () => {
  const resolved: Record<string, unknown> = resolveServeOptions({});
  for (const row of SERVER_OPTIONS as readonly OptionRow[]) {
    if (!row.serve) continue;
    assertEquals(resolved[row.field], row.default ?? (row.kind === "switch" ? false : undefined));
  }
  assertEquals(
    Object.keys(SERVED_DEFAULTS).sort(),
    (SERVER_OPTIONS as readonly OptionRow[]).filter((row) => row.serve).map((row) => row.field)
      .sort(),
  );
  assertEquals(resolveServeOptions({ maxRooms: 3 }).maxRooms, 3);
});

Deno.test("option table: every variable a row reads is granted by the tasks and the tests", () => {
  const granted = denoJson.permissions.default.env;
  const tests = MAIN_PERMISSIONS.find((flag) => flag.startsWith("--allow-env="))!.split("=")[1]
    .split(",");
  const rows: readonly OptionRow[] = [...SERVER_OPTIONS, ...CLIENT_OPTIONS];
  for (const name of rows.flatMap((row) => row.env === undefined ? [] : [row.env])) {
    assert(granted.includes(name), `deno.json's permission set grants ${name}`);
    assert(tests.includes(name), `MAIN_PERMISSIONS grants ${name}`);
  }
});

Deno.test("README: the server and client flag tables list exactly the option table's flags, with its defaults", async () => {
  const markdown = await Deno.readTextFile(README);
  checkReadmeTable(markdown, "### Server flags", SERVER_OPTIONS);
  checkReadmeTable(markdown, "### Client flags", CLIENT_OPTIONS);
  const rows: readonly OptionRow[] = [...SERVER_OPTIONS, ...CLIENT_OPTIONS];
  for (const name of rows.flatMap((row) => row.env === undefined ? [] : [row.env])) {
    assert(markdown.includes(`\`${name}\``), `README names the variable ${name}`);
  }
});

Deno.test("README check: a flag missing, one too many or another default fails", () => {
  const table = (rows: string) =>
    `\n### Server flags\n\n| flag | default | what |\n| --- | --- | --- |\n${rows}\n`;
  const rows: OptionRow[] = [
    {
      flag: "port",
      field: "port",
      kind: "port",
      arg: "PORT",
      default: 1,
      help: { ko: "포트", en: "port" },
    },
    { short: "e", field: "echo", kind: "switch", help: { ko: "에코", en: "echo" } },
  ];
  checkReadmeTable(
    table("| `--port PORT`, or `PORT` | `1` | p |\n| `-e` | off | e |"),
    "### Server flags",
    rows,
  );
  const fails = (markdown: string) => {
    try {
      checkReadmeTable(markdown, "### Server flags", rows);
    } catch {
      return true;
    }
    return false;
  };
  assert(fails(table("| `--port PORT` | `1` | p |")), "-e missing");
  assert(fails(table("| `--port PORT` | `1` | p |\n| `-e` | off | e |\n| `--bogus` | off | b |")));
  assert(fails(table("| `--port PORT` | `2` | p |\n| `-e` | off | e |")), "another default");
});
