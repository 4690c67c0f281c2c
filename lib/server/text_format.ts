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
import type { HelpEntry, HistoryEvent, Notice, RoomEvent, UserEvent } from "../chat/events.ts";
import type { BroadcastLog } from "../fanout/broadcast_log.ts";
import { displayWidth as columnsOf } from "../util/display_width.ts";

const encoder = new TextEncoder();

/** The columns between the widest usage of `/help` and the help texts. */
const HELP_GAP_COLUMNS = 2;

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
      case "parted":
        return t.parted(event.nick, event.room, event.reason);
      case "renamed":
        return t.renamed(event.from, event.to);
      case "topic":
        return t.topicSet(event.nick, event.text);
      case "kicked":
        return event.banMinutes === undefined
          ? t.kicked(event.nick, event.by, event.reason)
          : t.bannedBy(event.nick, event.by, event.banMinutes);
    }
  }

  /**
   * Renders a kept message or action as a line of history or catch-up: the time
   * the server gave it, then its room line.
   *
   * @param event The event.
   * @returns The line, without `\n`.
   */
  historyLine(event: HistoryEvent): string {
    return `[${clock(event.time)}] ${this.roomLine(event)}`;
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
        switch (event.prompt) {
          case "password":
            return [t.passwordPrompt];
          case "nickname":
            return [t.nicknamePrompt];
          case "account":
            return [t.accountPrompt(event.nick)];
          case "currentPassword":
            return [t.currentPasswordPrompt];
          case "newPassword":
            return [t.newPasswordPrompt];
        }
        return [];
      case "welcome":
        return [t.connected];
      case "notice":
        return [this.notice(event.notice)];
      case "motd":
        return [...event.lines];
      case "history":
        return [t.history(event.events.length), ...event.events.map((e) => this.historyLine(e))];
      case "catchUp": {
        const lines = [t.catchUp(event.events.length + event.skipped)];
        if (event.skipped > 0) lines.push(t.catchUpSkipped(event.skipped));
        for (const e of event.events) lines.push(this.historyLine(e));
        return lines;
      }
      case "whisper": {
        const line = t.whisperReceived(event.from, event.text);
        // A whisper held while the user was offline shows when it was sent.
        return [event.time === undefined ? line : `[${clock(event.time)}] ${line}`];
      }
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
          name: "nick" in ban ? ban.nick : ban.address,
          nickname: "nick" in ban,
          minutesLeft: ban.until === undefined
            ? undefined
            : Math.max(1, Math.ceil((ban.until - now) / 60_000)),
        })))];
      }
      case "help":
        return [t.helpTitle, ...helpRows([...t.helpBasics, ...event.commands.map(this.#helpRow)])];
      case "kicked":
        return [
          event.banMinutes === undefined
            ? t.kickedYou(event.by, event.reason)
            : t.bannedYou(event.by, event.banMinutes, event.reason),
        ];
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
        return t.opWrong(notice.failures, notice.closing);
      case "opOnly":
        return t.opOnly;
      case "opUnset":
        return t.opUnset;
      case "passwordLockout":
        return t.passwordLockout;
      case "evicted":
        return t.evicted;
      case "nicknameLost":
        return t.nicknameLost(notice.from, notice.to);
      case "banned":
        return t.banned;
      case "roomInvalid":
        return t.roomInvalid(notice.maxChars);
      case "roomsFull":
        return t.roomsFull(notice.max);
      case "alreadyInRoom":
        return t.alreadyInRoom(notice.room);
      case "tooManyRooms":
        return t.tooManyRooms(notice.max);
      case "banAdded":
        return t.banAdded(notice.nick, notice.address, notice.minutes, notice.nickname === true);
      case "unbanned":
        return t.unbanned(notice.address);
      case "notBanned":
        return t.notBanned(notice.address);
      case "noBans":
        return t.noBans;
      case "cannotKickSelf":
        return t.cannotKickSelf;
      case "kickDone":
        return t.kickDone(notice.nick);
      case "internalError":
        return t.internalError;
      case "unavailable":
        return t.unavailable;
      case "available":
        return t.available;
      case "tryAgainLater":
        return t.tryAgainLater;
      case "registered":
        return t.registered(notice.nick);
      case "alreadyRegistered":
        return t.alreadyRegistered(notice.nick);
      case "notRegistered":
        return t.notRegistered;
      case "passwordTooShort":
        return t.passwordTooShort(notice.minChars);
      case "passwordTooLong":
        return t.passwordTooLong(notice.maxBytes);
      case "passwordChanged":
        return t.passwordChanged;
      case "passwordChangeCancelled":
        return t.passwordChangeCancelled;
      case "unregistered":
        return t.unregistered(notice.nick);
      case "accountWrong":
        return t.accountWrong(notice.nick, notice.failures, notice.closing);
      case "nicknameRegistered":
        return t.nicknameRegistered(notice.nick);
      case "nicknameBanned":
        return t.nicknameBanned(notice.nick);
      case "nicknameReclaimed":
        return t.nicknameReclaimed;
      case "reclaimRefused":
        return t.reclaimRefused(notice.nick);
      case "whisperHeld":
        return t.whisperHeld(notice.nick);
      case "whisperHeldFull":
        return t.whisperHeldFull(notice.nick, notice.max);
      case "deopped":
        return t.deopped;
      case "deoppedBy":
        return t.deoppedBy(notice.by);
      case "deopDone":
        return t.deopDone(notice.nick);
      case "notAnOperator":
        return t.notAnOperator;
      case "notOperator":
        return t.notOperator(notice.nick);
      case "nickUnbanned":
        return t.nickUnbanned(notice.nick);
      case "nickNotBanned":
        return t.nickNotBanned(notice.nick);
    }
  }

  /**
   * A command's usage and help. Its names come in the table's order in every
   * language; the name the usage is written with stands in its place with its arguments.
   */
  #helpRow = (entry: HelpEntry): readonly [usage: string, help: string] => {
    const usage = this.#localized(entry.usage);
    const named = entry.names.find((name) => usage === name || usage.startsWith(name + " "));
    const names = named === undefined ? [usage, ...entry.names] : entry.names;
    const head = names.map((name) => name === named ? usage : name).join(", ");
    const mark = entry.op ? this.#t.helpOpMark : "";
    return [head, `${this.#localized(entry.help)}${mark}`];
  };

  #localized(text: { readonly ko: string; readonly en: string }): string {
    return text[this.#lang];
  }
}

/**
 * The rows of `/help`: the help texts start in one column, past the widest usage
 * as a terminal shows it (a Korean character takes two columns).
 */
function helpRows(rows: readonly (readonly [usage: string, help: string])[]): string[] {
  const widths = rows.map(([usage]) => columnsOf(usage));
  const column = Math.max(...widths) + HELP_GAP_COLUMNS;
  return rows.map(([usage, help], i) => `  ${usage}${" ".repeat(column - widths[i])}${help}`);
}

/** The terminal columns a text takes (East Asian wide characters take two). */
export { columnsOf };

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
