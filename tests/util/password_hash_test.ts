import { assert, assertEquals, assertMatch, assertNotEquals } from "@std/assert";
import {
  hashPassword,
  MAX_CONCURRENT_HASHES,
  MAX_PASSWORD_BYTES,
  MIN_PASSWORD_CHARS,
  passwordProblem,
  SCRYPT_BLOCK_SIZE,
  SCRYPT_COST,
  SCRYPT_PARALLELISM,
  verifyPassword,
} from "../../lib/util/password_hash.ts";

Deno.test("password hash: salted scrypt with its parameters; the right password matches, others do not", async () => {
  const first = await hashPassword("correct horse");
  const second = await hashPassword("correct horse");
  assertMatch(
    first,
    new RegExp(
      `^scrypt\\$${SCRYPT_COST}\\$${SCRYPT_BLOCK_SIZE}\\$${SCRYPT_PARALLELISM}\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$`,
    ),
  );
  assertNotEquals(first, second, "each hash has its own salt");
  assertEquals(await verifyPassword("correct horse", first), true);
  assertEquals(await verifyPassword("correct horse", second), true);
  assertEquals(await verifyPassword("correct horsf", first), false);
  assertEquals(await verifyPassword("", first), false);
  assertEquals(first.includes("correct"), false);
});

Deno.test("password hash: a Korean password matches whether typed composed or decomposed (NFC)", async () => {
  const composed = "비밀번호 한글";
  const hash = await hashPassword(composed);
  assertEquals(await verifyPassword(composed.normalize("NFD"), hash), true);
});

Deno.test("password hash: a stored hash that is not ours, or asks too much, never matches", async () => {
  const good = await hashPassword("password one");
  const [, , r, p, salt, key] = good.split("$");
  for (
    const bad of [
      "",
      "plain text",
      good.replace("scrypt$", "bcrypt$"),
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // not a power of two
      `scrypt$${2 ** 22}$${r}$${p}$${salt}$${key}`, // gigabytes
      `scrypt$16384$${r}$${p}$${salt}$`,
    ]
  ) {
    assertEquals(await verifyPassword("password one", bad), false, bad);
  }
});

Deno.test("password rules: at least 8 characters (Korean counts per character), at most the byte cap", () => {
  assertEquals(passwordProblem("1234567"), {
    code: "passwordTooShort",
    minChars: MIN_PASSWORD_CHARS,
  });
  assertEquals(passwordProblem("12345678"), undefined);
  assertEquals(passwordProblem("한국어비밀번호다"), undefined, "8 Korean characters");
  assertEquals(passwordProblem("x".repeat(1000)), undefined);
  assertEquals(passwordProblem("가".repeat(1400)), {
    code: "passwordTooLong",
    maxBytes: MAX_PASSWORD_BYTES,
  });
});

Deno.test("password hash: hashing runs off the event loop: timers keep firing meanwhile", async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const started = performance.now();
  const hashes = await Promise.all(
    Array.from({ length: MAX_CONCURRENT_HASHES * 2 }, (_, i) => hashPassword(`password ${i}`)),
  );
  const elapsedMs = performance.now() - started;
  clearInterval(timer);
  assertEquals(new Set(hashes).size, hashes.length);
  // The loop kept turning while the hashes ran (a blocking hash would starve the timer).
  assert(ticks >= elapsedMs / 20, `${ticks} ticks in ${elapsedMs.toFixed(0)} ms`);
});
