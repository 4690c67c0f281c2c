/**
 * The room's broadcast log: every broadcast line, encoded once, in order.
 *
 * Each recipient's outbox keeps only a cursor into the log, so a broadcast costs
 * no memory per recipient, and a writer sends a view of the log without copying.
 * Blocks that every cursor has passed are forgotten.
 *
 * @module
 */

/** The size of one log block: several batches of lines share a block. */
export const LOG_BLOCK_BYTES = 64 * 1024;

interface Block {
  /** The log position of the block's first byte. */
  start: number;
  bytes: Uint8Array;
  /** Bytes used. */
  fill: number;
}

/** An append-only byte log addressed by position, stored in blocks. */
export class BroadcastLog {
  #blocks: Block[] = [];
  #end = 0;
  #encoder = new TextEncoder();

  /** The position after the last byte appended. */
  get end(): number {
    return this.#end;
  }

  /**
   * Appends text, encoded as UTF-8 straight into the current block. Bytes already
   * appended never change, so views handed out stay valid.
   *
   * @param text The text (lines with their `\n`).
   */
  append(text: string): void {
    // encodeInto needs room for the worst case: 3 bytes per UTF-16 code unit.
    const block = this.#blockWithRoom(text.length * 3);
    const { written } = this.#encoder.encodeInto(text, block.bytes.subarray(block.fill));
    block.fill += written;
    this.#end += written;
  }

  /**
   * Appends bytes (whole WebSocket frames, for instance), copied into the current
   * block. Bytes already appended never change, so views handed out stay valid.
   *
   * @param bytes The bytes; the caller may reuse them afterwards.
   */
  appendBytes(bytes: Uint8Array): void {
    const block = this.#blockWithRoom(bytes.length);
    block.bytes.set(bytes, block.fill);
    block.fill += bytes.length;
    this.#end += bytes.length;
  }

  /** The last block when it has `room` bytes free, else a new one at the end. */
  #blockWithRoom(room: number): Block {
    const last = this.#blocks.at(-1);
    if (last !== undefined && last.bytes.length - last.fill >= room) return last;
    const block = {
      start: this.#end,
      bytes: new Uint8Array(Math.max(LOG_BLOCK_BYTES, room)),
      fill: 0,
    };
    this.#blocks.push(block);
    return block;
  }

  /**
   * Returns the bytes from `from` to `to` that lie in one block, as a view (no
   * copy); the rest, if any, is in the next call's block.
   *
   * @param from The first position; must not be before a forgotten block.
   * @param to The position to stop at (exclusive).
   * @returns The bytes, at least one when `from < to`.
   */
  view(from: number, to: number): Uint8Array {
    const blocks = this.#blocks;
    // Binary search: the last block whose start is at or before `from`.
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blocks[mid].start <= from) lo = mid;
      else hi = mid - 1;
    }
    const block = blocks[lo];
    if (block === undefined || from < block.start) {
      throw new RangeError(`Cannot read the broadcast log at ${from}: it was forgotten`);
    }
    const stop = Math.min(to, block.start + block.fill);
    return block.bytes.subarray(from - block.start, stop - block.start);
  }

  /**
   * Forgets the blocks that end at or before `position` (every reader is past
   * them). The newest block is kept for further appends.
   *
   * @param position The smallest cursor of any reader.
   */
  trim(position: number): void {
    const blocks = this.#blocks;
    let drop = 0;
    while (drop < blocks.length - 1 && blocks[drop].start + blocks[drop].fill <= position) drop++;
    if (drop > 0) blocks.splice(0, drop);
  }
}
