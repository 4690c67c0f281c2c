import { assert, assertEquals, assertMatch } from "@std/assert";
import { Chat } from "../../lib/chat/chat.ts";
import { isHistoryEvent, type RoomEvent } from "../../lib/chat/events.ts";
import type { LocalDirectory } from "../../lib/chat/local_directory.ts";
import { MemoryStore } from "../../lib/chat/memory_store.ts";
import { roomKey } from "../../lib/chat/room_name.ts";
import type { StoredEvent } from "../../lib/chat/store.ts";
import type { BroadcastLog } from "../../lib/fanout/broadcast_log.ts";
import { TextFormat } from "../../lib/server/text_format.ts";
import { EN_FORMAT, join, microtasks, testConfig } from "./_fake_peer.ts";
import { say } from "./commands/_setup.ts";

/** A chat on a given store, as a server (re)started on the same data. */
function chatOn(store: MemoryStore, historyLimit = 50): Chat {
  return new Chat(testConfig({ historyLimit }), { store });
}

/** A store in memory that remembers which events were committed. */
class CommitLog extends MemoryStore {
  /** The ids appended since the last commit. */
  waiting: string[] = [];
  /** The ids committed. */
  readonly committed = new Set<string>();

  override appendHistory(room: string, seq: number, event: StoredEvent): void {
    super.appendHistory(room, seq, event);
    this.waiting.push(event.id);
  }

  override commit(): void {
    for (const id of this.waiting) this.committed.add(id);
    this.waiting = [];
  }
}

/** The English text format, which notes every history event rendered before it was committed. */
class CheckedFormat extends TextFormat {
  readonly early: string[] = [];
  rendered = 0;

  constructor(readonly store: CommitLog) {
    super("en");
  }

  override append(log: BroadcastLog, events: readonly RoomEvent[]): void {
    for (const event of events) {
      if (!isHistoryEvent(event)) continue;
      this.rendered++;
      if (event.id === undefined || !this.store.committed.has(event.id)) {
        this.early.push(event.text);
      }
    }
    super.append(log, events);
  }
}

Deno.test("local bus: messages and actions get ids numbered per room from 1; notices get none", async () => {
  const store = new MemoryStore();
  const observed: RoomEvent[] = [];
  const chat = new Chat(testConfig(), {
    store,
    observer: { nickname() {}, whisper() {}, roomEvent: (event) => observed.push(event) },
  });
  const alice = await join(chat, "alice", { format: EN_FORMAT });
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  await say(alice, "one", "/me waves", "/join math", "three");
  await say(bob, "two");
  const rooms: [string, string[]][] = [["lobby", ["one", "waves", "two"]], ["math", ["three"]]];
  for (const [room, texts] of rooms) {
    const events = store.history(roomKey(room), 10).events;
    assertEquals(events.map((event) => event.text), texts);
    assertEquals(events.map((event) => event.id), texts.map((_, i) => `${store.epoch}.${i + 1}`));
  }
  assertEquals(observed.filter((event) => "id" in event).length, 4, "what the rooms showed");
  assert(observed.some((event) => event.type === "joined"));
  for (const event of observed) assertEquals("id" in event, isHistoryEvent(event), event.type);
});

Deno.test("local bus: after a restart a newcomer sees the stored history and the numbering goes on", async () => {
  const store = new MemoryStore();
  {
    const chat = chatOn(store);
    const alice = await join(chat, "alice", { format: EN_FORMAT });
    await say(alice, "before the restart", "/me is still here");
  }
  const chat = chatOn(store);
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  const lines = bob.take();
  const at = lines.indexOf("-- 2 recent messages --");
  assert(at >= 0, lines.join("\n"));
  assertMatch(lines[at + 1], /alice> before the restart$/);
  assertMatch(lines[at + 2], /\* alice is still here$/);
  await say(bob, "after");
  assertEquals(store.history("lobby", 1).events[0].id, `${store.epoch}.3`);
});

Deno.test("local bus: the history shown to newcomers is --history, never more than the store gives", async () => {
  const store = new MemoryStore();
  {
    const alice = await join(chatOn(store, 5), "alice", { format: EN_FORMAT });
    await say(alice, ...Array.from({ length: 8 }, (_, i) => `m${i + 1}`));
  }
  const bob = await join(chatOn(store, 3), "bob", { format: EN_FORMAT });
  const lines = bob.take();
  const at = lines.indexOf("-- 3 recent messages --");
  assert(at >= 0, lines.join("\n"));
  assertMatch(lines[at + 3], /alice> m8$/);
});

Deno.test("local bus: a topic is stored and the room has it again after a restart", async () => {
  const store = new MemoryStore();
  {
    const alice = await join(chatOn(store), "alice", { format: EN_FORMAT });
    await say(alice, "/topic exams on monday");
  }
  assertEquals(store.topic("lobby")?.text, "exams on monday");
  const bob = await join(chatOn(store), "bob", { format: EN_FORMAT });
  assert(bob.take().some((line) => line.includes("exams on monday")), "bob is told the topic");
});

Deno.test("local bus: a line is rendered only after it is stored, in a microtask", async () => {
  const store = new CommitLog();
  const format = new CheckedFormat(store);
  const chat = chatOn(store);
  const alice = await join(chat, "alice", { format });
  await join(chat, "bob", { format });
  await say(alice, "hello", "world");
  assertEquals(format.rendered, 2);
  assertEquals(format.early, []);
});

Deno.test("local bus: a line is rendered only after it is stored, also when a reply flushes it at once", async () => {
  const store = new CommitLog();
  const format = new CheckedFormat(store);
  const chat = chatOn(store);
  const alice = await join(chat, "alice", { format });
  await join(chat, "bob", { format });
  // Alice's reply to /who renders her line first, in the same turn, before any microtask.
  alice.type("said before a reply", "/who");
  assertEquals(format.rendered, 1, "rendered synchronously");
  assertEquals(format.early, []);
  await microtasks();
});

Deno.test("local bus: a newcomer's history is stored before it is sent", async () => {
  const store = new CommitLog();
  const chat = chatOn(store);
  const alice = await join(chat, "alice", { format: EN_FORMAT });
  alice.type("just said");
  // Bob comes in the same turn: the history he is sent holds a line not yet rendered.
  const { FakePeer } = await import("./_fake_peer.ts");
  const bob = new FakePeer(chat, { format: EN_FORMAT });
  bob.session.start();
  bob.type("bob");
  assertEquals(store.waiting, [], "committed before the history went out");
  await microtasks();
  assert(bob.take().some((line) => line.endsWith("alice> just said")));
});

Deno.test("local directory: address and nickname bans are stored, read back after a restart, and end on time", () => {
  const store = new MemoryStore();
  {
    const directory = chatOn(store).directory as LocalDirectory;
    directory.ban("192.0.2.7", 0);
    directory.ban("192.0.2.8", 5);
    directory.ban("192.0.2.9", 5);
    directory.unban("192.0.2.9");
    directory.banNickname({ key: "mallory", name: "Mallory", minutes: 1, by: "op", reason: "r" });
  }
  const directory = chatOn(store).directory as LocalDirectory;
  const now = Date.now();
  assertEquals(directory.bans.list(now).map((ban) => "address" in ban && ban.address), [
    "192.0.2.7",
    "192.0.2.8",
  ]);
  assert(directory.nicknameBans.has("mallory", now));
  assertEquals(directory.nicknameBans.list(now), [{ nick: "Mallory", until: now + 60_000 }]);
  assert(directory.unbanNickname("mallory"));
  assert(!directory.unbanNickname("mallory"));
  assertEquals(store.bans(now).map((ban) => ban.target), ["192.0.2.7", "192.0.2.8"]);
  assert(directory.bans.has("192.0.2.8", now + 4 * 60_000));
  assert(!directory.bans.has("192.0.2.8", now + 5 * 60_000 + 1000), "a timed ban still ends");
});
