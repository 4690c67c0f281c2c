/**
 * Wrong password answers counted in Redis, so that every server of a cluster sees
 * the same counts: guesses spread over the servers count together. One sorted set
 * per address (`chat:attempts:{address}`) holds a member per wrong answer, scored
 * with Redis's time (the servers' clocks need not agree); those older than the
 * window are dropped, and the key expires with it.
 *
 * This server also counts its own in memory, and the stricter of the two decides:
 * while Redis cannot be reached, or has lost its data, a guesser is still slowed.
 *
 * @module
 */

import {
  type AttemptsObserver,
  type AttemptVerdict,
  FAILURE_WINDOW_MS,
  FREE_FAILURES,
  LocalPasswordAttempts,
  MAX_FAILURES_PER_WINDOW,
  type PasswordAttempts,
  type PasswordKind,
  verdictFor,
} from "../chat/password_attempts.ts";
import { keys } from "./keys.ts";
import type { RedisConnection } from "./redis_connection.ts";
import { ADD_FAILURE, COUNT_FAILURES } from "./scripts.ts";

/** Wrong answers kept per address: past the cap more would change nothing. */
const MAX_KEPT = String(MAX_FAILURES_PER_WINDOW * 2);
const WINDOW = String(FAILURE_WINDOW_MS);

/** The counts of a cluster, shared through Redis. */
export class RedisPasswordAttempts implements PasswordAttempts {
  #connection: RedisConnection;
  #serverId: string;
  #observer: AttemptsObserver | undefined;
  #local = new LocalPasswordAttempts();
  /** Makes each answer's member unique within this server. */
  #sequence = 0;

  /**
   * @param connection The link to Redis.
   * @param serverId This server's id (members of different servers never collide).
   * @param observer The console, told once per burst.
   */
  constructor(connection: RedisConnection, serverId: string, observer?: AttemptsObserver) {
    this.#connection = connection;
    this.#serverId = serverId;
    this.#observer = observer;
  }

  /** @inheritdoc */
  verdict(address: string): AttemptVerdict | Promise<AttemptVerdict> {
    const local = this.#local.failures(address);
    if (!this.#connection.ready) return verdictFor(local);
    return this.#connection.eval<number>(COUNT_FAILURES, [keys.attempts(address)], [WINDOW]).then(
      (shared) => verdictFor(Math.max(local, Number(shared))),
      () => verdictFor(local),
    );
  }

  /**
   * Records a wrong answer here and in Redis.
   *
   * @param address The IP address.
   * @param kind Which password.
   * @returns When Redis has counted it (at once while Redis cannot be reached): the
   *   answer waits for it, so that the next guess on any server is judged with it.
   *   Never rejects.
   */
  failed(address: string, kind: PasswordKind): void | Promise<void> {
    this.#local.failed(address, kind);
    const local = this.#local.failures(address);
    // One server says a burst: the one whose answer made the shared count reach it.
    const tell = (failures: number) => {
      if (failures === FREE_FAILURES) this.#observer?.burst(address, failures);
    };
    if (!this.#connection.ready) {
      tell(local);
      return;
    }
    const member = `${this.#serverId}:${++this.#sequence}`;
    return this.#connection.eval<number>(
      ADD_FAILURE,
      [keys.attempts(address)],
      [WINDOW, member, MAX_KEPT],
    ).then((shared) => tell(Number(shared)), () => tell(local));
  }
}
