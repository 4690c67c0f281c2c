/**
 * Line framing at the byte level, with a cap on the bytes one line may take.
 *
 * Bytes are split on `\n` before they are decoded, so a UTF-8 character split
 * across two reads is decoded whole (the `\n` byte never occurs inside a
 * multi-byte character). Invalid UTF-8 becomes U+FFFD. A line over the cap is
 * refused, not buffered: its bytes are dropped up to the next `\n`, and only a
 * stream that goes on without one for {@linkcode MAX_REFUSED_LINE_BYTES} is cut off.
 *
 * @module
 */

import { LineTooLongError } from "../util/errors.ts";
import type { Decoder } from "./decoder.ts";

/** Longest line a peer may send, in bytes, unless told otherwise: bounds the memory of a line without `\n`. */
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024;

/**
 * How many bytes of one refused line are read and dropped before the stream is
 * cut off: a pasted paragraph passes, an endless stream without `\n` does not.
 */
export const MAX_REFUSED_LINE_BYTES = 1024 * 1024;

/** Stands for a line that was over the cap, where it came among the others. */
export const REFUSED_LINE: unique symbol = Symbol("refused line");

/** What {@linkcode LineSplitter.push} returns: lines, and refused lines in their place. */
export type SplitLine = string | typeof REFUSED_LINE;

const LF = 0x0a;
const CR = 0x0d;
/** Decoding without `stream` keeps no state, so every splitter can share one decoder. */
const DECODER = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Options for {@linkcode LineSplitter}. */
export interface LineSplitterOptions {
  /**
   * The most bytes one line may take, without its `\n`. Checked on the bytes
   * buffered, before decoding, so a peer that never sends `\n` cannot grow memory.
   * @default {8192}
   */
  maxLineBytes?: number;
}

/** Splits a stream of byte chunks into text lines. */
export class LineSplitter implements Decoder {
  #maxLineBytes: number;
  /** The bytes of an unfinished line, copied out of the caller's buffer. */
  #partial: Uint8Array | undefined;
  /** Dropping the rest of a refused line, up to its `\n`. */
  #refusing = false;
  #refusedBytes = 0;
  #framed = false;

  /**
   * @param options The line cap.
   */
  constructor(options: LineSplitterOptions = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** The cap, in bytes. */
  get maxLineBytes(): number {
    return this.#maxLineBytes;
  }

  /** The number of bytes of an unfinished line held between calls. */
  get bufferedBytes(): number {
    return this.#partial?.length ?? 0;
  }

  /** Whether a `\n` has ever arrived: the peer frames its lines. */
  get framed(): boolean {
    return this.#framed;
  }

  /**
   * Takes the next chunk of bytes and returns the lines it completes, without
   * their `\n` or `\r\n`, in order; a line over the cap is returned as
   * {@linkcode REFUSED_LINE} once, and the rest of it is dropped. The chunk may be
   * reused by the caller afterwards.
   *
   * @param chunk The bytes just read.
   * @returns The completed lines, in order (possibly none).
   * @throws {LineTooLongError} When a refused line goes on for more than
   *   {@linkcode MAX_REFUSED_LINE_BYTES} without a `\n`; the splitter is then unusable.
   */
  push(chunk: Uint8Array): SplitLine[] {
    let data = chunk;
    if (this.#refusing) {
      const lf = chunk.indexOf(LF);
      if (lf === -1) {
        this.#drop(chunk.length);
        return [];
      }
      this.#refusing = false;
      this.#refusedBytes = 0;
      this.#framed = true;
      data = chunk.subarray(lf + 1);
    }
    const max = this.#maxLineBytes;
    if (this.#partial !== undefined) {
      const partial = this.#partial;
      const joined = new Uint8Array(partial.length + data.length);
      joined.set(partial);
      joined.set(data, partial.length);
      data = joined;
      this.#partial = undefined;
    }
    const lastLf = data.lastIndexOf(LF);
    const out: SplitLine[] = [];
    if (lastLf !== -1) {
      this.#framed = true;
      this.#completeLines(data, lastLf, out);
    }
    const rest = data.length - lastLf - 1;
    // An unfinished line may hold one byte more than the cap: its `\r`.
    if (rest > max + 1) {
      out.push(REFUSED_LINE);
      this.#refusing = true;
      this.#drop(rest);
    } else if (rest > 0) {
      this.#partial = data === chunk ? chunk.slice(lastLf + 1) : data.slice(lastLf + 1);
    }
    return out;
  }

  /**
   * Takes the unfinished line as a whole line (a peer that does not frame its
   * messages paused after it).
   *
   * @returns The line, or `undefined` when nothing is pending.
   */
  takePartial(): string | undefined {
    const partial = this.#partial;
    if (partial === undefined) return undefined;
    this.#partial = undefined;
    const end = partial.at(-1) === CR ? partial.length - 1 : partial.length;
    return DECODER.decode(partial.subarray(0, end));
  }

  /** The lines of `data` up to its last `\n` (at `lastLf`), into `out`. */
  #completeLines(data: Uint8Array, lastLf: number, out: SplitLine[]): void {
    const max = this.#maxLineBytes;
    // Every line must fit the cap (a trailing `\r` is not counted): a memchr-speed
    // scan, no decoding yet.
    let start = 0;
    let allFit = true;
    while (start <= lastLf) {
      const lf = data.indexOf(LF, start);
      if (tooLong(data, start, lf, max)) {
        allFit = false;
        break;
      }
      start = lf + 1;
    }
    if (allFit) {
      // One decode for all of them: `\n` bytes are character boundaries.
      const lines = DECODER.decode(data.subarray(0, lastLf)).split("\n");
      for (const line of lines) out.push(line.endsWith("\r") ? line.slice(0, -1) : line);
      return;
    }
    // Rare: some line is over the cap. Line by line, refusing those.
    start = 0;
    while (start <= lastLf) {
      const lf = data.indexOf(LF, start);
      if (tooLong(data, start, lf, max)) {
        out.push(REFUSED_LINE);
      } else {
        const end = lf > start && data[lf - 1] === CR ? lf - 1 : lf;
        out.push(DECODER.decode(data.subarray(start, end)));
      }
      start = lf + 1;
    }
  }

  #drop(bytes: number): void {
    this.#refusedBytes += bytes;
    if (this.#refusedBytes > MAX_REFUSED_LINE_BYTES) {
      throw new LineTooLongError(this.#maxLineBytes);
    }
  }
}

/** Whether the line from `start` to the `\n` at `lf` is over the cap (its `\r` not counted). */
function tooLong(data: Uint8Array, start: number, lf: number, max: number): boolean {
  const length = lf - start;
  return length > max + 1 || (length > max && data[lf - 1] !== CR);
}
