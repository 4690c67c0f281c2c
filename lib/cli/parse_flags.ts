/**
 * Reads a command's flags by its rows of the option table: long flags
 * (`--port 1`, `--port=1`), one-letter switches (`-e -b`, `-eb`), `--no-FLAG`, the
 * bare-argument forms (`server 12345`), repeats, and each kind's checks. Every
 * error is one line in the chosen language and names the flag as it was given; a
 * secret's value is never shown.
 *
 * @module
 */

import type { CliCommand, CliText } from "../catalog/cli_text.ts";
import { isLang } from "../catalog/lang.ts";
import { flagOf, type OptionRow, type SettingsOf, withDefaults } from "../config/option_row.ts";
import { checkRedisUrl } from "../cluster/redis_url.ts";
import { isAllowableHost } from "../server/web_hosts.ts";
import { UsageError } from "../util/errors.ts";

/** What a command line holds: an action, or the settings. */
export type ParsedFlags<R extends OptionRow> =
  | { action: "help" }
  | { action: "version" }
  | {
    action: undefined;
    /** Every setting: given, or its default. */
    settings: SettingsOf<R>;
    /** The fields given on the command line (not defaulted). */
    given: ReadonlySet<string>;
  };

/** The texts given for one row and the name they were given under. */
interface Given {
  /** `--port`, or `PORT` for the bare-argument form. */
  name: string;
  texts: string[];
}

/**
 * Reads flags and bare arguments by a table of rows.
 *
 * @param rows The command's rows.
 * @param args The arguments after the command.
 * @param command The command, for error hints (`see server --help`).
 * @param text The language of the errors.
 * @returns `--help` or `--version` when asked for, else every setting.
 * @throws {UsageError} On an unknown flag, a missing or bad value, a flag given twice.
 */
export function parseFlags<R extends OptionRow>(
  rows: readonly R[],
  args: readonly string[],
  command: CliCommand,
  text: CliText,
): ParsedFlags<R> {
  const given = new Map<R, Given>();
  const positionals: string[] = [];
  const put = (row: R, name: string, value: string) => {
    const entry = given.get(row);
    if (entry === undefined) {
      given.set(row, { name, texts: [value] });
    } else if (row.repeatable || row.kind === "switch" || row.kind === "action") {
      entry.texts.push(value);
    } else {
      throw new UsageError(text.givenMoreThanOnce(flagOf(row)));
    }
  };
  let flagsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (flagsEnded || arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
    } else if (arg === "--") {
      flagsEnded = true;
    } else if (arg.startsWith("--")) {
      const equals = arg.indexOf("=");
      const name = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
      const inline = equals < 0 ? undefined : arg.slice(equals + 1);
      const negated = name.startsWith("no-")
        ? rows.find((row) => row.negatable && row.flag === name.slice(3))
        : undefined;
      const row = negated ?? rows.find((row) => row.flag === name);
      if (row === undefined) throw new UsageError(text.unknownOption(`--${name}`, command));
      if (row.kind === "switch" || row.kind === "action") {
        if (inline !== undefined) throw new UsageError(text.noValue(`--${name}`));
        put(row, `--${name}`, negated === undefined ? "true" : "false");
        continue;
      }
      let value = inline;
      if (value === undefined) {
        // The next word is the value, even `-1` or empty, unless it is a long flag:
        // `--nick --tls` is a forgotten name, not a nickname.
        const next = args[i + 1];
        if (next === undefined || next.startsWith("--")) {
          throw new UsageError(text.missingValue(`--${name}`, row.arg ?? ""));
        }
        value = next;
        i++;
      }
      put(row, `--${name}`, value);
    } else {
      for (const letter of arg.slice(1)) {
        const row = rows.find((row) => row.short === letter);
        if (row === undefined) throw new UsageError(text.unknownOption(`-${letter}`, command));
        put(row, `-${letter}`, "true");
      }
    }
  }
  for (const row of rows) {
    if (row.kind === "action" && given.has(row)) {
      // --help wins over --version, as in most tools.
      if (row.field !== "version") return { action: "help" };
      if (!rows.some((r) => r.field === "help" && given.has(r))) return { action: "version" };
    }
  }
  const places = rows
    .filter((row) => row.positional !== undefined)
    .sort((a, b) => a.positional! - b.positional!);
  if (positionals.length > places.length) {
    throw new UsageError(text.unexpectedArgument(positionals[places.length], command));
  }
  positionals.forEach((value, place) => {
    const row = places[place];
    const name = row.arg ?? row.field;
    if (given.has(row)) throw new UsageError(text.givenTwice(name, flagOf(row)));
    given.set(row, { name, texts: [value] });
  });
  for (const row of given.keys()) {
    const filled = rows.find((other) => other.field === row.fills);
    if (filled !== undefined && given.has(filled)) {
      throw new UsageError(text.notBoth(flagOf(filled), flagOf(row)));
    }
  }
  const values: Record<string, unknown> = {};
  for (const [row, { name, texts }] of given) {
    values[row.field] = readValue(row, name, texts, text);
  }
  return {
    action: undefined,
    settings: withDefaults(rows, values as Partial<SettingsOf<R>>),
    given: new Set([...given.keys()].map((row) => row.field)),
  };
}

/**
 * Reads and checks one row's value from its texts (a variable's value goes
 * through here too).
 *
 * @param row The row.
 * @param name How the value was given, for errors: `--port`, `PORT`, `REDIS_URL`.
 * @param texts The texts given (several for a repeatable row; the last counts
 *   for a switch).
 * @param text The language of the errors.
 * @returns The value, of the row's type.
 * @throws {UsageError} When it is not what the row accepts.
 */
export function readValue(
  row: OptionRow,
  name: string,
  texts: readonly string[],
  text: CliText,
): unknown {
  const value = texts[texts.length - 1];
  const invalid = (expected: string, shown = value) =>
    new UsageError(text.invalid(name, shown, expected));
  const min = row.min ?? 0;
  switch (row.kind) {
    case "switch":
    case "action":
      return value === "true";
    case "text":
    case "secret":
    case "file":
      if (value.length === 0) throw new UsageError(text.mustNotBeEmpty(name));
      return value;
    case "integer":
      if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
        throw invalid(text.expectWholeNumber(min));
      }
      return Number(value);
    case "number":
    case "seconds":
      if (!/^\d+(\.\d+)?$/.test(value) || Number(value) < min) {
        throw invalid(text.expectNumber(min));
      }
      return row.kind === "seconds" ? Math.round(Number(value) * 1000) : Number(value);
    case "port":
      if (!/^\d{1,5}$/.test(value) || Number(value) < min || Number(value) > 65535) {
        throw invalid(text.expectPort(min));
      }
      return Number(value);
    case "choice":
      if (!(row.choices ?? []).includes(value)) throw invalid(text.expectOneOf(row.choices ?? []));
      return value;
    case "lang":
      if (!isLang(value)) throw invalid(text.expectOneOf(["ko", "en"]));
      return value;
    case "origins":
      return texts
        .flatMap((given) => given.split(","))
        .map((origin) => checkOrigin(origin.trim(), () => invalid(text.expectOrigin, origin)));
    case "hosts":
      return texts
        .flatMap((given) => given.split(","))
        .map((host) => {
          if (!isAllowableHost(host)) throw invalid(text.expectHost, host);
          return host.trim();
        });
    case "redis-url":
      try {
        return checkRedisUrl(value);
      } catch {
        throw invalid(text.expectRedisUrl, hidePassword(value));
      }
  }
}

/** An origin as `--web-origin` takes it (`*`, or `scheme://host[:port]`), normalised. */
function checkOrigin(text: string, invalid: () => UsageError): string {
  if (text === "*") return text;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (
    url === undefined || (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.username !== "" || url.password !== "" || url.pathname !== "/" || url.search !== "" ||
    url.hash !== "" || text.includes("?") || text.includes("#")
  ) {
    throw invalid();
  }
  return url.origin;
}

/** A URL as an error may show it: whatever stands before an `@` is hidden. */
function hidePassword(url: string): string {
  return url.replace(/^([^/]*\/\/)[^@/]*@/, "$1***@");
}
