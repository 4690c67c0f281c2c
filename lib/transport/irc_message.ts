/**
 * One IRC message, parsed and serialised: pure, no I/O. The rules (RFC 1459 and
 * 2812 for the message, IRCv3 message-tags for the tags, modern.ircdocs.horse for
 * what clients send):
 *
 * - `[@tags SPACE] [:source SPACE] COMMAND [params] [SPACE :trailing]`, one per
 *   line; the line splitter has already cut the line ending (`\r\n`, or `\n` alone).
 * - Spaces between parts may repeat; a line of spaces only is empty (ignored).
 * - Tags: `key[=value]` separated by `;`. Values are escaped: `\:` is `;`, `\s` a
 *   space, `\\` a backslash, `\r` CR, `\n` LF; a backslash before any other
 *   character is dropped, a trailing lone backslash too; a key without `=` (or with
 *   an empty value) has the value `""`. The last of duplicate keys wins.
 * - The command is letters (upper-cased here) or exactly three digits.
 * - Params: at most {@linkcode MAX_IRC_PARAMS} (RFC's 15); the last one may start
 *   with `:` and then holds spaces (`trailing`), and may be empty.
 * - Limits: the part after the tags is at most {@linkcode MAX_IRC_MESSAGE_BYTES}
 *   with its `\r\n` (RFC 1459), the tags at most {@linkcode MAX_IRC_TAG_BYTES} with
 *   their `@` and space (IRCv3), or {@linkcode MAX_IRC_CLIENT_TAG_BYTES} for what a
 *   client sends; a longer line is {@linkcode IrcInputTooLongError}.
 * - A NUL, a bare CR or a LF inside a line is {@linkcode IrcParseError}.
 *
 * Serialising writes the same form: tags escaped, the last param as trailing
 * (`:`) when it is empty, holds a space or starts with `:`, and no line ending (the
 * caller adds `\r\n`).
 *
 * @module
 */

/** The most bytes of a message without its tags, `\r\n` included (RFC 1459). */
export const MAX_IRC_MESSAGE_BYTES = 512;

/** The most bytes of a message's tags, with their `@` and the space after them (IRCv3). */
export const MAX_IRC_TAG_BYTES = 8191;

/**
 * The most bytes of the tags a client may send, with their `@` and space (IRCv3:
 * 4094 bytes of tag data); the rest of {@linkcode MAX_IRC_TAG_BYTES} is the server's.
 */
export const MAX_IRC_CLIENT_TAG_BYTES = 4096;

/** The most params a message may carry (RFC 1459); more are refused, not cut. */
export const MAX_IRC_PARAMS = 15;

/**
 * The longest line read from an IRC client, without its line ending: all the tags a
 * server may send and a message (a longer line is refused by the line splitter; one
 * within it but over the client's limits is `417`).
 */
export const MAX_IRC_LINE_BYTES = MAX_IRC_TAG_BYTES + MAX_IRC_MESSAGE_BYTES;

/** An IRC message. */
export interface IrcMessage {
  /** The tags (IRCv3), unescaped; empty without any. */
  tags: Map<string, string>;
  /** The source (`nick!user@host`, or a server name), or `undefined`. */
  source?: string;
  /** The command, upper-cased (`PRIVMSG`), or a three-digit numeric. */
  command: string;
  /** The params, the trailing one last, unescaped. */
  params: string[];
}

/** A line that is not an IRC message. */
export class IrcParseError extends Error {
  /**
   * @param detail What is wrong with the line.
   */
  constructor(detail: string) {
    super(`Cannot parse the IRC message: ${detail}`);
    this.name = "IrcParseError";
  }
}

/** A line over the IRC limits (answered with `417 ERR_INPUTTOOLONG`, not a disconnect). */
export class IrcInputTooLongError extends IrcParseError {
  /**
   * @param part Which part is too long.
   */
  constructor(part: "message" | "tags") {
    super(`the ${part} part is too long`);
    this.name = "IrcInputTooLongError";
  }
}

const encoder = new TextEncoder();

const COMMAND = /^(?:[A-Za-z]+|[0-9]{3})$/;

/**
 * Parses one IRC line.
 *
 * @param line The line, without its line ending.
 * @param maxTagBytes The most bytes of tags, with their `@` and space: a server's
 *   lines may have {@linkcode MAX_IRC_TAG_BYTES}, a client's
 *   {@linkcode MAX_IRC_CLIENT_TAG_BYTES}. @default {MAX_IRC_TAG_BYTES}
 * @returns The message, or `undefined` for an empty line.
 * @throws {IrcInputTooLongError} When a part passes its limit.
 * @throws {IrcParseError} When the line is not a message (no command, a NUL, a CR).
 */
export function parseIrcMessage(
  line: string,
  maxTagBytes: number = MAX_IRC_TAG_BYTES,
): IrcMessage | undefined {
  if (/[\0\r\n]/.test(line)) throw new IrcParseError("it holds a NUL, CR or LF");
  let rest = line;
  const tags = new Map<string, string>();
  if (rest.startsWith("@")) {
    const space = rest.indexOf(" ");
    const raw = space === -1 ? rest.slice(1) : rest.slice(1, space);
    if (byteLength(raw) + 2 > maxTagBytes) throw new IrcInputTooLongError("tags");
    for (const item of raw.split(";")) {
      if (item === "") continue;
      const equals = item.indexOf("=");
      const key = equals === -1 ? item : item.slice(0, equals);
      if (key === "") throw new IrcParseError("a tag has no name");
      tags.set(key, equals === -1 ? "" : unescapeTagValue(item.slice(equals + 1)));
    }
    rest = space === -1 ? "" : rest.slice(space + 1);
  }
  rest = rest.replace(/^ +/, "");
  // The message proper, with the `\r\n` the limit counts.
  if (byteLength(rest) + 2 > MAX_IRC_MESSAGE_BYTES) throw new IrcInputTooLongError("message");
  if (rest === "") {
    if (tags.size > 0) throw new IrcParseError("tags without a command");
    return undefined;
  }
  let source: string | undefined;
  if (rest.startsWith(":")) {
    const space = rest.indexOf(" ");
    if (space === -1) throw new IrcParseError("a source without a command");
    source = rest.slice(1, space);
    rest = rest.slice(space + 1).replace(/^ +/, "");
  }
  const space = rest.indexOf(" ");
  const command = space === -1 ? rest : rest.slice(0, space);
  if (!COMMAND.test(command)) throw new IrcParseError(`"${command}" is not a command`);
  rest = space === -1 ? "" : rest.slice(space + 1);
  const params: string[] = [];
  while (rest !== "") {
    if (rest.startsWith(" ")) {
      rest = rest.replace(/^ +/, "");
      continue;
    }
    if (rest.startsWith(":")) {
      params.push(rest.slice(1));
      break;
    }
    const next = rest.indexOf(" ");
    params.push(next === -1 ? rest : rest.slice(0, next));
    rest = next === -1 ? "" : rest.slice(next + 1);
  }
  if (params.length > MAX_IRC_PARAMS) throw new IrcParseError("more than 15 params");
  const message: IrcMessage = { tags, command: command.toUpperCase(), params };
  if (source !== undefined) message.source = source;
  return message;
}

/**
 * Writes a message as one line, without its line ending.
 *
 * @param message The message; params must hold no CR, LF or NUL, and only the last
 *   may be empty, hold a space or start with `:`.
 * @returns The line.
 */
export function serializeIrcMessage(message: IrcMessage): string {
  let line = "";
  if (message.tags.size > 0) {
    const items: string[] = [];
    for (const [key, value] of message.tags) {
      items.push(value === "" ? key : `${key}=${escapeTagValue(value)}`);
    }
    line = `@${items.join(";")} `;
  }
  if (message.source !== undefined) line += `:${message.source} `;
  line += message.command;
  const params = message.params;
  for (let i = 0; i < params.length; i++) {
    const param = params[i];
    const last = i === params.length - 1;
    line += last && (param === "" || param.includes(" ") || param.startsWith(":"))
      ? ` :${param}`
      : ` ${param}`;
  }
  return line;
}

/**
 * Escapes a tag value (`;` → `\:`, space → `\s`, `\` → `\\`, CR → `\r`, LF → `\n`).
 *
 * @param value The value.
 * @returns The escaped value.
 */
export function escapeTagValue(value: string): string {
  return value.replace(/[\\; \r\n]/g, (c) => TAG_ESCAPES[c]);
}

/**
 * Unescapes a tag value: the inverse of {@linkcode escapeTagValue}; an unknown
 * escape stands for its character, a trailing lone `\` is dropped.
 *
 * @param value The escaped value.
 * @returns The value.
 */
export function unescapeTagValue(value: string): string {
  if (!value.includes("\\")) return value;
  return value.replace(/\\(.?)/gs, (_, c: string) => TAG_UNESCAPES[c] ?? c);
}

const TAG_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  ";": "\\:",
  " ": "\\s",
  "\r": "\\r",
  "\n": "\\n",
};

const TAG_UNESCAPES: Record<string, string> = { ":": ";", s: " ", "\\": "\\", r: "\r", n: "\n" };

function byteLength(text: string): number {
  // Most lines are ASCII: their length is their byte count.
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length;
}
