/**
 * Small I/O helpers for the benchmark: complete writes and a line reader for control pipes.
 *
 * @module
 */

/** Something with `read()` like a Deno connection or a child's stdout. */
export interface ByteReader {
  read(p: Uint8Array): Promise<number | null>;
}

/** Something with `write()` that may write only part of its argument. */
export interface ByteWriter {
  write(p: Uint8Array): Promise<number>;
}

/**
 * Writes every byte: `write()` on a socket or pipe may be partial.
 *
 * @param writer Where to write.
 * @param bytes What to write.
 */
export async function writeAll(writer: ByteWriter, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await writer.write(offset === 0 ? bytes : bytes.subarray(offset));
  }
}

/**
 * Yields the UTF-8 lines (without `\n`) of a control pipe until it ends or fails. For low
 * volume only: it decodes text.
 *
 * @param reader The pipe.
 */
export async function* readLines(reader: ByteReader): AsyncGenerator<string, void> {
  const decoder = new TextDecoder();
  const buf = new Uint8Array(64 * 1024);
  let pending = "";
  while (true) {
    let n: number | null;
    try {
      n = await reader.read(buf);
    } catch {
      n = null;
    }
    if (n === null) break;
    pending += decoder.decode(buf.subarray(0, n), { stream: true });
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      yield pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  }
  if (pending !== "") yield pending;
}

/**
 * Yields the UTF-8 lines (without `\n`) of a child's output stream until it ends. For low
 * volume only: it decodes text.
 *
 * @param stream A child's `stdout` or `stderr`.
 */
export async function* readStreamLines(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<string, void> {
  const decoder = new TextDecoder();
  let pending = "";
  try {
    for await (const chunk of stream) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        yield pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
      }
    }
  } catch {
    // The child went away: the lines so far are all there is.
  }
  if (pending !== "") yield pending;
}
