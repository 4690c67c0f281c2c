import { assert, assertEquals } from "@std/assert";
import type {
  AttemptVerdict,
  PasswordAttempts,
  PasswordKind,
} from "../../lib/chat/password_attempts.ts";
import { type AnswerOutcome, PasswordGate } from "../../lib/chat/password_gate.ts";

/** Counts per address in memory; past an address's first failure its answers wait `delayMs`. */
class StubAttempts implements PasswordAttempts {
  readonly log: string[] = [];
  readonly counts = new Map<string, number>();
  constructor(readonly delayMs = 5, readonly lockAt = Infinity, readonly later = false) {}
  verdict(address: string): AttemptVerdict | Promise<AttemptVerdict> {
    const failures = this.counts.get(address) ?? 0;
    this.log.push(`verdict ${address} after ${failures}`);
    const verdict = {
      delayMs: failures > 0 ? this.delayMs : 0,
      lockedOut: failures >= this.lockAt,
    };
    return this.later ? Promise.resolve(verdict) : verdict;
  }
  failed(address: string, kind: PasswordKind): void {
    this.counts.set(address, (this.counts.get(address) ?? 0) + 1);
    this.log.push(`failed ${address} ${kind}`);
  }
}

const never = new AbortController().signal;

Deno.test("password gate: a first wrong answer is checked and answered in the same turn", () => {
  const gate = new PasswordGate(new StubAttempts());
  let outcome: AnswerOutcome | undefined;
  const step = gate.answer("10.0.0.7", "server", () => false, never, (o) => {
    outcome = o;
  });
  assertEquals(step, undefined, "no promise");
  assertEquals(outcome, "wrong");
});

Deno.test("password gate: answers from one address are checked one at a time, each after the one before was counted", async () => {
  const attempts = new StubAttempts();
  const gate = new PasswordGate(attempts);
  const outcomes: string[] = [];
  const steps = ["a", "b", "c"].map((guess) =>
    gate.answer(
      "10.0.0.7",
      "server",
      () => {
        attempts.log.push(`check ${guess}`);
        return guess === "c";
      },
      never,
      (o) => {
        outcomes.push(`${guess} ${o}`);
      },
    )
  );
  assertEquals(outcomes, ["a wrong"], "the first at once; the others wait their turn");
  await Promise.all(steps);
  assertEquals(outcomes, ["a wrong", "b wrong", "c right"]);
  assertEquals(attempts.log, [
    "verdict 10.0.0.7 after 0",
    "check a",
    "failed 10.0.0.7 server",
    "verdict 10.0.0.7 after 1",
    "check b",
    "failed 10.0.0.7 server",
    "verdict 10.0.0.7 after 2",
    "check c",
  ]);
});

Deno.test("password gate: another address does not wait behind a guessing one", () => {
  const gate = new PasswordGate(new StubAttempts(60_000));
  const abort = new AbortController();
  gate.answer("10.0.0.7", "server", () => false, abort.signal, () => {});
  const waiting = gate.answer("10.0.0.7", "server", () => false, abort.signal, () => {});
  let outcome: AnswerOutcome | undefined;
  gate.answer("10.0.0.8", "operator", () => true, never, (o) => {
    outcome = o;
  });
  assertEquals(outcome, "right");
  abort.abort();
  return waiting;
});

Deno.test("password gate: a locked-out address is refused without its answer being checked", () => {
  const attempts = new StubAttempts(0, 0);
  const gate = new PasswordGate(attempts);
  let checked = false;
  let outcome: AnswerOutcome | undefined;
  gate.answer("10.0.0.7", "operator", () => (checked = true), never, (o) => {
    outcome = o;
  });
  assertEquals(outcome, "lockedOut");
  assert(!checked, "the password was not compared");
  assertEquals(attempts.counts.size, 0, "a refusal is not counted as a wrong answer");
});

Deno.test("password gate: an answer whose connection ended while it waited is neither checked nor answered", async () => {
  const attempts = new StubAttempts(60_000);
  attempts.counts.set("10.0.0.7", 1);
  const gate = new PasswordGate(attempts);
  const abort = new AbortController();
  let called = false;
  const step = gate.answer("10.0.0.7", "server", () => (called = true), abort.signal, () => {
    called = true;
  });
  assert(step instanceof Promise, "it waits");
  abort.abort();
  await step; // The minute's wait ends at once (the sanitizer sees no timer left).
  assert(!called);
  assertEquals(attempts.counts.get("10.0.0.7"), 1);
});

Deno.test("password gate: a verdict that comes later (a cluster's) is waited for", async () => {
  const gate = new PasswordGate(new StubAttempts(5, Infinity, true));
  let outcome: AnswerOutcome | undefined;
  const step = gate.answer("10.0.0.7", "account", () => true, never, (o) => {
    outcome = o;
  });
  assertEquals(outcome, undefined);
  await step;
  assertEquals(outcome, "right");
});

Deno.test("password gate: a check that finishes later (an account's hash) holds the address's next answer until it is counted", async () => {
  const attempts = new StubAttempts(0);
  const gate = new PasswordGate(attempts);
  const hash = Promise.withResolvers<boolean>();
  const outcomes: string[] = [];
  const first = gate.answer("10.0.0.7", "account", () => hash.promise, never, (o) => {
    outcomes.push(`first ${o}`);
  });
  const second = gate.answer(
    "10.0.0.7",
    "account",
    () => {
      attempts.log.push("check second");
      return true;
    },
    never,
    (o) => {
      outcomes.push(`second ${o}`);
    },
  );
  assert(first instanceof Promise && second instanceof Promise, "both wait for the hash");
  await Promise.resolve();
  assertEquals(attempts.log, ["verdict 10.0.0.7 after 0"], "the second is not even asked yet");
  hash.resolve(false);
  await Promise.all([first, second]);
  assertEquals(outcomes, ["first wrong", "second right"]);
  assertEquals(attempts.log, [
    "verdict 10.0.0.7 after 0",
    "failed 10.0.0.7 account",
    "verdict 10.0.0.7 after 1",
    "check second",
  ]);
});

Deno.test("password gate: a wrong answer whose connection ended while it was compared is counted, not answered", async () => {
  const attempts = new StubAttempts();
  const gate = new PasswordGate(attempts);
  const abort = new AbortController();
  const hash = Promise.withResolvers<boolean>();
  let answered = false;
  const step = gate.answer("10.0.0.7", "account", () => hash.promise, abort.signal, () => {
    answered = true;
  });
  abort.abort();
  hash.resolve(false);
  await step;
  assert(!answered);
  assertEquals(attempts.counts.get("10.0.0.7"), 1, "the guess was made");
});

/** Counts that a shared store (Redis) takes: each wrong answer is counted when `count()` says. */
class LaterCounts implements PasswordAttempts {
  readonly counted: string[] = [];
  #waiting: (() => void)[] = [];
  #arrived = Promise.withResolvers<void>();
  verdict(): AttemptVerdict {
    return { delayMs: 0, lockedOut: false };
  }
  failed(address: string): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#waiting.push(() => {
      this.counted.push(address);
      resolve();
    });
    this.#arrived.resolve();
    return promise;
  }
  /** Redis answers the oldest count, once one was sent. */
  async count(): Promise<void> {
    while (this.#waiting.length === 0) {
      this.#arrived = Promise.withResolvers<void>();
      await this.#arrived.promise;
    }
    this.#waiting.shift()!();
  }
}

Deno.test("password gate: a wrong answer is given only once the shared count has it, and the address's next answer waits for it", async () => {
  const counts = new LaterCounts();
  const gate = new PasswordGate(counts);
  const outcomes: string[] = [];
  const first = gate.answer("10.0.0.7", "operator", () => false, never, (o) => {
    outcomes.push(`first ${o} after ${counts.counted.length} counted`);
  });
  const second = gate.answer("10.0.0.7", "operator", () => false, never, (o) => {
    outcomes.push(`second ${o} after ${counts.counted.length} counted`);
  });
  assert(first instanceof Promise, "the answer waits for the count");
  await Promise.resolve();
  assertEquals(outcomes, [], "not answered before it is counted");
  await counts.count();
  await first;
  assertEquals(outcomes, ["first wrong after 1 counted"]);
  await counts.count();
  await second;
  assertEquals(outcomes, ["first wrong after 1 counted", "second wrong after 2 counted"]);
});
