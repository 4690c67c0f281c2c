/**
 * Full writes: Deno's `write()` may take only part of the bytes.
 *
 * @module
 */

/** Anything with the `write()` of `Deno.Conn` or `Deno.stdout`. */
export interface Writer {
  write(bytes: Uint8Array): Promise<number>;
}

/**
 * Writes all of `bytes`, calling `write()` until every byte is taken.
 *
 * @param writer The stream.
 * @param bytes The bytes.
 * @throws What `write()` throws (for a socket: `BrokenPipe`, `ConnectionReset`…).
 */
export async function writeAll(writer: Writer, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await writer.write(bytes.subarray(offset));
  }
}
