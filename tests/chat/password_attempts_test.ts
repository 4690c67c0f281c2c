import { assertEquals } from "@std/assert";
import {
  FAILURE_WINDOW_MS,
  FIRST_DELAY_MS,
  FREE_FAILURES,
  LocalPasswordAttempts,
  MAX_DELAY_MS,
  MAX_FAILURES_PER_WINDOW,
  MAX_TRACKED_ADDRESSES,
  verdictFor,
} from "../../lib/chat/password_attempts.ts";

Deno.test("password attempts: a first mistake costs nothing; past a few, answers wait, doubling", () => {
  assertEquals(verdictFor(0), { delayMs: 0, lockedOut: false });
  assertEquals(verdictFor(FREE_FAILURES - 1), { delayMs: 0, lockedOut: false });
  assertEquals(verdictFor(FREE_FAILURES), { delayMs: FIRST_DELAY_MS, lockedOut: false });
  assertEquals(verdictFor(FREE_FAILURES + 1).delayMs, FIRST_DELAY_MS * 2);
  assertEquals(verdictFor(MAX_FAILURES_PER_WINDOW - 1).delayMs <= MAX_DELAY_MS, true);
  assertEquals(verdictFor(MAX_FAILURES_PER_WINDOW), { delayMs: 0, lockedOut: true });
});

Deno.test("password attempts: counted per address across kinds, forgotten after the window", () => {
  let now = 1_000_000;
  const bursts: [string, number][] = [];
  const attempts = new LocalPasswordAttempts({
    now: () => now,
    observer: { burst: (address, failures) => bursts.push([address, failures]) },
  });
  for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) {
    attempts.failed("10.0.0.7", i % 2 === 0 ? "server" : "operator");
    now += 1_000;
  }
  assertEquals(attempts.verdict("10.0.0.7").lockedOut, true);
  assertEquals(attempts.verdict("10.0.0.8"), { delayMs: 0, lockedOut: false }, "another address");
  assertEquals(bursts, [["10.0.0.7", FREE_FAILURES]], "one console line per burst");
  now += FAILURE_WINDOW_MS;
  assertEquals(attempts.verdict("10.0.0.7"), { delayMs: 0, lockedOut: false });
});

Deno.test("password attempts: a flood of addresses keeps a bounded map", () => {
  const attempts = new LocalPasswordAttempts({ now: () => 0 });
  for (let i = 0; i <= MAX_TRACKED_ADDRESSES; i++) attempts.failed(`a${i}`, "account");
  for (let i = 0; i < FREE_FAILURES; i++) attempts.failed("last", "account");
  assertEquals(attempts.verdict("a0").delayMs, 0, "the oldest address was forgotten");
  assertEquals(attempts.verdict("last").delayMs, FIRST_DELAY_MS);
});
