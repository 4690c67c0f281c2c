/**
 * Reads the server's lines in their context: after the history header, the next
 * lines carry the server's own time, until one does not.
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
      this.#historyLeft--;
      const entry = parseHistoryLine(line);
      if (entry !== undefined) return { history: entry };
      // Not a history line after all: the block is over.
      this.#historyLeft = 0;
    }
    const live = parseServerLine(line);
    if (live.kind === "historyHeader") this.#historyLeft = live.count;
    return { live };
  }
}
