/**
 * The counts of wrong password answers in a cluster: a server gives a wrong answer
 * only once Redis has counted it, so the guesser's next guess, on another server,
 * is judged with it (before, one extra guess could slip through between the
 * answer and the count).
 *
 * @module
 */

import { assertEquals, assertGreaterOrEqual } from "@std/assert";
import { FIRST_DELAY_MS } from "../../lib/chat/password_attempts.ts";
import { ADD_FAILURE } from "../../lib/cluster/scripts.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { TcpProxy } from "../fixtures/tcp_proxy.ts";
import { CLUSTER_TIMEOUT_MS, joinOn, startClusterServer } from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;
const OP_WRONG = "운영자 비밀번호가 틀렸습니다.";
/** A text only the script that counts a wrong answer sends. */
const COUNTING = "ZREMRANGEBYRANK";

Deno.test({
  name:
    "cluster attempts: a wrong answer waits until Redis has counted it, so the next guess on another server is judged with it",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    // Server a reaches Redis through a proxy that can hold its requests (a slow link).
    await using link = new TcpProxy(redis.port);
    await using a = await startClusterServer(
      `redis://127.0.0.1:${link.port}`,
      "--op-password",
      "teacher",
    );
    await using b = await startClusterServer(redis.url, "--op-password", "teacher");
    await using clients = await joinOn(
      [b.port, "guess1"],
      [a.port, "guess2"],
      [b.port, "guess3"],
      [b.port, "probe"],
    );
    const [first, second, third, probe] = clients;
    // Two wrong answers on server b: free, answered at once.
    for (const guess of ["a", "b"]) {
      await first.send(`/op ${guess}`);
      await first.waitFor((l) => l === OP_WRONG, CLUSTER_TIMEOUT_MS);
    }
    assertEquals(await redis.command("ZCARD", "chat:attempts:127.0.0.1"), 2);

    // The third, on server a, while Redis gets its count late.
    link.hold(COUNTING);
    await second.send("/op c");
    await link.held(CLUSTER_TIMEOUT_MS);
    // A round trip through server b: server a had all this time to answer, if it would.
    await probe.send("/rooms");
    await probe.waitFor((l) => l.startsWith("방 목록:"), CLUSTER_TIMEOUT_MS);
    assertEquals(await redis.command("ZCARD", "chat:attempts:127.0.0.1"), 2, "not counted yet");
    assertEquals(second.received.filter((l) => l === OP_WRONG), [], "not answered before counted");

    link.release();
    await second.waitFor(OP_WRONG, CLUSTER_TIMEOUT_MS);
    assertEquals(await redis.command("ZCARD", "chat:attempts:127.0.0.1"), 3);
    // The guess after it, on server b, is judged with three: it waits.
    const sent = performance.now();
    await third.send("/op d");
    await third.waitFor(OP_WRONG, CLUSTER_TIMEOUT_MS);
    assertGreaterOrEqual(performance.now() - sent, FIRST_DELAY_MS * 0.9, "counted on server a");
  },
});

// The marker must stay unique to the counting script: the heartbeat and the rest must pass.
Deno.test("cluster attempts: only the script that counts a wrong answer holds the proxy's marker", async () => {
  const scripts = await import("../../lib/cluster/scripts.ts");
  const holders = Object.entries(scripts).filter(([, s]) => String(s).includes(COUNTING));
  assertEquals(holders.map(([name]) => name), ["ADD_FAILURE"]);
  assertEquals(ADD_FAILURE.includes(COUNTING), true);
});
