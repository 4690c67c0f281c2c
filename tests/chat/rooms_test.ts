import { assert, assertEquals, assertFalse } from "@std/assert";
import { type Chat, MAX_ROOMS_PER_USER } from "../../lib/chat/chat.ts";
import type { Room } from "../../lib/chat/room.ts";
import { isUserWideFormat, type User } from "../../lib/chat/user.ts";
import { OncePerUserFormat } from "./_once_per_user_format.ts";
import { addAccount, logIn, numberedChat } from "./_accounts.ts";
import { EN_FORMAT, type FakePeer, join, KO_FORMAT, microtasks } from "./_fake_peer.ts";
import { say, setup } from "./commands/_setup.ts";

function userOf(peer: FakePeer): User {
  const user = peer.session.user;
  assert(user !== undefined, "joined");
  return user;
}

/** Adds a room to a peer's rooms (an IRC JOIN) and lets the rooms flush. */
async function keepEnter(chat: Chat, peer: FakePeer, name: string): Promise<void> {
  await chat.enter(userOf(peer), name, { keep: true });
  await microtasks();
}

/** The names of the user's rooms, in the order entered. */
function names(user: User): string[] {
  return [...user.rooms.values()].map((room) => room.name);
}

function roomOf(chat: Chat, name: string): Room {
  const room = chat.findRoom(name);
  assert(room !== undefined, `room ${name} exists`);
  return room;
}

Deno.test("rooms: entering with keep adds a room; the old room sees no move, presence counts both", async () => {
  const { chat, peers: [alice, ivan] } = await setup(["alice", "ivan"]);
  await keepEnter(chat, ivan, "math");
  assertEquals(alice.take(), [], "the lobby is not told: ivan is still there");
  assertEquals(ivan.take(), ["ivan has joined.", "1 online: ivan"]);
  const user = userOf(ivan);
  assertEquals(names(user), ["lobby", "math"]);
  assertEquals(user.room?.name, "math", "the last room entered is current");
  assertEquals(chat.directory.rooms(), [{ name: "lobby", count: 2 }, { name: "math", count: 1 }]);
  assertEquals((await chat.directory.who(roomOf(chat, "lobby"))).total, 2);
  await say(alice, "/rooms");
  assertEquals(alice.take(), ["Rooms: lobby (2), math (1)"]);
});

Deno.test("rooms: a user in two rooms gets both rooms' lines; each room only its own", async () => {
  const { chat, peers: [alice, bob, ivan] } = await setup(["alice", "bob", "ivan"]);
  await say(bob, "/join math");
  await keepEnter(chat, ivan, "math");
  for (const peer of [alice, bob, ivan]) peer.take();
  await say(alice, "in the lobby");
  await say(bob, "in math");
  chat.publish(
    userOf(ivan),
    { type: "message", room: "lobby", nick: "ivan", text: "to the lobby", time: Date.now() },
    roomOf(chat, "lobby"),
  );
  await say(ivan, "to math, the current room");
  await microtasks();
  assertEquals(alice.take(), ["alice> in the lobby", "ivan> to the lobby"]);
  assertEquals(bob.take(), ["bob> in math", "ivan> to math, the current room"]);
  const lines = ivan.take();
  // Each room's lines keep their order; the rooms' lines interleave in no set order.
  assertEquals(lines.filter((line) => line.includes("lobby")), [
    "alice> in the lobby",
    "ivan> to the lobby",
  ]);
  assertEquals(lines.filter((line) => line.includes("math")), [
    "bob> in math",
    "ivan> to math, the current room",
  ]);
});

Deno.test("rooms: /join still moves a user in one room (text and web users see what they saw)", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"]);
  await say(bob, "/join math");
  assertEquals(alice.take(), ["bob went to #math."]);
  assertEquals(names(userOf(bob)), ["math"]);
});

Deno.test("rooms: leaving one room is a part: that room sees it with the reason, the others nothing", async () => {
  const { chat, peers: [alice, bob, ivan] } = await setup(["alice", "bob", "ivan"]);
  await say(bob, "/join math");
  await keepEnter(chat, ivan, "math");
  for (const peer of [alice, bob, ivan]) peer.take();
  chat.leave(userOf(ivan), { parted: "off to lunch" }, roomOf(chat, "math"));
  await microtasks();
  assertEquals(bob.take(), ["ivan left #math. Reason: off to lunch"]);
  assertEquals(alice.take(), []);
  assertEquals(ivan.take(), [], "a part's line is for the room it left");
  const user = userOf(ivan);
  assertEquals(names(user), ["lobby"]);
  assertEquals(user.room?.name, "lobby", "the last room left in is current");
  assertEquals(chat.directory.rooms(), [{ name: "lobby", count: 2 }, { name: "math", count: 1 }]);
  await say(ivan, "still here");
  assertEquals(alice.take(), ["ivan> still here"]);
});

Deno.test("rooms: a part without a reason, in Korean", async () => {
  const chat = (await setup([])).chat;
  const bob = await join(chat, "bob", { format: KO_FORMAT });
  const ivan = await join(chat, "ivan", { format: KO_FORMAT });
  await say(bob, "/join math");
  await keepEnter(chat, ivan, "math");
  bob.take();
  chat.leave(userOf(ivan), { parted: undefined }, roomOf(chat, "math"));
  await microtasks();
  assertEquals(bob.take(), ["ivan님이 #math 방에서 나갔습니다."]);
});

Deno.test("rooms: the last part of a room closes it (the lobby stays)", async () => {
  const { chat, peers: [ivan] } = await setup(["ivan"]);
  await keepEnter(chat, ivan, "math");
  chat.leave(userOf(ivan), { parted: undefined }, roomOf(chat, "math"));
  assertEquals(chat.findRoom("math"), undefined);
  chat.leave(userOf(ivan), { parted: undefined }, roomOf(chat, "lobby"));
  assertEquals(userOf(ivan).room, undefined);
  assert(chat.findRoom("lobby") !== undefined);
});

Deno.test("rooms: quitting is seen once in every room the user was in", async () => {
  const { chat, peers: [alice, bob, ivan] } = await setup(["alice", "bob", "ivan"]);
  await say(bob, "/join math");
  await keepEnter(chat, ivan, "math");
  for (const peer of [alice, bob]) peer.take();
  await say(ivan, "/quit");
  assertEquals(alice.take(), ["ivan has left."]);
  assertEquals(bob.take(), ["ivan has left."]);
  assertEquals(chat.directory.rooms(), [{ name: "lobby", count: 1 }, { name: "math", count: 1 }]);
});

Deno.test("rooms: a kick is seen in every room of the user, with who did it", async () => {
  const { chat, peers: [alice, bob, ivan] } = await setup(["alice", "bob", "ivan"], {
    opPassword: "secret",
  });
  await say(alice, "/op secret");
  await say(bob, "/join math");
  await keepEnter(chat, ivan, "math");
  for (const peer of [alice, bob]) peer.take();
  await say(alice, "/kick ivan spam");
  assertEquals(bob.take(), ["ivan was kicked by alice."]);
  assert(alice.take().includes("ivan was kicked by alice."));
  assertEquals(userOf(alice).rooms.size, 1);
  assertEquals(ivan.closed?.reason, "kicked");
});

Deno.test("rooms: a user dropped for a full output leaves every room, each told once", async () => {
  const { chat, peers: [alice, bob] } = await setup(["alice", "bob"]);
  const ivan = await join(chat, "ivan", { format: EN_FORMAT, limitBytes: 4096 });
  await say(bob, "/join math");
  await keepEnter(chat, ivan, "math");
  for (const peer of [alice, bob]) peer.take();
  // ivan never reads: the lobby's lines fill its outbox.
  for (let i = 0; i < 60; i++) await say(alice, `line ${i} `.padEnd(100, "."));
  assertEquals(ivan.closed?.how, "drop");
  assertEquals(alice.take().filter((line) => line === "ivan has left."), ["ivan has left."]);
  assertEquals(bob.take(), ["ivan has left."]);
  assertEquals((await chat.directory.who(roomOf(chat, "math"))).total, 1);
});

Deno.test("rooms: a rename is seen in every room of the user, once in each", async () => {
  const { chat, peers: [alice, bob, ivan] } = await setup(["alice", "bob", "ivan"]);
  await say(bob, "/join math");
  await keepEnter(chat, ivan, "math");
  for (const peer of [alice, bob, ivan]) peer.take();
  await say(ivan, "/nick ivy");
  assertEquals(alice.take(), ["ivan is now known as ivy."]);
  assertEquals(bob.take(), ["ivan is now known as ivy."]);
});

Deno.test("rooms: a connection whose format shows user-wide events once gets one line per rename and quit", async () => {
  const { chat, peers: [alice, ivan] } = await setup(["alice", "ivan"]);
  const format = new OncePerUserFormat();
  assert(isUserWideFormat(format));
  const walt = await join(chat, "walt", { format });
  const wendy = await join(chat, "wendy", { format });
  for (const name of ["math", "art"]) {
    await keepEnter(chat, ivan, name);
    await keepEnter(chat, walt, name);
    await keepEnter(chat, wendy, name);
  }
  for (const peer of [alice, ivan, walt, wendy]) peer.take();
  format.renders = 0;
  await say(ivan, "/nick ivy");
  assertEquals(walt.take(), ["~ ivan is ivy"], "one line for three shared rooms");
  assertEquals(wendy.take(), ["~ ivan is ivy"]);
  assertEquals(alice.take(), ["ivan is now known as ivy."], "text users as before");
  assertEquals(format.renders, 1, "rendered once for both recipients");
  await say(ivan, "/quit");
  assertEquals(walt.take(), ["~ ivy quit"]);
  assertEquals(wendy.take(), ["~ ivy quit"]);
  assertEquals(alice.take(), ["ivy has left."]);
  assertEquals(format.renders, 2);
});

Deno.test("rooms: a user-wide event reaches a connection that shares one of several rooms with the user", async () => {
  const { chat, peers: [ivan] } = await setup(["ivan"]);
  const format = new OncePerUserFormat();
  const walt = await join(chat, "walt", { format });
  await keepEnter(chat, ivan, "math");
  await keepEnter(chat, walt, "art");
  walt.take();
  await say(ivan, "/nick ivy");
  assertEquals(walt.take(), ["~ ivan is ivy"], "from the lobby, the only room they share");
});

Deno.test("rooms: entering past MAX_ROOMS_PER_USER is refused with tooManyRooms; a move is not", async () => {
  const { chat, peers: [ivan] } = await setup(["ivan"]);
  for (let i = 1; i < MAX_ROOMS_PER_USER; i++) await keepEnter(chat, ivan, `r${i}`);
  assertEquals(userOf(ivan).rooms.size, MAX_ROOMS_PER_USER);
  ivan.take();
  await keepEnter(chat, ivan, "onemore");
  assertEquals(ivan.take(), [
    `You cannot enter more rooms (at most ${MAX_ROOMS_PER_USER} at once). Leave one first.`,
  ]);
  assertEquals(ivan.events.at(-1), {
    type: "notice",
    notice: { code: "tooManyRooms", max: MAX_ROOMS_PER_USER },
  });
  assertEquals(chat.findRoom("onemore"), undefined, "no room is left behind");
  await say(ivan, "/join moved");
  assertEquals(userOf(ivan).rooms.size, MAX_ROOMS_PER_USER, "a move leaves one room for another");
  assertEquals(userOf(ivan).room?.name, "moved");
});

Deno.test("rooms: entering a room one is in already with keep is refused", async () => {
  const { chat, peers: [ivan] } = await setup(["ivan"]);
  await keepEnter(chat, ivan, "math");
  ivan.take();
  await keepEnter(chat, ivan, "lobby");
  assertEquals(ivan.take(), ["You are already in lobby."]);
  assertEquals(userOf(ivan).room?.name, "math");
});

Deno.test("rooms: a login that reclaims a ghost takes every room of the ghost, the current one current", async () => {
  const { chat } = numberedChat();
  await addAccount(chat.store, "alice", "alices password");
  const ghost = await logIn(chat, "alice", "alices password");
  const bob = await join(chat, "bob", { format: EN_FORMAT });
  await say(bob, "/join math");
  await keepEnter(chat, ghost, "math");
  await keepEnter(chat, ghost, "art");
  bob.take();
  const again = await logIn(chat, "alice", "alices password", { address: "198.51.100.2" });
  assertEquals(ghost.closed?.reason, "reclaimed");
  assertEquals(bob.take(), [], "no leave, no join");
  const user = userOf(again);
  assertEquals(names(user), ["lobby", "math", "art"]);
  assertEquals(user.room?.name, "art");
  // Welcomed in each room (its history, topic and members), the current one last.
  const events = again.events;
  assertEquals(events.flatMap((e) => e.type === "room" ? [e.room] : []), ["lobby", "math", "art"]);
  assertEquals(events.flatMap((e) => e.type === "members" ? [e.room] : []), [
    "lobby",
    "math",
    "art",
  ]);
  assertEquals(events.filter((e) => e.type === "welcome").length, 1);
  assertEquals((await chat.directory.who(roomOf(chat, "math"))).users.map((u) => u.nick), [
    "bob",
    "alice",
  ]);
  await say(bob, "hello math");
  assert(again.take().includes("bob> hello math"));
});

Deno.test("rooms: leaving the chat records the current room as where a logged-in user catches up", async () => {
  const { chat, store } = numberedChat();
  await addAccount(store, "alice", "alices password");
  const alice = await logIn(chat, "alice", "alices password");
  await keepEnter(chat, alice, "math");
  await keepEnter(chat, alice, "art");
  await say(alice, "/quit");
  const account = await store.account("alice");
  assertEquals(account?.lastSeen?.room, "art");
  assertFalse(chat.findRoom("art") !== undefined);
});
