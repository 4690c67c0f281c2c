/**
 * What an attacker found against a cluster (issue 19), reproduced against servers
 * of ours on a real `redis-server`: a ban dodged on another server with a
 * connection opened before it.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import { LineClient } from "../_server_helpers.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { CLUSTER_TIMEOUT_MS, joinOn, startClusterServer } from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;
const PROMPT = "닉네임을 입력하세요:";
const BANNED = "이 서버에서 차단되었습니다.";

/**
 * Connects until the server's first line is `expected`: a ban reaches the other
 * servers through the control stream, a moment after it is made.
 */
async function firstLineOnceItIs(port: number, expected: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await using c = await LineClient.connect(port);
    if (await c.nextLine(CLUSTER_TIMEOUT_MS) === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100)); // Retry pacing.
  }
  throw new Error(`The first line never became ${JSON.stringify(expected)}`);
}

Deno.test({
  name:
    "cluster security: a connection held at the nickname prompt of another server cannot join after a ban",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using a = await startClusterServer(redis.url, "--op-password", "teacher");
    await using b = await startClusterServer(redis.url, "--op-password", "teacher");
    await using clients = await joinOn([a.port, "teacher"], [b.port, "pupil"], [b.port, "other"]);
    const [teacher, , other] = clients;
    // Opened on server b before the ban, from the same address (everyone here is 127.0.0.1).
    await using spare = await LineClient.connect(b.port);
    await spare.waitFor(PROMPT);
    await teacher.send("/op teacher");
    await teacher.waitFor("운영자가 되었습니다.");
    await teacher.send("/ban pupil 10");
    await teacher.waitFor("pupil님(127.0.0.1)을 10분 동안 차단했습니다.");
    // Server b knows the ban once it refuses a newcomer.
    await firstLineOnceItIs(b.port, BANNED);
    await spare.send("mallory");
    assertEquals(await spare.waitClosed(CLUSTER_TIMEOUT_MS), [BANNED]);
    await other.send("/who");
    await other.waitFor("접속자 2명: teacher, other", CLUSTER_TIMEOUT_MS);
  },
});
