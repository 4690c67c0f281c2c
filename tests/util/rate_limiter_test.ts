import { assert, assertEquals, assertFalse } from "@std/assert";
import { RateLimiter } from "../../lib/util/rate_limiter.ts";

/** Counts how many of `count` lines at one instant pass. */
function passing(limiter: RateLimiter, count: number, now: number): number {
  let passed = 0;
  for (let i = 0; i < count; i++) if (limiter.tryTake(now)) passed++;
  return passed;
}

Deno.test("rate limiter lets a full burst through at once, then refuses", () => {
  const limiter = new RateLimiter({ linesPerSecond: 10, burst: 5 }, 0);
  assert(limiter.enabled);
  assertEquals(passing(limiter, 8, 0), 5);
  assertFalse(limiter.tryTake(0));
});

Deno.test("rate limiter gives tokens back at the steady rate", () => {
  const limiter = new RateLimiter({ linesPerSecond: 10, burst: 5 }, 0);
  assertEquals(passing(limiter, 5, 0), 5);
  assertFalse(limiter.tryTake(50), "half a token after 50 ms");
  assert(limiter.tryTake(100), "a whole token after 100 ms");
  assertFalse(limiter.tryTake(100));
  assertEquals(passing(limiter, 10, 400), 3, "three tokens after 300 ms more");
});

Deno.test("rate limiter never stores more than the burst after a quiet spell", () => {
  const limiter = new RateLimiter({ linesPerSecond: 10, burst: 5 }, 0);
  assertEquals(passing(limiter, 100, 60_000), 5);
});

Deno.test("rate limiter keeps the average rate over time", () => {
  const limiter = new RateLimiter({ linesPerSecond: 20, burst: 1 }, 0);
  let passed = 0;
  // 10 attempts per millisecond for 10 seconds.
  for (let ms = 0; ms < 10_000; ms++) passed += passing(limiter, 10, ms);
  assert(passed >= 199 && passed <= 201, `about 200 lines in 10 s, got ${passed}`);
});

Deno.test("rate limiter with rate 0 is off and lets everything through", () => {
  const limiter = new RateLimiter({ linesPerSecond: 0, burst: 1 }, 0);
  assertFalse(limiter.enabled);
  assertEquals(passing(limiter, 10_000, 0), 10_000);
});

Deno.test("rate limiter treats a burst below 1 as 1", () => {
  const limiter = new RateLimiter({ linesPerSecond: 1, burst: 0 }, 0);
  assertEquals(passing(limiter, 3, 0), 1);
  assertEquals(passing(limiter, 3, 1000), 1);
});
