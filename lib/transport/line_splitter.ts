/**
 * Line framing at the byte level, with a cap on the bytes one line may take.
 *
 * Bytes are split on `\n` before they are decoded, so a UTF-8 character split
 * across two reads is decoded whole (the `\n` byte never occurs inside a
 * multi-byte character). Invalid UTF-8 becomes U+FFFD.
 *
 * @module
 */

import { LineTooLongError } from "../util/errors.ts";

const LF = 0x0a;
/** Decoding without `stream` keeps no state, so every splitter can share one decoder. */
const DECODER = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const CR = "\r";

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
export class LineSplitter {
  #maxLineBytes: number;
  /** The bytes of an unfinished line, copied out of the caller's buffer. */
  #partial: Uint8Array | undefined;

  /**
   * @param options The line cap.
   */
  constructor(options: LineSplitterOptions = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? 8192;
  }

  /** The number of bytes of an unfinished line held between calls. */
  get bufferedBytes(): number {
    return this.#partial?.length ?? 0;
  }

  /**
   * Takes the next chunk of bytes and returns the lines it completes, without
   * their `\n` or `\r\n`. The chunk may be reused by the caller afterwards.
   *
   * @param chunk The bytes just read.
   * @returns The completed lines, in order (possibly none).
   * @throws {LineTooLongError} When a line exceeds the cap; the splitter is then
   *   unusable.
   */
  push(chunk: Uint8Array): string[] {
    const max = this.#maxLineBytes;
    let data = chunk;
    let partialLength = 0;
    if (this.#partial !== undefined) {
      partialLength = this.#partial.length;
      const joined = new Uint8Array(partialLength + chunk.length);
      joined.set(this.#partial);
      joined.set(chunk, partialLength);
      data = joined;
      this.#partial = undefined;
    }
    const lastLf = data.lastIndexOf(LF);
    if (lastLf === -1) {
      if (data.length > max + 1) throw new LineTooLongError(max);
      this.#partial = data === chunk ? chunk.slice() : data;
      return [];
    }
    // Every line must fit the cap (a trailing `\r` is not counted); a memchr-speed
    // scan, no decoding yet. An unfinished line may hold one byte more: its `\r`.
    let start = 0;
    while (start <= lastLf) {
      const lf = data.indexOf(LF, start);
      if (lf - start > max + 1 || (lf - start > max && data[lf - 1] !== 0x0d)) {
        throw new LineTooLongError(max);
      }
      start = lf + 1;
    }
    const rest = data.length - lastLf - 1;
    if (rest > max + 1) throw new LineTooLongError(max);
    if (rest > 0) this.#partial = data.slice(lastLf + 1);
    // One decode for all complete lines: `\n` bytes are character boundaries.
    const lines = DECODER.decode(data.subarray(0, lastLf)).split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.endsWith(CR)) lines[i] = line.slice(0, -1);
    }
    return lines;
  }
}
