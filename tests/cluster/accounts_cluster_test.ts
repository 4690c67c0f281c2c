/**
 * Accounts in a cluster, before the Redis store: each server keeps its own, a login
 * takes its nickname back from a ghost on its own server (unnoticed by the other
 * servers' users), and is told when the nickname is held on another server, which
 * it cannot take it from yet; a nickname ban is kept by the server of the account.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { isMembersLine, LineClient } from "../_server_helpers.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { CLUSTER_TIMEOUT_MS, joinOn, startCluster, startClusterServer } from "./_cluster.ts";

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
    "cluster accounts: a login to a nickname held on another server is refused with the reason, and asked for a nickname again",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using servers = await startCluster(redis.url, 2);
    // Registered on the second server: the first one does not know the account yet.
    const owner = await LineClient.connect(servers[1].port);
    await owner.join("alice");
    await owner.send("/register alices password");
    await owner.waitFor(ko.registered("alice"), CLUSTER_TIMEOUT_MS);
    await owner.send("/quit");
    await owner.waitClosed(CLUSTER_TIMEOUT_MS);
    await owner.close();
    await using guest = await LineClient.connect(servers[0].port);
    await guest.join("alice");
    await using login = await LineClient.connect(servers[1].port);
    await login.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
    await login.send("alice");
    await login.waitFor(ko.accountPrompt("alice"), CLUSTER_TIMEOUT_MS);
    await login.send("alices password");
    await login.waitFor(ko.reclaimRefused("alice"), CLUSTER_TIMEOUT_MS);
    assertEquals(await login.nextLine(CLUSTER_TIMEOUT_MS), ko.nicknamePrompt);
    assertEquals(guest.closed, false);
  },
});

/** Whether this machine has IPv6 loopback: a client from ::1 has another address than 127.0.0.1. */
function hasIpv6Loopback(): boolean {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "cluster accounts: /ban of a registered user bans its nickname on the server that has its account; /bans lists it and /unban lifts it",
  timeout: TEST_TIMEOUT_MS,
  ignore: !hasIpv6Loopback(),
  fn: async () => {
    await using redis = await RedisServer.start();
    // On every address: alice comes from ::1, the others from 127.0.0.1, which her
    // address ban leaves alone.
    await using server = await startClusterServer(
      redis.url,
      "--host",
      "::",
      "--op-password",
      "op-secret",
    );
    await using alice = new LineClient(await Deno.connect({ hostname: "::1", port: server.port }));
    await alice.join("alice");
    await alice.send("/register alices password");
    await alice.waitFor(ko.registered("alice"), CLUSTER_TIMEOUT_MS);
    await using op = await LineClient.connect(server.port);
    await op.join("op");
    await op.becomeOp("op-secret");
    await op.send("/ban alice 0");
    await op.waitFor(ko.banAdded("alice", "::1", 0, true), CLUSTER_TIMEOUT_MS);
    await alice.waitClosed(CLUSTER_TIMEOUT_MS);
    await using refused = await LineClient.connect(server.port);
    await refused.waitFor(ko.nicknamePrompt, CLUSTER_TIMEOUT_MS);
    await refused.send("alice");
    await refused.waitFor(ko.nicknameBanned("alice"), CLUSTER_TIMEOUT_MS);
    await op.send("/bans");
    await op.waitFor(
      ko.bans([
        { name: "::1", nickname: false, minutesLeft: undefined },
        { name: "alice", nickname: true, minutesLeft: undefined },
      ]),
    );
    await op.send("/unban alice");
    await op.waitFor(ko.nickUnbanned("alice"), CLUSTER_TIMEOUT_MS);
    await using back = await logIn(server.port, "alice", "alices password");
    assertEquals(back.received.includes(ko.nicknameBanned("alice")), false);
  },
});
