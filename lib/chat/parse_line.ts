/**
 * What a chat line means: a message, a whisper, or a command.
 *
 * @module
 */

/** What a chat line asks for. */
export type ParsedLine =
  | { kind: "empty" }
  | { kind: "message"; text: string }
  | { kind: "whisper"; target: string; text: string }
  | { kind: "whisperUsage" }
  /** `word` as typed (`/Join`), `args` the rest of the line, trimmed. */
  | { kind: "command"; word: string; args: string };

const EMPTY: ParsedLine = { kind: "empty" };
const WHISPER_USAGE: ParsedLine = { kind: "whisperUsage" };

/**
 * Parses one chat line (already sanitized, without its line ending).
 *
 * - blank → `empty` (ignored);
 * - `@nick text` → `whisper`; `@nick` or `@` alone → `whisperUsage`;
 * - `/word …` → `command`, never a message (the table decides what it means);
 * - anything else → `message`, kept verbatim.
 *
 * @param line The line.
 * @returns What it asks for.
 */
export function parseLine(line: string): ParsedLine {
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
    const space = trimmed.search(/\s/);
    if (space === -1) return { kind: "command", word: trimmed, args: "" };
    return {
      kind: "command",
      word: trimmed.slice(0, space),
      args: trimmed.slice(space + 1).trim(),
    };
  }
  return { kind: "message", text: line };
}

/**
 * Splits command arguments into words.
 *
 * @param args The arguments, trimmed.
 * @returns The words (none for an empty text).
 */
export function words(args: string): string[] {
  return args === "" ? [] : args.split(/\s+/);
}
