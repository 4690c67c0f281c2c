/**
 * Several rooms per user in a cluster: presence carries every room, the other
 * servers count the user in each, and a dead server's user leaves every room.
 * Servers run in this process (their users are fake peers, so that one can be
 * in several rooms as an IRC client is) on a real Redis.
 *
 * @module
 */

import { assert, assertEquals } from "@std/assert";
import { Chat } from "../../lib/chat/chat.ts";
import type { ClusterLog } from "../../lib/chat/cluster.ts";
import { nicknameKey } from "../../lib/chat/nickname.ts";
import { roomKey } from "../../lib/chat/room_name.ts";
import type { User } from "../../lib/chat/user.ts";
import { parsePresence } from "../../lib/cluster/presence.ts";
import type { ClusterTiming } from "../../lib/cluster/liveness.ts";
import { RedisCluster } from "../../lib/cluster/redis_cluster.ts";
import { waitForLine } from "../chat/_accounts.ts";
import { EN_FORMAT, FakePeer, testConfig } from "../chat/_fake_peer.ts";
import { OncePerUserFormat } from "../chat/_once_per_user_format.ts";
import type { TextFormat } from "../../lib/server/text_format.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { CLUSTER_TIMEOUT_MS } from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;

/** A dead server is found within about 3 s (as `quick_cluster_server.ts`). */
const QUICK_TIMING: ClusterTiming = {
  heartbeatMs: 250,
  deadAfterMs: 2_000,
  reapCheckMs: 250,
  nickTtlMs: 2_000,
};

/** A server of the cluster in this process: its chat, and its peers ended on dispose. */
class InProcessServer implements AsyncDisposable {
  readonly chat: Chat;
  readonly #cluster: RedisCluster;
  readonly #peers: FakePeer[] = [];

  private constructor(cluster: RedisCluster) {
    this.#cluster = cluster;
    this.chat = new Chat(testConfig(), {
      cluster: { bus: cluster, directory: cluster, ready: () => cluster.available !== false },
    });
  }

  /** Starts a server on Redis and waits until it has joined the cluster. */
  static async start(url: string, timing?: ClusterTiming): Promise<InProcessServer> {
    const joined = Promise.withResolvers<void>();
    const cluster = new RedisCluster({ url, timing, log: quietLog(() => joined.resolve()) });
    const server = new InProcessServer(cluster);
    void cluster.start();
    await joined.promise;
    return server;
  }

  /** Joins a peer and waits for the members line that ends entering the lobby. */
  async join(nick: string, format: TextFormat = EN_FORMAT): Promise<FakePeer> {
    const peer = new FakePeer(this.chat, { format });
    this.#peers.push(peer);
    peer.session.start();
    peer.type(nick);
    await waitForLine(peer, /^\d+ online: /, 1, CLUSTER_TIMEOUT_MS);
    return peer;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const peer of this.#peers) peer.session.ended();
    await this.#cluster.stop();
  }
}

function quietLog(joined: () => void): ClusterLog {
  const nothing = () => {};
  return {
    joined,
    unreachable: nothing,
    restored: nothing,
    reaped: nothing,
    noPersistence: nothing,
    dataLost: nothing,
    stalled: nothing,
    nicknameLost: nothing,
    malformed: nothing,
  };
}

function userOf(peer: FakePeer): User {
  const user = peer.session.user;
  assert(user !== undefined, "joined");
  return user;
}

/** Adds a room to a peer's rooms (an IRC JOIN), and waits until it is in. */
async function keepEnter(server: InProcessServer, peer: FakePeer, name: string): Promise<void> {
  const entered = userOf(peer).rooms.size + 1;
  await server.chat.enter(userOf(peer), name, { keep: true });
  assertEquals(userOf(peer).rooms.size, entered);
}

async function presenceRooms(redis: RedisServer, nick: string): Promise<string[]> {
  const json = await redis.command("HGET", "chat:users", nicknameKey(nick));
  assert(typeof json === "string", `${nick} has a presence`);
  return parsePresence(json).rooms;
}

Deno.test({
  name:
    "cluster: presence carries every room of a user; another server counts it in each, and sees a part",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start({ persistence: false });
    await using a = await InProcessServer.start(redis.url);
    await using b = await InProcessServer.start(redis.url);
    const ivan = await a.join("ivan");
    const bob = await b.join("bob");
    await keepEnter(a, ivan, "math");
    assertEquals(await presenceRooms(redis, "ivan"), ["lobby", "math"]);
    bob.take();
    bob.type("/rooms");
    await waitForLine(bob, "Rooms: lobby (2), math (1)");
    bob.take();
    bob.type("/join math");
    await waitForLine(bob, "2 online: ivan, bob");
    bob.take();
    const math = a.chat.findRoom("math");
    assert(math !== undefined);
    a.chat.leave(userOf(ivan), { parted: "lunch" }, math);
    await waitForLine(bob, "ivan left #math. Reason: lunch");
    assertEquals(await presenceRooms(redis, "ivan"), ["lobby"]);
    bob.type("/who");
    await waitForLine(bob, "1 online: bob");
  },
});

Deno.test({
  name:
    "cluster: a dead server's user leaves every room it was in; a connection in several is shown it once",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start({ persistence: false });
    await using live = await InProcessServer.start(redis.url, QUICK_TIMING);
    const alice = await live.join("alice");
    const bob = await live.join("bob");
    const format = new OncePerUserFormat();
    const walt = await live.join("walt", format);
    bob.type("/join math");
    await waitForLine(bob, /^\d+ online: /, 2, CLUSTER_TIMEOUT_MS);
    await keepEnter(live, walt, "math");
    await waitForLine(walt, /^\d+ online: /, 2, CLUSTER_TIMEOUT_MS);
    walt.take();
    // Then a server that died long ago (its heartbeat at Redis time 0), with a user in two rooms.
    await redis.command("ZADD", "chat:servers", "0", "deadbeef");
    await redis.command("SADD", "chat:server:deadbeef:users", "ghost");
    await redis.command(
      "HSET",
      "chat:users",
      "ghost",
      JSON.stringify({
        nick: "ghost",
        rooms: ["lobby", "math"],
        roomKeys: ["lobby", roomKey("math")],
        away: null,
        address: "10.0.0.2",
        server: "deadbeef",
        token: "deadbeef:1",
        since: 1,
      }),
    );
    await waitForLine(alice, "ghost has left.", 1, CLUSTER_TIMEOUT_MS);
    await waitForLine(bob, "ghost has left.", 1, CLUSTER_TIMEOUT_MS);
    // Both rooms have shown it here (each room shows its members in one step).
    assertEquals(walt.take(), ["~ ghost quit"]);
    assertEquals(format.renders, 1);
    assertEquals(await redis.command("HGET", "chat:users", "ghost"), null);
  },
});
