/**
 * Wrong password answers, counted per address across connections: the server
 * password, `/op` and account passwords all go through one {@linkcode PasswordAttempts}.
 * A first mistake costs nothing; past a few, each answer waits longer before it is
 * given (the answer itself waits, not only the close), and past a cap an address
 * gets no answer checked until its window passes. Guessing from one address is then
 * a few tries a minute, whatever the number of connections.
 *
 * The counts live where the seam says: in memory on one server
 * ({@linkcode LocalPasswordAttempts}), in Redis in a cluster (so every server sees
 * the same counts).
 *
 * @module
 */

import type { MaybePromise } from "../util/maybe_async.ts";

/** Which password was answered. */
export type PasswordKind = "server" | "operator" | "account";

/** What an address may do before its next answer is checked. */
export interface AttemptVerdict {
  /** Milliseconds to wait before checking and answering (`0`: at once). */
  delayMs: number;
  /** The address passed the cap: its answer is not checked at all, only refused. */
  lockedOut: boolean;
}

/** What the limiter tells the server console. */
export interface AttemptsObserver {
  /**
   * An address started a burst of wrong answers (its answers now wait); said once
   * per burst, not per answer.
   *
   * @param address The IP address.
   * @param failures Its wrong answers in the window so far.
   */
  burst(address: string, failures: number): void;
}

/** Counts wrong password answers per address. */
export interface PasswordAttempts {
  /**
   * How an answer from this address is to be treated now: at once, after a delay,
   * or refused unchecked.
   *
   * @param address The IP address.
   * @returns The verdict.
   */
  verdict(address: string): MaybePromise<AttemptVerdict>;
  /**
   * Records a wrong answer. The answer is given only once it is counted: a guess
   * answered before its count is seen by every server would let the next guess,
   * on another server, be judged on a stale count.
   *
   * @param address The IP address.
   * @param kind Which password.
   * @returns When it is counted (at once in memory; when Redis has it in a cluster).
   */
  failed(address: string, kind: PasswordKind): MaybePromise<void>;
}

/** Wrong answers an address may give in a window before its answers start to wait. */
export const FREE_FAILURES = 3;
/** The window the failures of an address are counted in. */
export const FAILURE_WINDOW_MS = 60_000;
/** Wrong answers per window past which an address's answers are refused unchecked. */
export const MAX_FAILURES_PER_WINDOW = 10;
/** The first wait, after {@linkcode FREE_FAILURES}; each failure after it doubles it. */
export const FIRST_DELAY_MS = 500;
/** The longest wait before an answer: a guesser is slowed, a user is not stuck for long. */
export const MAX_DELAY_MS = 16_000;
/** Addresses remembered at most: a flood of addresses cannot grow memory without bound. */
export const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * The verdict for an address with `failures` wrong answers in its window.
 *
 * @param failures Wrong answers in the window.
 * @returns How its next answer is treated.
 */
export function verdictFor(failures: number): AttemptVerdict {
  if (failures >= MAX_FAILURES_PER_WINDOW) return { delayMs: 0, lockedOut: true };
  if (failures < FREE_FAILURES) return { delayMs: 0, lockedOut: false };
  const delayMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - FREE_FAILURES));
  return { delayMs, lockedOut: false };
}

/** The counts of one server, in memory. */
export class LocalPasswordAttempts implements PasswordAttempts {
  /** Address → times of its wrong answers in the window, oldest first. */
  #failures = new Map<string, number[]>();
  #observer: AttemptsObserver | undefined;
  #now: () => number;

  /**
   * @param options The console, and the clock (for tests). @default {Date.now}
   */
  constructor(options: { observer?: AttemptsObserver; now?: () => number } = {}) {
    this.#observer = options.observer;
    this.#now = options.now ?? Date.now;
  }

  /** @inheritdoc */
  verdict(address: string): AttemptVerdict {
    return verdictFor(this.#recent(address).length);
  }

  /**
   * The wrong answers of an address in the window.
   *
   * @param address The IP address.
   * @returns How many.
   */
  failures(address: string): number {
    return this.#recent(address).length;
  }

  /** @inheritdoc */
  failed(address: string, _kind: PasswordKind): void {
    const times = this.#recent(address);
    times.push(this.#now());
    // A new entry goes last: the first key is the one touched longest ago.
    this.#failures.delete(address);
    this.#failures.set(address, times);
    if (this.#failures.size > MAX_TRACKED_ADDRESSES) {
      this.#failures.delete(this.#failures.keys().next().value!);
    }
    if (times.length === FREE_FAILURES) this.#observer?.burst(address, times.length);
  }

  /** The address's failures still in the window (older ones forgotten). */
  #recent(address: string): number[] {
    const times = this.#failures.get(address);
    if (times === undefined) return [];
    const since = this.#now() - FAILURE_WINDOW_MS;
    let drop = 0;
    while (drop < times.length && times[drop] <= since) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) this.#failures.delete(address);
    return times;
  }
}
