/**
 * The terminal's input as readline reads it, with a paste handed over whole.
 *
 * readline decodes its input into one keypress event per character, and handles
 * each on its own: about 3 µs a character in Deno, a third of a 10,000-character
 * paste's time even once each insertion is O(1) (see `linear_append.ts`). A read
 * from the terminal that holds several characters and no control character at all
 * can only be typed text (a paste, or fast typing): it goes to readline in one
 * `write()`, which inserts it at once, exactly as the keypresses would have. Every
 * other read (keys, escape sequences, Enter, Tab, Ctrl-C) takes readline's own path.
 *
 * @module
 */

import { EventEmitter } from "node:events";
import process from "node:process";

/** What a read is handed to, when it is plain text: readline's `write()`. */
export interface TextSink {
  write(text: string): void;
}

/** What this input uses of `process.stdin`. */
export type TerminalStdin = Pick<
  typeof process.stdin,
  "on" | "off" | "isRaw" | "setRawMode" | "pause" | "resume"
>;

/**
 * Text with no control character (C0, DEL, C1): nothing readline would take for a
 * key of its own.
 */
// deno-lint-ignore no-control-regex
const PLAIN_TEXT = /^[^\x00-\x1f\x7f-\x9f]+$/u;

/**
 * The end of an escape sequence the key decoder is still waiting to complete: a
 * lone ESC (or two), a CSI without its final byte, an SS3 without its key.
 */
// deno-lint-ignore no-control-regex
const UNFINISHED_ESCAPE = /\x1b\x1b?(?:\[\[?[0-?]*[ -/]*|O)?$/;

/**
 * A stand-in for `process.stdin` as readline's input (terminal mode): it passes
 * stdin's reads on as `data` events, except plain text, which goes straight to
 * the sink. Raw mode, pause and resume act on stdin itself.
 */
export class KeystrokeInput extends EventEmitter {
  /** readline reads it as a terminal. */
  readonly isTTY = true;
  readonly #stdin: TerminalStdin;
  readonly #decoder = new TextDecoder();
  #sink: TextSink | undefined;
  /** What the key decoder holds of an escape sequence ("" when nothing). */
  #escapeTail = "";
  readonly #onData = (chunk: Uint8Array | string) => this.#take(chunk);
  readonly #onEnd = () => this.emit("end");
  readonly #onError = (error: unknown) => this.emit("error", error);

  /**
   * Starts listening to stdin.
   *
   * @param stdin The terminal's input. @default {process.stdin}
   */
  constructor(stdin: TerminalStdin = process.stdin) {
    super();
    this.#stdin = stdin;
    stdin.on("data", this.#onData);
    stdin.on("end", this.#onEnd);
    stdin.on("error", this.#onError);
  }

  /**
   * Sets where plain text goes (readline, once it exists).
   *
   * @param sink readline's interface.
   */
  attach(sink: TextSink): void {
    this.#sink = sink;
  }

  /** Whether stdin is in raw mode. */
  get isRaw(): boolean {
    return this.#stdin.isRaw;
  }

  /**
   * Puts stdin in or out of raw mode.
   *
   * @param mode Raw or not.
   * @returns This input.
   */
  setRawMode(mode: boolean): this {
    this.#stdin.setRawMode(mode);
    return this;
  }

  /**
   * Stops reading stdin.
   *
   * @returns This input.
   */
  pause(): this {
    this.#stdin.pause();
    return this;
  }

  /**
   * Reads stdin again.
   *
   * @returns This input.
   */
  resume(): this {
    this.#stdin.resume();
    return this;
  }

  /** Stops listening to stdin for good. */
  detach(): void {
    this.#stdin.off("data", this.#onData);
    this.#stdin.off("end", this.#onEnd);
    this.#stdin.off("error", this.#onError);
    this.#sink = undefined;
  }

  #take(chunk: Uint8Array | string): void {
    // Decoded here, streaming: a character cut by the read waits for its rest.
    const text = typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (text === "") return;
    if (
      this.#sink !== undefined && this.#escapeTail === "" && text.length > 1 &&
      PLAIN_TEXT.test(text)
    ) {
      this.#sink.write(text);
      return;
    }
    const seen = this.#escapeTail + text;
    this.#escapeTail = UNFINISHED_ESCAPE.exec(seen)?.[0] ?? "";
    this.emit("data", text);
  }
}
