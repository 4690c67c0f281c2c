/**
 * Stress (issue 4, item 4): a client that never reads, while three others move
 * tens of megabytes through a `main.ts server` child with its default limits
 * (flood control off, as for the benchmark). The same traffic runs twice, each
 * on a fresh server: without the slow client and with it. The others must
 * finish about as fast with it, receive every line, and see it dropped; the
 * server's memory (VmRSS and VmHWM from /proc/<pid>/status) must stay bounded.
 *
 * Not part of `deno task test`: run by `deno task stress`.
 *
 * @module
 */

import { assert, assertEquals, assertLess } from "@std/assert";
import { SilentReader } from "../fixtures/raw_client.ts";
import { startServerProcess } from "../_helpers.ts";
import { Waiter } from "../fixtures/waiter.ts";
import { CountingClient, type Memory, mib, readMemory } from "./_fixtures.ts";

/** A server child starting on a machine busy with this very test may be slow to listen. */
const LISTEN_TIMEOUT_MS = 15_000;
const LINE_BYTES = 1024;
const TOTAL_BYTES = 64 * 1024 * 1024;
const LINES = TOTAL_BYTES / LINE_BYTES;
const WRITE_BYTES = 64 * 1024;
/** The sender stays at most this far ahead of the slowest fast reader (half the default outbox). */
const WINDOW_BYTES = 128 * 1024;

interface Run {
  ms: number;
  before: Memory;
  after: Memory;
  slowDropped: boolean;
}

async function run(withSlowReader: boolean): Promise<Run> {
  await using server = await startServerProcess(
    ["--quiet", "--rate", "0"],
    undefined,
    LISTEN_TIMEOUT_MS,
  );
  const prefix = "alice> ";
  await using alice = await CountingClient.join(server.port, "alice", prefix);
  await using bob = await CountingClient.join(server.port, "bob", prefix);
  await using carol = await CountingClient.join(server.port, "carol", prefix);
  const readers = [alice, bob, carol];
  await using slow = withSlowReader ? await SilentReader.join(server.port, "slow") : undefined;
  if (slow !== undefined) {
    await bob.until(() => bob.notices.includes("slow님이 입장하셨습니다."), "slow to join");
  }
  const before = readMemory(server.child.pid);

  // Lines of exactly LINE_BYTES with their newline, numbered.
  const line = (i: number) => {
    const head = `m${i} `;
    return head + "x".repeat(LINE_BYTES - head.length - 1) + "\n";
  };
  const perWrite = WRITE_BYTES / LINE_BYTES;
  const encoder = new TextEncoder();
  const minReceived = () => Math.min(...readers.map((r) => r.watchedLines));
  const progress = new Waiter(() => `${minReceived()} lines read by the slowest fast reader`);
  for (const r of readers) r.onProgress(() => progress.notify());

  const started = performance.now();
  for (let sent = 0; sent < LINES; sent += perWrite) {
    // Flow control: never more than WINDOW_BYTES ahead of the slowest fast reader.
    const caughtUp = () => (sent - minReceived()) * LINE_BYTES < WINDOW_BYTES;
    const disconnected = () => readers.some((r) => r.ended);
    await progress.until(() => caughtUp() || disconnected(), "the readers to catch up", 60_000);
    if (!caughtUp()) throw new Error("A fast reader was disconnected");
    const text = Array.from({ length: perWrite }, (_, k) => line(sent + k)).join("");
    await alice.write(encoder.encode(text));
  }
  for (const r of readers) await r.until(() => r.watchedLines === LINES, "every line");
  const ms = performance.now() - started;

  let slowDropped = false;
  if (slow !== undefined) {
    await bob.until(
      () => bob.notices.includes("slow님이 퇴장하셨습니다."),
      "slow to be dropped",
      10_000,
    );
    const drained = await slow.drain();
    slowDropped = drained.bytes < TOTAL_BYTES;
  }
  const after = readMemory(server.child.pid);
  for (const r of readers) {
    assertEquals(r.watchedLines, LINES);
    assertEquals(r.ended, false);
    await r[Symbol.asyncDispose]();
  }
  server.child.kill("SIGTERM");
  assertEquals((await server.child.exit()).code, 0, server.child.describe());
  return { ms, before, after, slowDropped };
}

Deno.test(
  "stress: a client that never reads does not slow the others moving 64 MiB, and server memory stays bounded",
  { timeout: 120_000 },
  async () => {
    const without = await run(false);
    const withSlow = await run(true);
    const report = (name: string, r: Run) =>
      `${name}: ${(r.ms / 1000).toFixed(2)} s, ` +
      `${((TOTAL_BYTES * 3) / 1024 / 1024 / (r.ms / 1000)).toFixed(0)} MiB/s delivered; ` +
      `server VmRSS ${mib(r.before.rssKiB)} before, ${mib(r.after.rssKiB)} after, ` +
      `VmHWM ${mib(r.after.peakKiB)}`;
    console.log(report("without the slow reader", without));
    console.log(report("with the slow reader   ", withSlow));
    assert(withSlow.slowDropped, "the slow reader was sent everything");
    assertLess(
      withSlow.ms,
      without.ms * 2 + 500,
      "the others were slowed down by a client that does not read",
    );
    // Unbounded buffering for the slow client would keep the whole stream (64 MiB) in memory.
    // The same traffic alone grows the server by some 20-25 MiB (V8's young generation widening
    // to its default size under load) and, now and then, a collection that comes late adds
    // 10-15 MiB more to the peak, with or without the slow reader; its own outbox is capped at
    // 512 KiB. So the bound is three quarters of the stream, and the report shows the difference.
    const growth = (r: Run) => r.after.peakKiB - r.before.rssKiB;
    console.log(
      `growth: ${mib(growth(without))} without, ${mib(growth(withSlow))} with the slow reader`,
    );
    assertLess(growth(withSlow), 48 * 1024, `server memory grew by ${mib(growth(withSlow))}`);
  },
);
