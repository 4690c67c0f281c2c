/**
 * Accounts in a cluster, kept in Redis and so the same on every server: an account
 * registered on one server logs in on another; the operator flag of an account
 * holds on every server and after every server restarted; a whisper held on one
 * server is delivered at login on another; a nickname banned on one server is
 * refused on another. A login takes its nickname back from its ghost on its own
 * server, unseen by the others.
 *
 * @module
 */

import { assert, assertEquals, assertFalse } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { isMembersLine, LineClient } from "../_server_helpers.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { SourceRelay } from "../fixtures/source_relay.ts";
import {
  CLUSTER_TIMEOUT_MS,
  type ClusterServer,
  joinOn,
  startCluster,
  startClusterServer,
} from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;
const ko = userText("ko");

/** Gives a nickname and its password, and waits for the members line. */
async function logIn(port: number, nick: string, password: string): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
  await client.send(nick);
  await client.waitFor(ko.accountPrompt(nick), CLUSTER_TIMEOUT_MS);
  await client.send(password);
  await client.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
  return client;
}

/** Joins as `nick` on a server, registers it and quits: an offline account. */
async function registerAndQuit(port: number, nick: string, password: string): Promise<void> {
  await using owner = await LineClient.connect(port);
  await owner.join(nick);
  await owner.send(`/register ${password}`);
  await owner.waitFor(ko.registered(nick), CLUSTER_TIMEOUT_MS);
  await owner.send("/quit");
  await owner.waitClosed(CLUSTER_TIMEOUT_MS);
}

/** Whether a user is an operator: `/bans` answers operators only. */
async function isOperator(client: LineClient): Promise<boolean> {
  await client.send("/bans");
  const answer = await client.waitFor(
    (l) => l === ko.opOnly || l === ko.noBans || l.startsWith("차단 목록:"),
    CLUSTER_TIMEOUT_MS,
  );
  return answer !== ko.opOnly;
}

Deno.test({
  name:
    "cluster accounts: an account registered on one server asks its password on another, which refuses a wrong one and logs in with the right one",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    await registerAndQuit(servers[0].port, "alice", "alices password");
    await using guess = await LineClient.connect(servers[1].port);
    await guess.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
    await guess.send("alice");
    await guess.waitFor(ko.accountPrompt("alice"), CLUSTER_TIMEOUT_MS);
    await guess.send("not her password");
    await guess.waitFor(ko.accountWrong("alice", 1, false), CLUSTER_TIMEOUT_MS);
    await using login = await logIn(servers[1].port, "alice", "alices password");
    await login.send("/nick bob");
    await login.waitFor((l) => l.includes("bob"), CLUSTER_TIMEOUT_MS);
    // Registered on server b as it is: /register there takes a nickname nobody has registered.
    await login.send("/nick alice");
    await login.waitFor((l) => l.includes("alice"), CLUSTER_TIMEOUT_MS);
  },
});

Deno.test({
  name:
    "cluster accounts: /op while logged in makes the account an operator on every server and after every server restarted, until /deop",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    const start = () => startClusterServer(redis.url, "--op-password", "teacher");
    let a: ClusterServer | undefined = await start();
    let b: ClusterServer | undefined = await start();
    try {
      {
        await using owner = await LineClient.connect(a.port);
        await owner.join("alice");
        await owner.send("/register alices password");
        await owner.waitFor(ko.registered("alice"), CLUSTER_TIMEOUT_MS);
        await owner.becomeOp("teacher", CLUSTER_TIMEOUT_MS);
        await owner.send("/quit");
        await owner.waitClosed(CLUSTER_TIMEOUT_MS);
      }
      {
        await using login = await logIn(b.port, "alice", "alices password");
        assert(await isOperator(login), "an operator at login on the other server");
        await login.send("/quit");
        await login.waitClosed(CLUSTER_TIMEOUT_MS);
      }
      // Every server restarts (Redis keeps its data).
      await a[Symbol.asyncDispose]();
      await b[Symbol.asyncDispose]();
      a = b = undefined;
      a = await start();
      b = await start();
      {
        await using login = await logIn(a.port, "alice", "alices password");
        assert(await isOperator(login), "an operator after the restart");
        await login.send("/deop");
        await login.waitFor(ko.deopped, CLUSTER_TIMEOUT_MS);
        await login.send("/quit");
        await login.waitClosed(CLUSTER_TIMEOUT_MS);
      }
      await using again = await logIn(b.port, "alice", "alices password");
      assertEquals(await isOperator(again), false, "/deop holds on the other server");
    } finally {
      await a?.[Symbol.asyncDispose]();
      await b?.[Symbol.asyncDispose]();
    }
  },
});

Deno.test({
  name:
    "cluster accounts: a whisper to an offline account sent on one server is held, and delivered with its time at its login on another",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    await registerAndQuit(servers[1].port, "alice", "alices password");
    await using clients = await joinOn([servers[0].port, "bob"]);
    const [bob] = clients;
    await bob.send("@alice 내일 봐요");
    await bob.waitFor(ko.whisperHeld("alice"), CLUSTER_TIMEOUT_MS);
    await bob.send("@nobody hello");
    await bob.waitFor(ko.noSuchUser("nobody"), CLUSTER_TIMEOUT_MS);
    await using login = await logIn(servers[1].port, "alice", "alices password");
    const isHeld = (l: string) => l.endsWith(ko.whisperReceived("bob", "내일 봐요"));
    // It comes right after the login, maybe before the members line.
    const held = login.received.find(isHeld) ?? await login.waitFor(isHeld, CLUSTER_TIMEOUT_MS);
    assert(/^\[\d\d:\d\d\] /.test(held), `with its time: ${held}`);
    // Taken once: a second login gets nothing held.
    await login.send("/quit");
    await login.waitClosed(CLUSTER_TIMEOUT_MS);
    await using second = await logIn(servers[0].port, "alice", "alices password");
    await second.send("/rooms");
    await second.waitFor((l) => l.startsWith("방 목록:"), CLUSTER_TIMEOUT_MS);
    assert(!second.received.some((l) => l.includes("내일 봐요")), second.received.join("\n"));
  },
});

Deno.test({
  name:
    "cluster accounts: /ban of a logged-in user on one server refuses its nickname's login on another from any address, /bans lists it everywhere, /unban on another lifts it",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using a = await startClusterServer(redis.url, "--op-password", "op-secret");
    await using b = await startClusterServer(redis.url, "--op-password", "op-secret");
    // alice comes from 127.0.0.2, the others from 127.0.0.1, which her address ban leaves alone.
    await using fromAlice = new SourceRelay(a.port, "127.0.0.2");
    await using alice = await LineClient.connect(fromAlice.port);
    await alice.join("alice");
    await alice.send("/register alices password");
    await alice.waitFor(ko.registered("alice"), CLUSTER_TIMEOUT_MS);
    await using ops = await joinOn([a.port, "op"], [b.port, "op2"]);
    const [op, op2] = ops;
    await op.becomeOp("op-secret", CLUSTER_TIMEOUT_MS);
    await op2.becomeOp("op-secret", CLUSTER_TIMEOUT_MS);
    await op.send("/ban alice 0");
    await op.waitFor(ko.banAdded("alice", "127.0.0.2", 0, true), CLUSTER_TIMEOUT_MS);
    await alice.waitClosed(CLUSTER_TIMEOUT_MS);
    await bansOnceThey(
      op2,
      ko.bans([
        { name: "127.0.0.2", nickname: false, minutesLeft: undefined },
        { name: "alice", nickname: true, minutesLeft: undefined },
      ]),
    );
    await using refused = await LineClient.connect(b.port);
    await refused.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
    await refused.send("alice");
    await refused.waitFor(ko.nicknameBanned("alice"), CLUSTER_TIMEOUT_MS);
    assertEquals(await refused.nextLine(CLUSTER_TIMEOUT_MS), ko.nicknamePrompt);
    await op2.send("/unban alice");
    await op2.waitFor(ko.nickUnbanned("alice"), CLUSTER_TIMEOUT_MS);
    await bansOnceThey(
      op,
      ko.bans([{ name: "127.0.0.2", nickname: false, minutesLeft: undefined }]),
    );
    await using back = await logIn(a.port, "alice", "alices password");
    assertEquals(back.received.includes(ko.nicknameBanned("alice")), false);
  },
});

/** Asks `/bans` until the answer is `expected` (a ban reaches a server a moment after it is made). */
async function bansOnceThey(op: LineClient, expected: string): Promise<void> {
  let last = "";
  for (let attempt = 0; attempt < 50; attempt++) {
    await op.send("/bans");
    last = await op.waitFor(
      (l) => l.startsWith("차단 목록:") || l === ko.noBans,
      CLUSTER_TIMEOUT_MS,
    );
    if (last === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100)); // Retry pacing.
  }
  throw new Error(`/bans said ${JSON.stringify(last)}, not ${JSON.stringify(expected)}`);
}

Deno.test({
  name:
    "cluster accounts: a login takes its nickname from its ghost on the same server; users of the other server see no leave or join",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    await using clients = await joinOn([servers[0].port, "alice"], [servers[1].port, "bob"]);
    const [ghost, bob] = clients;
    await ghost.send("/register alices password");
    await ghost.waitFor(ko.registered("alice"), CLUSTER_TIMEOUT_MS);
    const mark = bob.received.length;
    await using login = await logIn(servers[0].port, "alice", "alices password");
    assertEquals((await ghost.waitClosed(CLUSTER_TIMEOUT_MS)).at(-1), ko.nicknameReclaimed);
    await login.send("돌아왔어요");
    await bob.waitFor("alice> 돌아왔어요", CLUSTER_TIMEOUT_MS);
    assertEquals(bob.received.slice(mark), ["alice> 돌아왔어요"]);
    await bob.send("/who");
    await bob.waitFor(ko.who([{ nick: "alice", away: false }, { nick: "bob", away: false }]));
  },
});

Deno.test({
  name:
    "cluster accounts: a login on one server takes its nickname from its ghost on another: the ghost is told why and closed, the new login has its room and place, and nobody sees a leave or a join",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    const [a, b] = servers;
    await using clients = await joinOn([a.port, "alice"], [b.port, "bob"], [a.port, "carol"]);
    const [ghost, bob, carol] = clients;
    await ghost.send("/register alices password");
    await ghost.waitFor(ko.registered("alice"), CLUSTER_TIMEOUT_MS);
    for (const c of [ghost, bob, carol]) {
      await c.send("/join math");
      await c.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
    }
    await ghost.waitFor(ko.joined("carol"), CLUSTER_TIMEOUT_MS);
    await bob.waitFor(ko.joined("carol"), CLUSTER_TIMEOUT_MS);
    const marks = [bob.received.length, carol.received.length];
    await using login = await logIn(b.port, "alice", "alices password");
    assertEquals((await ghost.waitClosed(CLUSTER_TIMEOUT_MS)).at(-1), ko.nicknameReclaimed);
    // In the ghost's room: the room's three members, and no joined notice.
    assert(login.received.some((l) => l.startsWith("접속자 3명")), login.received.join("\n"));
    assertFalse(login.received.includes(ko.joined("alice")), login.received.join("\n"));
    await login.send("돌아왔어요");
    for (const c of [bob, carol]) await c.waitFor("alice> 돌아왔어요", CLUSTER_TIMEOUT_MS);
    assertEquals(bob.received.slice(marks[0]), ["alice> 돌아왔어요"]);
    assertEquals(carol.received.slice(marks[1]), ["alice> 돌아왔어요"]);
    await bob.send("/who");
    const who = await bob.waitFor((l) => l.startsWith("접속자"), CLUSTER_TIMEOUT_MS);
    // The ghost's place (it came first), once.
    assertEquals(who, "접속자 3명: alice, bob, carol");
    // The name is the new login's on every server: a whisper from server a reaches it.
    await carol.send("@alice 어서 와");
    await login.waitFor(ko.whisperReceived("carol", "어서 와"), CLUSTER_TIMEOUT_MS);
  },
});

Deno.test({
  name:
    "cluster accounts: after Redis restarts without its data, the nickname bans are published again by the servers that knew them; the accounts are gone (their nicknames free)",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start({ persistence: false });
    await using a = await startClusterServer(redis.url, "--op-password", "op-secret");
    await registerAndQuit(a.port, "dave", "daves password");
    await using fromAlice = new SourceRelay(a.port, "127.0.0.2");
    await using alice = await LineClient.connect(fromAlice.port);
    await alice.join("alice");
    await alice.send("/register alices password");
    await alice.waitFor(ko.registered("alice"), CLUSTER_TIMEOUT_MS);
    await using ops = await joinOn([a.port, "op"]);
    const [op] = ops;
    await op.becomeOp("op-secret", CLUSTER_TIMEOUT_MS);
    await op.send("/ban alice 0");
    await op.waitFor(ko.banAdded("alice", "127.0.0.2", 0, true), CLUSTER_TIMEOUT_MS);
    await alice.waitClosed(CLUSTER_TIMEOUT_MS);

    await redis.restart(); // Without persistence: Redis comes back empty.
    await op.waitFor("채팅을 다시 사용할 수 있습니다.", CLUSTER_TIMEOUT_MS);
    const entry = await redis.command("HGET", "chat:nick-bans", "alice");
    assert(typeof entry === "string" && JSON.parse(entry).name === "alice", "published again");
    // A server started afterwards reads it from Redis.
    await using b = await startClusterServer(redis.url);
    await using refused = await LineClient.connect(b.port);
    await refused.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
    await refused.send("alice");
    await refused.waitFor(ko.nicknameBanned("alice"), CLUSTER_TIMEOUT_MS);
    // dave's account went with the data: its nickname is anyone's now.
    await refused.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
    await refused.send("dave");
    await refused.waitFor(isMembersLine, CLUSTER_TIMEOUT_MS);
    assertFalse(refused.received.includes(ko.accountPrompt("dave")), refused.received.join("\n"));
  },
});
