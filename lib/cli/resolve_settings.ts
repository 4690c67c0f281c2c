/**
 * The settings that may come from elsewhere than their flag, as the option table
 * declares: a secret from the first line of the file its `…-file` row names, or
 * from its variable; another setting with a variable (`REDIS_URL`) from it. The
 * flag wins, then the file, then the variable. A secret is never printed.
 *
 * @module
 */

import type { CliText } from "../catalog/cli_text.ts";
import { flagOf, type OptionRow } from "../config/option_row.ts";
import { StartError } from "../util/errors.ts";
import { readValue } from "./parse_flags.ts";
import { readFlagFile } from "./read_flag_file.ts";

/**
 * Fills the settings from the files and variables their rows name.
 *
 * @param rows The command's rows.
 * @param settings The settings as parsed.
 * @param text The language of errors.
 * @param note The line printed when Deno may not read the variable of a secret
 *   marked `noteWhenUnread` (in the server's language).
 * @returns The settings, filled.
 * @throws {StartError} When a file cannot be read or its first line is empty.
 * @throws {UsageError} When a variable's value is not what the row accepts.
 */
export async function resolveSettings<S extends object>(
  rows: readonly OptionRow[],
  settings: S,
  text: CliText,
  note: (variable: string) => string,
): Promise<S> {
  const values: Record<string, unknown> = Object.fromEntries(Object.entries(settings));
  for (const row of rows) {
    const path = values[row.field];
    if (row.fills !== undefined && typeof path === "string") {
      values[row.fills] = await readFirstLine(flagOf(row), path, text);
    }
  }
  for (const row of rows) {
    if (row.env === undefined || values[row.field] !== undefined) continue;
    if (row.kind === "secret") {
      values[row.field] = envSecret(row.env, row.noteWhenUnread ? note : undefined);
    } else {
      const value = envSetting(row.env);
      if (value !== undefined) values[row.field] = readValue(row, row.env, [value], text);
    }
  }
  return values as S;
}

/** A secret file's first line, without its line ending. */
async function readFirstLine(flag: string, path: string, text: CliText): Promise<string> {
  const line = (await readFlagFile(flag, path, text)).split("\n")[0].replace(/\r$/, "");
  if (line.length === 0) throw new StartError(text.cannotUse(flag, path, text.emptyFirstLine));
  return line;
}

/**
 * Reads a secret from the environment. Deno sees a variable only with
 * `--allow-env` for it (the documented commands grant it), and nothing, not even
 * `/proc/self/environ`, tells whether it is set without that. A secret its owner
 * set must never be silently ignored, so without the permission: on a terminal
 * Deno asks the user; elsewhere one line says the variable was not read (`note`,
 * in the server's language), or nothing where an unread secret fails closed
 * (`note` undefined: the client asks for the password when it is needed; without
 * an operator password nobody is an operator, and `/op` says so).
 */
function envSecret(name: string, note?: (name: string) => string): string | undefined {
  const descriptor = { name: "env", variable: name } as const;
  let state = Deno.permissions.querySync(descriptor).state;
  if (state === "prompt" && Deno.stdin.isTerminal() && Deno.stderr.isTerminal()) {
    state = Deno.permissions.requestSync(descriptor).state;
  }
  if (state !== "granted") {
    // "denied" is the user's own choice (--deny-env): nothing to point out.
    if (state === "prompt" && note !== undefined) console.error(note(name));
    return undefined;
  }
  const value = Deno.env.get(name);
  return value === undefined || value.length === 0 ? undefined : value;
}

/**
 * Reads a setting from the environment when Deno may (the documented commands
 * grant it); without the permission it is not asked for: a server without it
 * says on its start-up lines what it is.
 */
function envSetting(name: string): string | undefined {
  if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
    return undefined;
  }
  const value = Deno.env.get(name);
  return value === undefined || value.length === 0 ? undefined : value;
}
