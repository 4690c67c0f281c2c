/**
 * What a row of the option table is: one command-line setting, declared once with
 * its flag, kind, default, variable, help in both languages and checks. The types
 * of the parsed settings (and of the server's options) are derived from the rows,
 * so a row is the only place a setting is listed.
 *
 * @module
 */

import type { Lang } from "../catalog/lang.ts";

/** How a setting's text is read and checked (the command line implements each kind). */
export type OptionKind =
  /** No value: on when given (`--quiet`, `-e`); `negatable` rows are on by default. */
  | "switch"
  /** `--help`, `--version`: an action, not a setting. */
  | "action"
  /** Any text but the empty one. */
  | "text"
  /** Like `text`, and never shown in any output (errors, logs, help). */
  | "secret"
  /** A path; `main.ts` reads the file and names the flag when it cannot. */
  | "file"
  /** A whole number, at least `min`. */
  | "integer"
  /** A decimal number, at least 0. */
  | "number"
  /** A decimal number of seconds, given to the program in milliseconds. */
  | "seconds"
  /** A TCP port, from `min` to 65535. */
  | "port"
  /** One of `choices`. */
  | "choice"
  /** A catalog language (`ko`, `en`). */
  | "lang"
  /** Web origins (`https://example.org` or `*`), comma-separated and repeatable. */
  | "origins"
  /** Host names or addresses with an optional `:port`, comma-separated and repeatable. */
  | "hosts"
  /** A `redis://` or `rediss://` URL; it may hold a password, so errors hide that part. */
  | "redis-url";

/** Help and usage sections. */
export type OptionSection = "options" | "limits";

/** One setting of one command. */
export interface OptionRow {
  /**
   * The long flag without its dashes (`max-rooms`); absent for a one-letter flag, and
   * for a secret read only from its variable (`env`), which no flag may carry.
   */
  readonly flag?: string;
  /** The one-letter flag (`e` for `-e`); only switches and actions have one. */
  readonly short?: string;
  /** Where the value goes in the parsed settings (and in `serve()`'s options). */
  readonly field: string;
  /** How the text is read and checked. */
  readonly kind: OptionKind;
  /** The value's name in help and usage lines (`N`, `PORT`, `FILE`). */
  readonly arg?: string;
  /**
   * The value when the flag is not given, in the setting's unit (milliseconds for
   * `seconds`). Switches are off unless they say otherwise; other rows without a
   * default are `undefined` when not given.
   */
  readonly default?: string | number | boolean;
  /** The smallest value accepted (numbers and ports). */
  readonly min?: number;
  /** The values a `choice` accepts. */
  readonly choices?: readonly string[];
  /** The environment variable read when neither the flag nor its file is given. */
  readonly env?: string;
  /**
   * A `file` row whose first line is another row's value: `--password-file`
   * fills `password`. The two cannot both be given.
   */
  readonly fills?: string;
  /**
   * A secret without which the program runs open (the server password): when
   * Deno may not read its variable, one line says so instead of nothing.
   */
  readonly noteWhenUnread?: boolean;
  /** The place of the bare-argument form (`server 12345`, `client HOST PORT`), from 0. */
  readonly positional?: number;
  /** `--no-FLAG` turns this switch, on by default, off; help shows only that form. */
  readonly negatable?: boolean;
  /** The flag may be given again and again; every value is kept. */
  readonly repeatable?: boolean;
  /** `serve()` takes the setting as it is, under `field` (see `lib/server/options.ts`). */
  readonly serve?: boolean;
  /** Where help lists it. @default {"options"} */
  readonly section?: OptionSection;
  /** What it does, in each language (help adds the variable and the default). */
  readonly help: Readonly<Record<Lang, string>>;
  /** Help's words for the default when it is not a plain value ("the same as --host"). */
  readonly defaultHelp?: Readonly<Record<Lang, string>>;
}

/** The type of a row's parsed value. */
export type OptionValue<R extends OptionRow> = R["kind"] extends "switch" ? boolean
  : R["kind"] extends "integer" | "number" | "seconds" | "port" ? number
  : R extends { kind: "choice"; choices: readonly (infer C extends string)[] } ? C
  : R["kind"] extends "lang" ? Lang
  : R["kind"] extends "origins" | "hosts" ? string[]
  : string;

/** A row's value in the settings: `undefined` when it has no default and was not given. */
type SettingValue<R extends OptionRow> = R extends { default: string | number | boolean }
  ? OptionValue<R>
  : R["kind"] extends "switch" | "origins" | "hosts" ? OptionValue<R>
  : OptionValue<R> | undefined;

/**
 * The settings that a union of rows yields: one field per row (actions have none),
 * typed by the row's kind.
 */
export type SettingsOf<R extends OptionRow> = {
  -readonly [Row in R as Row["kind"] extends "action" ? never : Row["field"]]: SettingValue<Row>;
};

/**
 * The settings when nothing is given: each row's default, switches off, empty lists.
 *
 * @param rows The rows.
 * @returns Every setting at its default.
 */
export function defaultsOf<R extends OptionRow>(rows: readonly R[]): SettingsOf<R> {
  const settings: Record<string, unknown> = {};
  for (const row of rows) {
    if (row.kind === "action") continue;
    settings[row.field] = row.default ??
      (row.kind === "switch"
        ? false
        : row.kind === "origins" || row.kind === "hosts"
        ? []
        : undefined);
  }
  return settings as SettingsOf<R>;
}

/**
 * Fills in the defaults of the settings that are not given (`undefined`).
 *
 * @param rows The rows.
 * @param given Some settings.
 * @returns Every setting, given or default; nothing else.
 */
export function withDefaults<R extends OptionRow>(
  rows: readonly R[],
  given: Partial<SettingsOf<R>>,
): SettingsOf<R> {
  const settings: Record<string, unknown> = defaultsOf(rows);
  const values: Record<string, unknown> = given;
  for (const field of Object.keys(settings)) {
    if (values[field] !== undefined) settings[field] = values[field];
  }
  return settings as SettingsOf<R>;
}

/**
 * How help and the README show a row's default in plain words: the value (seconds
 * for `seconds`), or `undefined` for a switch and a row without one.
 *
 * @param row The row.
 * @returns The default as shown, or `undefined`.
 */
export function shownDefault(row: OptionRow): string | undefined {
  if (row.default === undefined || row.kind === "switch") return undefined;
  if (row.kind === "seconds" && typeof row.default === "number") {
    return String(row.default / 1000);
  }
  return String(row.default);
}

/**
 * How a row is named in messages: `--max-rooms`, `-e` for a one-letter flag, or
 * its variable for a row that has no flag.
 *
 * @param row The row.
 * @returns The flag with its dashes, or the variable's name.
 */
export function flagOf(row: OptionRow): string {
  if (row.flag !== undefined) return `--${row.flag}`;
  return row.short !== undefined ? `-${row.short}` : row.env ?? row.field;
}

/**
 * Whether a row is set only by its variable: no flag may carry it (a password on
 * the command line shows in `ps` and in `deno task`'s echo of the command).
 *
 * @param row The row.
 * @returns `true` for a variable-only row.
 */
export function isVariableOnly(row: OptionRow): boolean {
  return row.flag === undefined && row.short === undefined && row.env !== undefined;
}
