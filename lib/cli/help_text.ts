/**
 * `--help`, generated from the option table in the chosen language: one entry per
 * row, with its variable and its default taken from the row, wrapped by terminal
 * columns (a Korean character takes two).
 *
 * @module
 */

import { type CliCommand, cliText } from "../catalog/cli_text.ts";
import type { Lang } from "../catalog/lang.ts";
import { defaultsOf, isVariableOnly, type OptionRow, shownDefault } from "../config/option_row.ts";
import { CLIENT_OPTIONS, COMMAND_OPTIONS } from "../config/option_table.ts";
import { columnsOf } from "../server/text_format.ts";

/** Help fits an 80-column terminal. */
const HELP_WIDTH_COLUMNS = 80;
/** Descriptions start two columns after the longest flag, but never further than this. */
const MAX_DESCRIPTION_COLUMN = 30;
/** Stands for a space that wrapping must not break at; a plain space once wrapped. */
const NO_BREAK = "\u00a0";

/**
 * The help of a command.
 *
 * @param command `menu` (the top-level help), `server` or `client`.
 * @param lang The language.
 * @returns The help, without a final newline.
 */
export function helpText(command: CliCommand, lang: Lang): string {
  const text = cliText(lang);
  const rows = COMMAND_OPTIONS[command];
  const { hostname: host, port } = defaultsOf(CLIENT_OPTIONS);
  const commands = command === "menu" ? text.commands() : [];
  const lefts = [...commands.map(([usage]) => usage), ...rows.map(forms)];
  const column = Math.min(
    MAX_DESCRIPTION_COLUMN,
    Math.max(...lefts.map((left) => columnsOf(`  ${left}`))) + 2,
  );
  const paragraphs: string[] = [];
  if (command === "menu") {
    paragraphs.push(
      text.intro(command, host, port),
      [text.section("commands"), ...commands.map(([usage, what]) => entry(usage, what, column))]
        .join("\n"),
    );
  } else {
    paragraphs.push(text.usage(usageLine(command, rows)), wrap(text.intro(command, host, port)));
  }
  for (const section of ["options", "limits"] as const) {
    const inSection = rows.filter((row) => (row.section ?? "options") === section);
    if (inSection.length === 0) continue;
    paragraphs.push(
      [text.section(section), ...inSection.map((row) => rowHelp(row, lang, column))].join("\n"),
    );
  }
  paragraphs.push(wrap(text.outro(command, host, port)));
  return paragraphs.join("\n\n");
}

/** `main.ts server [PORT]`, `main.ts client [HOST [PORT]]`. */
function usageLine(command: CliCommand, rows: readonly OptionRow[]): string {
  const places = rows
    .filter((row) => row.positional !== undefined)
    .sort((a, b) => a.positional! - b.positional!)
    .map((row) => row.arg ?? row.field);
  const nested = places.reduceRight(
    (inner, arg) => `[${arg}${inner === "" ? "" : ` ${inner}`}]`,
    "",
  );
  return `main.ts ${command}${nested === "" ? "" : ` ${nested}`}`;
}

/**
 * How a row is written on the left: `-h, --help`, `-e`, `--no-timestamps`, `--port PORT`,
 * or the variable of a row that has no flag.
 */
function forms(row: OptionRow): string {
  if (row.negatable) return `--no-${row.flag}`;
  if (isVariableOnly(row)) return row.env!;
  const long = row.flag === undefined ? undefined : `--${row.flag}${row.arg ? ` ${row.arg}` : ""}`;
  const short = row.short === undefined ? undefined : `-${row.short}`;
  return [short, long].filter((form) => form !== undefined).join(", ");
}

function rowHelp(row: OptionRow, lang: Lang, column: number): string {
  const text = cliText(lang);
  const shown = row.defaultHelp?.[lang] ?? shownDefault(row);
  const description = [
    row.help[lang],
    row.env === undefined || isVariableOnly(row) ? undefined : unbroken(text.orVariable(row.env)),
    shown === undefined ? undefined : unbroken(text.defaultIs(shown)),
  ].filter((part) => part !== undefined).join(" ");
  return entry(forms(row), description, column);
}

/** Marks a short phrase that wrapping keeps on one line ("(default 127.0.0.1)"). */
function unbroken(phrase: string): string {
  return phrase.replaceAll(" ", NO_BREAK);
}

/** A left column and its description from `column` on, wrapped below it. */
function entry(left: string, description: string, column: number): string {
  const lines = wrapWords(description, HELP_WIDTH_COLUMNS - column);
  const indent = " ".repeat(column);
  const head = `  ${left}`;
  const first = columnsOf(head) + 2 <= column
    ? [`${head}${" ".repeat(column - columnsOf(head))}${lines[0]}`]
    : [head, `${indent}${lines[0]}`];
  return [...first, ...lines.slice(1).map((line) => `${indent}${line}`)].join("\n");
}

/** A paragraph, wrapped to the full width. */
function wrap(paragraph: string): string {
  return wrapWords(paragraph, HELP_WIDTH_COLUMNS).join("\n");
}

/** Splits a text into lines of at most `width` columns at spaces (a longer word stays whole). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && columnsOf(line) + 1 + columnsOf(word) > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.map((wrapped) => wrapped.replaceAll(NO_BREAK, " "));
}
