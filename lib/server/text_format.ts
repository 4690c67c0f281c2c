/**
 * The text edge: chat events as the lines a terminal client (ours, `nc`,
 * `telnet`) receives, in the server's language. A room event is rendered once for
 * all of its recipients; a user event once, for its one recipient.
 *
 * @module
 */

import type { EdgeFormat } from "./chat_peer.ts";
import type { Lang } from "../catalog/lang.ts";
import { type UserText, userText } from "../catalog/user_text.ts";
import type { HelpEntry, Notice, RoomEvent, UserEvent } from "../chat/events.ts";
import type { BroadcastLog } from "../fanout/broadcast_log.ts";

const encoder = new TextEncoder();

/** The width of the usage column of `/help`. */
const HELP_USAGE_WIDTH = 24;

/** Chat events as text lines in one language. */
export class TextFormat implements EdgeFormat {
  readonly #t: UserText;
  readonly #lang: Lang;

  /**
   * @param lang The language of every line.
   */
  constructor(lang: Lang) {
    this.#lang = lang;
    this.#t = userText(lang);
  }

  /** The catalog this format renders with. */
  get text(): UserText {
    return this.#t;
  }

  /** @inheritdoc */
  append(log: BroadcastLog, events: readonly RoomEvent[]): void {
    const parts: string[] = [];
    for (const event of events) parts.push(this.roomLine(event), "\n");
    log.append(parts.join(""));
  }

  /**
   * Renders a room event as one line.
   *
   * @param event The event.
   * @returns The line, without `\n`.
   */
  roomLine(event: RoomEvent): string {
    const t = this.#t;
    switch (event.type) {
      case "message":
        return t.message(event.nick, event.text);
      case "action":
        return t.action(event.nick, event.text);
      case "joined":
        return t.joined(event.nick);
      case "left":
        return t.left(event.nick);
      case "moved":
        return t.moved(event.nick, event.to);
      case "renamed":
        return t.renamed(event.from, event.to);
      case "topic":
        return t.topicSet(event.nick, event.text);
      case "kicked":
        return t.kicked(event.nick, event.by, event.reason);
    }
  }

  /**
   * Renders a user event as the text sent to its one recipient.
   *
   * @param event The event.
   * @returns Lines, each ending in `\n` (`""` for an event the text protocol does
   *   not show).
   */
  userText(event: UserEvent): string {
    const lines = this.userLines(event);
    return lines.length === 0 ? "" : lines.join("\n") + "\n";
  }

  /** @inheritdoc */
  encodeUserEvent(event: UserEvent): Uint8Array | undefined {
    const text = this.userText(event);
    return text === "" ? undefined : encoder.encode(text);
  }

  /**
   * Renders a user event as lines.
   *
   * @param event The event.
   * @returns The lines, without `\n` (none for an event the text protocol does not show).
   */
  userLines(event: UserEvent): string[] {
    const t = this.#t;
    switch (event.type) {
      case "prompt":
        return [event.prompt === "password" ? t.passwordPrompt : t.nicknamePrompt];
      case "welcome":
        return [t.connected];
      case "notice":
        return [this.notice(event.notice)];
      case "motd":
        return [...event.lines];
      case "history":
        return [
          t.history(event.events.length),
          ...event.events.map((e) => `[${clock(e.time)}] ${this.roomLine(e)}`),
        ];
      case "whisper":
        return [t.whisperReceived(event.from, event.text)];
      case "whisperSent":
        return [t.whisperSent(event.to, event.text)];
      case "away":
        return [t.away(event.nick, event.reason)];
      case "who":
        return [t.who(event.users)];
      case "members":
        return [t.who(event.users, event.total)];
      case "rooms":
        return [t.rooms(event.rooms)];
      case "topic":
        return [t.topic(event.text)];
      case "bans": {
        if (event.bans.length === 0) return [t.noBans];
        const now = Date.now();
        return [t.bans(event.bans.map((ban) => ({
          address: ban.address,
          minutesLeft: ban.until === undefined
            ? undefined
            : Math.max(1, Math.ceil((ban.until - now) / 60_000)),
        })))];
      }
      case "help":
        return [
          t.helpTitle,
          ...t.helpBasics.map(([usage, help]) => helpRow(usage, help)),
          ...event.commands.map((entry) => this.#helpLine(entry)),
        ];
      case "kicked":
        return [t.kickedYou(event.by, event.reason)];
      case "renamed":
      case "room":
        // The text protocol shows these through room events.
        return [];
    }
  }

  /**
   * Renders a notice.
   *
   * @param notice The notice.
   * @returns The line.
   */
  notice(notice: Notice): string {
    const t = this.#t;
    switch (notice.code) {
      case "nicknameInvalid":
        return t.nicknameInvalid(notice.maxChars);
      case "nicknameTaken":
        return t.nicknameTaken(notice.nick);
      case "noSuchUser":
        return t.noSuchUser(notice.nick);
      case "whisperUsage":
        return t.whisperUsage;
      case "unknownCommand":
        return t.unknownCommand(notice.command);
      case "usage":
        return t.usage(this.#localized(notice.usage));
      case "lineTooLong":
        return t.lineTooLong(notice.maxBytes, notice.closing);
      case "nicknameTimeout":
        return t.nicknameTimeout;
      case "rateLimited":
        return t.rateLimited;
      case "flooding":
        return t.flooding;
      case "shuttingDown":
        return t.shuttingDown;
      case "wrongPassword":
        return t.wrongPassword;
      case "markedAway":
        return t.markedAway;
      case "welcomeBack":
        return t.welcomeBack;
      case "notAway":
        return t.notAway;
      case "noTopic":
        return t.noTopic;
      case "opGranted":
        return t.opGranted;
      case "opWrong":
        return t.opWrong;
      case "opOnly":
        return t.opOnly;
      case "opUnset":
        return t.opUnset;
      case "banned":
        return t.banned;
      case "roomInvalid":
        return t.roomInvalid(notice.maxChars);
      case "roomsFull":
        return t.roomsFull(notice.max);
      case "alreadyInRoom":
        return t.alreadyInRoom(notice.room);
      case "banAdded":
        return t.banAdded(notice.nick, notice.address, notice.minutes);
      case "unbanned":
        return t.unbanned(notice.address);
      case "notBanned":
        return t.notBanned(notice.address);
      case "noBans":
        return t.noBans;
      case "cannotKickSelf":
        return t.cannotKickSelf;
      case "unavailable":
        return t.unavailable;
      case "available":
        return t.available;
      case "tryAgainLater":
        return t.tryAgainLater;
    }
  }

  #helpLine(entry: HelpEntry): string {
    const usage = this.#localized(entry.usage);
    const aliases = entry.names.filter((name) => !usage.startsWith(name + " ") && name !== usage);
    const head = aliases.length === 0 ? usage : `${usage}, ${aliases.join(", ")}`;
    const mark = entry.op ? this.#t.helpOpMark : "";
    return helpRow(head, `${this.#localized(entry.help)}${mark}`);
  }

  #localized(text: { readonly ko: string; readonly en: string }): string {
    return text[this.#lang];
  }
}

/** One row of `/help`, padded by terminal columns (a Korean character takes two). */
function helpRow(usage: string, help: string): string {
  const pad = Math.max(2, HELP_USAGE_WIDTH - 2 - columnsOf(usage));
  return `  ${usage}${" ".repeat(pad)}${help}`;
}

/**
 * The terminal columns a text takes: East Asian wide characters (Hangul, CJK,
 * fullwidth forms) take two.
 *
 * @param text The text.
 * @returns Its width in columns.
 */
export function columnsOf(text: string): number {
  let columns = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const wide = (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x20000 && code <= 0x3fffd);
    columns += wide ? 2 : 1;
  }
  return columns;
}

/**
 * Formats a time as the local `HH:MM`.
 *
 * @param time A `Date.now()` time.
 * @returns The clock text.
 */
export function clock(time: number): string {
  const date = new Date(time);
  return `${String(date.getHours()).padStart(2, "0")}:${
    String(date.getMinutes()).padStart(2, "0")
  }`;
}
