/**
 * The chat protocol: what a line from a client means, and the nickname rules.
 *
 * @module
 */

import { hasControlCharacters } from "../util/sanitize.ts";

/** The most characters (code points) a nickname may have. */
export const MAX_NICKNAME_CHARS = 20;

const NICKNAME = /^[\p{L}\p{N}_-]+$/u;

/** What a chat line asks for. */
export type Command =
  | { kind: "empty" }
  | { kind: "message"; text: string }
  | { kind: "whisper"; target: string; text: string }
  | { kind: "whisperUsage" }
  | { kind: "quit" }
  | { kind: "who" }
  | { kind: "help" }
  | { kind: "unknown"; command: string };

const COMMANDS: Record<string, Command> = {
  "/종료": { kind: "quit" },
  "/quit": { kind: "quit" },
  "/who": { kind: "who" },
  "/접속자": { kind: "who" },
  "/help": { kind: "help" },
  "/도움말": { kind: "help" },
};

const EMPTY: Command = { kind: "empty" };
const WHISPER_USAGE: Command = { kind: "whisperUsage" };

/**
 * Parses one chat line (already sanitized, without its line ending).
 *
 * - blank → `empty` (ignored);
 * - `@nick text` → `whisper`; `@nick` or `@` alone → `whisperUsage`;
 * - `/word …` → a command (`/종료`, `/quit`, `/who`, `/접속자`, `/help`, `/도움말`,
 *   matched ignoring case) or `unknown`, never a message;
 * - anything else → `message`.
 *
 * @param line The line.
 * @returns What it asks for.
 */
export function parseCommand(line: string): Command {
  const first = line.charCodeAt(0);
  // Fast path: most lines are plain messages.
  if (first !== 0x40 /* @ */ && first !== 0x2f /* / */ && first !== 0x20 && line.length > 0) {
    return { kind: "message", text: line };
  }
  const trimmed = line.trim();
  if (trimmed.length === 0) return EMPTY;
  if (trimmed[0] === "@") {
    const space = trimmed.search(/\s/);
    if (space === -1) return WHISPER_USAGE;
    const target = trimmed.slice(1, space);
    const text = trimmed.slice(space + 1).trim();
    if (target.length === 0 || text.length === 0) return WHISPER_USAGE;
    return { kind: "whisper", target, text };
  }
  if (trimmed[0] === "/") {
    const word = trimmed.split(/\s/, 1)[0];
    return COMMANDS[word.toLowerCase()] ?? { kind: "unknown", command: word };
  }
  return { kind: "message", text: line };
}

/**
 * Checks a nickname against the rules: 1 to {@linkcode MAX_NICKNAME_CHARS}
 * characters, each a Unicode letter or digit, `_` or `-` (so Korean names work),
 * no control characters.
 *
 * @param nickname The nickname, NFC-normalized and trimmed.
 * @returns `true` when it is valid.
 */
export function isValidNickname(nickname: string): boolean {
  const chars = [...nickname].length;
  return chars >= 1 && chars <= MAX_NICKNAME_CHARS && NICKNAME.test(nickname) &&
    !hasControlCharacters(nickname);
}

/**
 * The form of a nickname used to compare two of them: NFC and lower case, so that
 * `Alice` and `alice` cannot both be online.
 *
 * @param nickname The nickname.
 * @returns Its comparison key.
 */
export function nicknameKey(nickname: string): string {
  return nickname.normalize("NFC").toLowerCase();
}
