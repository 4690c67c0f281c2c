/**
 * What a server does with entries in Redis that it did not write: each kind put in
 * by hand (as anyone with access to Redis could), with the wrong shape, on a real
 * `redis-server`. The server logs each once, skips it, and goes on.
 *
 * @module
 */

import { assert, assertEquals } from "@std/assert";
import { LineClient } from "../_server_helpers.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { CLUSTER_TIMEOUT_MS, joinOn, startClusterServer } from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;
const SKIPPED = "Redis의 잘못된 항목을 건너뜁니다: ";

/** The console lines that report a skipped entry at `where` (a key, then a field or an id). */
function skippedAt(lines: readonly string[], where: string): string[] {
  return lines.filter((line) => line.includes(`${SKIPPED}${where} (`));
}

/** The id of the stream entry `XADD` made. */
async function xadd(redis: RedisServer, stream: string, ...fields: string[]): Promise<string> {
  return String(await redis.command("XADD", stream, "*", ...fields));
}

Deno.test({
  name:
    "cluster: a malformed entry of each kind in Redis is logged once and skipped, and the server goes on",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    // Read when the server connects, and when a room opens.
    await redis.command("HSET", "chat:bans", "10.0.0.1", "soon");
    await redis.command("HSET", "chat:topics", "lobby", "evil\x1b[2J");
    const server = await startClusterServer(redis.url);
    await using _server = server;
    const log = server.child.stdout;
    // Both came before the server said it joined, which startClusterServer waited for.
    const serverId = /\(이 서버: ([0-9a-f]+)\)$/.exec(
      log.lines.find((l) => l.includes("클러스터: "))!,
    )![1];
    assert(log.has((l) => l.includes(`${SKIPPED}chat:bans 10.0.0.1 (`)), "the bad ban is told");

    await using clients = await joinOn([server.port, "alice"]);
    const [alice] = clients;
    await log.waitFor((l) => l.includes(`${SKIPPED}chat:topics lobby (`));

    // Presence: /who, /rooms and a whisper read it.
    await redis.command("HSET", "chat:users", "bogus", "{not json");
    await redis.command("HSET", "chat:users", "weird", '{"nick":5}');
    for (let i = 0; i < 2; i++) {
      await alice.send("/who");
      await alice.waitFor("접속자 1명: alice");
      await alice.send("/rooms");
      await alice.waitFor("방 목록: lobby (1)");
    }
    await alice.send("@bogus hi");
    await alice.waitFor("해당 닉네임의 사용자가 없습니다.");

    // Room events: not JSON, a newline in the text, no event field, a field too many.
    const lobby = "chat:room:lobby";
    const badEvents = [
      await xadd(redis, lobby, "e", "{oops"),
      await xadd(
        redis,
        lobby,
        "e",
        '{"type":"message","room":"lobby","nick":"mallory","text":"a\\nmallory> fake","time":1}',
      ),
      await xadd(redis, lobby, "x", "no event field"),
      await xadd(
        redis,
        lobby,
        "e",
        '{"type":"message","room":"lobby","nick":"mallory","text":"hi","time":1,"extra":1}',
      ),
      await xadd(redis, lobby, "e", '{"type":"vanish","room":"lobby","nick":"mallory","time":1}'),
    ];
    await xadd(
      redis,
      lobby,
      "e",
      '{"type":"message","room":"lobby","nick":"hand","text":"by hand","time":1}',
    );
    await alice.waitFor("hand> by hand");
    // A newcomer's history reads the same entries again: skipped, and not logged again.
    await using later = await joinOn([server.port, "bob"]);
    assert(later[0].received.includes("-- 최근 메시지 1개 --"), later[0].received.join("\n"));

    // Inbox items: not an object, a whisper with an escape, then a good one.
    const inbox = `chat:inbox:${serverId}`;
    const badInbox = [
      await xadd(redis, inbox, "m", "[1,2]"),
      await xadd(
        redis,
        inbox,
        "m",
        '{"kind":"deliver","to":"alice","event":{"type":"whisper","from":"eve","text":"\\u001b[2J"}}',
      ),
    ];
    await xadd(
      redis,
      inbox,
      "m",
      '{"kind":"deliver","to":"alice","event":{"type":"whisper","from":"eve","text":"hello"}}',
    );
    await alice.waitFor("[귓속말] eve> hello");

    // Control items: an address that is not text, then a good ban and unban.
    const badControl = await xadd(
      redis,
      "chat:control",
      "m",
      '{"kind":"ban","address":5,"until":0}',
    );
    await xadd(redis, "chat:control", "m", '{"kind":"ban","address":"127.0.0.1","until":0}');
    await firstLineIs(server.port, "이 서버에서 차단되었습니다.");
    await xadd(redis, "chat:control", "m", '{"kind":"unban","address":"127.0.0.1"}');
    await firstLineIs(server.port, "닉네임을 입력하세요:");

    // The server goes on: a line still goes round.
    await alice.send("still here");
    await alice.waitFor("alice> still here");
    for (const c of [alice, later[0]]) {
      assert(
        !c.received.some((l) => l.includes("mallory") || l.includes("\x1b")),
        c.received.join("\n"),
      );
    }
    assert(!alice.received.some((l) => l.startsWith("주제:")), "the bad topic is not shown");

    // Each entry was told once, however often it was read.
    const lines = log.lines;
    const places = [
      "chat:bans 10.0.0.1",
      "chat:topics lobby",
      "chat:users bogus",
      "chat:users weird",
      ...badEvents.map((id) => `${lobby} ${id}`),
      ...badInbox.map((id) => `${inbox} ${id}`),
      `chat:control ${badControl}`,
    ];
    for (const where of places) assertEquals(skippedAt(lines, where).length, 1, where);
    assertEquals(
      skippedAt(lines, "chat:users bogus")[0].split(SKIPPED)[1],
      "chat:users bogus (not JSON)",
    );
    assertEquals(server.child.stderr.lines, [], "nothing on stderr");
  },
});

Deno.test({
  name: "cluster: a malformed presence does not stop the reaping of a dead server's users",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    // A server that died long ago (its heartbeat at Redis time 0), with three users:
    // one well formed, one not JSON, one with a nickname that is not text.
    await redis.command("ZADD", "chat:servers", "0", "deadbeef");
    await redis.command("SADD", "chat:server:deadbeef:users", "ghost", "bad", "odd");
    await redis.command(
      "HSET",
      "chat:users",
      "ghost",
      JSON.stringify({
        nick: "ghost",
        rooms: ["lobby"],
        roomKeys: ["lobby"],
        away: null,
        address: "10.0.0.2",
        server: "deadbeef",
        token: "deadbeef:1",
        since: 1,
      }),
      "bad",
      "{nope",
      "odd",
      JSON.stringify({ nick: 5, server: "deadbeef" }),
    );
    const server = await startClusterServer(redis.url);
    await using _server = server;
    await using clients = await joinOn([server.port, "alice"]);
    // A server waits DEAD_AFTER_MS after connecting before it reaps.
    await clients[0].waitFor("ghost님이 퇴장하셨습니다.", CLUSTER_TIMEOUT_MS);
    await server.child.stdout.waitFor(
      /서버 deadbeef가 응답하지 않아 사용자 1명의 퇴장을 알렸습니다\.$/,
    );
    assertEquals(await redis.command("ZSCORE", "chat:servers", "deadbeef"), null);
    assertEquals(skippedAt(server.child.stdout.lines, "chat:users (a reaped user)").length, 1);
    // The one that is not JSON stays where it was; /who skips it.
    assertEquals(await redis.command("HGET", "chat:users", "bad"), "{nope");
    await clients[0].send("/who");
    await clients[0].waitFor("접속자 1명: alice");
  },
});

/** Connects until the server's first line is `expected` (a ban reaches the server a moment later). */
async function firstLineIs(port: number, expected: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await using c = await LineClient.connect(port);
    if (await c.nextLine(CLUSTER_TIMEOUT_MS) === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100)); // Retry pacing.
  }
  throw new Error(`The first line never became ${JSON.stringify(expected)}`);
}
