/**
 * How the client shows a line: the local time before it, each nickname in its own
 * colour, notices dimmed, whispers and actions distinct, our own lines marked,
 * mentions of us highlighted, and whether the line rings the bell.
 *
 * Without colours a line is shown exactly as the server sent it (plus the time):
 * colours are only ever added around the server's text, never instead of it.
 *
 * @module
 */

import { userText } from "../catalog/user_text.ts";
import { nicknameKey } from "../chat/nickname.ts";
import { mentions } from "./mentions.ts";
import { nickColor } from "./nick_color.ts";
import type { HistoryLine, SaidLine, ServerLine } from "./server_line.ts";

/** When the terminal bell rings. */
export type BellMode = "off" | "mention" | "all";

/** Options for {@linkcode LineRenderer}. */
export interface LineRendererOptions {
  /** Add colours and other attributes (SGR escape codes). */
  color: boolean;
  /** Put the local time `[HH:MM] ` before each live line. */
  timestamps: boolean;
  /**
   * `mention`: lines that mention us and whispers to us ring; `all`: every line
   * someone else said; `off`: none.
   */
  bell: BellMode;
}

/** A line ready to print. */
export interface RenderedLine {
  /** The text, with escape codes when colours are on. */
  text: string;
  /** Whether it should ring the terminal bell. */
  bell: boolean;
}

const RESET = "\x1b[0m";
const DIM = "\x1b[2m";
const BOLD = "\x1b[1m";
const NORMAL_INTENSITY = "\x1b[22m";
const REVERSE = "\x1b[7m";
const NO_REVERSE = "\x1b[27m";
const DEFAULT_FG = "\x1b[39m";
/** Whispers: the terminal's own magenta, which every colour scheme keeps readable. */
const WHISPER_FG = "\x1b[35m";

function fg(color: number): string {
  return `\x1b[38;5;${color}m`;
}

/** Renders server lines and the client's own notices for the screen. */
export class LineRenderer {
  readonly #options: LineRendererOptions;

  /**
   * @param options Colours, times and the bell.
   */
  constructor(options: LineRendererOptions) {
    this.#options = options;
  }

  /**
   * Renders a line as it arrives.
   *
   * @param line The line, classified.
   * @param ownNick Our nickname, when known: marks our lines and finds mentions.
   * @param now The time to show. @default {new Date()}
   * @returns The text and whether to ring.
   */
  live(line: ServerLine, ownNick: string | undefined, now: Date = new Date()): RenderedLine {
    const time = this.#options.timestamps ? clock(now) : undefined;
    return this.#render(line, ownNick, time, true);
  }

  /**
   * Renders a line of the history block: it keeps the server's time, and never
   * rings (it was said before we came).
   *
   * @param entry The history line.
   * @param ownNick Our nickname, when known.
   * @returns The text (`bell` is always `false`).
   */
  history(entry: HistoryLine, ownNick: string | undefined): RenderedLine {
    return this.#render(entry.line, ownNick, entry.time, false);
  }

  /**
   * Renders one of the client's own notices (connection closed, line split).
   *
   * @param text The notice.
   * @param now The time to show. @default {new Date()}
   * @returns The text.
   */
  notice(text: string, now: Date = new Date()): string {
    const time = this.#options.timestamps ? clock(now) : undefined;
    return this.#time(time) + this.#dim(text);
  }

  #render(
    line: ServerLine,
    ownNick: string | undefined,
    time: string | undefined,
    live: boolean,
  ): RenderedLine {
    const prefix = this.#time(time);
    switch (line.kind) {
      case "message":
      case "action":
      case "whisperReceived":
      case "whisperSent": {
        const own = ownNick !== undefined && line.kind !== "whisperSent" &&
          nicknameKey(line.nick) === nicknameKey(ownNick);
        const byOther = !own && line.kind !== "whisperSent";
        const mentioned = byOther && ownNick !== undefined &&
          (line.kind === "message" || line.kind === "action") && mentions(line.text, ownNick);
        return {
          text: prefix + this.#said(line, own, mentioned),
          bell: live && this.#rings(line, byOther, mentioned),
        };
      }
      default:
        return { text: prefix + this.#dim(line.line), bell: false };
    }
  }

  #rings(line: SaidLine, byOther: boolean, mentioned: boolean): boolean {
    switch (this.#options.bell) {
      case "off":
        return false;
      case "mention":
        return mentioned || line.kind === "whisperReceived";
      case "all":
        return byOther;
    }
  }

  #said(line: SaidLine, own: boolean, mentioned: boolean): string {
    if (!this.#options.color) return line.line;
    const t = userText(line.lang);
    const color = fg(nickColor(line.nick));
    switch (line.kind) {
      case "message": {
        const nick = mentioned
          ? `${REVERSE}${BOLD}${color}${line.nick}${DEFAULT_FG}${NORMAL_INTENSITY}${NO_REVERSE}`
          : own
          ? `${BOLD}${color}${line.nick}${DEFAULT_FG}${NORMAL_INTENSITY}`
          : `${color}${line.nick}${DEFAULT_FG}`;
        const text = mentioned ? `${BOLD}${line.text}${NORMAL_INTENSITY}` : line.text;
        return t.message(nick, text) + RESET;
      }
      case "action": {
        const style = `${mentioned ? REVERSE : ""}${own ? BOLD : ""}${color}`;
        return style + t.action(line.nick, line.text) + RESET;
      }
      case "whisperReceived":
      case "whisperSent": {
        const nick = `${color}${line.nick}${WHISPER_FG}`;
        const style = line.kind === "whisperReceived" ? `${BOLD}${WHISPER_FG}` : WHISPER_FG;
        const render = line.kind === "whisperReceived" ? t.whisperReceived : t.whisperSent;
        return style + render(nick, line.text) + RESET;
      }
    }
  }

  #time(time: string | undefined): string {
    if (time === undefined) return "";
    return this.#options.color ? `${DIM}[${time}]${NORMAL_INTENSITY} ` : `[${time}] `;
  }

  #dim(text: string): string {
    return this.#options.color ? `${DIM}${text}${RESET}` : text;
  }
}

/**
 * Formats a time as the local `HH:MM`.
 *
 * @param date The time.
 * @returns The clock text.
 */
export function clock(date: Date): string {
  return `${String(date.getHours()).padStart(2, "0")}:${
    String(date.getMinutes()).padStart(2, "0")
  }`;
}
