/**
 * Cluster mode end to end: three servers of ours on one real `redis-server`,
 * clients on each of them, as people with `nc` would be.
 *
 * @module
 */

import { assert, assertEquals, assertMatch } from "@std/assert";
import { LineClient } from "../_server_helpers.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { TcpProxy } from "../fixtures/tcp_proxy.ts";
import { CLUSTER_TIMEOUT_MS, joinOn, startCluster, startClusterServer } from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;

/**
 * Connects until the server's first line is `expected`: a ban or an unban reaches
 * the other servers through the control stream, a moment after it is made.
 *
 * @returns Whether it came within 50 tries.
 */
async function firstLineOnceItIs(port: number, expected: string): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await using c = await LineClient.connect(port);
    if (await c.nextLine(CLUSTER_TIMEOUT_MS) === expected) return true;
    await new Promise((resolve) => setTimeout(resolve, 100)); // Retry pacing.
  }
  return false;
}
const UNAVAILABLE = "지금은 채팅을 사용할 수 없습니다. 입력한 내용은 다시 연결되면 전송됩니다.";
const AVAILABLE = "채팅을 다시 사용할 수 있습니다.";

Deno.test({
  name:
    "cluster: lines from several servers at once reach every client on every server in one order",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 3);
    await using clients = await joinOn(
      [servers[0].port, "a"],
      [servers[1].port, "b"],
      [servers[2].port, "c"],
      [servers[0].port, "d"],
    );
    const [a, b, c, d] = clients;
    await a.waitFor("d님이 입장하셨습니다.");
    const lines = 30;
    // Three senders on three servers, all at once, each line as one write.
    await Promise.all([a, b, c].map((sender, s) =>
      sender.write(
        Array.from({ length: lines }, (_, i) => `s${s}-${i}\n`).join(""),
      )
    ));
    const seen: string[][] = [];
    for (const client of clients) {
      // Each sender's last line, in whatever order they came.
      const lastLines = [0, 1, 2].map((s) => `s${s}-${lines - 1}`);
      await client.waitFor(() =>
        lastLines.every((last) => client.received.some((l) => l.endsWith(last)))
      );
      seen.push(client.received.filter((l) => /^[abc]> s\d-\d+$/.test(l)));
    }
    for (const lines of seen) assertEquals(lines.length, 90, "every line once");
    for (const other of seen.slice(1)) assertEquals(other, seen[0], "one and the same order");
    // Each sender's own lines stay in the order it sent them.
    for (const s of [0, 1, 2]) {
      const own = seen[0].filter((l) => l.includes(`s${s}-`)).map((l) => Number(l.split("-")[1]));
      assertEquals(own, [...Array(lines).keys()]);
    }
    assert(d.received.includes("a> s0-0"));
  },
});

Deno.test({
  name: "cluster: two servers, the same nickname at the same moment: exactly one wins",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    for (let round = 0; round < 5; round++) {
      const nick = `twin${round}`;
      await using x = await LineClient.connect(servers[0].port);
      await using y = await LineClient.connect(servers[1].port);
      await Promise.all([x.waitFor("닉네임을 입력하세요:"), y.waitFor("닉네임을 입력하세요:")]);
      await Promise.all([x.send(nick), y.send(nick.toUpperCase())]);
      const outcomes = await Promise.all(
        [x, y].map((c) =>
          c.waitFor((l) =>
            l === "서버에 연결되었습니다." || l.startsWith("이미 사용 중인 닉네임입니다")
          )
        ),
      );
      assertEquals(
        outcomes.filter((l) => l === "서버에 연결되었습니다.").length,
        1,
        `round ${round}: ${outcomes.join(" / ")}`,
      );
    }
  },
});

Deno.test({
  name: "cluster: history on entering comes from the room's stream, whichever server said it",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    await using first = await joinOn([servers[0].port, "early"]);
    await first[0].send("/join math");
    await first[0].waitFor("early님이 입장하셨습니다.");
    for (const text of ["one", "two"]) {
      await first[0].send(text);
      await first[0].waitFor(`early> ${text}`);
    }
    await using later = await joinOn([servers[1].port, "late"]);
    await later[0].send("/join math");
    await later[0].waitFor("-- 최근 메시지 2개 --");
    assertMatch((await later[0].nextLine())!, /^\[\d\d:\d\d\] early> one$/);
    assertMatch((await later[0].nextLine())!, /^\[\d\d:\d\d\] early> two$/);
    assertEquals(await later[0].nextLine(), "late님이 입장하셨습니다.");
    await first[0].waitFor("late님이 입장하셨습니다.");
    await later[0].send("/who");
    await later[0].waitFor("접속자 2명: early, late");
    await later[0].send("/rooms");
    await later[0].waitFor("방 목록: math (2)");
  },
});

Deno.test({
  name: "cluster: a whisper, an away note, a kick and a ban reach a user on another server",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    const op = await startClusterServer(redis.url, "--op-password", "teach");
    await using _op = op;
    await using clients = await joinOn(
      [op.port, "teacher"],
      [servers[0].port, "pupil"],
      [servers[1].port, "other"],
    );
    const [teacher, pupil, other] = clients;
    await teacher.waitFor("other님이 입장하셨습니다.");
    await pupil.send("/away 점심");
    await pupil.waitFor("자리 비움으로 표시되었습니다.");
    await teacher.send("@pupil 숙제");
    await pupil.waitFor("[귓속말] teacher> 숙제");
    await teacher.waitFor("[귓속말 전송] pupil에게: 숙제");
    await teacher.waitFor("pupil님은 자리 비움 중입니다: 점심");
    await other.send("/who");
    await other.waitFor("접속자 3명: teacher, pupil (자리비움), other");
    await teacher.send("/op teach");
    await teacher.waitFor("운영자가 되었습니다.");
    await teacher.send("/kick pupil 소란");
    await pupil.waitFor("teacher님에 의해 강퇴되었습니다. 사유: 소란");
    await pupil.waitClosed();
    await other.waitFor("pupil님이 teacher님에 의해 강퇴되었습니다.");
    await teacher.waitFor("pupil님이 teacher님에 의해 강퇴되었습니다.");
    // A ban made on one server refuses the address on every server; its user, on another
    // server, and its room are told for how long.
    await teacher.send("/ban other 5 도배");
    await other.waitFor("teacher님에 의해 5분 동안 차단되었습니다. 사유: 도배");
    await other.waitClosed();
    // The operator's answer and the room's line, in either order.
    const banLines = [
      "other님이 teacher님에 의해 5분 동안 차단되었습니다.",
      "other님(127.0.0.1)을 5분 동안 차단했습니다.",
    ];
    await teacher.waitFor(() => banLines.every((l) => teacher.received.includes(l)));
    for (const server of [servers[0], servers[1]]) {
      assertEquals(await firstLineOnceItIs(server.port, "이 서버에서 차단되었습니다."), true);
    }
    await teacher.send("/unban 127.0.0.1");
    await teacher.waitFor("127.0.0.1의 차단을 풀었습니다.");
    assertEquals(await firstLineOnceItIs(servers[1].port, "닉네임을 입력하세요:"), true);
    await using _back = await joinOn([servers[1].port, "other"]);
    await teacher.waitFor("other님이 입장하셨습니다.");
  },
});

Deno.test({
  name:
    "cluster: a server killed with SIGKILL: the others announce its users' leaves once, and free their nicknames",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 3);
    await using clients = await joinOn(
      [servers[0].port, "stay1"],
      [servers[1].port, "gone1"],
      [servers[1].port, "gone2"],
      [servers[2].port, "stay2"],
    );
    const [stay1, , , stay2] = clients;
    await stay1.waitFor("stay2님이 입장하셨습니다.");
    const killedAt = Date.now();
    servers[1].child.kill("SIGKILL");
    const leaves = ["gone1님이 퇴장하셨습니다.", "gone2님이 퇴장하셨습니다."];
    for (const c of [stay1, stay2]) {
      // In either order.
      await c.waitFor(() => leaves.every((l) => c.received.includes(l)), CLUSTER_TIMEOUT_MS);
    }
    const elapsed = Date.now() - killedAt;
    assert(elapsed < 15_000, `announced after ${elapsed} ms`);
    // Once: a marker line proves nothing else came in between or after.
    await stay1.send("marker");
    for (const c of [stay1, stay2]) {
      await c.waitFor("stay1> marker");
      assertEquals(c.received.filter((l) => l === "gone1님이 퇴장하셨습니다.").length, 1);
    }
    await using _again = await joinOn([servers[2].port, "gone1"]);
    await stay1.waitFor("gone1님이 입장하셨습니다.");
  },
});

Deno.test({
  name: "cluster: a server stopped cleanly announces its users' leaves at once",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    await using clients = await joinOn([servers[0].port, "stays"], [servers[1].port, "goes"]);
    const [stays, goes] = clients;
    await stays.waitFor("goes님이 입장하셨습니다.");
    const stoppedAt = Date.now();
    servers[1].child.kill("SIGTERM");
    await goes.waitFor("서버가 종료됩니다.");
    await stays.waitFor("goes님이 퇴장하셨습니다.");
    assert(Date.now() - stoppedAt < 5_000);
    assertEquals((await servers[1].child.exit()).code, 0);
    await using _again = await joinOn([servers[0].port, "goes"]);
  },
});

Deno.test({
  name:
    "cluster: a Redis restart in the middle of traffic loses and repeats nothing; lines typed while it is down follow",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    await using clients = await joinOn([servers[0].port, "x"], [servers[1].port, "y"]);
    const [x, y] = clients;
    await x.waitFor("y님이 입장하셨습니다.");
    const saidByX: string[] = [];
    for (let i = 0; i < 10; i++) {
      await x.send(`before ${i}`);
      saidByX.push(`x> before ${i}`);
    }
    await y.waitFor("x> before 9");
    await redis.kill();
    for (const c of [x, y]) await c.waitFor(UNAVAILABLE, CLUSTER_TIMEOUT_MS);
    // Typed while Redis is down: it waits, and goes out once Redis is back.
    await y.send("while down");
    await redis.restart();
    for (const c of [x, y]) await c.waitFor(AVAILABLE, CLUSTER_TIMEOUT_MS);
    for (let i = 0; i < 10; i++) {
      await x.send(`after ${i}`);
      saidByX.push(`x> after ${i}`);
    }
    const seen: string[][] = [];
    for (const c of [x, y]) {
      // Both, in either order (y's may even come before x's server is back).
      await c.waitFor("x> after 9", CLUSTER_TIMEOUT_MS);
      if (!c.received.includes("y> while down")) {
        await c.waitFor("y> while down", CLUSTER_TIMEOUT_MS);
      }
      seen.push(c.received.filter((l) => l.startsWith("x> ") || l.startsWith("y> ")));
      // (The two servers come back each at its own moment: y's line and x's later ones
      // may come in either order, the same for everyone.)
      assertEquals(
        seen.at(-1)!.filter((l) => l.startsWith("x> ")),
        saidByX,
        "x's lines once, in order",
      );
      assertEquals(seen.at(-1)!.filter((l) => l.startsWith("y> ")), ["y> while down"]);
      assertEquals(c.received.filter((l) => l === UNAVAILABLE).length, 1);
      assertEquals(c.received.filter((l) => l === AVAILABLE).length, 1);
    }
    assertEquals(seen[0], seen[1], "one order for everyone");
  },
});

Deno.test({
  name:
    "cluster: a server cut off from Redis for a few seconds catches up, and what its users typed meanwhile follows",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using proxy = new TcpProxy(redis.port);
    const near = await startClusterServer(redis.url);
    await using _near = near;
    const far = await startClusterServer(`redis://127.0.0.1:${proxy.port}`);
    await using _far = far;
    await using clients = await joinOn([near.port, "near"], [far.port, "far"]);
    const [nearClient, farClient] = clients;
    await nearClient.waitFor("far님이 입장하셨습니다.");
    proxy.cut();
    await farClient.waitFor(UNAVAILABLE, CLUSTER_TIMEOUT_MS);
    await farClient.send("cut off");
    // Said while the far server cannot hear: it gets them once it is back.
    for (let i = 0; i < 5; i++) await nearClient.send(`during ${i}`);
    await nearClient.waitFor("near> during 4");
    proxy.heal();
    await farClient.waitFor("near> during 4", CLUSTER_TIMEOUT_MS);
    assertEquals(
      farClient.received.filter((l) => l.startsWith("near> during")),
      [0, 1, 2, 3, 4].map((i) => `near> during ${i}`),
    );
    await nearClient.waitFor("far> cut off", CLUSTER_TIMEOUT_MS);
    await farClient.send("back");
    await nearClient.waitFor("far> back");
    assertEquals(nearClient.received.filter((l) => l.startsWith("far> ")), [
      "far> cut off",
      "far> back",
    ]);
    assert(!nearClient.received.includes(UNAVAILABLE), "the near server's users were not cut off");
  },
});
