import { assertEquals } from "@std/assert";
import { LaterBus, laterChat } from "../_later_bus.ts";
import { join, microtasks, say, setup } from "./_setup.ts";
import { EN_FORMAT, FakePeer, testChat } from "../_fake_peer.ts";
import { addAccount, logIn, waitForLine } from "../_accounts.ts";

Deno.test("/nick renames: the room is told, the old nickname is free at once", async () => {
  const { chat, peers: [alice, bob] } = await setup(["alice", "bob"]);
  await say(alice, "/nick alicia");
  assertEquals(bob.take(), ["alice is now known as alicia."]);
  assertEquals(alice.take(), ["alice is now known as alicia."]);
  await say(alice, "hi");
  assertEquals(bob.take(), ["alicia> hi"]);
  const newcomer = await join(chat, "alice", { format: EN_FORMAT });
  assertEquals(newcomer.take().at(-2), "Connected to the server.", "alice is free again");
});

Deno.test("/nick refuses like the join does, without the prompt; a case change of one's own is fine", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"]);
  await say(alice, "/nick BOB", "/nick no way", "/nick bad!", "/nick");
  assertEquals(alice.take(), [
    "Nickname already taken: BOB",
    "A nickname is 1 to 20 letters, digits, _ or - (no invisible characters, no mixed scripts). Enter another nickname.",
    "A nickname is 1 to 20 letters, digits, _ or - (no invisible characters, no mixed scripts). Enter another nickname.",
    "Usage: /nick NEW",
  ]);
  await say(alice, "/nick Alice");
  await microtasks();
  assertEquals(bob.take(), ["alice is now known as Alice."]);
});

Deno.test("/nick racing a whisper: the whisper reaches the user under one name or the other", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"]);
  // In one turn: bob renames, and alice whispers to the old and the new name.
  bob.type("/nick robert");
  alice.type("@bob first", "@robert second");
  await microtasks();
  const bobLines = bob.take();
  const aliceLines = alice.take();
  assertEquals(bobLines, ["bob is now known as robert.", "[whisper] alice> second"]);
  // Every line alice gets comes after the rename she could see: one order for everyone.
  assertEquals(aliceLines, [
    "bob is now known as robert.",
    "No user with that nickname.",
    "[whisper sent] to robert: second",
  ]);
});

Deno.test("/nick whose room notice the bus loses later tells the user to try again", async () => {
  const bus = new LaterBus();
  const { chat, peers: [alice, bob] } = await setup(["alice", "bob"], {}, laterChat(bus));
  bus.failing = true;
  await say(alice, "/nick alicia");
  assertEquals(bus.pending, 1);
  assertEquals(chat.directory.find("alicia") !== undefined, true, "the nickname is hers");
  assertEquals(alice.take(), [], "nothing yet: the bus has not answered");
  bus.failPending();
  await microtasks();
  assertEquals(alice.take(), ["The chat is temporarily unavailable, try again shortly."]);
  assertEquals(bob.take(), []);
});

Deno.test("/nick to a registered nickname is refused: it takes a login; one's own account is fine", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  const { peers: [bob] } = await setup(["bob"], {}, chat);
  await say(bob, "/nick Alice");
  assertEquals(bob.take(), ["alice is registered: log in with it to use it."]);
  const alice = await logIn(chat, "alice", "alices password");
  alice.take();
  await say(alice, "/nick alice2");
  await say(alice, "/nick alice");
  assertEquals(alice.take(), [
    "alice is now known as alice2.",
    "alice2 is now known as alice.",
  ]);
});

Deno.test("a login racing a /nick to the same name: the /nick is refused, the login gets the nickname", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  const { peers: [bob] } = await setup(["bob"], {}, chat);
  const alice = new FakePeer(chat, { format: EN_FORMAT });
  alice.session.start();
  alice.type("alice");
  await waitForLine(alice, "Password for alice:");
  // The password is being checked (a hash, off the event loop) when bob renames.
  alice.type("alices password");
  await say(bob, "/nick alice");
  assertEquals(bob.take(), ["alice is registered: log in with it to use it."]);
  await waitForLine(alice, /^2 online: bob, alice$/);
  assertEquals(bob.take(), ["alice has joined."]);
});
