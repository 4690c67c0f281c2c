import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { eventId, newEpoch, parseEventId } from "../../lib/chat/event_id.ts";
import type { HistoryEvent } from "../../lib/chat/events.ts";
import { MemoryStore } from "../../lib/chat/memory_store.ts";
import {
  type Account,
  HELD_WHISPER_TTL_MS,
  MAX_HELD_WHISPERS,
  type StoredEvent,
} from "../../lib/chat/store.ts";

/** Appends `count` messages to a room, numbered after `from`. */
function say(store: MemoryStore, room: string, from: number, count: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let seq = from + 1; seq <= from + count; seq++) {
    const event: HistoryEvent = { type: "message", room, nick: "al", text: `m${seq}`, time: seq };
    const stored = { ...event, id: eventId(store.epoch, seq) };
    store.appendHistory(room, seq, stored);
    out.push(stored);
  }
  return out;
}

function texts(events: readonly { text: string }[]): string[] {
  return events.map((event) => event.text);
}

const ALICE: Account = {
  key: "alice",
  nickname: "Alice",
  passwordHash: "scrypt$16384$8$1$c2FsdA$aGFzaA",
  operator: false,
  created: 1,
  lastSeen: undefined,
};

Deno.test("event ids carry the epoch and the room's sequence number, and nothing else parses", () => {
  const epoch = newEpoch();
  assertEquals(epoch.length, 12);
  assertNotEquals(newEpoch(), epoch);
  assertEquals(parseEventId(eventId(epoch, 42)), { epoch, seq: 42 });
  assertEquals(parseEventId(eventId(epoch, 0)), { epoch, seq: 0 }, "the room's start");
  for (const bad of ["", "x", `${epoch}.00`, `${epoch}.-1`, `${epoch}.1.2`, `.5`, `${epoch}.01`]) {
    assertEquals(parseEventId(bad), undefined, bad);
  }
});

Deno.test("memory store: a room's history is its last events and its last sequence number", () => {
  const store = new MemoryStore({ historyKeep: 5 });
  assertEquals(store.history("lobby", 10), { lastSeq: 0, events: [] });
  say(store, "lobby", 0, 12);
  const read = store.history("lobby", 10);
  assertEquals(read.lastSeq, 12);
  assertEquals(texts(read.events), ["m8", "m9", "m10", "m11", "m12"]);
  assertEquals(texts(store.history("lobby", 2).events), ["m11", "m12"]);
  assertEquals(store.history("lobby", 2).events[1].id, `${store.epoch}.12`);
  assertEquals(store.history("other", 3), { lastSeq: 0, events: [] });
});

Deno.test("memory store: catch-up returns the events after an id and counts those it cannot", () => {
  const store = new MemoryStore({ historyKeep: 5 });
  say(store, "lobby", 0, 12);
  const id = (seq: number) => eventId(store.epoch, seq);
  assertEquals(texts(store.historySince("lobby", id(10), 100).events), ["m11", "m12"]);
  assertEquals(store.historySince("lobby", id(10), 100).skipped, 0);
  assertEquals(store.historySince("lobby", id(12), 100), { known: true, events: [], skipped: 0 });
  // Past what is kept: the last ones, and how many were skipped.
  const far = store.historySince("lobby", id(2), 100);
  assertEquals([texts(far.events), far.skipped], [["m8", "m9", "m10", "m11", "m12"], 5]);
  // Over the limit: the newest.
  const cut = store.historySince("lobby", id(8), 2);
  assertEquals([texts(cut.events), cut.skipped], [["m11", "m12"], 2]);
  // From the room's start (a user who left before anything was said).
  const start = store.historySince("lobby", id(0), 100);
  assertEquals([start.known, texts(start.events).length, start.skipped], [true, 5, 7]);
});

Deno.test("memory store: an id from another epoch, ahead of the room or not an id is unknown", () => {
  const store = new MemoryStore();
  say(store, "lobby", 0, 3);
  const unknown = { known: false, events: [], skipped: 0 };
  assertEquals(store.historySince("lobby", eventId(newEpoch(), 1), 10), unknown);
  assertEquals(store.historySince("lobby", eventId(store.epoch, 4), 10), unknown);
  assertEquals(store.historySince("lobby", "garbage", 10), unknown);
  assertEquals(store.historySince("nowhere", eventId(store.epoch, 1), 10), unknown);
});

Deno.test("memory store: an append it already has is ignored, and a gap restarts the kept run", () => {
  const store = new MemoryStore({ historyKeep: 10 });
  say(store, "lobby", 0, 3);
  say(store, "lobby", 1, 1); // seq 2 again
  assertEquals(texts(store.history("lobby", 10).events), ["m1", "m2", "m3"]);
  say(store, "lobby", 5, 1); // seq 6: 4 and 5 never came
  assertEquals(store.history("lobby", 10).lastSeq, 6);
  assertEquals(texts(store.history("lobby", 10).events), ["m6"]);
});

Deno.test("memory store: a forgotten room's ids are unknown and its numbers are not reused", () => {
  const store = new MemoryStore({ maxRooms: 2 });
  say(store, "a", 0, 7);
  say(store, "b", 0, 1);
  say(store, "b", 1, 1); // b was written last: a goes first
  say(store, "c", 0, 1);
  assertEquals(store.history("a", 10).events, []);
  assertEquals(texts(store.history("b", 10).events), ["m1", "m2"]);
  const next = store.history("a", 10).lastSeq;
  assert(next >= 7, `a forgotten room counts on from ${next}`);
  assertEquals(store.historySince("a", eventId(store.epoch, 3), 10).known, false);
  say(store, "a", next, 2);
  assertEquals(store.historySince("a", eventId(store.epoch, 3), 10).known, false);
  assertEquals(texts(store.historySince("a", eventId(store.epoch, next), 10).events), [
    `m${next + 1}`,
    `m${next + 2}`,
  ]);
});

Deno.test("memory store: --history-keep 0 keeps no events but still counts them", () => {
  const store = new MemoryStore({ historyKeep: 0 });
  say(store, "lobby", 0, 4);
  assertEquals(store.history("lobby", 10), { lastSeq: 4, events: [] });
  assertEquals(store.historySince("lobby", eventId(store.epoch, 1), 10).skipped, 3);
});

Deno.test("memory store: topics are set, read and cleared per room", () => {
  const store = new MemoryStore();
  assertEquals(store.topic("lobby"), undefined);
  store.setTopic("lobby", { text: "hi", nick: "al", time: 5 });
  assertEquals(store.topic("lobby"), { text: "hi", nick: "al", time: 5 });
  assertEquals(store.topic("other"), undefined);
  store.setTopic("lobby", undefined);
  assertEquals(store.topic("lobby"), undefined);
});

Deno.test("memory store: an account is created once, changed in place and deleted", () => {
  const store = new MemoryStore();
  assertEquals(store.account("alice"), undefined);
  assert(store.createAccount(ALICE));
  assert(!store.createAccount({ ...ALICE, nickname: "ALICE" }), "the key is taken");
  assertEquals(store.account("alice"), ALICE);
  assert(store.setPassword("alice", "new-hash"));
  assert(store.setOperator("alice", true));
  const seen = { room: "Math", id: `${store.epoch}.3`, time: 9 };
  assert(store.setLastSeen("alice", seen));
  assertEquals(store.account("alice"), {
    ...ALICE,
    passwordHash: "new-hash",
    operator: true,
    lastSeen: seen,
  });
  assert(!store.setPassword("bob", "x"));
  assert(!store.setOperator("bob", true));
  assert(!store.setLastSeen("bob", seen));
  assert(store.deleteAccount("alice"));
  assert(!store.deleteAccount("alice"));
  assertEquals(store.account("alice"), undefined);
});

Deno.test("memory store: what a caller holds is a copy, never the stored account", () => {
  const store = new MemoryStore();
  const given = { ...ALICE };
  store.createAccount(given);
  given.operator = true;
  store.account("alice")!.passwordHash = "changed";
  assertEquals(store.account("alice"), ALICE);
});

Deno.test("memory store: bans by address and by nickname are kept apart and expire", () => {
  const store = new MemoryStore();
  const now = 1_000_000;
  store.addBan({ kind: "address", target: "10.0.0.1", until: now + 60_000, by: "op", reason: "x" });
  store.addBan({ kind: "nickname", target: "10.0.0.1", until: undefined, by: "op", reason: "y" });
  store.addBan({ kind: "address", target: "10.0.0.2", until: now + 1, by: undefined, reason: "" });
  assertEquals(store.bans(now).map((ban) => `${ban.kind} ${ban.target}`), [
    "address 10.0.0.1",
    "nickname 10.0.0.1",
    "address 10.0.0.2",
  ]);
  assertEquals(store.bans(now + 1).length, 2, "the one that ended is forgotten");
  assertEquals(store.bans(now + 1).length, 2);
  assert(store.removeBan("address", "10.0.0.1"));
  assert(!store.removeBan("address", "10.0.0.1"));
  assertEquals(store.bans(now), [
    { kind: "nickname", target: "10.0.0.1", until: undefined, by: "op", reason: "y" },
  ]);
});

Deno.test("memory store: a new ban on the same target replaces the old one", () => {
  const store = new MemoryStore();
  store.addBan({ kind: "address", target: "::1", until: 5, by: "a", reason: undefined });
  store.addBan({ kind: "address", target: "::1", until: undefined, by: "b", reason: undefined });
  assertEquals(store.bans(10), [
    { kind: "address", target: "::1", until: undefined, by: "b", reason: undefined },
  ]);
});

Deno.test("memory store: held whispers are taken once, oldest first, at most 50 per recipient", () => {
  const store = new MemoryStore();
  const now = Date.now();
  for (let i = 0; i < MAX_HELD_WHISPERS; i++) {
    assert(store.holdWhisper("bob", { from: "al", text: `w${i}`, time: now + i }));
  }
  assert(!store.holdWhisper("bob", { from: "al", text: "one too many", time: now }));
  assert(store.holdWhisper("carol", { from: "al", text: "hi", time: now }));
  const taken = store.takeWhispers("bob", now + 100);
  assertEquals(taken.length, MAX_HELD_WHISPERS);
  assertEquals([taken[0].text, taken.at(-1)!.text], ["w0", `w${MAX_HELD_WHISPERS - 1}`]);
  assertEquals(store.takeWhispers("bob"), []);
  assertEquals(texts(store.takeWhispers("carol")), ["hi"]);
});

Deno.test("memory store: whispers older than 7 days are dropped and free their places", () => {
  const store = new MemoryStore();
  const now = Date.now();
  const old = now - HELD_WHISPER_TTL_MS;
  for (let i = 0; i < MAX_HELD_WHISPERS; i++) {
    store.holdWhisper("bob", { from: "al", text: "old", time: old });
  }
  assert(store.holdWhisper("bob", { from: "al", text: "new", time: now }), "old ones free room");
  assertEquals(texts(store.takeWhispers("bob", now)), ["new"]);
});

Deno.test("memory store: deleting an account drops the whispers held for it", () => {
  const store = new MemoryStore();
  store.createAccount(ALICE);
  store.holdWhisper("alice", { from: "bob", text: "hi", time: Date.now() });
  store.deleteAccount("alice");
  assertEquals(store.takeWhispers("alice"), []);
});

Deno.test("memory store: each store has its own epoch; one can be given", () => {
  assertNotEquals(new MemoryStore().epoch, new MemoryStore().epoch);
  assertEquals(new MemoryStore({ epoch: "abc" }).epoch, "abc");
  assertEquals(new MemoryStore().location, undefined);
});
