import { assert, assertEquals, assertFalse } from "@std/assert";
import { Chat } from "../../../lib/chat/chat.ts";
import type { RoomEvent } from "../../../lib/chat/events.ts";
import { MemoryStore } from "../../../lib/chat/memory_store.ts";
import { MAX_PASSWORD_BYTES } from "../../../lib/util/password_hash.ts";
import { logIn, waitForLine } from "../_accounts.ts";
import { EN_FORMAT, FakePeer, testConfig } from "../_fake_peer.ts";
import { say, setup } from "./_setup.ts";

/** Registers the peer's nickname and waits for the answer. */
async function register(peer: FakePeer, password: string): Promise<string[]> {
  await say(peer, `/register ${password}`);
  await waitForLine(peer, /^(Registered |.* is already registered\.|A password |That password)/);
  return peer.take();
}

Deno.test("/register reserves the nickname you hold: the next login to it asks for the password", async () => {
  const { chat, peers: [alice] } = await setup(["alice"]);
  assertEquals(await register(alice, "s3cret-pass"), [
    "Registered alice: from now on this nickname asks for its password.",
  ]);
  assertEquals((await chat.store.account("alice"))?.nickname, "alice");
  await say(alice, "/quit");
  const again = new FakePeer(chat, { format: EN_FORMAT });
  again.session.start();
  again.type("alice");
  await waitForLine(again, "Password for alice:");
  again.type("s3cret-pass");
  await waitForLine(again, /^1 online: alice$/);
  assertEquals(again.take().slice(0, 3), [
    "Enter your nickname:",
    "Password for alice:",
    "alice has joined.",
  ]);
});

Deno.test("/register twice, without a password, or with a short one is refused with one line", async () => {
  const { chat, peers: [alice] } = await setup(["alice"]);
  await say(alice, "/register");
  assertEquals(alice.take(), ["Usage: /register PASSWORD"]);
  assertEquals(await register(alice, "short"), ["A password needs at least 8 characters."]);
  assertEquals(await chat.store.account("alice"), undefined);
  await register(alice, "long enough");
  assertEquals(await register(alice, "another one"), ["alice is already registered."]);
});

Deno.test("/register takes the rest of the line: spaces, Korean and 1000 characters all log in", async () => {
  for (
    const password of ["correct horse battery staple", "비밀번호는 한국어로", "x".repeat(1000)]
  ) {
    const { chat, peers: [alice] } = await setup(["alice"]);
    assertEquals((await register(alice, password))[0].slice(0, 10), "Registered");
    await say(alice, "/quit");
    const back = await logIn(chat, "alice", password);
    assertEquals(back.closed, undefined);
  }
});

Deno.test("/register refuses a password over the byte cap, saying the cap", async () => {
  const { chat, peers: [alice] } = await setup(["alice"]);
  // Korean takes 3 bytes a character: 2000 characters pass the cap in bytes.
  assertEquals(await register(alice, "가".repeat(2000)), [
    `That password is too long (at most ${MAX_PASSWORD_BYTES} bytes).`,
  ]);
  assertEquals(await chat.store.account("alice"), undefined);
});

Deno.test("/register registers only the nickname one holds: bob cannot take alice's, and a look-alike is the same name", async () => {
  const { chat, peers: [alice, bob] } = await setup(["alice", "bob"]);
  await register(bob, "bobs password");
  assertEquals(await chat.store.account("alice"), undefined, "bob registered his own nickname");
  assert((await chat.store.account("bob")) !== undefined);
  await register(alice, "alices password");
  await say(alice, "/quit");
  const lookalike = new FakePeer(chat, { format: EN_FORMAT });
  lookalike.session.start();
  lookalike.type("ａｌｉｃｅ"); // full width: the same nickname by look
  await waitForLine(lookalike, "Password for alice:");
});

Deno.test("a password is never shown to anyone nor given to the console", async () => {
  const seen: string[] = [];
  const observer = {
    nickname: (peer: string, nick: string) => seen.push(peer, nick),
    roomEvent: (event: RoomEvent) => seen.push(JSON.stringify(event)),
    whisper: (from: string, to: string, text: string) => seen.push(from, to, text),
  };
  const chat = new Chat(testConfig(), { observer, store: new MemoryStore() });
  const { peers: [alice, bob] } = await setup(["alice", "bob"], {}, chat);
  await register(alice, "hunter2 hunter2");
  await say(alice, "/quit");
  const back = await logIn(chat, "alice", "hunter2 hunter2");
  back.type("/password hunter2hunter2 n3w-password");
  await say(back, "/password");
  back.type("hunter2hunter2");
  await waitForLine(back, /^Wrong password/, 2);
  assert(seen.includes("alice"), "the console saw the logins");
  for (const line of [...seen, ...alice.lines(), ...back.lines(), ...bob.take()]) {
    assertFalse(line.includes("hunter2"), line);
    assertFalse(line.includes("n3w-password"), line);
  }
});
