/**
 * The typed lines of one client run, read once from its {@linkcode LineInput} and
 * handed to whoever reads them now: a connection's session, or the client between
 * two connections. A session that ends stops waiting without taking a line, so
 * that no line typed meanwhile is lost to it.
 *
 * @module
 */

import type { LineInput } from "./line_input.ts";

/** What {@linkcode Keyboard.next} gives when its reader stopped waiting. */
export const STOPPED: unique symbol = Symbol("stopped");

/** One reader of the input for the whole run, and one waiting reader of its lines. */
export class Keyboard {
  readonly #input: LineInput;
  readonly #lines: string[] = [];
  #ended = false;
  #waiter: ((line: string | null | typeof STOPPED) => void) | undefined;
  readonly #reading: Promise<void>;

  /**
   * Starts reading the input.
   *
   * @param input The input; closing it ends the reading.
   */
  constructor(input: LineInput) {
    this.#input = input;
    this.#reading = this.#read();
  }

  /** Whether the input ended because the user pressed Ctrl-C. */
  get interrupted(): boolean {
    return this.#input.interrupted;
  }

  /** Settles once the input ended (or was closed) and its last read returned. */
  get finished(): Promise<void> {
    return this.#reading;
  }

  /**
   * The next typed line.
   *
   * @returns The line, `null` at the end of input, or {@linkcode STOPPED} when
   *   {@linkcode Keyboard.stopWaiting} was called meanwhile.
   */
  next(): Promise<string | null | typeof STOPPED> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(null);
    // One reader at a time: a new one replaces one that stopped caring.
    this.#waiter?.(STOPPED);
    const { promise, resolve } = Promise.withResolvers<string | null | typeof STOPPED>();
    this.#waiter = resolve;
    return promise;
  }

  /** A pending {@linkcode Keyboard.next} returns {@linkcode STOPPED}; lines stay queued. */
  stopWaiting(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(STOPPED);
  }

  /**
   * Puts a line back in front, for the next reader (a session took it as its
   * connection ended).
   *
   * @param line The line.
   */
  putBack(line: string): void {
    this.#lines.unshift(line);
  }

  async #read(): Promise<void> {
    for (;;) {
      const line = await this.#input.readLine();
      const waiter = this.#waiter;
      this.#waiter = undefined;
      if (line === null) {
        this.#ended = true;
        waiter?.(null);
        return;
      }
      if (waiter !== undefined) waiter(line);
      else this.#lines.push(line);
    }
  }
}
