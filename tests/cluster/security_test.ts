/**
 * What an attacker found against a cluster (issue 19), reproduced against servers
 * of ours on a real `redis-server`: passwords guessed over several servers, a
 * ban dodged on another server with a connection opened before it, bans lost
 * with Redis's data, a stalled server's users impersonated.
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertGreaterOrEqual,
  assertLess,
  assertLessOrEqual,
} from "@std/assert";
import { consoleText } from "../../lib/catalog/console_text.ts";
import { FIRST_DELAY_MS, FREE_FAILURES } from "../../lib/chat/password_attempts.ts";
import { LineClient } from "../_server_helpers.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { SourceRelay } from "../fixtures/source_relay.ts";
import {
  CLUSTER_TIMEOUT_MS,
  joinOn,
  startClusterServer,
  startQuickClusterServer,
} from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;
const PROMPT = "닉네임을 입력하세요:";
const BANNED = "이 서버에서 차단되었습니다.";
const PASSWORD = "s3cret";
const PASSWORD_PROMPT = "비밀번호를 입력하세요:";
const WRONG = "비밀번호가 틀렸습니다.";
const OP_WRONG = "운영자 비밀번호가 틀렸습니다.";
const NO_PERSISTENCE = "경고: Redis가 디스크에 아무것도 저장하지 않습니다";
const UNAVAILABLE = "지금은 채팅을 사용할 수 없습니다. 입력한 내용은 다시 연결되면 전송됩니다.";
const AVAILABLE = "채팅을 다시 사용할 수 있습니다.";

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
    await teacher.becomeOp("teacher", CLUSTER_TIMEOUT_MS);
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
    // Server a counts in Redis after it answers: its console's burst line says Redis has 3.
    const burst = consoleText("ko").passwordBurst("127.0.0.1", FREE_FAILURES);
    await a.child.stdout.waitFor((l) => l.endsWith(burst), CLUSTER_TIMEOUT_MS);
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

Deno.test({
  name:
    "cluster security: bans survive a restart of Redis that lost its data: a server started afterwards refuses the address, and /bans agrees on every server",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start({ persistence: false });
    await using a = await startClusterServer(redis.url, "--op-password", "teacher");
    await using b = await startClusterServer(redis.url, "--op-password", "teacher");
    assert(a.child.stdout.has((l) => l.includes(NO_PERSISTENCE)), "the start-up line warns");
    // The pupil comes from 127.0.0.2, everyone else from 127.0.0.1.
    await using fromPupil = new SourceRelay(b.port, "127.0.0.2");
    await using clients = await joinOn([a.port, "teacher"], [b.port, "helper"]);
    const [teacher, helper] = clients;
    await using pupil = await LineClient.connect(fromPupil.port);
    await pupil.join("pupil");
    for (const op of [teacher, helper]) await op.becomeOp("teacher", CLUSTER_TIMEOUT_MS);
    await teacher.send("/ban pupil 0");
    await teacher.waitFor("pupil님(127.0.0.2)을 해제할 때까지 차단했습니다.", CLUSTER_TIMEOUT_MS);
    await pupil.waitClosed(CLUSTER_TIMEOUT_MS);
    const banned = "차단 목록: 127.0.0.2 (해제할 때까지)";
    await bansOnceThey(helper, banned);
    // The identity of Redis's data has a key of its own, apart from the epoch of history ids.
    const dataId = await redis.command("GET", "chat:data-id");
    assert(typeof dataId === "string" && dataId !== "", "the first server set chat:data-id");
    const epoch = await redis.command("GET", "chat:epoch");
    assert(typeof epoch === "string" && epoch !== dataId, "chat:epoch is the ids' own");

    await redis.restart(); // Without persistence: Redis comes back empty.
    for (const op of [teacher, helper]) {
      await op.waitFor(UNAVAILABLE, CLUSTER_TIMEOUT_MS);
      await op.waitFor(AVAILABLE, CLUSTER_TIMEOUT_MS);
    }
    assertEquals(await redis.command("HGET", "chat:bans", "127.0.0.2"), "0", "published again");
    const newDataId = await redis.command("GET", "chat:data-id");
    assert(
      typeof newDataId === "string" && newDataId !== dataId,
      "Redis's data has a new identity",
    );
    const newEpoch = await redis.command("GET", "chat:epoch");
    assert(typeof newEpoch === "string" && newEpoch !== epoch, "ids from before are unknown");
    for (const server of [a, b]) {
      await server.child.stdout.waitFor((l) => l.includes("Redis의 데이터가 사라졌습니다"));
    }

    await using c = await startClusterServer(redis.url, "--op-password", "teacher");
    {
      await using fromBanned = new SourceRelay(c.port, "127.0.0.2");
      await using again = await LineClient.connect(fromBanned.port);
      assertEquals(await again.waitClosed(CLUSTER_TIMEOUT_MS), [BANNED]);
    }
    await using third = await joinOn([c.port, "third"]);
    await third[0].becomeOp("teacher", CLUSTER_TIMEOUT_MS);
    for (const op of [teacher, helper, third[0]]) await bansOnceThey(op, banned);
  },
});

Deno.test({
  name:
    "cluster security: the start-up line warns only when Redis keeps nothing on disk; a Redis that refuses CONFIG is no error",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using persistent = await RedisServer.start();
    await using refusing = await RedisServer.start({
      persistence: false,
      args: ["--rename-command", "CONFIG", ""],
    });
    await using a = await startClusterServer(persistent.url);
    await using b = await startClusterServer(refusing.url);
    // Both joined (their cluster line came); stopped, their whole output is read: no warning.
    for (const server of [a, b]) {
      server.child.kill("SIGTERM");
      await server.child.exit(CLUSTER_TIMEOUT_MS);
      assert(server.child.stdout.has("서버를 종료합니다..."), server.child.describe());
      assert(!server.child.stdout.has((l) => l.includes(NO_PERSISTENCE)), server.child.describe());
    }
  },
});

/** Asks `/bans` until the answer is `expected` (a ban reaches a server a moment after it is made). */
async function bansOnceThey(op: LineClient, expected: string): Promise<void> {
  let last = "";
  for (let attempt = 0; attempt < 50; attempt++) {
    await op.send("/bans");
    last = await op.waitFor(
      (l) => l.startsWith("차단 목록:") || l === "차단된 주소가 없습니다.",
      CLUSTER_TIMEOUT_MS,
    );
    if (last === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100)); // Retry pacing.
  }
  throw new Error(`/bans said ${JSON.stringify(last)}, not ${JSON.stringify(expected)}`);
}

Deno.test({
  name:
    "cluster security: a server stalled past its heartbeat's reach learns it on waking: its user whose nickname was taken is renamed, never a second holder; whispers reach the new owner only",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using a = await startQuickClusterServer(redis.url);
    await using b = await startQuickClusterServer(redis.url);
    await using clients = await joinOn([a.port, "alice"], [b.port, "bob"]);
    const [alice, bob] = clients;
    await alice.waitFor("bob님이 입장하셨습니다.", CLUSTER_TIMEOUT_MS);
    await using impostor = await LineClient.connect(b.port);
    await impostor.waitFor(PROMPT);
    a.child.kill("SIGSTOP");
    try {
      // The other server finds server a dead, announces alice's leave and frees her name.
      await bob.waitFor("alice님이 퇴장하셨습니다.", CLUSTER_TIMEOUT_MS);
      await impostor.send("alice");
      await impostor.waitFor("서버에 연결되었습니다.", CLUSTER_TIMEOUT_MS);
      await bob.waitFor("alice님이 입장하셨습니다.", CLUSTER_TIMEOUT_MS);
      // Typed while server a is stopped: read by it on waking.
      await alice.send("I am the real alice");
    } finally {
      a.child.kill("SIGCONT");
    }
    const renamed =
      "이 서버가 다른 서버들과 연결되지 않은 동안 다른 사람이 닉네임 alice을(를) 가져가서, 닉네임이 alice_2(으)로 바뀌었습니다.";
    await alice.waitFor(renamed, CLUSTER_TIMEOUT_MS);
    await bob.waitFor("alice_2님이 입장하셨습니다.", CLUSTER_TIMEOUT_MS);
    // Her line goes out under her new name, after the rename; never as a second alice.
    await bob.waitFor("alice_2> I am the real alice", CLUSTER_TIMEOUT_MS);
    assert(!bob.received.includes("alice> I am the real alice"), bob.received.join("\n"));
    await bob.send("/who");
    await bob.waitFor("접속자 3명: alice_2, bob, alice", CLUSTER_TIMEOUT_MS);
    await alice.send("/who");
    await alice.waitFor("접속자 3명: alice_2, bob, alice", CLUSTER_TIMEOUT_MS);
    // A whisper to alice reaches the one who holds the name now, from either server.
    await bob.send("@alice from bob");
    await bob.waitFor("[귓속말 전송] alice에게: from bob", CLUSTER_TIMEOUT_MS);
    await alice.send("@alice from the old one");
    await alice.waitFor("[귓속말 전송] alice에게: from the old one", CLUSTER_TIMEOUT_MS);
    await impostor.waitFor("[귓속말] bob> from bob", CLUSTER_TIMEOUT_MS);
    await impostor.waitFor("[귓속말] alice_2> from the old one", CLUSTER_TIMEOUT_MS);
    assert(
      !alice.received.some((l) => l.startsWith("[귓속말] bob>")),
      "the renamed user got no whisper meant for alice",
    );
    assert(a.child.stdout.has((l) => l.includes("멈춰 있었습니다")), a.child.describe());
  },
});

Deno.test({
  name:
    "cluster security: a stalled server's user whose nickname was taken is not renamed to a nickname registered on its server",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using a = await startQuickClusterServer(redis.url);
    await using b = await startQuickClusterServer(redis.url);
    {
      // alice_2 is an account of server a, offline: only its password gives that nickname.
      await using owners = await joinOn([a.port, "alice_2"]);
      await owners[0].send("/register alice2-password");
      await owners[0].waitFor(
        "alice_2 닉네임을 등록했습니다. 이제 이 닉네임으로 접속하면 비밀번호를 묻습니다.",
        CLUSTER_TIMEOUT_MS,
      );
      await owners[0].send("/quit");
      await owners[0].waitClosed(CLUSTER_TIMEOUT_MS);
    }
    await using clients = await joinOn([a.port, "alice"], [b.port, "bob"]);
    const [alice, bob] = clients;
    await alice.waitFor("bob님이 입장하셨습니다.", CLUSTER_TIMEOUT_MS);
    await using impostor = await LineClient.connect(b.port);
    await impostor.waitFor(PROMPT);
    a.child.kill("SIGSTOP");
    try {
      await bob.waitFor("alice님이 퇴장하셨습니다.", CLUSTER_TIMEOUT_MS);
      await impostor.send("alice");
      await impostor.waitFor("서버에 연결되었습니다.", CLUSTER_TIMEOUT_MS);
    } finally {
      a.child.kill("SIGCONT");
    }
    await alice.waitFor(
      "이 서버가 다른 서버들과 연결되지 않은 동안 다른 사람이 닉네임 alice을(를) 가져가서, 닉네임이 alice_3(으)로 바뀌었습니다.",
      CLUSTER_TIMEOUT_MS,
    );
    await bob.waitFor("alice_3님이 입장하셨습니다.", CLUSTER_TIMEOUT_MS);
    assert(!alice.received.some((l) => l.includes("alice_2(으)로")), alice.received.join("\n"));
    // The account's nickname is still its own: a login asks its password.
    await using owner = await LineClient.connect(a.port);
    await owner.waitFor(PROMPT);
    await owner.send("alice_2");
    await owner.waitFor("alice_2의 비밀번호를 입력하세요:", CLUSTER_TIMEOUT_MS);
  },
});

Deno.test({
  name:
    "cluster security: a stalled server's user whose nickname nobody took keeps it, and the others, who saw it leave, see it come back",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using a = await startQuickClusterServer(redis.url);
    await using b = await startQuickClusterServer(redis.url);
    await using clients = await joinOn([a.port, "alice"], [b.port, "bob"]);
    const [alice, bob] = clients;
    await alice.waitFor("bob님이 입장하셨습니다.", CLUSTER_TIMEOUT_MS);
    a.child.kill("SIGSTOP");
    try {
      await bob.waitFor("alice님이 퇴장하셨습니다.", CLUSTER_TIMEOUT_MS);
    } finally {
      a.child.kill("SIGCONT");
    }
    await bob.waitFor("alice님이 입장하셨습니다.", CLUSTER_TIMEOUT_MS);
    await alice.send("still here");
    await bob.waitFor("alice> still here", CLUSTER_TIMEOUT_MS);
    await bob.send("/who");
    await bob.waitFor("접속자 2명: alice, bob", CLUSTER_TIMEOUT_MS);
  },
});
