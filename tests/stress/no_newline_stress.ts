/**
 * Stress (issue 4, item 1): 100 clients stream bytes with no newline as fast as
 * they can into a `main.ts server` child with its default 8 KiB line cap, and
 * keep streaming after the server's error line until it closes them (after at
 * most MAX_DISCARD_BYTES more). Every one
 * must get the error line and be closed; a normal client must still join and
 * chat; the server's memory (VmRSS and VmHWM from /proc/<pid>/status) must not
 * follow the bytes received.
 *
 * Not part of `deno task test`: run by `deno task stress`.
 *
 * @module
 */

import { assertEquals, assertGreater, assertLess } from "@std/assert";
import { LineClient } from "../_server_helpers.ts";
import { RawClient, within } from "../fixtures/raw_client.ts";
import { startServerProcess } from "../_helpers.ts";
import { mib, readMemory } from "./_fixtures.ts";

/** A server child starting on a machine busy with this very test may be slow to listen. */
const LISTEN_TIMEOUT_MS = 15_000;
const CLIENTS = 100;
const CHUNK_BYTES = 64 * 1024;
const LINE_TOO_LONG = "한 줄이 너무 깁니다 (최대 8192바이트). 연결을 종료합니다.";

Deno.test(
  "stress: 100 clients streaming without a newline are cut at the line cap, and server memory does not follow the bytes",
  { timeout: 120_000 },
  async () => {
    // A hundred streamers from 127.0.0.1: the per-address cap is not this test's subject.
    await using server = await startServerProcess(
      ["--quiet", "--rate", "0", "--max-per-address", "1000"],
      undefined,
      LISTEN_TIMEOUT_MS,
    );
    await using stack = new AsyncDisposableStack();
    const before = readMemory(server.child.pid);

    const chunk = new Uint8Array(CHUNK_BYTES).fill(0x61);
    let sentBytes = 0;
    const streamers: RawClient[] = [];
    const streams: Promise<void>[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const c = stack.use(await RawClient.connect(server.port));
      streamers.push(c);
      // Half join first (the chat state), half stream into the nickname prompt.
      if (i % 2 === 0) await c.join(`s${i}`);
      streams.push((async () => {
        try {
          // A hostile client: it ignores the error line and the FIN, and keeps writing.
          while (true) {
            await c.write(chunk);
            sentBytes += CHUNK_BYTES;
          }
        } catch {
          // The server closed the connection: the write fails.
        }
      })());
    }
    await within(Promise.all(streams), "every streamer to be closed", 30_000);
    const during = readMemory(server.child.pid);
    for (const c of streamers) {
      await c.waitClosed(10_000);
      assertEquals(c.text.split("\n").filter((l) => l === LINE_TOO_LONG).length, 1, c.tail());
    }

    await using late = await LineClient.connect(server.port);
    await late.join("late");
    await late.send("hello");
    await late.waitFor("late> hello");
    const after = readMemory(server.child.pid);
    console.log(
      `${CLIENTS} clients sent ${mib(sentBytes / 1024)} without a newline; server VmRSS ` +
        `${mib(before.rssKiB)} before, ${mib(during.rssKiB)} when all were closed, ` +
        `${mib(after.rssKiB)} after; VmHWM ${mib(after.peakKiB)}`,
    );
    // Each streamer is cut off after the line cap plus what the server discards while
    // closing (MAX_DISCARD_BYTES) plus the kernel's buffers: a couple of MiB each.
    assertGreater(sentBytes, 128 * 1024 * 1024, "the streamers sent too little to tell");
    // Buffering the streams would grow memory by about what was sent (well over
    // 128 MiB); what remains is the runtime's own high-water mark.
    const growthKiB = after.peakKiB - before.rssKiB;
    assertLess(growthKiB, 64 * 1024, `server memory grew by ${mib(growthKiB)}`);
    await late.close();
    await stack.disposeAsync();
    server.child.kill("SIGTERM");
    assertEquals((await server.child.exit()).code, 0, server.child.describe());
  },
);
