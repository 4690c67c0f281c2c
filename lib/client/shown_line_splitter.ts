/**
 * The server's bytes as lines to show.
 *
 * @module
 */

const LF = 0x0a;

/**
 * Splits the server's bytes into lines before decoding, so a UTF-8 character split
 * across reads is decoded whole. Unlike the server's splitter it never fails: a
 * line longer than the cap is shown in pieces cut at character boundaries. The
 * unfinished last line can be taken out as it is ({@linkcode takePartial}), for a
 * server that sends lines without `\n`.
 */
export class ShownLineSplitter {
  readonly #maxBytes: number;
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  #pending: Uint8Array = new Uint8Array(0);

  /**
   * @param maxBytes The most bytes of one line held before it is shown in pieces.
   */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Whether bytes of an unfinished line are held. */
  get hasPartial(): boolean {
    return this.#pending.length > 0;
  }

  /**
   * Takes the next chunk of bytes.
   *
   * @param chunk The bytes just read; it may be reused afterwards.
   * @returns The lines the chunk completes, without `\n` or `\r\n`.
   */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, start)) {
      lines.push(this.#decode(this.#take(chunk.subarray(start, lf))));
      start = lf + 1;
    }
    this.#pending = concat(this.#pending, chunk.subarray(start));
    while (this.#pending.length > this.#maxBytes) {
      let cut = this.#maxBytes;
      // Back up over continuation bytes (10xxxxxx) to a character's first byte.
      while (cut > 0 && (this.#pending[cut] & 0xc0) === 0x80) cut--;
      if (cut === 0) cut = this.#maxBytes;
      lines.push(this.#decode(this.#pending.subarray(0, cut)));
      this.#pending = this.#pending.slice(cut);
    }
    return lines;
  }

  /**
   * Takes out the unfinished line as it is so far, up to its last whole character
   * (the bytes of a character cut by the read stay, to be completed by the next
   * chunk).
   *
   * @returns The text, or `undefined` when there is none.
   */
  takePartial(): string | undefined {
    const whole = wholeCharactersEnd(this.#pending);
    if (whole === 0) return undefined;
    const text = this.#decode(this.#pending.subarray(0, whole));
    this.#pending = this.#pending.slice(whole);
    return text === "" ? undefined : text;
  }

  /**
   * Takes out everything held, at the end of the stream.
   *
   * @returns The unfinished last line, or `undefined` when there is none.
   */
  flush(): string | undefined {
    if (this.#pending.length === 0) return undefined;
    return this.#decode(this.#take(new Uint8Array(0)));
  }

  /** The pending bytes followed by `tail`; empties the pending buffer. */
  #take(tail: Uint8Array): Uint8Array {
    const bytes = concat(this.#pending, tail);
    this.#pending = new Uint8Array(0);
    return bytes;
  }

  #decode(bytes: Uint8Array): string {
    const text = this.#decoder.decode(bytes);
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  }
}

/** Where the last whole UTF-8 character of `bytes` ends. */
function wholeCharactersEnd(bytes: Uint8Array): number {
  // Look back at most 3 bytes for the first byte of the last character.
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  if (b.length === 0) return a;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
