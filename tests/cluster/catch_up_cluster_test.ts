/**
 * Catch-up across the servers of a cluster: a message's id is the same on every
 * server (`<epoch>.<stream id>`), so a user who drops from one server and logs in
 * on another gets exactly the lines it missed, from the server's record of where
 * it left or from the id its client gives (`/resume`); an id from before Redis
 * lost its data is unknown, and its holder a newcomer.
 *
 * @module
 */

import { assertEquals, assertFalse } from "@std/assert";
import { clientText } from "../../lib/catalog/client_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { roomKey } from "../../lib/chat/room_name.ts";
import { spawnMain } from "../_helpers.ts";
import { isMembersLine, LineClient } from "../_server_helpers.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { TcpProxy } from "../fixtures/tcp_proxy.ts";
import { WsClient } from "../fixtures/ws_client.ts";
import {
  CLUSTER_TIMEOUT_MS,
  type ClusterServer,
  startCluster,
  startClusterServer,
} from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;
const ko = { ...userText("ko"), ...clientText("ko") };
/** An account's password, with a space and Korean in it, as users pick them. */
const ALICE_PASSWORD = "비밀번호 여덟자 이상";

/** Registers a nickname, then leaves. */
async function register(port: number, nick: string, password: string): Promise<void> {
  await using client = await LineClient.connect(port);
  await client.join(nick);
  await client.send(`/register ${password}`);
  await client.waitFor(ko.registered(nick), CLUSTER_TIMEOUT_MS);
  await client.send("/quit");
  await client.waitClosed(CLUSTER_TIMEOUT_MS);
}

/** Joins a raw TCP client to a room. */
async function joinRoom(port: number, nick: string, room: string): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.join(nick);
  await client.send(`/join ${room}`);
  await client.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
  return client;
}

/** Logs in over raw TCP and returns every line up to the members line. */
async function logIn(port: number, nick: string, password: string): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
  await client.send(nick);
  await client.waitFor(ko.accountPrompt(nick), CLUSTER_TIMEOUT_MS);
  await client.send(password);
  await client.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
  return client;
}

/** What a line shows without its time (history and catch-up lines carry one). */
const untimed = (line: string) => line.replace(/^\[\d\d:\d\d\] /, "");

Deno.test({
  name:
    "cluster catch-up: a user who quits on one server and logs in on another enters its room and gets exactly the lines said meanwhile",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    const [a, b] = servers;
    await register(a.port, "alice", ALICE_PASSWORD);
    await using bob = await joinRoom(b.port, "bob", "math");
    {
      await using alice = await logIn(a.port, "alice", ALICE_PASSWORD);
      await alice.send("/join math");
      await alice.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
      await bob.send("seen before");
      await alice.waitFor(ko.message("bob", "seen before"), CLUSTER_TIMEOUT_MS);
      await alice.send("/quit");
      await alice.waitClosed(CLUSTER_TIMEOUT_MS);
    }
    await bob.waitFor(ko.left("alice"), CLUSTER_TIMEOUT_MS);
    for (const text of ["missed 1", "missed 2", "missed 3"]) await bob.send(text);
    await bob.waitFor(ko.message("bob", "missed 3"), CLUSTER_TIMEOUT_MS);
    await using back = await logIn(b.port, "alice", ALICE_PASSWORD);
    const header = back.received.indexOf(ko.catchUp(3));
    assertEquals(
      back.received.slice(header + 1, header + 4).map(untimed),
      ["missed 1", "missed 2", "missed 3"].map((text) => ko.message("bob", text)),
      back.received.join("\n"),
    );
    assertFalse(back.received.some((l) => l.includes("seen before")), back.received.join("\n"));
    await bob.waitFor(ko.joined("alice"), CLUSTER_TIMEOUT_MS);
    await bob.send("welcome back");
    await back.waitFor(ko.message("bob", "welcome back"), CLUSTER_TIMEOUT_MS);
  },
});

Deno.test({
  name:
    "cluster catch-up: the terminal client dropped from one server reconnects to another and shows only the lines it missed, each once",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    const [a, b] = servers;
    await register(a.port, "alice", ALICE_PASSWORD);
    // The client's one address leads to server a, then (after the drop) to server b.
    await using link = new TcpProxy(a.port);
    await using bob = await joinRoom(b.port, "bob", "math");
    await using alice = spawnMain(
      ["client", "--port", String(link.port), "--nick", "alice"],
      "main.ts",
      { env: { CHAT_ACCOUNT_PASSWORD: ALICE_PASSWORD } },
    );
    await alice.stdout.waitFor(ko.connected, CLUSTER_TIMEOUT_MS);
    await alice.send("/join math");
    await alice.stdout.waitFor("접속자 2명: bob, alice", CLUSTER_TIMEOUT_MS);
    for (const text of ["before 1", "before 2"]) await bob.send(text);
    await alice.stdout.waitFor(ko.message("bob", "before 2"), CLUSTER_TIMEOUT_MS);
    link.cut();
    link.retarget(b.port);
    await alice.stdout.waitFor(ko.connectionLost(0.5), CLUSTER_TIMEOUT_MS);
    await bob.waitFor(ko.left("alice"), CLUSTER_TIMEOUT_MS);
    for (const text of ["while away 1", "while away 2"]) await bob.send(text);
    await bob.waitFor(ko.message("bob", "while away 2"), CLUSTER_TIMEOUT_MS);
    link.heal();
    await bob.waitFor(ko.joined("alice"), CLUSTER_TIMEOUT_MS);
    await bob.send("after");
    await alice.stdout.waitFor(ko.message("bob", "after"), CLUSTER_TIMEOUT_MS);
    const said = alice.stdout.lines.filter((line) => line.includes("bob> "));
    assertEquals(said.map(untimed), [
      ko.message("bob", "before 1"),
      ko.message("bob", "before 2"),
      ko.message("bob", "while away 1"),
      ko.message("bob", "while away 2"),
      ko.message("bob", "after"),
    ], alice.describe());
    assertEquals(alice.stdout.lines.filter((l) => l === ko.catchUp(2)).length, 1, alice.describe());
    assertFalse(alice.stdout.lines.some((line) => line.startsWith("@")), alice.describe());
    await alice.closeStdin();
    assertEquals((await alice.exit()).code, 0, alice.describe());
  },
});

Deno.test({
  name:
    "cluster catch-up: after Redis lost its data the ids from before are unknown: a returning user is a newcomer, not told of lines it cannot get",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start({ persistence: false });
    await using servers = await startCluster(redis.url, 1);
    const [a] = servers;
    await using bob = await joinRoom(a.port, "bob", "math");
    await bob.send("before the loss");
    const before = await bob.waitFor(ko.message("bob", "before the loss"), CLUSTER_TIMEOUT_MS);
    assertEquals(before, ko.message("bob", "before the loss"));
    // A tagged client learns the id of that line.
    await using tagged = await LineClient.connect(a.port);
    await tagged.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
    await tagged.send("/client ids");
    await tagged.send("carol");
    await tagged.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
    await tagged.send("/join math");
    const line = await tagged.waitFor(
      (l) => l.endsWith("bob> before the loss"),
      CLUSTER_TIMEOUT_MS,
    );
    const id = /^@(\S+) /.exec(line)?.[1];
    // And the start of a room (what a user who left before anything was said holds).
    const start = `${await redis.command("GET", "chat:epoch")}.0-0`;
    await tagged.send("/quit");
    await tagged.waitClosed(CLUSTER_TIMEOUT_MS);
    await redis.restart(); // Without persistence: Redis comes back empty.
    await bob.waitFor("채팅을 다시 사용할 수 있습니다.", CLUSTER_TIMEOUT_MS);
    await bob.send("after the loss");
    await bob.waitFor(ko.message("bob", "after the loss"), CLUSTER_TIMEOUT_MS);
    for (const [i, since] of [id, start].entries()) {
      await using again = await LineClient.connect(a.port);
      await again.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
      await again.send(`/resume math ${since}`);
      await again.send(`carol${i}`);
      await again.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
      const seen = again.received.join("\n");
      assertFalse(again.received.some((l) => l.startsWith("-- 나간 뒤")), seen);
      assertEquals(
        again.received.filter((l) => l.includes("bob> ")).map(untimed),
        [ko.message("bob", "after the loss")],
        seen,
      );
    }
  },
});

/** The web port a server announced (`--web 0`). */
function webPortOf(server: ClusterServer): number {
  const line = server.child.stdout.lines.find((l) => l.startsWith("웹 페이지: "))!;
  return Number(/:(\d+)\/$/.exec(line)![1]);
}

Deno.test({
  name:
    "cluster catch-up: the page that showed a line on one server resumes on another with ?since= its id, and gets exactly the lines after it",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using a = await startClusterServer(redis.url, "--web", "0");
    await using b = await startClusterServer(redis.url, "--web", "0");
    await using bob = await joinRoom(b.port, "bob", "math");
    let id: string;
    {
      await using page = await WsClient.connect(webPortOf(a), { path: "/ws?room=math" });
      await page.join("webber");
      await bob.send("shown");
      const shown = await page.waitFor(
        (e) => e.type === "message" && e.text === "shown",
        CLUSTER_TIMEOUT_MS,
      );
      id = String(shown.id);
      assertEquals(/^[0-9a-f]{12}\.\d+-\d+$/.test(id), true, id);
    }
    await bob.waitFor(ko.left("webber"), CLUSTER_TIMEOUT_MS);
    for (const text of ["missed 1", "missed 2"]) await bob.send(text);
    await bob.waitFor(ko.message("bob", "missed 2"), CLUSTER_TIMEOUT_MS);
    await using page = await WsClient.connect(webPortOf(b), {
      path: `/ws?room=math&since=${encodeURIComponent(id)}`,
    });
    await page.join("webber");
    const caught = page.events.find((e) => e.type === "catchUp");
    const events = (caught?.events ?? []) as { text: string; id: string }[];
    assertEquals(events.map((e) => e.text), ["missed 1", "missed 2"], JSON.stringify(page.events));
    assertEquals(caught?.skipped, 0);
    assertEquals(page.events.some((e) => e.type === "history"), false);
    // The same ids as the other server gives them.
    await using tagged = await LineClient.connect(a.port);
    await tagged.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
    await tagged.send("/client ids");
    await tagged.send("carol");
    await tagged.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
    await tagged.send("/join math");
    const last = await tagged.waitFor((l) => l.endsWith("bob> missed 2"), CLUSTER_TIMEOUT_MS);
    assertEquals(last.split(" ")[0], `@${events[1].id}`);
  },
});

Deno.test({
  name:
    "cluster catch-up: when lines after a user's id were trimmed from the stream, it is a newcomer: the room's history, never a catch-up that skips lines silently",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    const [a, b] = servers;
    await register(a.port, "alice", ALICE_PASSWORD);
    await using bob = await joinRoom(b.port, "bob", "math");
    {
      await using alice = await logIn(a.port, "alice", ALICE_PASSWORD);
      await alice.send("/join math");
      await alice.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
      await alice.send("/quit");
      await alice.waitClosed(CLUSTER_TIMEOUT_MS);
    }
    await bob.send("trimmed away");
    await bob.waitFor(ko.message("bob", "trimmed away"), CLUSTER_TIMEOUT_MS);
    // As `MAXLEN ~` does to a busy room, all at once.
    assertEquals(await redis.command("XTRIM", `chat:room:${roomKey("math")}`, "MAXLEN", "0"), 4);
    await bob.send("kept");
    await bob.waitFor(ko.message("bob", "kept"), CLUSTER_TIMEOUT_MS);
    await using back = await logIn(b.port, "alice", ALICE_PASSWORD);
    assertFalse(back.received.some((l) => l.startsWith("-- 나간 뒤")), back.received.join("\n"));
    assertEquals(
      back.received.filter((l) => l.includes("bob> ")).map(untimed),
      [ko.message("bob", "kept")],
      back.received.join("\n"),
    );
    assertEquals(back.received.includes(ko.history(1)), true, back.received.join("\n"));
  },
});

Deno.test({
  name:
    "cluster catch-up: a /resume id that is none of the room's (junk, past 64 bits, ahead of the room) joins all the same",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 1);
    await using bob = await joinRoom(servers[0].port, "bob", "math");
    await bob.send("hello");
    await bob.waitFor(ko.message("bob", "hello"), CLUSTER_TIMEOUT_MS);
    const epoch = String(await redis.command("GET", "chat:epoch"));
    const ids = ["junk", `${epoch}.99999999999999999999-0`, `${epoch}.18446744073709551615-0`];
    for (const [i, id] of ids.entries()) {
      await using c = await LineClient.connect(servers[0].port);
      await c.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
      await c.send(`/resume math ${id}`);
      await c.send(`guest${i}`);
      await c.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
      await bob.waitFor(ko.joined(`guest${i}`), CLUSTER_TIMEOUT_MS);
      assertFalse(c.received.includes(ko.tryAgainLater), c.received.join("\n"));
    }
  },
});
