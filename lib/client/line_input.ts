/**
 * Line input from stdin, shared by the menu and the client.
 *
 * One reader per process: `prompt()` returns `null` when stdin is a pipe, and a
 * second reader over `Deno.stdin` would fight the first for its bytes, so the menu
 * reads its choice from the same {@linkcode LineInput} the client then uses.
 *
 * Two implementations, chosen by {@linkcode openStdinInput}:
 * - on a terminal (stdin and stdout both), `node:readline` edits the line (Korean
 *   double-width characters, backspace, arrows, history, Tab completion) after a
 *   prompt that the client sets (`[lobby] `); a line printed from elsewhere appears
 *   above the line being typed, which is redrawn intact; an entered line can be
 *   erased, for the server's echo to take its place (a line taller than the screen
 *   is typed on the alternate screen, so that none of it stays in the scrollback);
 *   a paste costs time in proportion to its length (`keystroke_input.ts`,
 *   `linear_append.ts`);
 * - otherwise plain lines: no escape codes at all, prompts as plain text.
 *
 * @module
 */

import process from "node:process";
import * as readline from "node:readline";
import { Writable } from "node:stream";
import { TextLineStream } from "@std/streams/text-line-stream";
import { Mutex } from "../util/mutex.ts";
import { writeAll, type Writer } from "../util/write_all.ts";
import { KeystrokeInput } from "./keystroke_input.ts";
import { installLinearAppend } from "./linear_append.ts";

/** A source of typed lines that can also print lines without garbling the typing. */
export interface LineInput extends Disposable {
  /** Whether lines are edited on a terminal (escape codes, no echo for secrets). */
  readonly isTerminal: boolean;
  /** Whether input ended because the user pressed Ctrl-C (terminal only). */
  readonly interrupted: boolean;
  /**
   * Whether printed lines go to a terminal (a person reads them: times, colours on
   * `auto`, the bell), rather than to a pipe or a file (a program reads them).
   */
  readonly outputIsTerminal: boolean;
  /**
   * Whether a line typed on a terminal is erased from the screen once entered,
   * because what it causes is shown instead (a chat server shows our message back).
   * The line stays in the history (up arrow). Ignored on a pipe, where nothing is
   * echoed. @default {false}
   */
  eraseEntered: boolean;
  /**
   * Reads the next line, without its line ending.
   *
   * @param prompt Shown before the line is typed (on a pipe as plain text, followed
   *   by a newline once the line is read). @default {""}
   * @returns The line, or `null` at end of input or once {@linkcode close} was called.
   */
  readLine(prompt?: string): Promise<string | null>;
  /**
   * Reads the next line without echoing it on a terminal (a password). A pending
   * {@linkcode readLine} call waits: the next line typed goes to this call first.
   * On a pipe this is {@linkcode readLine} (and `signal` is not used).
   *
   * @param prompt Shown before the line is typed.
   * @param signal Gives up the read: it returns `null`, the terminal echoes again
   *   and shows the prompt set by {@linkcode setPrompt}.
   * @returns The line, or `null` at end of input, once closed, or once given up.
   */
  readSecret(prompt: string, signal?: AbortSignal): Promise<string | null>;
  /**
   * Sets the prompt shown before the line being typed, from now on (`[lobby] `, or
   * a server's question); a read's own prompt goes first while that read waits.
   * Ignored on a pipe.
   *
   * @param prompt The prompt (`""` for none).
   */
  setPrompt(prompt: string): void;
  /**
   * Sets which typed lines carry a secret after some point: on a terminal, that
   * part shows as `*`s while it is typed and redrawn, and the line is not kept in
   * the history (up arrow). Ignored on a pipe, where nothing is echoed.
   *
   * @param mask Gives where the secret starts in a line (`-1`: none), or
   *   `undefined` for no masking.
   */
  setMask(mask: InputMask | undefined): void;
  /**
   * Sets what Tab completes on a terminal. Ignored on a pipe.
   *
   * @param completer Gives the completions of the line up to the cursor, or
   *   `undefined` for no completion.
   */
  setCompleter(completer: Completer | undefined): void;
  /**
   * Prints one line of text; on a terminal it appears above the line being typed,
   * which is redrawn under it with its cursor. The text must hold no control
   * characters (see `sanitizeText`) but the client's own colours (SGR) and bell.
   *
   * @param line The text, without a line ending.
   */
  printAbove(line: string): Promise<void>;
  /**
   * Stops reading at once: pending and later reads return `null`, the terminal goes
   * back to cooked mode, and stdin no longer keeps the process alive. Idempotent.
   * Printing still works afterwards.
   */
  close(): void;
}

/** Where the secret part of a typed line starts (`-1`: it has none). */
export type InputMask = (line: string) => number;

/** What a secret shows as, one per column it takes. */
export const MASK_CHAR = "*";

/**
 * Text as {@linkcode MASK_CHAR}s, one per column it takes: the line keeps its
 * width, so a cursor placed by the typed text is where it should be.
 *
 * @param text The text.
 * @param widthOf The columns one character takes.
 * @returns The mask.
 */
export function maskText(text: string, widthOf: (char: string) => number): string {
  let mask = "";
  for (const char of text) mask += MASK_CHAR.repeat(widthOf(char));
  return mask;
}

/**
 * Tab completion, as readline's `completer` takes it: the completions of the line up
 * to the cursor, and the part of it they replace.
 */
export type Completer = (line: string) => [string[], string];

/**
 * Opens the line input over the process's stdin and stdout: the terminal editor when
 * both are terminals, plain lines otherwise. Call it once per process.
 *
 * @returns The input; close it (or `using` it) when done.
 */
export function openStdinInput(): LineInput {
  if (Deno.stdin.isTerminal() && Deno.stdout.isTerminal()) return new TerminalInput();
  return openPlainInput();
}

/** Options for {@linkcode openPlainInput}. */
export interface PlainInputOptions {
  /**
   * Where the lines come from: UTF-8 bytes, lines ended by `\n` or `\r\n`.
   * @default {Deno.stdin.readable}
   */
  readable?: ReadableStream<Uint8Array>;
  /**
   * Where prompts and printed lines go; its writes may be partial.
   * @default {Deno.stdout}
   */
  writer?: Writer;
}

/**
 * Opens a plain-line input: no escape codes, prompts as plain text, secrets read
 * like any line. Used for pipes, and by tests over in-memory streams.
 *
 * @param options The byte source and the output.
 * @returns The input; close it when done.
 */
export function openPlainInput(options: PlainInputOptions = {}): LineInput {
  return new PlainInput(
    options.readable ?? Deno.stdin.readable,
    options.writer ?? Deno.stdout,
    options.writer === undefined && Deno.stdout.isTerminal(),
  );
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class PlainInput implements LineInput {
  readonly isTerminal = false;
  readonly interrupted = false;
  readonly outputIsTerminal: boolean;
  eraseEntered = false;
  readonly #reader: ReadableStreamDefaultReader<string>;
  readonly #writer: Writer;
  // Writes are partial and asynchronous: the lock keeps each line whole when the
  // socket reader, the client's own notices and a prompt print at the same time.
  readonly #outputLock = new Mutex();
  #closed = false;

  constructor(readable: ReadableStream<Uint8Array>, writer: Writer, outputIsTerminal: boolean) {
    this.outputIsTerminal = outputIsTerminal;
    this.#reader = readable
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new TextLineStream())
      .getReader();
    this.#writer = writer;
  }

  async readLine(prompt = ""): Promise<string | null> {
    if (this.#closed) return null;
    if (prompt !== "") await this.#write(prompt);
    let line: string | null = null;
    try {
      const { value, done } = await this.#reader.read();
      if (!done) line = value;
    } catch {
      // A failing stdin (closed under us) is the end of input.
    }
    // Nothing echoes a piped line, so end the prompt's line ourselves.
    if (prompt !== "") await this.#write("\n");
    return this.#closed ? null : line;
  }

  readSecret(prompt: string, _signal?: AbortSignal): Promise<string | null> {
    return this.readLine(prompt);
  }

  setPrompt(_prompt: string): void {
    // Lines on a pipe have no prompt to show: a program reads them.
  }

  setMask(_mask: InputMask | undefined): void {
    // Nothing typed on a pipe is echoed by us.
  }

  setCompleter(_completer: Completer | undefined): void {
    // Nobody presses Tab on a pipe.
  }

  printAbove(line: string): Promise<void> {
    return this.#write(line + "\n");
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Cancelling ends the pending read at once; waiting for stdin's EOF would hang.
    this.#reader.cancel().catch(() => {});
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async #write(text: string): Promise<void> {
    using _held = await this.#outputLock.acquire();
    try {
      await writeAll(this.#writer, encoder.encode(text));
    } catch {
      // Nobody reads our stdout any more (a closed pipe): nothing left to show.
    }
  }
}

/**
 * readline's output, on its way to stdout. What readline writes during one
 * synchronous run (the echo of every key of one read from the terminal: a whole
 * paste) goes out in one write at the end of the run: one write per key would
 * make a paste cost a system call per character. Our own writes go through
 * {@linkcode TerminalOutput.write}, after what readline has pending, so the
 * terminal gets everything in call order. Output is dropped while a secret is typed.
 */
class TerminalOutput extends Writable {
  muted = false;
  /**
   * Looks at what readline wrote before it goes out, and gives what goes out
   * instead (see {@linkcode TerminalInput}'s tall input).
   */
  review: ((text: string) => string) | undefined;
  #captured: string[] | undefined;
  #pending: string[] = [];
  #flushQueued = false;

  constructor() {
    super({
      decodeStrings: false,
      write: (chunk: Uint8Array | string, _encoding, callback) => {
        const text = typeof chunk === "string" ? chunk : decoder.decode(chunk);
        if (this.muted) {
          // Dropped: the secret being typed.
        } else if (this.#captured !== undefined) {
          this.#captured.push(text);
        } else {
          this.#pending.push(text);
          if (!this.#flushQueued) {
            this.#flushQueued = true;
            queueMicrotask(() => this.flush());
          }
        }
        callback();
      },
    });
  }

  /**
   * Writes our own text to stdout, after what readline has pending.
   *
   * @param text The text.
   * @returns `false` when stdout's buffer is full (wait for `drain`).
   */
  writeOwn(text: string): boolean {
    return process.stdout.write(this.#takePending() + text);
  }

  /**
   * Sends what readline has pending to stdout now.
   *
   * @returns `false` when stdout's buffer is full (wait for `drain`).
   */
  flush(): boolean {
    const text = this.#takePending();
    return text === "" ? true : process.stdout.write(text);
  }

  /** Drops what readline has pending: the caller draws the input itself. */
  discardPending(): void {
    this.#flushQueued = false;
    this.#pending = [];
  }

  #takePending(): string {
    this.#flushQueued = false;
    if (this.#pending.length === 0) return "";
    const text = this.#pending.join("");
    this.#pending = [];
    return this.review?.(text) ?? text;
  }

  /**
   * Runs `fn` (a readline call) and returns what it wrote instead of writing it, so
   * that a caller can send it to the terminal in one write with its own text.
   */
  capture(fn: () => void): string {
    this.#captured = [];
    try {
      fn();
      return this.#captured.join("");
    } finally {
      this.#captured = undefined;
    }
  }

  /** Terminal width, which readline reads to place the cursor on wrapped lines. */
  get columns(): number {
    return process.stdout.columns;
  }

  /** Terminal height. */
  get rows(): number {
    return process.stdout.rows;
  }
}

/** Switches to the alternate screen, which keeps no scrollback, saving the cursor. */
const ALTERNATE_SCREEN = "\x1b[?1049h";
/** Back to the main screen, the cursor where it was when the alternate one began. */
const MAIN_SCREEN = "\x1b[?1049l";

interface Waiter {
  resolve(line: string | null): void;
}

class TerminalInput implements LineInput {
  readonly isTerminal = true;
  readonly outputIsTerminal = true;
  eraseEntered = false;
  readonly #output = new TerminalOutput();
  readonly #keys = new KeystrokeInput();
  readonly #rl: readline.Interface;
  // The lock orders whole print sequences among our own callers (socket reader,
  // client notices): each holds it until stdout has drained, so a burst of server
  // lines waits for the terminal instead of queueing without bound. Atomicity with
  // respect to readline's echo of a keypress comes from issuing each clear + print +
  // redraw sequence in one synchronous run: the keypress callback cannot run inside it.
  readonly #outputLock = new Mutex();
  /** Lines typed while nobody was reading. */
  readonly #lines: string[] = [];
  readonly #waiters: Waiter[] = [];
  /** Secret reads go first: the next line typed after a password prompt is the password. */
  readonly #secretWaiters: Waiter[] = [];
  #secretPrompt = "";
  /** The prompt shown from now on (see setPrompt). */
  #basePrompt = "";
  /** A read's own prompt (the menu's question), shown until its line is entered. */
  #readPrompt: string | undefined;
  #completer: Completer | undefined;
  #mask: InputMask | undefined;
  #closed = false;
  /** Set by close(), to tell our close from readline's own (Ctrl-D). */
  #closing = false;
  #interrupted = false;
  /**
   * Prompt and input fill the screen: they are drawn on the alternate screen (see
   * {@linkcode TerminalInput.#review}).
   */
  #tall = false;
  /** The cursor's row below the prompt's first one, as last drawn on the main screen. */
  #shownRows = 0;
  /**
   * Prompt and input as last drawn on the main screen (`drawn`: the input as shown,
   * its secret masked), and whether the cursor ended them.
   */
  #shown = { prompt: "", line: "", drawn: "", cursorAtEnd: true };

  constructor() {
    this.#rl = readline.createInterface({
      input: this.#keys as unknown as typeof process.stdin,
      output: this.#output,
      terminal: true,
      prompt: "",
      completer: (line: string) => this.#complete(line),
    });
    // Before the linear append, which writes through what it finds here: every
    // echo of the line goes through the mask.
    this.#installMask();
    // A paste: handed to readline whole when it can be, and each insertion at the
    // end of the line O(1) when it cannot (one keypress per character).
    this.#keys.attach(this.#rl);
    installLinearAppend(this.#rl);
    this.#output.review = (text) => this.#review(text);
    this.#rl.on("line", (line: string) => this.#onLine(line));
    this.#rl.on("close", () => this.#onClose());
    // Raw mode turns Ctrl-C into a key; treat it as "leave now".
    this.#rl.on("SIGINT", () => {
      this.#interrupted = true;
      this.close();
    });
  }

  get interrupted(): boolean {
    return this.#interrupted;
  }

  readLine(prompt = ""): Promise<string | null> {
    if (this.#closed) return Promise.resolve(null);
    const queued = this.#lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    const { promise, resolve } = Promise.withResolvers<string | null>();
    this.#waiters.push({ resolve });
    if (prompt !== "") this.#readPrompt = prompt;
    this.#showPrompt();
    return promise;
  }

  readSecret(prompt: string, signal?: AbortSignal): Promise<string | null> {
    if (this.#closed || signal?.aborted) return Promise.resolve(null);
    const { promise, resolve } = Promise.withResolvers<string | null>();
    const waiter: Waiter = { resolve };
    this.#secretWaiters.push(waiter);
    signal?.addEventListener("abort", () => this.#giveUpSecret(waiter), { once: true });
    if (!this.#output.muted) {
      // Whatever was half typed is not the password: drop it, then stop echoing.
      this.#rl.write("", { ctrl: true, name: "e" });
      this.#rl.write("", { ctrl: true, name: "u" });
      this.#secretPrompt = prompt;
      // (Typed input just cleared: off the alternate screen, if it was on it.)
      this.#output.flush();
      this.#writeOwn(`${this.#eraseInput()}${prompt}`);
      this.#output.muted = true;
    }
    return promise;
  }

  setPrompt(prompt: string): void {
    this.#basePrompt = prompt;
    if (this.#readPrompt === undefined) this.#showPrompt();
  }

  setMask(mask: InputMask | undefined): void {
    this.#mask = mask;
  }

  setCompleter(completer: Completer | undefined): void {
    this.#completer = completer;
  }

  async printAbove(line: string): Promise<void> {
    using _held = await this.#outputLock.acquire();
    // What readline drew last decides which screen the input is on.
    this.#output.flush();
    let sequence: string;
    if (this.#closed) {
      sequence = `${line}\n`;
    } else if (this.#tall) {
      // The line goes to the main screen, above where the input starts; the input
      // is drawn again on a fresh alternate screen.
      sequence = `${MAIN_SCREEN}\r\x1b[J${line}\n${ALTERNATE_SCREEN}${this.#redrawInput()}`;
    } else if (this.#output.muted) {
      // Nothing typed is shown while muted: the cursor sits right after the prompt.
      sequence = `\r\x1b[2K${line}\n${this.#secretPrompt}`;
    } else {
      // Clear prompt + input (they may wrap over several rows) and print the line.
      // readline's redraw then starts by moving up `prevRows` rows: the cursor's row
      // when it last redrew, stale when the input wrapped since (it writes appended
      // text without redrawing). Blank rows give it room to move up, so it lands just
      // under our line and redraws prompt, input and cursor there.
      sequence = `${this.#eraseInput()}${line}\n${"\n".repeat(this.#redrawRowsUp())}`;
    }
    if (!this.#output.muted && !this.#closed && !this.#tall) {
      // One write for the whole sequence: the terminal never shows the line printed
      // but the input not yet redrawn.
      sequence += this.#output.capture(() => this.#rl.prompt(true));
    }
    const flushed = this.#writeOwn(sequence);
    if (!flushed) await new Promise<void>((resolve) => process.stdout.once("drain", resolve));
  }

  close(): void {
    if (this.#closed) return;
    this.#closing = true;
    // Erase the prompt and the unsent half-typed input: the screen ends with what
    // was sent and shown.
    this.#output.flush();
    if (this.#tall) {
      this.#tall = false;
      this.#writeOwn(`${MAIN_SCREEN}\r\x1b[J`);
    } else {
      this.#writeOwn(this.#output.muted ? "\r\x1b[2K" : this.#eraseInput());
    }
    this.#output.muted = false;
    this.#rl.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Sets readline's prompt to the one in force and redraws prompt and input. */
  #showPrompt(): void {
    if (this.#closed) return;
    this.#rl.setPrompt(this.#readPrompt ?? this.#basePrompt);
    if (!this.#output.muted) this.#rl.prompt(true);
  }

  #complete(line: string): [string[], string] {
    return this.#completer?.(line) ?? [[], line];
  }

  #onLine(line: string): void {
    const secret = this.#secretWaiters.shift();
    if (secret !== undefined) {
      this.#forgetFromHistory(line);
      if (this.#secretWaiters.length === 0) {
        // readline's own newline was muted.
        this.#output.muted = false;
        this.#writeOwn("\n");
      }
      secret.resolve(line);
      return;
    }
    if ((this.#mask?.(line) ?? -1) !== -1) this.#forgetFromHistory(line);
    const typedAfter = this.#rl.getPrompt();
    // A read's own prompt belonged to that read: from now on, the base prompt.
    this.#readPrompt = undefined;
    this.#rl.setPrompt(this.#basePrompt);
    if (this.eraseEntered || this.#tall) {
      // Drawn from what the screen shows, not from what readline has pending (the
      // end of a paste that ends in Enter would be drawn only to be erased): go up
      // to the prompt's first row, clear, and draw the prompt there. Off the
      // alternate screen, the line is gone with it.
      this.#output.discardPending();
      const erase = this.#tall
        ? `${MAIN_SCREEN}\r\x1b[J`
        : `${this.#shownRows > 0 ? `\x1b[${this.#shownRows}A` : ""}\r\x1b[J`;
      this.#tall = false;
      const kept = this.eraseEntered ? "" : `${typedAfter}${this.#masked(line)}\n`;
      this.#writeOwn(`${erase}${kept}${this.#redrawInput()}`);
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter.resolve(line);
    else this.#lines.push(line);
  }

  /**
   * Keeps prompt and input off the main screen while they fill it. A line taller
   * than the screen scrolls its first rows into the terminal's scrollback as it is
   * typed, where nothing can erase them: the entered line would stay there above
   * the server's echo of it (shown twice, a long line's pieces after its whole).
   * So once prompt and input would fill the screen, they move to the alternate
   * screen, which keeps no scrollback (what scrolls off it is gone), and back when
   * they fit again or the line is entered. Lines printed meanwhile go to the main
   * screen. A terminal without an alternate screen draws the input where it was.
   *
   * @param text What readline wrote since the last flush.
   * @returns What goes to the terminal instead.
   */
  #review(text: string): string {
    const tall = this.#inputFillsScreen();
    if (tall === this.#tall) {
      if (!tall) this.#noteShown();
      return text;
    }
    this.#tall = tall;
    if (tall) {
      // Erase the input from the main screen as it was last drawn there; the
      // alternate screen starts on the same row.
      const up = this.#shownRows > 0 ? `\x1b[${this.#shownRows}A` : "";
      return `${up}\r\x1b[J${ALTERNATE_SCREEN}${this.#drawAgain(text)}`;
    }
    const back = `${MAIN_SCREEN}\r\x1b[J${this.#redrawInput()}`;
    this.#noteShown();
    return back;
  }

  /**
   * Draws prompt and input on a fresh screen: by replaying what the main screen
   * showed and then readline's new output, when that output only appends text at
   * the cursor, which ended the input (typing or a paste: readline's own redraw
   * would measure the whole line, 90 ms for 10,000 characters); otherwise by
   * readline's redraw.
   */
  #drawAgain(text: string): string {
    const shown = this.#shown;
    const appended = shown.cursorAtEnd && !text.includes("\x1b") &&
      this.#rl.getPrompt() === shown.prompt && this.#rl.line.startsWith(shown.line);
    return appended ? `${shown.prompt}${shown.drawn}${text}` : this.#redrawInput();
  }

  /** Notes what the main screen shows now: readline's prompt and input, as they are. */
  #noteShown(): void {
    this.#shownRows = this.#redrawRowsUp();
    const line = this.#rl.line;
    this.#shown = {
      prompt: this.#rl.getPrompt(),
      line,
      drawn: this.#masked(line),
      cursorAtEnd: this.#rl.cursor === line.length,
    };
  }

  /** Whether prompt and input take every row of the screen (or more). */
  #inputFillsScreen(): boolean {
    const screenRows = this.#output.rows;
    const columns = this.#output.columns;
    if (!(screenRows > 1 && columns > 0)) return false;
    const text = this.#rl.getPrompt() + this.#rl.line;
    // A character takes at most 8 columns (a tab): shorter text cannot fill it.
    if (text.length * 8 < (screenRows - 1) * columns) return false;
    // The cursor is at the end nearly always, and readline knows its row.
    const endRows = this.#rl.cursor === this.#rl.line.length
      ? this.#redrawRowsUp()
      : this.#rowsBelowStart(text);
    return endRows >= screenRows - 1;
  }

  /** readline's redraw of prompt and input from the cursor's row, captured. */
  #redrawInput(): string {
    (this.#rl as unknown as { prevRows?: number }).prevRows = 0;
    return this.#output.capture(() => this.#rl.prompt(true));
  }

  /** Writes our own text, after what readline has pending. */
  #writeOwn(text: string): boolean {
    const flushed = this.#output.writeOwn(text);
    if (!this.#tall) this.#noteShown();
    return flushed;
  }

  /** How many rows below its first one the end of `text` lies, as readline wraps it. */
  #rowsBelowStart(text: string): number {
    // `_getDisplayPos` is readline's own measure (Node's and Deno's alike), not in
    // its typings; without it, count one row.
    const measure = (this.#rl as unknown as {
      _getDisplayPos?: (text: string) => { rows: number };
    })._getDisplayPos;
    return typeof measure === "function" ? measure.call(this.#rl, text).rows : 0;
  }

  /** How many rows readline's next redraw moves up before drawing. */
  #redrawRowsUp(): number {
    // `prevRows` is readline's own bookkeeping (in Node's and Deno's readline alike),
    // not in its typings; without it, assume it matches the cursor.
    const prevRows = (this.#rl as unknown as { prevRows?: unknown }).prevRows;
    return typeof prevRows === "number" ? prevRows : this.#rl.getCursorPos().rows;
  }

  /** The sequence that moves to the first row of prompt + input and clears down. */
  #eraseInput(): string {
    const { rows } = this.#rl.getCursorPos();
    return `${rows > 0 ? `\x1b[${rows}A` : ""}\r\x1b[J`;
  }

  #onClose(): void {
    this.#closed = true;
    this.#keys.detach();
    if (this.#tall) {
      this.#output.discardPending();
      this.#tall = false;
      this.#writeOwn(`${MAIN_SCREEN}\r\x1b[J`);
    } else if (!this.#closing) {
      // Closed by readline itself (Ctrl-D on an empty line). The client erases its
      // prompt, as close() does; otherwise end the prompt's row, so the next output
      // starts on a fresh one.
      if (this.eraseEntered && !this.#output.muted) {
        this.#writeOwn(this.#eraseInput());
      } else if (this.#output.muted || this.#rl.getPrompt() !== "") {
        this.#writeOwn("\n");
      }
    }
    this.#output.muted = false;
    for (const waiter of this.#secretWaiters.splice(0)) waiter.resolve(null);
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(null);
  }

  /**
   * Makes readline echo the input through the mask: a secret is drawn as `*`s of
   * the same width, so that readline's own idea of where the cursor is holds.
   */
  #installMask(): void {
    const rl = this.#rl as unknown as { _writeToOutput?: (text: string) => void };
    const write = rl._writeToOutput;
    if (typeof write !== "function") return;
    // deno-lint-ignore no-this-alias
    const input = this;
    rl._writeToOutput = function (this: unknown, text: string): void {
      write.call(this, input.#maskEcho(text));
    };
  }

  /**
   * What readline writes of the input, masked: a redraw (prompt and line), or text
   * appended at the end of the line (maybe followed by readline's ` \r` at a row's end).
   */
  #maskEcho(text: string): string {
    const line = this.#rl.line;
    const start = this.#mask?.(line) ?? -1;
    if (start === -1 || start >= line.length) return text;
    const prompt = this.#rl.getPrompt();
    if (text === prompt + line) return prompt + this.#masked(line);
    const tail = text.endsWith(" \r") && line.endsWith(text.slice(0, -2))
      ? text.slice(0, -2)
      : line.endsWith(text)
      ? text
      : undefined;
    if (tail === undefined) return text;
    const keep = Math.max(0, start - (line.length - tail.length));
    return tail.slice(0, keep) + maskText(tail.slice(keep), (char) => this.#widthOf(char)) +
      text.slice(tail.length);
  }

  /** A line as the screen may show it: its secret part as `*`s. */
  #masked(line: string): string {
    const mask = this.#mask;
    if (mask === undefined) return line;
    const start = mask(line);
    if (start === -1) return line;
    return line.slice(0, start) + maskText(line.slice(start), (char) => this.#widthOf(char));
  }

  /** The columns readline gives one character (it places the cursor by this measure). */
  #widthOf(char: string): number {
    const measure = (this.#rl as unknown as {
      _getDisplayPos?: (text: string) => { cols: number };
    })._getDisplayPos;
    return typeof measure === "function" ? measure.call(this.#rl, char).cols : 1;
  }

  /** A secret read given up: the next line is typed with echo again. */
  #giveUpSecret(waiter: Waiter): void {
    const at = this.#secretWaiters.indexOf(waiter);
    if (at === -1) return;
    this.#secretWaiters.splice(at, 1);
    if (this.#secretWaiters.length === 0 && this.#output.muted && !this.#closed) {
      this.#output.muted = false;
      this.#writeOwn("\r\x1b[2K");
      this.#showPrompt();
    }
    waiter.resolve(null);
  }

  /** A password must not come back with the up arrow. */
  #forgetFromHistory(line: string): void {
    // `history` is readline's own list (newest first); not in its typings.
    const history = (this.#rl as unknown as { history?: string[] }).history;
    if (Array.isArray(history) && history[0] === line) history.shift();
  }
}
