/**
 * The session's account state and what a login brings: the password prompt, wrong
 * answers (per connection and per address), ghost reclaim, catch-up, held whispers
 * and the pre-login lines. Fake peers, no socket.
 */

import { assert, assertEquals, assertMatch } from "@std/assert";
import { Chat } from "../../lib/chat/chat.ts";
import { eventId } from "../../lib/chat/event_id.ts";
import {
  type AttemptVerdict,
  FIRST_DELAY_MS,
  LocalPasswordAttempts,
  MAX_FAILURES_PER_WINDOW,
  type PasswordAttempts,
  type PasswordKind,
} from "../../lib/chat/password_attempts.ts";
import { MemoryStore } from "../../lib/chat/memory_store.ts";
import { roomKey } from "../../lib/chat/room_name.ts";
import { MAX_HELD_WHISPERS } from "../../lib/chat/store.ts";
import { clock } from "../../lib/server/text_format.ts";
import { RemoteDirectory } from "./_remote_directory.ts";
import { addAccount, logIn, numberedChat, waitClosed, waitForLine } from "./_accounts.ts";
import {
  EN_FORMAT,
  FakePeer,
  join,
  KO_FORMAT,
  microtasks,
  testChat,
  testConfig,
} from "./_fake_peer.ts";

/** Starts a connection and gives a nickname, as an English-speaking peer. */
function connect(chat: Chat, nick: string, address = "192.0.2.1"): FakePeer {
  const peer = new FakePeer(chat, { format: EN_FORMAT, address });
  peer.session.start();
  peer.type(nick);
  return peer;
}

/** Attempts that answer as the test says, and record what failed. */
class ScriptedAttempts implements PasswordAttempts {
  verdictNow: AttemptVerdict = { delayMs: 0, lockedOut: false };
  readonly failures: [string, PasswordKind][] = [];
  verdict(): AttemptVerdict {
    return this.verdictNow;
  }
  failed(address: string, kind: PasswordKind): void {
    this.failures.push([address, kind]);
  }
}

Deno.test("login: a registered nickname asks for its password, in English and in Korean", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  const en = connect(chat, "alice");
  await waitForLine(en, "Password for alice:");
  assertEquals(en.take(), ["Enter your nickname:", "Password for alice:"]);
  assertEquals(en.events.at(-1), { type: "prompt", prompt: "account", nick: "alice" });
  const ko = new FakePeer(chat, { format: KO_FORMAT });
  ko.session.start();
  ko.type("ALICE");
  await microtasks();
  assertEquals(ko.take(), ["닉네임을 입력하세요:", "alice의 비밀번호를 입력하세요:"]);
});

Deno.test("login: the right password joins with the registered nickname; a wrong one is told, then the nickname prompt", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  const peer = connect(chat, "Alice");
  await waitForLine(peer, "Password for alice:");
  peer.type("wrong password");
  await waitForLine(peer, "Wrong password for alice.");
  assertEquals(peer.take(), [
    "Enter your nickname:",
    "Password for alice:",
    "Wrong password for alice.",
    "Enter your nickname:",
  ]);
  peer.type("alice");
  await waitForLine(peer, "Password for alice:");
  peer.type("alices password");
  await waitForLine(peer, "1 online: alice");
  assertEquals(peer.take(), [
    "Password for alice:",
    "alice has joined.",
    "Connected to the server.",
    "1 online: alice",
  ]);
  assertEquals(peer.session.user?.loggedIn, true);
});

Deno.test("login: an empty answer goes back to the nickname prompt and costs nothing", async () => {
  const attempts = new ScriptedAttempts();
  const chat = new Chat(testConfig(), { attempts });
  await addAccount(chat.store, "alice", "alices password");
  const peer = connect(chat, "alice");
  await waitForLine(peer, "Password for alice:");
  peer.type("   ");
  await microtasks();
  assertEquals(peer.take().slice(-1), ["Enter your nickname:"]);
  peer.type("bob");
  await waitForLine(peer, "1 online: bob");
  assertEquals(attempts.failures, []);
});

/** Answers the password prompt `count` times wrong, giving the nickname again after each. */
async function guess(peer: FakePeer, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await waitForLine(peer, "Password for alice:", i);
    peer.type(`guess ${i}`);
    await waitForLine(peer, /^Wrong password/, i);
    if (peer.closed === undefined) peer.type("alice");
  }
}

Deno.test("login: three wrong passwords in one connection say why, then close; each is counted for the address", async () => {
  const attempts = new ScriptedAttempts();
  const chat = new Chat(testConfig(), { attempts });
  await addAccount(chat.store, "alice", "alices password");
  const peer = connect(chat, "alice", "203.0.113.7");
  await guess(peer, 3);
  await waitClosed(peer);
  assertEquals(peer.take().slice(-3), [
    "Enter your nickname:",
    "Password for alice:",
    "Wrong password, 3 times: closing the connection.",
  ]);
  assertEquals(peer.closed, { how: "end", reason: "accountPassword" });
  assertEquals(attempts.failures, [
    ["203.0.113.7", "account"],
    ["203.0.113.7", "account"],
    ["203.0.113.7", "account"],
  ]);
});

Deno.test("login: wrong passwords in a loop from one address across connections: past the free ones, answers wait", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  await guess(connect(chat, "alice", "203.0.113.8"), 3);
  const next = connect(chat, "alice", "203.0.113.8");
  await waitForLine(next, "Password for alice:");
  const started = Date.now();
  next.type("alices password");
  await waitForLine(next, "1 online: alice");
  const waitedMs = Date.now() - started;
  assert(waitedMs >= FIRST_DELAY_MS, `the fourth answer waited ${waitedMs} ms`);
  // Another address is not slowed by it.
  const other = connect(chat, "bob", "203.0.113.9");
  await waitForLine(other, "2 online: alice, bob");
});

/** The counts of one process, with a log of what was asked and counted, in order. */
class RecordingAttempts implements PasswordAttempts {
  readonly log: string[] = [];
  readonly #counts = new LocalPasswordAttempts();
  verdict(address: string): AttemptVerdict {
    this.log.push("verdict");
    return this.#counts.verdict(address);
  }
  failed(address: string, kind: PasswordKind): void {
    this.log.push(`failed ${kind}`);
    this.#counts.failed(address, kind);
  }
}

Deno.test("login: account answers from one address are checked one at a time, each after the one before was counted", async () => {
  const attempts = new RecordingAttempts();
  const chat = new Chat(testConfig(), { attempts });
  await addAccount(chat.store, "alice", "alices password");
  const guessers = [1, 2, 3].map(() => connect(chat, "alice", "203.0.113.11"));
  for (const peer of guessers) await waitForLine(peer, "Password for alice:");
  // Three guesses in one turn: without the gate all three were asked before any was counted.
  for (const [i, peer] of guessers.entries()) peer.type(`guess ${i}`);
  for (const peer of guessers) await waitForLine(peer, "Wrong password for alice.");
  assertEquals(attempts.log, [
    "verdict",
    "failed account",
    "verdict",
    "failed account",
    "verdict",
    "failed account",
  ]);
});

Deno.test("login: the fourth account answer from an address waits, even sent with the others in one turn", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  const guessers = [1, 2, 3, 4].map(() => connect(chat, "alice", "203.0.113.12"));
  for (const peer of guessers) await waitForLine(peer, "Password for alice:");
  const sent = performance.now();
  for (const [i, peer] of guessers.entries()) peer.type(`guess ${i}`);
  await waitForLine(guessers[3], "Wrong password for alice.");
  const waitedMs = performance.now() - sent;
  assert(waitedMs >= FIRST_DELAY_MS * 0.9, `the fourth answer waited ${waitedMs} ms`);
});

Deno.test("login: an address past the cap of wrong answers a minute is refused unchecked, and closed", async () => {
  const attempts = new LocalPasswordAttempts();
  for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) attempts.failed("203.0.113.10", "account");
  const chat = new Chat(testConfig(), { attempts });
  await addAccount(chat.store, "alice", "alices password");
  const locked = connect(chat, "alice", "203.0.113.10");
  await waitForLine(locked, "Password for alice:");
  locked.type("alices password");
  await waitClosed(locked);
  assertEquals(
    locked.take().at(-1),
    "Too many wrong passwords from your address: try again in a minute. Closing the connection.",
  );
  assertEquals(locked.closed?.reason, "passwordLockout");
  assertEquals(locked.session.user, undefined);
});

Deno.test("login: an address locked out is refused without the password being checked", async () => {
  const attempts = new ScriptedAttempts();
  attempts.verdictNow = { delayMs: 0, lockedOut: true };
  const chat = new Chat(testConfig(), { attempts });
  await addAccount(chat.store, "alice", "alices password");
  const peer = connect(chat, "alice");
  await waitForLine(peer, "Password for alice:");
  peer.type("alices password");
  await waitClosed(peer);
  assertEquals(peer.session.user, undefined);
  assertEquals(attempts.failures, [], "not checked, so not counted");
});

Deno.test("ghost reclaim: the old connection is told and closed; the new one takes its room, and the room sees nothing", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  const ghost = await logIn(chat, "alice", "alices password");
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  await say(ghost, "/join math");
  await say(bob, "/join math");
  ghost.take();
  bob.take();
  const again = await logIn(chat, "alice", "alices password", { address: "198.51.100.2" });
  assertEquals(ghost.take(), ["Your nickname was claimed by a new login."]);
  assertEquals(ghost.closed, { how: "end", reason: "reclaimed" });
  assertEquals(bob.take(), [], "no leave, no join");
  assertEquals(again.take().slice(2), [
    "Connected to the server.",
    "2 online: bob, alice",
  ]);
  await say(bob, "still there?");
  bob.take();
  assertEquals(again.take(), ["bob> still there?"]);
  assertEquals(ghost.take(), []);
  await say(again, "yes");
  assertEquals(bob.take(), ["alice> yes"]);
  await say(bob, "/who");
  assertEquals(bob.take(), ["2 online: bob, alice"]);
});

Deno.test("ghost reclaim: a nickname held on another server is not taken from there, and the login is told so", async () => {
  const directory = new RemoteDirectory(["alice"]);
  const chat = new Chat(testConfig(), { cluster: directory.cluster });
  await addAccount(chat.store, "alice", "alices password");
  const peer = connect(chat, "alice");
  await waitForLine(peer, "Password for alice:");
  peer.type("alices password");
  await waitForLine(peer, /^alice is in use on another server/);
  assertEquals(peer.take().slice(-2), [
    "alice is in use on another server: log in again once that connection ends.",
    "Enter your nickname:",
  ]);
});

/** Says lines as a peer and lets the room flush. */
async function say(peer: FakePeer, ...lines: string[]): Promise<void> {
  peer.type(...lines);
  await microtasks();
}

/** The lines with each `[HH:MM]` time made `[--:--]`. */
function withoutTimes(lines: string[]): string[] {
  return lines.map((line) => line.replace(/\[\d\d:\d\d\]/, "[--:--]"));
}

for (
  const [how, leave] of [
    ["quits", (peer: FakePeer) => say(peer, "/quit")],
    ["drops", (peer: FakePeer) => Promise.resolve(peer.session.ended())],
    ["is dropped for not reading", (peer: FakePeer) => Promise.resolve(peer.session.overflowed())],
    [
      "is kicked",
      (peer: FakePeer) => Promise.resolve(peer.session.kick({ by: "op", reason: undefined })),
    ],
    ["is shut down", (peer: FakePeer) => Promise.resolve(peer.session.shutdown())],
  ] as const
) {
  Deno.test(`catch-up: a user who ${how} comes back to its room with exactly the lines it missed`, async () => {
    const { chat } = numberedChat();
    await addAccount(chat.store, "alice", "alices password");
    const bob = await join(chat, "bob", { format: EN_FORMAT, address: "198.51.100.3" });
    const alice = await logIn(chat, "alice", "alices password");
    await say(alice, "/join math");
    await say(bob, "/join math", "before");
    await leave(alice);
    await say(bob, "one", "two", "/me waves");
    const back = await logIn(chat, "alice", "alices password");
    assertEquals(withoutTimes(back.take()), [
      "Enter your nickname:",
      "Password for alice:",
      "-- 3 messages since you left --",
      "[--:--] bob> one",
      "[--:--] bob> two",
      "[--:--] * bob waves",
      "alice has joined.",
      "Connected to the server.",
      "2 online: bob, alice",
    ]);
    assertEquals(back.session.user?.room?.name, "math", "its room, not the lobby");
  });
}

Deno.test("catch-up: past what is kept, the newest lines and how many were skipped", async () => {
  const { chat, store } = numberedChat();
  await addAccount(chat.store, "alice", "alices password");
  const alice = await logIn(chat, "alice", "alices password");
  await say(alice, "/quit");
  // The store keeps the last 1000 of a room; 1500 were said meanwhile.
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  for (let i = 1; i <= 1500; i++) bob.type(`line ${i}`);
  await microtasks();
  assertEquals(store.history("lobby", 0).lastSeq, 1500);
  const back = await logIn(chat, "alice", "alices password");
  const lines = back.take();
  assertEquals(lines[2], "-- 1500 messages since you left --");
  assertEquals(lines[3], "-- the first 500 of them are no longer kept --");
  assertMatch(lines[4], /^\[\d\d:\d\d\] bob> line 501$/);
  assertMatch(lines[1003], /^\[\d\d:\d\d\] bob> line 1500$/);
  assertEquals(lines[1004], "alice has joined.");
});

Deno.test("catch-up never fills more than a quarter of the user's output limit: the oldest lines are counted as skipped", async () => {
  const { chat } = numberedChat();
  await addAccount(chat.store, "alice", "alices password");
  const alice = await logIn(chat, "alice", "alices password");
  await say(alice, "/quit");
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  for (let i = 1; i <= 100; i++) bob.type(`${i} ${"x".repeat(500)}`);
  await microtasks();
  const back = await logIn(chat, "alice", "alices password", { limitBytes: 64 * 1024 });
  const lines = back.take();
  assertEquals(lines[2], "-- 100 messages since you left --");
  const skipped = Number(/^-- the first (\d+) of them/.exec(lines[3])![1]);
  assert(skipped > 50 && skipped < 100, `skipped ${skipped}`);
  assertMatch(lines[4], new RegExp(`bob> ${skipped + 1} x`));
  assertEquals(back.closed, undefined);
});

Deno.test("catch-up: a logged-in user who left a room that then emptied still catches up there; an unknown id is a newcomer", async () => {
  const { chat, store } = numberedChat();
  await addAccount(chat.store, "alice", "alices password");
  const alice = await logIn(chat, "alice", "alices password");
  await say(alice, "/join math", "mine");
  await say(alice, "/quit");
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  await say(bob, "/join math", "while you were out", "/quit");
  const back = await logIn(chat, "alice", "alices password");
  assertEquals(back.take().slice(2, 4).map((l) => l.replace(/^\[\d\d:\d\d\] /, "")), [
    "-- 1 message since you left --",
    "bob> while you were out",
  ]);
  await say(back, "/quit");
  // A record from another epoch (the data started afresh): the room's history instead.
  await say(await join(chat, "carol", { format: EN_FORMAT }), "hello");
  store.setLastSeen("alice", { room: "lobby", id: "0123456789ab.1", time: Date.now() });
  const fresh = await logIn(chat, "alice", "alices password");
  assertEquals(fresh.take()[2], "-- 1 recent message --");
});

Deno.test("catch-up: a user who leaves a room where nothing was said since it opened catches up from the bus's count, even when a store in memory forgot the room", async () => {
  // A store in memory that keeps the history of two rooms at most.
  const store = new MemoryStore({ maxRooms: 2 });
  const chat = new Chat(testConfig(), { store });
  await addAccount(store, "alice", "alices password");
  const bob = await join(chat, "bob", { format: EN_FORMAT, address: "198.51.100.3" });
  await say(bob, "/join c", "c1", "c2", "c3", "/join a", "a1", "/join lobby");
  // a opens again, counting on from a1; carol keeps it open, nobody says anything.
  const alice = await logIn(chat, "alice", "alices password");
  await say(alice, "/join a");
  await say(await join(chat, "carol", { format: EN_FORMAT }), "/join a");
  // Two more rooms with history: the store forgets c (3 lines), then a.
  await say(bob, "/join d", "d1", "/join e", "e1", "/join lobby");
  assertEquals(store.history(roomKey("a"), 10).events, [], "the store forgot a");
  await say(alice, "/quit");
  await say(bob, "/join a", "a2", "a3");
  const back = await logIn(chat, "alice", "alices password");
  assertEquals(withoutTimes(back.take()).slice(2, 5), [
    "-- 2 messages since you left --",
    "[--:--] bob> a2",
    "[--:--] bob> a3",
  ]);
});

Deno.test("resume: /resume ROOM ID before the nickname enters that room and catches up after that id", async () => {
  const { chat, store } = numberedChat();
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  await say(bob, "/join math", "one", "two", "three");
  const epoch = store.epoch;
  // A guest too: the client says what it showed.
  const guest = new FakePeer(chat, { format: EN_FORMAT });
  guest.session.start();
  guest.type(`/resume #Math ${eventId(epoch, 1)}`, "carol");
  await microtasks();
  const lines = guest.take();
  assertEquals(lines[0], "Enter your nickname:");
  assertEquals(lines[1], "-- 2 messages since you left --");
  assertMatch(lines[2], /bob> two$/);
  assertMatch(lines[3], /bob> three$/);
  assertEquals(lines.slice(4), [
    "carol has joined.",
    "Connected to the server.",
    "2 online: bob, carol",
  ]);
});

Deno.test("resume: /client ids prefixes history, catch-up and room lines with their ids; plain clients never see one", async () => {
  const { chat, store } = numberedChat();
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  await say(bob, "one", "two");
  const tagged = new FakePeer(chat, { format: EN_FORMAT });
  tagged.session.start();
  tagged.type("/client ids", "carol");
  await microtasks();
  const epoch = store.epoch;
  const lines = tagged.take();
  assertEquals(lines[1], "-- 2 recent messages --");
  assertMatch(lines[2], new RegExp(`^@${epoch}\\.1 \\[\\d\\d:\\d\\d\\] bob> one$`));
  await say(bob, "three", "/me waves");
  assertEquals(tagged.take(), [`@${epoch}.3 bob> three`, `@${epoch}.4 * bob waves`]);
  assertEquals(bob.take().slice(-2), ["bob> three", "* bob waves"]);
  // Recognised before joining only, and exactly.
  await say(bob, "/client ids");
  assertEquals(bob.take(), ["Unknown command: /client (help: /help)"]);
  const sloppy = new FakePeer(chat, { format: EN_FORMAT });
  sloppy.session.start();
  sloppy.type("/client  ids");
  await microtasks();
  assertEquals(sloppy.take().slice(1, 2), [
    "A nickname is 1 to 20 letters, digits, _ or - (no invisible characters, no mixed scripts). Enter another nickname.",
  ]);
});

Deno.test("held whispers: a whisper to an offline registered user is held, the sender told; the user gets them with their times on login", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  bob.take();
  await say(bob, "@alice are you there?", "@Alice call me", "@nobody hi");
  assertEquals(bob.take(), [
    "alice is offline: your whisper will be delivered when they log in.",
    "alice is offline: your whisper will be delivered when they log in.",
    "No user with that nickname.",
  ]);
  const alice = await logIn(chat, "alice", "alices password");
  const at = clock(Date.now());
  assertEquals(alice.take().slice(-2).map((line) => line.replace(/^\[\d\d:\d\d\]/, `[${at}]`)), [
    `[${at}] [whisper] bob> are you there?`,
    `[${at}] [whisper] bob> call me`,
  ]);
  assertEquals(alice.events.at(-1)?.type, "whisper");
  assert("time" in alice.events.at(-1)!);
  // Delivered once.
  await say(alice, "/quit");
  const again = await logIn(chat, "alice", "alices password");
  assertEquals(again.take().some((line) => line.includes("[whisper]")), false);
});

Deno.test("held whispers: past the store's limit the sender is told the whisper was not kept", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  for (let i = 0; i < MAX_HELD_WHISPERS; i++) bob.type(`@alice ${i}`);
  await microtasks();
  bob.take();
  await say(bob, "@alice one more");
  assertEquals(bob.take(), [
    `alice is offline with ${MAX_HELD_WHISPERS} whispers waiting already: yours was not kept.`,
  ]);
});
