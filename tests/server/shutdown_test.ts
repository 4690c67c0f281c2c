/**
 * Graceful shutdown (issue 4, item 8): in process with `server.shutdown()`, and
 * as a real `main.ts server` process stopped with SIGTERM and SIGINT.
 *
 * @module
 */

import { assert, assertEquals, assertLess, assertRejects } from "@std/assert";
import { consoleText } from "../../lib/catalog/console_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { startServerProcess } from "../_helpers.ts";
import { joinAll, LineClient, startServer } from "../_server_helpers.ts";
import { RawClient, SilentReader, within } from "../fixtures/raw_client.ts";

const m = { ...userText("ko"), ...consoleText("ko") };
const NOTICE = "서버가 종료됩니다.";
const TEST_TIMEOUT_MS = 20_000;
/** "Exits within a few seconds", even with a client that never reads. */
const SHUTDOWN_BOUND_MS = 4_000;

Deno.test(
  "shutdown: every client, joined or not, gets the notice and then EOF, and finished resolves",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    await using newcomer = await LineClient.connect(s.port);
    await newcomer.waitFor(m.nicknamePrompt);

    const finished = s.server.shutdown();
    for (const c of [alice, bob, newcomer]) {
      await c.waitFor(NOTICE);
      assertEquals(await c.waitClosed(), [], "nothing after the notice");
      await c.close();
    }
    await within(finished, "finished");
    assertEquals(s.server.connections, 0);
    assertEquals(count(bob.received, m.left("alice")), 0, "a leave notice at shutdown");
    await assertRejects(
      () => Deno.connect({ hostname: "127.0.0.1", port: s.port }),
      Deno.errors.ConnectionRefused,
    );
  },
);

Deno.test(
  "shutdown: output queued for a client that was not reading yet is flushed before the notice",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ maxOutboxBytes: 16 * 1024 * 1024 });
    await using alice = (await joinAll(s.port, "alice"))[0];
    await using late = await SilentReader.join(s.port, "late");
    await alice.waitFor(m.joined("late"));
    // 2 MB broadcast while late does not read: most of it waits in late's outbox.
    const lines = Array.from({ length: 2000 }, (_, i) => `q${i} ${"x".repeat(1000)}`);
    await alice.write(lines.map((l) => l + "\n").join(""));
    await alice.waitFor(`alice> ${lines.at(-1)}`);

    const finished = s.server.shutdown();
    const received = await late.readAll();
    late.close();
    await alice.waitFor(NOTICE);
    await alice.waitClosed();
    await alice.close();
    await within(finished, "finished");
    const text = new TextDecoder().decode(received.bytes);
    const got = text.split("\n").filter((l) => l.startsWith("alice> q"));
    assertEquals(got.length, lines.length, "queued lines were lost at shutdown");
    assert(text.endsWith(`alice> ${lines.at(-1)}\n${NOTICE}\n`), text.slice(-200));
    assertEquals(received.endedBy, "eof");
  },
);

Deno.test(
  "shutdown: a client that never reads cannot hold it up for more than a few seconds",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ maxOutboxBytes: 64 * 1024 * 1024 });
    await using alice = (await joinAll(s.port, "alice"))[0];
    await using _stuck = await SilentReader.join(s.port, "stuck");
    await alice.waitFor(m.joined("stuck"));
    // 8 MB: more than the kernel buffers hold, so the server's write to it is pending.
    const lines = Array.from({ length: 8000 }, (_, i) => `s${i} ${"x".repeat(1000)}`);
    await alice.write(lines.map((l) => l + "\n").join(""));
    await alice.waitFor(`alice> ${lines.at(-1)}`);

    const started = performance.now();
    const finished = s.server.shutdown();
    await alice.waitFor(NOTICE);
    await alice.waitClosed();
    await alice.close();
    await within(finished, "finished", 10_000);
    const elapsed = performance.now() - started;
    assertLess(elapsed, SHUTDOWN_BOUND_MS, `shutdown took ${Math.round(elapsed)} ms`);
  },
);

Deno.test(
  "shutdown: a client that sends a line during shutdown gets no reply, only the notice and EOF",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    const finished = s.server.shutdown();
    await alice.send("too late");
    await alice.waitFor(NOTICE);
    await alice.waitClosed();
    await bob.waitFor(NOTICE);
    await bob.waitClosed();
    await alice.close();
    await bob.close();
    await within(finished, "finished");
    assertEquals(bob.received.filter((l) => l.includes("too late")), []);
  },
);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(
    `shutdown: main.ts server stopped with ${signal} tells every client, closes them, and exits 0 within a few seconds`,
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const { child, port } = await startServerProcess(["--quiet"]);
      await using _child = child;
      await using joined = await joinAll(port, "alice", "bob");
      const [alice, bob] = joined;
      await using newcomer = await RawClient.connect(port);
      await newcomer.waitForText(m.nicknamePrompt + "\n");
      await alice.send("before");
      await bob.waitFor("alice> before");

      const started = performance.now();
      child.kill(signal);
      for (const c of [alice, bob]) {
        await c.waitFor(NOTICE);
        assertEquals(await c.waitClosed(), []);
        await c.close();
      }
      await newcomer.waitForText(NOTICE + "\n");
      await newcomer.waitClosed();
      await newcomer.close();
      const status = await child.exit(5_000);
      const elapsed = performance.now() - started;
      assertEquals(status.code, 0, child.describe());
      assertEquals(status.signal, null, child.describe());
      assertLess(elapsed, 3_000, `exit took ${Math.round(elapsed)} ms`);
      assert(child.stdout.has(m.logShutdown), child.describe());
      assertEquals(child.stderr.lines, [], child.describe());
    },
  );
}

Deno.test(
  "shutdown: main.ts server with SIGTERM exits 0 within a few seconds even when a client never reads",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const { child, port } = await startServerProcess([
      "--quiet",
      "--rate",
      "0",
      "--max-outbox-bytes",
      String(64 * 1024 * 1024),
    ]);
    await using _child = child;
    await using alice = (await joinAll(port, "alice"))[0];
    await using _stuck = await SilentReader.join(port, "stuck");
    await alice.waitFor(m.joined("stuck"));
    const lines = Array.from({ length: 8000 }, (_, i) => `s${i} ${"x".repeat(1000)}`);
    await alice.write(lines.map((l) => l + "\n").join(""));
    await alice.waitFor(`alice> ${lines.at(-1)}`);

    const started = performance.now();
    child.kill("SIGTERM");
    await alice.waitFor(NOTICE);
    await alice.waitClosed();
    await alice.close();
    const status = await child.exit(10_000);
    const elapsed = performance.now() - started;
    assertEquals(status.code, 0, child.describe());
    assertLess(elapsed, SHUTDOWN_BOUND_MS, `exit took ${Math.round(elapsed)} ms`);
  },
);

function count(lines: readonly string[], line: string): number {
  return lines.filter((l) => l === line).length;
}
