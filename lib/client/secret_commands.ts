/**
 * The typed lines that carry a password: `/register`, `/password`, `/unregister`,
 * `/op` and their aliases (the command table's names, any case). What follows the
 * command word is never shown as typed (the input masks it) nor kept in the input
 * history; and the client learns an account's new password from them, so that a
 * reconnection logs in with it.
 *
 * @module
 */

import { COMMANDS } from "../chat/commands/table.ts";
import { parseLine, words } from "../chat/parse_line.ts";
import { maskText } from "./line_input.ts";

/** The English names of the commands whose arguments are passwords. */
const SECRET_COMMAND_NAMES = ["/register", "/password", "/unregister", "/op"] as const;

/** Every name (aliases included) of those commands, lower-cased, by English name. */
const BY_NAME: ReadonlyMap<string, (typeof SECRET_COMMAND_NAMES)[number]> = new Map(
  COMMANDS.flatMap((command) => {
    const english = SECRET_COMMAND_NAMES.find((name) => command.names.includes(name));
    return english === undefined ? [] : command.names.map((name) => [name.toLowerCase(), english]);
  }),
);

/**
 * Where the secret part of a typed line starts: right after the command word of a
 * password-carrying command and the blanks after it.
 *
 * @param line The line as typed so far.
 * @returns The index of the secret's first character (the line's length when
 *   nothing of it is typed yet), or `-1` for a line that carries no password.
 */
export function secretStart(line: string): number {
  const match = /^(\s*)(\S+)(\s+)/u.exec(line);
  if (match === null || !BY_NAME.has(match[2].toLowerCase())) return -1;
  return match[0].length;
}

/**
 * A typed line as it may be shown: its secret part as one `*` per terminal column, so that the line takes as much room as the typed one
 * (`/register ********`).
 *
 * @param line The line.
 * @param widthOf The columns one character takes (a Korean one, 2).
 * @returns The line, masked from {@linkcode secretStart} on (unchanged when it
 *   carries no password).
 */
export function maskSecret(line: string, widthOf: (char: string) => number): string {
  const start = secretStart(line);
  return start === -1 ? line : line.slice(0, start) + maskText(line.slice(start), widthOf);
}

/** What a typed line asks of the account's password, once the server agrees. */
export type PasswordChange =
  /** `/register PASSWORD`: the nickname held gets this password. */
  | { kind: "register"; password: string }
  /** `/password OLD NEW`: NEW; `/password` alone: the answer to `New password:`. */
  | { kind: "password"; password: string | undefined }
  /** `/unregister PASSWORD`: no password any more. */
  | { kind: "unregister" };

/**
 * Reads the password change a typed line asks for, as the server reads it (the
 * rest of the line for `/register`, the second word for `/password`).
 *
 * @param line A typed chat line.
 * @returns The change, or `undefined` for any other line (`/op` changes no account).
 */
export function passwordChangeOf(line: string): PasswordChange | undefined {
  const parsed = parseLine(line);
  if (parsed.kind !== "command") return undefined;
  switch (BY_NAME.get(parsed.word.toLowerCase())) {
    case "/register":
      return parsed.args === "" ? undefined : { kind: "register", password: parsed.args };
    case "/password": {
      const given = words(parsed.args);
      if (given.length === 0) return { kind: "password", password: undefined };
      return given.length === 2 ? { kind: "password", password: given[1] } : undefined;
    }
    case "/unregister":
      return parsed.args === "" ? undefined : { kind: "unregister" };
    default:
      return undefined;
  }
}
