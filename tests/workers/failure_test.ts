/**
 * Workers that fail, stop, or have a slow reader: what the others see.
 *
 * @module
 */

import { assert, assertEquals, assertLess } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { MAX_FAILURES } from "../../lib/workers/coordinator.ts";
import { SilentReader } from "../fixtures/raw_client.ts";
import { joinOnEveryWorker, joinOnWorker, startWorkerServer, waitUntil } from "./_workers.ts";

const m = userText("ko");

Deno.test("workers: a worker that throws is replaced; the others keep serving and see its users leave", async () => {
  await using s = await startWorkerServer(
    2,
    {},
    new URL("./_throwing_worker.ts", import.meta.url),
  );
  await using stay = await joinOnWorker(s, 0, "stay");
  await using victim = await joinOnWorker(s, 1, "victim");
  await stay.send("@victim crash now");
  await stay.waitFor(m.left("victim"));
  await victim.waitClosed();
  await waitUntil(() => s.sink.text.includes("워커 1번이 멈췄습니다"));
  assert(s.sink.text.includes("a bug in a worker"), s.sink.text);
  await stay.send("아직 여기 있어요");
  await stay.waitFor("stay> 아직 여기 있어요");
  await s.coordinator.serving(1);
  await using back = await joinOnWorker(s, 1, "victim");
  await back.send("돌아왔어요");
  await stay.waitFor("victim> 돌아왔어요");
});

Deno.test("workers: shutdown tells every worker's clients and closes them; finished says it ended well", async () => {
  const s = await startWorkerServer(2);
  await using spread = await joinOnEveryWorker(s, "s");
  const ended = s.coordinator.shutdown();
  for (const { client } of spread.all) {
    const rest = await client.waitClosed();
    assertEquals(rest[rest.length - 1], m.shuttingDown);
  }
  assertEquals(await ended, true);
  // Said once, not once per worker.
  assertEquals(s.sink.text.split("\n").filter((l) => l === "서버를 종료합니다...").length, 1);
});

/** `n` numbered lines of `bytes` each, as one string ready to write. */
function bulk(prefix: string, n: number, bytes: number): { text: string; last: string } {
  const parts: string[] = [];
  let last = "";
  for (let i = 0; i < n; i++) {
    const head = `${prefix} ${i} `;
    last = head + "x".repeat(Math.max(0, bytes - head.length));
    parts.push(last + "\n");
  }
  return { text: parts.join(""), last };
}

Deno.test("workers: a slow reader on one worker is dropped without slowing the members of another", async () => {
  await using s = await startWorkerServer(2, { maxOutboxBytes: 64 * 1024 });
  await using alice = await joinOnWorker(s, 1, "alice");
  await using bob = await joinOnWorker(s, 1, "bob");
  let slow: SilentReader | undefined;
  let slowNick = "";
  for (let i = 0; slow === undefined; i++) {
    assertLess(i, 60, "no connection landed on worker 0");
    const candidate = await SilentReader.join(s.port, `slow${i}`);
    await bob.waitFor(m.joined(`slow${i}`));
    if (s.coordinator.workerOf(`slow${i}`) !== 0) {
      candidate.close();
      continue;
    }
    slow = candidate;
    slowNick = `slow${i}`;
  }
  await using _slow = slow;
  // 1 KiB lines in 100 KiB writes until the slow reader is gone (the loopback kernel
  // buffers alone hold a few MiB); bob gets each write's last line before the next.
  let sent = 0;
  for (let round = 0; sent < 2048 || !bob.received.includes(m.left(slowNick)); round++) {
    assertLess(sent, 64 * 1024, "64 MiB sent and the slow reader was never dropped");
    const batch = bulk(`m${round}`, 100, 1024);
    await alice.write(batch.text);
    sent += 100;
    await bob.waitFor(`alice> ${batch.last}`);
  }
  assertEquals(bob.received.filter((l) => l.startsWith("alice> m")).length, sent);
  await waitUntil(() => s.sink.text.includes(`(${slowNick}) - 출력 버퍼 가득 참`));
});

Deno.test("workers: a worker that fails too often takes the server down with a line, and finished says so", async () => {
  const s = await startWorkerServer(2);
  await using stay = await joinOnWorker(s, 0, "stay");
  for (let i = 0; i < MAX_FAILURES; i++) {
    s.coordinator.kill(1);
    await s.coordinator.serving(1);
  }
  s.coordinator.kill(1);
  // The other worker's clients are told, as at any shutdown.
  const rest = await stay.waitClosed();
  assertEquals(rest[rest.length - 1], m.shuttingDown);
  assertEquals(await s.coordinator.finished, false);
  assert(
    s.sink.text.includes("너무 자주 멈춰 서버를 종료합니다."),
    s.sink.text,
  );
});
