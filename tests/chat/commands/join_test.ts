import { assertEquals, assertMatch } from "@std/assert";
import { EN_FORMAT, join, say, setup } from "./_setup.ts";

Deno.test("/join moves a user: the old room sees where it went, the new room sees it come", async () => {
  const { chat, peers: [alice, bob, carol] } = await setup(["alice", "bob", "carol"]);
  await say(carol, "/join math");
  assertEquals(alice.take(), ["carol went to #math."]);
  assertEquals(bob.take(), ["carol went to #math."]);
  assertEquals(carol.take(), ["carol has joined.", "1 online: carol"]);
  await say(bob, "/join #Math");
  assertEquals(carol.take(), ["bob has joined."], "# is ignored and case does not matter");
  assertEquals(bob.take(), ["bob has joined.", "2 online: carol, bob"]);
  assertEquals(alice.take(), ["bob went to #math."]);
  assertEquals(chat.directory.rooms(), [{ name: "math", count: 2 }, { name: "lobby", count: 1 }]);
});

Deno.test("/join: two rooms never see each other's lines", async () => {
  const { peers: [alice, bob, carol, dave] } = await setup(["alice", "bob", "carol", "dave"]);
  await say(carol, "/join math");
  await say(dave, "/join math");
  for (const p of [alice, bob, carol, dave]) p.take();
  await say(alice, "in the lobby");
  await say(carol, "in math");
  await say(carol, "/me thinks");
  assertEquals(alice.take(), ["alice> in the lobby"]);
  assertEquals(bob.take(), ["alice> in the lobby"]);
  assertEquals(carol.take(), ["carol> in math", "* carol thinks"]);
  assertEquals(dave.take(), ["carol> in math", "* carol thinks"]);
});

Deno.test("/join gives the mover the room's history, the join notice, the topic, then who is there", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"]);
  await say(alice, "/join math", "one", "/me two", "/topic Fractions");
  bob.take();
  await say(bob, "/join math");
  const lines = bob.take();
  assertEquals(lines[0], "-- 2 recent messages --");
  assertMatch(lines[1], /^\[\d\d:\d\d\] alice> one$/);
  assertMatch(lines[2], /^\[\d\d:\d\d\] \* alice two$/);
  assertEquals(lines.slice(3), ["bob has joined.", "Topic: Fractions", "2 online: alice, bob"]);
});

Deno.test("/join refuses bad names, the room you are in, and rooms past the limit", async () => {
  const { peers: [alice] } = await setup(["alice"], { maxRooms: 2 });
  await say(alice, "/join bad.name", "/join", "/join lobby", "/join LOBBY");
  assertEquals(alice.take(), [
    "A room name is 1 to 20 letters, digits, _ or - (no invisible characters, no mixed scripts).",
    "Usage: /join ROOM",
    "You are already in lobby.",
    "You are already in lobby.",
  ]);
  await say(alice, "/join two");
  assertEquals(alice.take(), ["alice has joined.", "1 online: alice"]);
  await say(alice, "/join three");
  assertEquals(alice.take(), [
    "No more rooms can be made (at most 2). Join an existing room.",
  ]);
});

Deno.test("/join: a room other than the lobby vanishes when empty; the store keeps its history", async () => {
  const { chat, peers: [alice] } = await setup(["alice"]);
  await say(alice, "/join math", "secret plan", "/join lobby");
  assertEquals(chat.directory.rooms(), [{ name: "lobby", count: 1 }]);
  alice.take();
  await say(alice, "/join math");
  const lines = alice.take();
  assertEquals(lines[0], "-- 1 recent message --", "math again, with what was said in it");
  assertMatch(lines[1], /^\[\d\d:\d\d\] alice> secret plan$/);
  assertEquals(lines.slice(2), ["alice has joined.", "1 online: alice"]);
});

Deno.test("/방 is the Korean /join", async () => {
  const { chat } = await setup([]);
  const minsu = await join(chat, "민수", { format: EN_FORMAT });
  minsu.take();
  await say(minsu, "/방 수학");
  assertEquals(minsu.take(), ["민수 has joined.", "1 online: 민수"]);
  assertEquals(chat.directory.rooms(), [{ name: "수학", count: 1 }]);
});

Deno.test("/join: a newcomer to a big room is told the first members and how many there are", async () => {
  const nicks = Array.from({ length: 120 }, (_, i) => `u${i}`);
  const { chat } = await setup(nicks);
  const late = await join(chat, "late", { format: EN_FORMAT });
  const members = late.take().at(-1)!;
  assertMatch(members, /^121 online: u0, u1, .*, u99 and 21 more$/);
  assertEquals(members.split(", ").length, 100, "the list is cut at 100 names");
});
