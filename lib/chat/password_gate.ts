/**
 * The one door every password answer goes through (the server password, `/op`,
 * account passwords): the limiter of wrong answers per address
 * ({@linkcode PasswordAttempts}) is asked first, its delay is waited before the
 * answer is checked (the answer itself waits, not only the close), an address
 * past its cap is refused unchecked, and a wrong answer is counted.
 *
 * Answers from one address are checked one at a time, in order: thirty
 * connections that guess at once would otherwise all be answered before the
 * first wrong one is counted. A check that takes time (an account's scrypt, off
 * the event loop) holds the address's next answer until it is counted. A wrong
 * answer is given only once it is counted (in a cluster, once Redis has it): the
 * next guess, on any server, is judged with it. A user
 * who mistypes the server or operator password once meets no wait and no
 * promise: on one server the answer is given in the same turn.
 *
 * @module
 */

import type { MaybePromise, Step } from "../util/maybe_async.ts";
import type { AttemptVerdict, PasswordAttempts, PasswordKind } from "./password_attempts.ts";

/** What became of one answer. */
export type AnswerOutcome =
  /** It was checked and is right. */
  | "right"
  /** It was checked and is wrong (and counted). */
  | "wrong"
  /** It was not checked: too many wrong answers from its address lately. */
  | "lockedOut";

/** Checks password answers through the limiter, one at a time per address. */
export class PasswordGate {
  #attempts: PasswordAttempts;
  /** Address → the end of the answers waiting from it. */
  #queues = new Map<string, Promise<void>>();

  /**
   * @param attempts The counts of wrong answers (this server's, or the cluster's).
   */
  constructor(attempts: PasswordAttempts) {
    this.#attempts = attempts;
  }

  /**
   * Checks one answer.
   *
   * @param address The IP address it came from.
   * @param kind Which password.
   * @param matches Compares the answer with the password (in constant time), at
   *   once or later (an account's hash); called at most once, when its turn comes
   *   and its wait is over. A wrong answer is counted even if its connection ended
   *   while it was compared: the guess was made.
   * @param signal Aborted when the connection ends: its wait is cut short, and it is
   *   neither checked nor answered.
   * @param then Gets the outcome.
   * @returns When `then` is done: at once when nothing had to wait.
   */
  answer(
    address: string,
    kind: PasswordKind,
    matches: () => MaybePromise<boolean>,
    signal: AbortSignal,
    then: (outcome: AnswerOutcome) => Step,
  ): Step {
    if (!this.#queues.has(address)) {
      const verdict = this.#attempts.verdict(address);
      if (!(verdict instanceof Promise) && verdict.delayMs === 0) {
        if (verdict.lockedOut) return then("lockedOut");
        const right = matches();
        if (!(right instanceof Promise)) {
          const counted = this.#count(right, address, kind);
          if (!(counted instanceof Promise)) return then(counted);
          // Counted later (a cluster's): answered then, and the address's next answers wait.
          return this.#enqueue(address, () => this.#finish(counted, signal, then));
        }
        // Compared later: the address's next answers wait until this one is counted.
        return this.#enqueue(
          address,
          () => this.#finish(right.then((r) => this.#count(r, address, kind)), signal, then),
        );
      }
      return this.#enqueue(
        address,
        () => this.#turn(verdict, address, kind, matches, signal, then),
      );
    }
    // Asked when its turn comes: after the answers before it were counted.
    return this.#enqueue(
      address,
      () => this.#turn(this.#attempts.verdict(address), address, kind, matches, signal, then),
    );
  }

  /** Runs `turn` after every answer queued from the address; the queue goes on after a failure. */
  #enqueue(address: string, turn: () => Promise<void>): Promise<void> {
    const mine = (this.#queues.get(address) ?? Promise.resolve()).then(turn);
    const tail = mine.catch(() => {});
    this.#queues.set(address, tail);
    void tail.then(() => {
      if (this.#queues.get(address) === tail) this.#queues.delete(address);
    });
    return mine;
  }

  async #turn(
    pending: MaybePromise<AttemptVerdict>,
    address: string,
    kind: PasswordKind,
    matches: () => MaybePromise<boolean>,
    signal: AbortSignal,
    then: (outcome: AnswerOutcome) => Step,
  ): Promise<void> {
    if (signal.aborted) return;
    const verdict = await pending;
    if (signal.aborted) return;
    if (verdict.lockedOut) {
      await then("lockedOut");
      return;
    }
    if (verdict.delayMs > 0) await waitUnlessAborted(verdict.delayMs, signal);
    if (signal.aborted) return;
    const matched = matches();
    await this.#finish(
      matched instanceof Promise
        ? matched.then((right) => this.#count(right, address, kind))
        : this.#count(matched, address, kind),
      signal,
      then,
    );
  }

  /** Gives the outcome once the answer is counted, unless its connection ended. */
  async #finish(
    counted: MaybePromise<AnswerOutcome>,
    signal: AbortSignal,
    then: (outcome: AnswerOutcome) => Step,
  ): Promise<void> {
    const outcome = await counted;
    if (signal.aborted) return;
    await then(outcome);
  }

  /**
   * A wrong answer is counted for its address; the outcome comes once it is
   * counted (later in a cluster, where every server must see the count first).
   */
  #count(right: boolean, address: string, kind: PasswordKind): MaybePromise<AnswerOutcome> {
    if (right) return "right";
    const counted = this.#attempts.failed(address, kind);
    return counted instanceof Promise ? counted.then((): AnswerOutcome => "wrong") : "wrong";
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (the timer is cleared either way). */
function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
