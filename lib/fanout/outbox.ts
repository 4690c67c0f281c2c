/**
 * A connection's bounded queue of outgoing bytes.
 *
 * It holds two kinds of output, in the order they were sent: the broadcasts of
 * each room the connection is in, as a cursor into that room's shared
 * {@linkcode BroadcastLog} (no memory per recipient), and lines for this
 * connection alone (prompts, whispers, replies).
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

/**
 * One log an outbox follows: a room's, in its connection's format. A connection
 * in several rooms follows several logs.
 */
interface Feed {
  log: BroadcastLog;
  /** The next log position to send. */
  cursor: number;
  /** Told when the writer waits with nothing queued (the log's owner wakes it at the next append). */
  idle: (() => void) | undefined;
  /**
   * For each own line waiting, in the same order: the log's end when it was
   * queued (`-Infinity`: no bound). The line goes after those bytes of this log.
   */
  after: number[];
}

/** A bounded byte queue with one consumer. */
export class Outbox {
  #limitBytes: number;
  // The first log followed lives in these fields, the others in `#more`: the one
  // room of most connections costs each delivery no more than before rooms could be several.
  #log: BroadcastLog | undefined;
  /** The next position of `#log` to send, while subscribed. */
  #cursor = 0;
  /** The position of `#log` each of `#own` goes after (see {@linkcode Feed.after}). */
  #ownAfter: number[] = [];
  /** Told when the writer waits with nothing queued (the channel wakes it at the next append). */
  #idle: (() => void) | undefined;
  /** The other logs followed, in the order subscribed; `undefined` when none (only while `#log` is set). */
  #more: Feed[] | undefined;
  /** With several logs, the one the writer looks at first next time (0 is `#log`): they take turns. */
  #turn = 0;
  #own: Uint8Array[] = [];
  #ownBytes = 0;
  #closed = false;
  #wake: (() => void) | undefined;
  /** Whether the last piece `#next` returned was a view of a log. */
  #fromLog = false;
  /**
   * Log ranges this connection does not get, as `[from, to)` pairs in log order,
   * per log (an IRC client's own lines, which it did not ask to see echoed);
   * `undefined` when none, so that others pay one comparison.
   */
  #skips: Map<BroadcastLog, number[]> | undefined;

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

  /** The bytes waiting to be written, from every log followed and of its own. */
  get queuedBytes(): number {
    let bytes = (this.#log === undefined ? 0 : this.#log.end - this.#cursor) + this.#ownBytes;
    const more = this.#more;
    if (more !== undefined) {
      for (let i = 0; i < more.length; i++) bytes += more[i].log.end - more[i].cursor;
    }
    return bytes;
  }

  /**
   * The next position of a log this outbox will send.
   *
   * @param log A log.
   * @returns The position, or `Infinity` when the outbox does not follow the log
   *   (it holds nothing of it back).
   */
  cursorIn(log: BroadcastLog): number {
    if (log === this.#log) return this.#cursor;
    const feed = this.#more?.find((feed) => feed.log === log);
    return feed === undefined ? Infinity : feed.cursor;
  }

  /** Whether {@linkcode Outbox.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Starts receiving a log's broadcasts from its current end, besides the logs
   * already followed (one per room of the connection). Each log's bytes keep
   * their order; own lines go after what every followed log held when they were
   * queued; the logs take turns, in no set order between them.
   *
   * @param log A room's log.
   * @param idle Called each time the writer waits with nothing queued, so that the
   *   log's owner wakes only those at the next append. @default {undefined}
   */
  subscribe(log: BroadcastLog, idle?: () => void): void {
    const feeds = this.#feeds();
    if (feeds.some((feed) => feed.log === log)) return;
    const end = log.end;
    // Own lines waiting now go before anything this log gets from now on.
    feeds.push({ log, cursor: end, idle, after: this.#own.map(() => end) });
    this.#setFeeds(feeds);
  }

  /**
   * Stops receiving a log's broadcasts. What it broadcast before is still sent, in
   * its place among the own lines: it is copied out of the log, so the log need
   * not keep it.
   *
   * @param log The log.
   */
  unsubscribe(log: BroadcastLog): void {
    const feeds = this.#feeds();
    const index = feeds.findIndex((feed) => feed.log === log);
    if (index < 0) return;
    const [feed] = feeds.splice(index, 1);
    this.#forgetSkips(log);
    if (feed.cursor < log.end) {
      // Its bytes before each own line's mark go before that line; they wait for no other log.
      const own: Uint8Array[] = [];
      const afters: number[][] = feeds.map(() => []);
      let position = feed.cursor;
      const copy = (to: number) => {
        while (position < to) {
          const piece = log.view(position, to).slice();
          position += piece.length;
          own.push(piece);
          this.#ownBytes += piece.length;
          for (const after of afters) after.push(-Infinity);
        }
      };
      for (let i = 0; i < this.#own.length; i++) {
        copy(Math.min(feed.after[i], log.end));
        own.push(this.#own[i]);
        for (let k = 0; k < feeds.length; k++) afters[k].push(feeds[k].after[i]);
      }
      copy(log.end);
      this.#own = own;
      for (let k = 0; k < feeds.length; k++) feeds[k].after = afters[k];
    }
    this.#setFeeds(feeds);
  }

  /**
   * Leaves out a range of a log this outbox follows: its writer jumps over it. The
   * format that appends a line this connection must not get says so as it appends it.
   *
   * @param log The log the range is in; a log this outbox does not follow is ignored.
   * @param from The range's first position.
   * @param to The position after its last byte.
   */
  skip(log: BroadcastLog, from: number, to: number): void {
    const cursor = this.cursorIn(log);
    if (cursor === Infinity || to <= cursor) return;
    this.#skips ??= new Map();
    let ranges = this.#skips.get(log);
    if (ranges === undefined) this.#skips.set(log, ranges = []);
    ranges.push(Math.max(from, cursor), to);
  }

  /** Forgets everything waiting and stops receiving broadcasts (the client is being dropped). */
  discard(): void {
    this.#skips = undefined;
    this.#own = [];
    this.#ownBytes = 0;
    this.#setFeeds([]);
  }

  /** Every log followed, `#log` first, as feeds (a copy of the list; the first one too). */
  #feeds(): Feed[] {
    const feeds: Feed[] = [];
    if (this.#log !== undefined) {
      feeds.push({ log: this.#log, cursor: this.#cursor, idle: this.#idle, after: this.#ownAfter });
    }
    if (this.#more !== undefined) feeds.push(...this.#more);
    return feeds;
  }

  /** Follows exactly these logs, the first in the outbox's own fields. */
  #setFeeds(feeds: Feed[]): void {
    const first = feeds[0];
    this.#log = first?.log;
    this.#cursor = first?.cursor ?? 0;
    this.#idle = first?.idle;
    this.#ownAfter = first?.after ?? this.#own.map(() => -Infinity);
    this.#more = feeds.length > 1 ? feeds.slice(1) : undefined;
    if (this.#turn >= feeds.length) this.#turn = 0;
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
    const more = this.#more;
    if (more !== undefined) { for (const feed of more) feed.after.push(feed.log.end); }
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
    if (this.queuedBytes > 0 || this.#closed) {
      this.#wakeWriter();
      return;
    }
    this.#idle?.();
    const more = this.#more;
    if (more !== undefined) { for (const feed of more) feed.idle?.(); }
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

  /** The next piece in order, at most `maxBytes` of a log (own lines go whole). */
  #next(maxBytes: number): Uint8Array | undefined {
    const more = this.#more;
    if (more === undefined) {
      const log = this.#log;
      const ownAfter = this.#own.length > 0 ? this.#ownAfter[0] : Infinity;
      let skipAt = Infinity;
      if (this.#skips !== undefined && log !== undefined) {
        this.#cursor = this.#jump(log, this.#cursor);
        skipAt = this.#skipAt(log);
      }
      if (log !== undefined && this.#cursor < log.end && this.#cursor < ownAfter) {
        const stop = Math.min(log.end, ownAfter, this.#cursor + maxBytes, skipAt);
        const piece = log.view(this.#cursor, stop);
        this.#cursor += piece.length;
        this.#fromLog = true;
        return piece;
      }
    } else {
      const piece = this.#nextOfSeveral(more, maxBytes);
      if (piece !== undefined) return piece;
    }
    if (this.#own.length === 0 || this.#own[0].length > maxBytes) return undefined;
    this.#fromLog = false;
    const own = this.#own.shift()!;
    this.#ownAfter.shift();
    if (more !== undefined) { for (const feed of more) feed.after.shift(); }
    this.#ownBytes -= own.length;
    return own;
  }

  /** The next piece of the logs followed, each in its turn, or `undefined` when an own line is next. */
  #nextOfSeveral(more: Feed[], maxBytes: number): Uint8Array | undefined {
    const count = more.length + 1;
    for (let i = 0, index = this.#turn; i < count; i++, index++) {
      if (index === count) index = 0;
      let piece: Uint8Array | undefined;
      if (index === 0) {
        const log = this.#log!;
        if (this.#skips !== undefined) this.#cursor = this.#jump(log, this.#cursor);
        const stop = Math.min(
          log.end,
          this.#own.length > 0 ? this.#ownAfter[0] : Infinity,
          this.#skips === undefined ? Infinity : this.#skipAt(log),
        );
        if (this.#cursor >= stop) continue;
        piece = log.view(this.#cursor, Math.min(stop, this.#cursor + maxBytes));
        this.#cursor += piece.length;
      } else {
        const feed = more[index - 1];
        if (this.#skips !== undefined) feed.cursor = this.#jump(feed.log, feed.cursor);
        const stop = Math.min(
          feed.log.end,
          feed.after.length > 0 ? feed.after[0] : Infinity,
          this.#skips === undefined ? Infinity : this.#skipAt(feed.log),
        );
        if (feed.cursor >= stop) continue;
        piece = feed.log.view(feed.cursor, Math.min(stop, feed.cursor + maxBytes));
        feed.cursor += piece.length;
      }
      this.#turn = index + 1 === count ? 0 : index + 1;
      this.#fromLog = true;
      return piece;
    }
    return undefined;
  }

  /** Moves a log's cursor over the skipped ranges it stands at. @returns The new cursor. */
  #jump(log: BroadcastLog, cursor: number): number {
    const ranges = this.#skips?.get(log);
    if (ranges === undefined) return cursor;
    while (ranges.length > 0 && cursor >= ranges[0]) {
      cursor = Math.max(cursor, ranges[1]);
      ranges.splice(0, 2);
    }
    if (ranges.length === 0) this.#forgetSkips(log);
    return cursor;
  }

  /** Where the next skipped range of a log starts (`Infinity`: none). */
  #skipAt(log: BroadcastLog): number {
    return this.#skips?.get(log)?.[0] ?? Infinity;
  }

  #forgetSkips(log: BroadcastLog): void {
    if (this.#skips === undefined) return;
    this.#skips.delete(log);
    if (this.#skips.size === 0) this.#skips = undefined;
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
