/**
 * A connection's bounded queue of outgoing bytes.
 *
 * Producers never wait: {@linkcode Outbox.trySend} either queues the bytes or,
 * when the queue would pass its byte limit, refuses them (the caller then drops
 * the client, as Redis does at its output-buffer hard limit). The single writer
 * task takes everything queued as one buffer, so many small lines cost one write.
 *
 * @module
 */

/** The most bytes handed to one `write()`; a larger queue is written in pieces. */
export const MAX_WRITE_BYTES = 1 << 20;

/** A bounded byte queue with one consumer. */
export class Outbox {
  #limitBytes: number;
  #chunks: Uint8Array[] = [];
  #queuedBytes = 0;
  #closed = false;
  #wake: (() => void) | undefined;

  /**
   * @param limitBytes The most bytes that may wait in the queue.
   */
  constructor(limitBytes: number) {
    this.#limitBytes = limitBytes;
  }

  /** The bytes waiting to be written. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Whether {@linkcode Outbox.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Queues bytes without waiting. The bytes are shared, not copied: the caller
   * must not change them afterwards.
   *
   * @param bytes The bytes to send.
   * @returns `false` when the outbox is closed or the bytes would pass the limit;
   *   nothing is queued then.
   */
  trySend(bytes: Uint8Array): boolean {
    if (this.#closed) return false;
    if (this.#queuedBytes + bytes.length > this.#limitBytes) return false;
    this.#chunks.push(bytes);
    this.#queuedBytes += bytes.length;
    const wake = this.#wake;
    if (wake !== undefined) {
      this.#wake = undefined;
      wake();
    }
    return true;
  }

  /** Accepts no more bytes; {@linkcode Outbox.take} returns what is left, then `null`. */
  close(): void {
    this.#closed = true;
    const wake = this.#wake;
    if (wake !== undefined) {
      this.#wake = undefined;
      wake();
    }
  }

  /**
   * Waits until bytes are queued and takes them all (up to
   * {@linkcode MAX_WRITE_BYTES}) as one buffer. Only one task may call it.
   *
   * @returns The bytes to write, or `null` once the outbox is closed and empty.
   */
  async take(): Promise<Uint8Array | null> {
    while (this.#chunks.length === 0) {
      if (this.#closed) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    const chunks = this.#chunks;
    if (chunks.length === 1 || chunks[0].length >= MAX_WRITE_BYTES) {
      const first = chunks.shift()!;
      this.#queuedBytes -= first.length;
      return first;
    }
    let count = 0;
    let total = 0;
    while (count < chunks.length && total + chunks[count].length <= MAX_WRITE_BYTES) {
      total += chunks[count].length;
      count++;
    }
    const merged = new Uint8Array(total);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      merged.set(chunks[i], offset);
      offset += chunks[i].length;
    }
    if (count === chunks.length) this.#chunks = [];
    else chunks.splice(0, count);
    this.#queuedBytes -= total;
    return merged;
  }
}
