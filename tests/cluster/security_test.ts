/**
 * What an attacker found against a cluster (issue 19), reproduced against servers
 * of ours on a real `redis-server`: passwords guessed over several servers, a
 * ban dodged on another server with a connection opened before it.
 *
 * @module
 */

import { assertEquals, assertGreaterOrEqual, assertLess, assertLessOrEqual } from "@std/assert";
import { FIRST_DELAY_MS, FREE_FAILURES } from "../../lib/chat/password_attempts.ts";
import { LineClient } from "../_server_helpers.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { CLUSTER_TIMEOUT_MS, joinOn, startClusterServer } from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;
const PROMPT = "닉네임을 입력하세요:";
const BANNED = "이 서버에서 차단되었습니다.";
const PASSWORD = "s3cret";
const PASSWORD_PROMPT = "비밀번호를 입력하세요:";
const WRONG = "비밀번호가 틀렸습니다.";
const OP_WRONG = "운영자 비밀번호가 틀렸습니다.";

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

Deno.test({
  name:
    "cluster security: thirty guesses of the server password spread over two servers are counted together",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using a = await startClusterServer(redis.url, "--password", PASSWORD);
    await using b = await startClusterServer(redis.url, "--password", PASSWORD);
    const clients = await Promise.all(
      Array.from({ length: 30 }, (_, i) => LineClient.connect(i % 2 === 0 ? a.port : b.port)),
    );
    try {
      await Promise.all(clients.map((c) => c.waitFor(PASSWORD_PROMPT, CLUSTER_TIMEOUT_MS)));
      const sent = performance.now();
      await Promise.all(clients.map((c, i) => c.send(`guess-${i}`)));
      // Two servers each check one answer at a time: the next after the free ones waits.
      const times = await answerTimes(clients, WRONG, sent, FREE_FAILURES + 3);
      const atOnce = times.filter((t) => t < FIRST_DELAY_MS * 0.9).length;
      assertLessOrEqual(atOnce, FREE_FAILURES + 1, `answered (ms): ${times.join(", ")}`);
      // One server says the burst, once.
      const said = [a, b].flatMap((s) => s.child.stdout.lines).filter((l) =>
        l.includes("비밀번호 추측 의심") && l.includes("127.0.0.1")
      );
      assertEquals(said.length, 1, said.join("\n"));
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  },
});

Deno.test({
  name:
    "cluster security: three wrong /op on one server make the next on another wait; one typo on a fresh address does not",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using a = await startClusterServer(redis.url, "--op-password", "teacher");
    await using b = await startClusterServer(redis.url, "--op-password", "teacher");
    await using clients = await joinOn([a.port, "guess1"], [b.port, "guess2"]);
    const [first, second] = clients;
    // A round trip that no limiter touches, as the yardstick of a loaded machine.
    const control = performance.now();
    await first.send("/rooms");
    await first.waitFor((l) => l.startsWith("방 목록:"), CLUSTER_TIMEOUT_MS);
    const roundTrip = performance.now() - control;
    const typo = performance.now();
    await first.send("/op teahcer");
    await first.waitFor(OP_WRONG, CLUSTER_TIMEOUT_MS);
    assertLess(performance.now() - typo, roundTrip + FIRST_DELAY_MS * 0.9, "a typo is not delayed");
    await first.send("/op a");
    await first.waitFor(OP_WRONG, CLUSTER_TIMEOUT_MS);
    await first.send("/op b");
    await first.waitFor("운영자 비밀번호가 3번 틀려 연결을 종료합니다.", CLUSTER_TIMEOUT_MS);
    const sent = performance.now();
    await second.send("/op c");
    await second.waitFor(OP_WRONG, CLUSTER_TIMEOUT_MS);
    assertGreaterOrEqual(performance.now() - sent, FIRST_DELAY_MS * 0.9, "counted on server a");
  },
});

/**
 * Waits until `count` of the clients got `line`, and returns when each got it (ms
 * after `sent`), as it stood when the `count`-th came.
 */
async function answerTimes(
  clients: LineClient[],
  line: string,
  sent: number,
  count: number,
): Promise<number[]> {
  const times: number[] = [];
  const enough = Promise.withResolvers<number[]>();
  for (const c of clients) {
    c.waitFor(line, CLUSTER_TIMEOUT_MS).then(() => {
      times.push(performance.now() - sent);
      if (times.length === count) enough.resolve([...times]);
    }, () => {}); // Closed by the test once it has seen enough.
  }
  return await enough.promise;
}
