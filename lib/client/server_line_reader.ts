/**
 * Reads the server's lines in their context: after the history header (or a
 * catch-up's), the next lines carry the server's own time, until one does not; a
 * catch-up's line saying that its oldest lines are not kept shortens the block. A
 * whisper held while we were away comes with its time too, on its own.
 *
 * @module
 */

import {
  type HistoryLine,
  parseHistoryLine,
  parseServerLine,
  type ServerLine,
} from "./server_line.ts";

/** A server line, classified: a line of the history block, or a live one. */
export type ReadLine = { history: HistoryLine; live?: undefined } | { live: ServerLine };

/** Classifies the server's lines one after the other. */
export class ServerLineReader {
  /** Lines of the history block still to come. */
  #historyLeft = 0;

  /**
   * Classifies the next line.
   *
   * @param line The line (sanitized, without its ending).
   * @returns A history line (with the server's time) or a live one.
   */
  read(line: string): ReadLine {
    if (this.#historyLeft > 0) {
      const entry = parseHistoryLine(line);
      if (entry !== undefined) {
        this.#historyLeft--;
        return { history: entry };
      }
      const live = parseServerLine(line);
      if (live.kind === "historySkipped") {
        // The oldest lines of the catch-up are gone: the newest follow.
        this.#historyLeft = Math.max(0, this.#historyLeft - live.count);
        return { live };
      }
      // Not a history line after all: the block is over.
      this.#historyLeft = 0;
    }
    const live = parseServerLine(line);
    if (live.kind === "historyHeader") this.#historyLeft = live.count;
    if (live.kind === "notice") {
      // A whisper held for us while we were away: `[09:05] [귓속말] bob> …`.
      const held = parseHistoryLine(line);
      if (held?.line.kind === "whisperReceived") return { history: held };
    }
    return { live };
  }
}
