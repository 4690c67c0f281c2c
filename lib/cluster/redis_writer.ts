/**
 * The writes of a server that must survive a cut: a room's events, whispers and
 * kicks, bans. Each is sent at once; one that the cut caught in flight is kept,
 * in order, and sent again when Redis is back, before the chat is told it is
 * available (so it comes before anything typed meanwhile). An append sent again
 * goes through {@linkcode APPEND_MISSING}: the first `XADD` may have run before its
 * reply was lost, and the entry must be there once.
 *
 * A write that Redis refused (an error reply) is not sent again: it would be
 * refused again.
 *
 * @module
 */

import { isRefused, type RedisConnection } from "./redis_connection.ts";
import { APPEND_MISSING } from "./scripts.ts";

/**
 * Writes kept across one cut: far more than the lines in flight at any moment (the
 * sessions stop sending while Redis is away), and a bound if that ever fails.
 */
export const MAX_PENDING_WRITES = 10_000;

/** An append to a stream, as it was first sent. */
interface Append {
  stream: string;
  field: string;
  value: string;
  maxlen: string;
  /** The last id this server had read from the stream when it sent it (`""`: unknown). */
  after: string;
  done(sent: boolean): void;
}

const SENT = () => true;

/** Sends writes, and sends those a cut caught in flight again. */
export class RedisWriter {
  #connection: RedisConnection;
  #appends: Append[] = [];
  #commands: string[][] = [];

  /**
   * @param connection The link to Redis.
   */
  constructor(connection: RedisConnection) {
    this.#connection = connection;
  }

  /** Writes waiting to be sent again. */
  get pending(): number {
    return this.#appends.length + this.#commands.length;
  }

  /**
   * Appends an entry to a stream (`XADD … MAXLEN ~ maxlen * field value`).
   *
   * @param stream The stream.
   * @param field The entry's one field.
   * @param value Its value.
   * @param maxlen The stream's length bound, as a string.
   * @param after The last id this server has read from the stream (`""`: it does
   *   not read it): an entry sent again is looked for after it.
   * @returns `true` once the entry is in the stream (after a cut: once Redis is
   *   back); `false` when it cannot be (refused, stopped, too many waiting).
   */
  append(
    stream: string,
    field: string,
    value: string,
    maxlen: string,
    after: string,
  ): Promise<boolean> {
    return this.#connection.call(["XADD", stream, "MAXLEN", "~", maxlen, "*", field, value]).then(
      SENT,
      (error) => {
        if (!this.#keeps(error)) return false;
        const { promise, resolve } = Promise.withResolvers<boolean>();
        this.#appends.push({ stream, field, value, maxlen, after, done: resolve });
        return promise;
      },
    );
  }

  /**
   * Sends a command that does the same when sent twice (`HSET`, `HDEL`), without
   * waiting; a cut's is sent again.
   *
   * @param args The command.
   */
  command(args: string[]): void {
    this.#connection.call(args).catch((error) => {
      if (this.#keeps(error)) this.#commands.push(args);
    });
  }

  /**
   * Sends again what a cut caught in flight, in order (each stream's entries in
   * one script). Runs while the link is preparing, before it is ready.
   *
   * @returns When all of it is in Redis.
   * @throws When the link was cut again: what is left waits for the next time.
   */
  async resend(): Promise<void> {
    const appends = this.#appends;
    const commands = this.#commands;
    this.#appends = [];
    this.#commands = [];
    const byStream = new Map<string, Append[]>();
    for (const append of appends) {
      const group = byStream.get(append.stream);
      if (group === undefined) byStream.set(append.stream, [append]);
      else group.push(append);
    }
    let cut: unknown;
    const sends: Promise<void>[] = [];
    for (const [stream, group] of byStream) {
      const first = group[0];
      // The earliest position is the first's; one that was not known means none is.
      const after = group.some((append) => append.after === "") ? "" : first.after;
      const values = group.map((append) => append.value);
      sends.push(
        this.#connection.eval(APPEND_MISSING, [stream], [
          after,
          first.field,
          first.maxlen,
          ...values,
        ]).then(() => {
          for (const append of group) append.done(true);
        }, (error) => {
          if (!this.#keeps(error)) {
            for (const append of group) append.done(false);
            return;
          }
          cut = error;
          this.#appends.push(...group);
        }),
      );
    }
    for (const args of commands) {
      sends.push(
        this.#connection.call(args).then(() => {}, (error) => {
          if (!this.#keeps(error)) return;
          cut = error;
          this.#commands.push(args);
        }),
      );
    }
    await Promise.all(sends);
    if (cut !== undefined) throw cut;
  }

  /** Gives up what waits (the server is stopping): its senders learn it was not sent. */
  stop(): void {
    for (const append of this.#appends) append.done(false);
    this.#appends = [];
    this.#commands = [];
  }

  /** Whether a failed write is kept for later: cut off (not refused), not stopping, room left. */
  #keeps(error: unknown): boolean {
    return !isRefused(error) && !this.#connection.stopped && this.pending < MAX_PENDING_WRITES;
  }
}
