/**
 * A connection's bounded queue of outgoing bytes.
 *
 * It holds two kinds of output, in the order they were sent: the room's
 * broadcasts, as a cursor into the shared {@linkcode BroadcastLog} (no memory per
 * recipient), and lines for this connection alone (prompts, whispers, replies).
 * Producers never wait: when the bytes waiting would pass the limit, the outbox
 * refuses them and the caller drops the client, as Redis does at its
 * output-buffer hard limit. The single writer task takes everything waiting as
 * one buffer, so many lines cost one write.
 *
 * @module
 */

import type { BroadcastLog } from "./broadcast_log.ts";

/**
 * Lines of this connection's own (and what follows them) are copied together up to
 * this many bytes, so that they go in one write. A view of the log is never copied.
 */
export const MERGE_BYTES = 4 * 1024;

/** A bounded byte queue with one consumer. */
export class Outbox {
  #limitBytes: number;
  #log: BroadcastLog | undefined;
  /** The next log position to send, while subscribed. */
  #cursor = 0;
  #own: Uint8Array[] = [];
  /** The log position each of `#own` goes after. */
  #ownAfter: number[] = [];
  #ownBytes = 0;
  #closed = false;
  #wake: (() => void) | undefined;
  /** Told when the writer waits with nothing queued (the channel wakes it at the next append). */
  #idle: (() => void) | undefined;
  /** Whether the last piece `#next` returned was a view of the log. */
  #fromLog = false;
  /**
   * Log ranges this connection does not get, as `[from, to)` pairs in log order
   * (an IRC client's own lines, which it did not ask to see echoed).
   */
  #skips: number[] = [];

  /**
   * @param limitBytes The most bytes that may wait to be written.
   */
  constructor(limitBytes: number) {
    this.#limitBytes = limitBytes;
  }

  /** The most bytes that may wait. */
  get limitBytes(): number {
    return this.#limitBytes;
  }

  /** Whether the bytes waiting pass the limit (the client is to be dropped). */
  get overLimit(): boolean {
    return this.queuedBytes > this.#limitBytes;
  }

  /** Whether the writer is waiting for bytes. */
  get sleeping(): boolean {
    return this.#wake !== undefined;
  }

  /** The bytes waiting to be written. */
  get queuedBytes(): number {
    return (this.#log === undefined ? 0 : this.#log.end - this.#cursor) + this.#ownBytes;
  }

  /** The next log position this outbox will send (the log's end when not subscribed). */
  get cursor(): number {
    return this.#log === undefined ? Infinity : this.#cursor;
  }

  /** Whether {@linkcode Outbox.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Starts receiving the log's broadcasts from its current end.
   *
   * @param log The room's log.
   * @param idle Called each time the writer waits with nothing queued, so that the
   *   log's owner wakes only those at the next append. @default {undefined}
   */
  subscribe(log: BroadcastLog, idle?: () => void): void {
    this.#log = log;
    this.#cursor = log.end;
    this.#idle = idle;
    this.#skips = [];
  }

  /**
   * Stops receiving broadcasts. What was broadcast before is still sent: it is
   * copied out of the log, so the log need not keep it.
   */
  unsubscribe(): void {
    const log = this.#log;
    if (log === undefined) return;
    const pieces: Uint8Array[] = [];
    for (let piece = this.#next(Infinity); piece !== undefined; piece = this.#next(Infinity)) {
      pieces.push(piece.slice());
    }
    this.#log = undefined;
    this.#idle = undefined;
    this.#skips = [];
    this.#own = pieces;
    this.#ownAfter = pieces.map(() => -Infinity);
    this.#ownBytes = pieces.reduce((sum, piece) => sum + piece.length, 0);
  }

  /**
   * Leaves out a range of the log this outbox reads: its writer jumps over it. The
   * ranges come in log order, after the cursor (the format that appends a line this
   * connection must not get says so as it appends it).
   *
   * @param log The log the range is in; another log than this outbox's is ignored.
   * @param from The range's first position.
   * @param to The position after its last byte.
   */
  skip(log: BroadcastLog, from: number, to: number): void {
    if (log !== this.#log || to <= this.#cursor) return;
    this.#skips.push(Math.max(from, this.#cursor), to);
  }

  /** Forgets everything waiting and stops receiving broadcasts (the client is being dropped). */
  discard(): void {
    this.#log = undefined;
    this.#skips = [];
    this.#idle = undefined;
    this.#own = [];
    this.#ownAfter = [];
    this.#ownBytes = 0;
  }

  /**
   * Queues bytes for this connection alone, after every broadcast so far. The
   * bytes are kept, not copied: the caller must not change them afterwards.
   *
   * @param bytes The bytes to send.
   * @returns `false` when the outbox is closed or the bytes would pass the limit;
   *   nothing is queued then.
   */
  trySend(bytes: Uint8Array): boolean {
    if (this.#closed) return false;
    if (this.queuedBytes + bytes.length > this.#limitBytes) return false;
    this.#own.push(bytes);
    this.#ownAfter.push(this.#log === undefined ? -Infinity : this.#log.end);
    this.#ownBytes += bytes.length;
    this.#wakeWriter();
    return true;
  }

  /**
   * Tells the outbox that the log grew.
   *
   * @returns `false` when the broadcasts waiting now pass the limit.
   */
  notifyAppended(): boolean {
    if (this.queuedBytes > this.#limitBytes) return false;
    this.#wakeWriter();
    return true;
  }

  /** Accepts no more bytes; {@linkcode Outbox.take} returns what is left, then `null`. */
  close(): void {
    this.#closed = true;
    this.#wakeWriter();
  }

  /**
   * Takes what is waiting, without waiting: a view of the log (no copy), or this
   * connection's own lines with what follows them, copied into one buffer of at
   * most {@linkcode MERGE_BYTES}.
   *
   * @returns The bytes to write, or `undefined` when nothing is waiting.
   */
  takeNow(): Uint8Array | undefined {
    const first = this.#next(Infinity);
    // A view of the log goes as it is: copying it would cost memory per recipient.
    if (first === undefined || this.#fromLog || first.length >= MERGE_BYTES) return first;
    let total = first.length;
    let pieces: Uint8Array[] | undefined;
    for (let piece = this.#next(MERGE_BYTES - total); piece !== undefined;) {
      (pieces ??= [first]).push(piece);
      total += piece.length;
      if (total >= MERGE_BYTES) break;
      piece = this.#next(MERGE_BYTES - total);
    }
    if (pieces === undefined) return first;
    const merged = new Uint8Array(total);
    let offset = 0;
    for (const piece of pieces) {
      merged.set(piece, offset);
      offset += piece.length;
    }
    return merged;
  }

  /**
   * Calls `callback` once, after bytes arrive or the outbox is closed. Wake-ups are
   * batched: every writer woken while the reads of this turn of the event loop are
   * handled resumes after them, so it sends all of their lines in one write.
   *
   * @param callback The writer's resume function.
   */
  onReady(callback: () => void): void {
    this.#wake = callback;
    if (this.queuedBytes > 0 || this.#closed) this.#wakeWriter();
    else this.#idle?.();
  }

  /**
   * Waits until bytes are waiting and takes them (see {@linkcode Outbox.takeNow}).
   * Only one task may wait at a time.
   *
   * @returns The bytes to write, or `null` once the outbox is closed and empty.
   */
  async take(): Promise<Uint8Array | null> {
    while (true) {
      const bytes = this.takeNow();
      if (bytes !== undefined) return bytes;
      if (this.#closed) return null;
      await new Promise<void>((resolve) => this.onReady(resolve));
    }
  }

  /** The next piece in order, at most `maxBytes` of log (own lines go whole). */
  #next(maxBytes: number): Uint8Array | undefined {
    const log = this.#log;
    const ownAfter = this.#own.length > 0 ? this.#ownAfter[0] : Infinity;
    if (this.#skips.length > 0 && log !== undefined) this.#jumpSkipped(log);
    if (log !== undefined && this.#cursor < log.end && this.#cursor < ownAfter) {
      let stop = Math.min(log.end, ownAfter, this.#cursor + maxBytes);
      if (this.#skips.length > 0) stop = Math.min(stop, this.#skips[0]);
      const piece = log.view(this.#cursor, stop);
      this.#cursor += piece.length;
      this.#fromLog = true;
      return piece;
    }
    if (this.#own.length === 0 || this.#own[0].length > maxBytes) return undefined;
    this.#fromLog = false;
    const own = this.#own.shift()!;
    this.#ownAfter.shift();
    this.#ownBytes -= own.length;
    return own;
  }

  /** Moves the cursor over a skipped range it stands at. */
  #jumpSkipped(log: BroadcastLog): void {
    const skips = this.#skips;
    while (skips.length > 0 && this.#cursor >= skips[0] && this.#cursor <= log.end) {
      this.#cursor = Math.max(this.#cursor, skips[1]);
      skips.splice(0, 2);
    }
  }

  #wakeWriter(): void {
    const wake = this.#wake;
    if (wake !== undefined) {
      this.#wake = undefined;
      sleepers.push(wake);
      if (sleepers.length === 1) queueMicrotask(wakeAll);
    }
  }
}

/**
 * Writers to resume once the current work is done: after every read that
 * completed in this turn of the event loop has been handled, so that a writer
 * sends all of that turn's lines in one write. (Waiting longer, for a timer tick,
 * batched more under saturation but cost a closed-loop sender one timer tick,
 * about 2 ms in Deno, per round trip: 10 clients fell from 2.8 M to 0.4 M
 * deliveries/s. Measured, not kept.)
 */
let sleepers: (() => void)[] = [];

function wakeAll(): void {
  const all = sleepers;
  sleepers = [];
  for (const wake of all) wake();
}
