/**
 * The reader: one blocking `XREAD` on its own connection that follows every stream
 * this server needs (its inbox, the control stream, the streams of the rooms with
 * members here) and hands each stream's new entries to whoever follows it.
 *
 * Each follower keeps the last id it read, and the next `XREAD` goes on from there:
 * after a cut the reader asks again from the same ids, so nothing is lost or read
 * twice. When the set of streams changes, the blocked `XREAD` is unblocked
 * (`CLIENT UNBLOCK`) so that the next one follows the new set.
 *
 * @module
 */

import type { RedisConnection } from "./redis_connection.ts";

/** Entries one `XREAD` returns at most, per stream. */
export const READ_COUNT = 1_000;
/** The pause before reading again when a read failed while the connection looked up. */
const RETRY_PAUSE_MS = 100;

/** A raw stream entry: its id and its fields as `[name, value, ...]`. */
export type StreamEntry = [id: string, fields: string[]];

/** A stream the reader follows, and what to do with what it reads. */
export interface FollowedStream {
  /** The stream's key. */
  readonly stream: string;
  /** The last id read; the next read goes on after it. */
  readonly lastId: string;
  /**
   * New entries, oldest first; the follower moves its `lastId` to the last of them.
   *
   * @param entries The entries.
   */
  receive(entries: readonly StreamEntry[]): void;
}

/** The `XREAD` loop of one server. */
export class StreamReader {
  #connection: RedisConnection;
  #followed = new Map<string, FollowedStream>();
  #reading: Promise<void> | undefined;

  /**
   * @param connection The link to Redis (the reader's own connection is used).
   */
  constructor(connection: RedisConnection) {
    this.#connection = connection;
  }

  /**
   * Starts following a stream from its follower's `lastId`.
   *
   * @param followed The follower.
   */
  follow(followed: FollowedStream): void {
    this.#followed.set(followed.stream, followed);
    this.#connection.unblockReader();
  }

  /**
   * Stops following a stream.
   *
   * @param stream The stream's key.
   */
  unfollow(stream: string): void {
    if (this.#followed.delete(stream)) this.#connection.unblockReader();
  }

  /** Starts reading (once the link was ready once: the followers' ids are known then). */
  start(): void {
    this.#reading ??= this.#loop();
  }

  /**
   * Waits for the loop to end; the link must be stopped first.
   *
   * @returns When it has ended.
   */
  async stopped(): Promise<void> {
    await this.#reading;
  }

  async #loop(): Promise<void> {
    const connection = this.#connection;
    await connection.firstReady;
    while (!connection.stopped) {
      await connection.whenReaderUp();
      if (connection.stopped) break;
      const asked = new Set(this.#followed.values());
      const streams: string[] = [];
      const ids: string[] = [];
      for (const followed of asked) {
        streams.push(followed.stream);
        ids.push(followed.lastId);
      }
      let reply: [string, StreamEntry[]][] | null;
      try {
        reply = await connection.read<[string, StreamEntry[]][] | null>([
          "XREAD",
          "COUNT",
          String(READ_COUNT),
          "BLOCK",
          "0",
          "STREAMS",
          ...streams,
          ...ids,
        ]);
      } catch {
        // Cut off: wait until the reader is back, then read on from the same ids.
        if (connection.readerUp) await pause(RETRY_PAUSE_MS);
        continue;
      }
      if (reply === null) continue; // Unblocked: the set of streams changed.
      for (const [stream, entries] of reply) {
        // A stream left meanwhile, or left and followed anew from another id, is skipped.
        const followed = this.#followed.get(stream);
        if (followed !== undefined && asked.has(followed)) followed.receive(entries);
      }
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
