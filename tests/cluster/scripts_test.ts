/**
 * The scripts of ghost reclaim across servers, run on a real `redis-server` as the
 * servers run them: what `TAKE_OVER` leaves in Redis, and that a rename racing it
 * leaves the new holder's presence alone.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import { KEY_PREFIX, keys } from "../../lib/cluster/keys.ts";
import { RENAME, TAKE_OVER } from "../../lib/cluster/scripts.ts";
import { parseInboxItem } from "../../lib/cluster/inbox_item.ts";
import { parsePresence } from "../../lib/cluster/presence.ts";
import { RedisServer, type RespReply } from "../fixtures/redis_server.ts";

function presence(server: string, token: string, room: string, since: number): string {
  return JSON.stringify({
    nick: "alice",
    rooms: room === "" ? [] : [room],
    roomKeys: room === "" ? [] : [room],
    away: null,
    address: "127.0.0.1",
    server,
    token,
    since,
  });
}

function takeOver(redis: RedisServer, token: string, json: string): Promise<RespReply> {
  return redis.command(
    "EVAL",
    TAKE_OVER,
    "3",
    keys.nick("alice"),
    keys.users,
    keys.serverUsers("bbbb"),
    token,
    "10000",
    "alice",
    json,
    KEY_PREFIX,
    "1000",
    "m",
  );
}

Deno.test("TAKE_OVER gives the new login the holder's claim, presence and place, and tells the holder's server", async () => {
  await using redis = await RedisServer.start({ persistence: false });
  await redis.command("SET", keys.nick("alice"), "aaaa:old", "PX", "10000");
  await redis.command("HSET", keys.users, "alice", presence("aaaa", "aaaa:old", "math", 1000));
  await redis.command("SADD", keys.serverUsers("aaaa"), "alice");
  const reply = await takeOver(redis, "bbbb:new", presence("bbbb", "bbbb:new", "", 5000));
  assertEquals(reply, [2, presence("aaaa", "aaaa:old", "math", 1000)]);
  assertEquals(await redis.command("GET", keys.nick("alice")), "bbbb:new");
  const now = parsePresence(String(await redis.command("HGET", keys.users, "alice")));
  assertEquals(
    { server: now.server, token: now.token, rooms: now.rooms, since: now.since },
    { server: "bbbb", token: "bbbb:new", rooms: ["math"], since: 1000 },
  );
  assertEquals(await redis.command("SMEMBERS", keys.serverUsers("aaaa")), []);
  assertEquals(await redis.command("SMEMBERS", keys.serverUsers("bbbb")), ["alice"]);
  const inbox = await redis.command("XRANGE", keys.inbox("aaaa"), "-", "+") as [
    string,
    string[],
  ][];
  assertEquals(inbox.length, 1);
  assertEquals(parseInboxItem(inbox[0][1][1]), {
    kind: "reclaimed",
    to: "alice",
    token: "aaaa:old",
  });
});

Deno.test("TAKE_OVER of a holder between rooms, or in several, keeps the rooms as arrays a server can read", async () => {
  await using redis = await RedisServer.start({ persistence: false });
  await redis.command("SET", keys.nick("alice"), "aaaa:old", "PX", "10000");
  await redis.command("HSET", keys.users, "alice", presence("aaaa", "aaaa:old", "", 1000));
  await takeOver(redis, "bbbb:new", presence("bbbb", "bbbb:new", "", 5000));
  const between = parsePresence(String(await redis.command("HGET", keys.users, "alice")));
  assertEquals([between.rooms, between.roomKeys], [[], []]);
  const several = JSON.stringify({
    ...JSON.parse(presence("bbbb", "bbbb:new", "", 5000)),
    rooms: ["math", "art"],
    roomKeys: ["rnath", "art"],
  });
  await redis.command("HSET", keys.users, "alice", several);
  await redis.command("SET", keys.nick("alice"), "bbbb:new", "PX", "10000");
  await takeOver(redis, "cccc:new", presence("cccc", "cccc:new", "", 5000));
  const now = parsePresence(String(await redis.command("HGET", keys.users, "alice")));
  assertEquals([now.server, now.rooms, now.roomKeys], ["cccc", ["math", "art"], ["rnath", "art"]]);
});

Deno.test("TAKE_OVER claims a free nickname as a claim does, and does not take one whose holder's server is unknown", async () => {
  await using redis = await RedisServer.start({ persistence: false });
  assertEquals(await takeOver(redis, "bbbb:new", presence("bbbb", "bbbb:new", "", 5000)), [1]);
  assertEquals(await redis.command("GET", keys.nick("alice")), "bbbb:new");
  // A claim without a presence: its server cannot be told, so it is not taken.
  await redis.command("SET", keys.nick("alice"), "cccc:x", "PX", "10000");
  await redis.command("HDEL", keys.users, "alice");
  assertEquals(await takeOver(redis, "dddd:new", presence("dddd", "dddd:new", "", 5000)), [0]);
  assertEquals(await redis.command("GET", keys.nick("alice")), "cccc:x");
});

Deno.test("RENAME of a holder whose nickname was just taken over leaves the new holder's presence", async () => {
  await using redis = await RedisServer.start({ persistence: false });
  await redis.command("SET", keys.nick("alice"), "aaaa:old", "PX", "10000");
  await redis.command("HSET", keys.users, "alice", presence("aaaa", "aaaa:old", "math", 1000));
  await takeOver(redis, "bbbb:new", presence("bbbb", "bbbb:new", "", 5000));
  // The old holder renames itself to bob just after, before its server read the inbox.
  const renamed = await redis.command(
    "EVAL",
    RENAME,
    "4",
    keys.nick("bob"),
    keys.nick("alice"),
    keys.users,
    keys.serverUsers("aaaa"),
    "aaaa:old",
    "10000",
    "bob",
    "alice",
    presence("aaaa", "aaaa:old", "math", 1000).replace('"alice"', '"bob"'),
  );
  assertEquals(renamed, 1);
  assertEquals(await redis.command("GET", keys.nick("alice")), "bbbb:new");
  const alice = parsePresence(String(await redis.command("HGET", keys.users, "alice")));
  assertEquals(alice.token, "bbbb:new");
});
