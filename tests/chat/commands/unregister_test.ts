import { assertEquals } from "@std/assert";
import { addAccount, logIn, waitForLine } from "../_accounts.ts";
import { join, testChat } from "../_fake_peer.ts";
import { EN_FORMAT, say, setup } from "./_setup.ts";

Deno.test("/unregister with the right password frees the nickname and drops its held whispers", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  chat.store.holdWhisper("alice", { from: "bob", text: "hi", time: Date.now() });
  const alice = await logIn(chat, "alice", "alices password");
  chat.store.holdWhisper("alice", { from: "bob", text: "later", time: Date.now() });
  alice.take();
  await say(alice, "/unregister alices password");
  await waitForLine(alice, "alice is no longer registered.");
  assertEquals(await chat.store.account("alice"), undefined);
  assertEquals(await chat.store.takeWhispers("alice"), []);
  await say(alice, "/quit");
  const guest = await join(chat, "alice", { format: EN_FORMAT });
  assertEquals(guest.take().slice(0, 2), ["Enter your nickname:", "alice has joined."]);
});

Deno.test("/unregister with a wrong password is refused and the account stays", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "alices password");
  const alice = await logIn(chat, "alice", "alices password");
  alice.take();
  await say(alice, "/unregister alices passwort");
  await waitForLine(alice, "Wrong password for alice.");
  assertEquals((await chat.store.account("alice"))?.nickname, "alice");
  await say(alice, "/unregister");
  assertEquals(alice.take().at(-1), "Usage: /unregister PASSWORD");
});

Deno.test("/unregister without an account says so", async () => {
  const { peers: [bob] } = await setup(["bob"]);
  await say(bob, "/unregister whatever it is");
  assertEquals(bob.take(), [
    "You are not logged in to a registered nickname. To register: /register PASSWORD",
  ]);
});
