import { assert, assertEquals } from "@std/assert";
import { Chat } from "../../../lib/chat/chat.ts";
import {
  FIRST_DELAY_MS,
  FREE_FAILURES,
  LocalPasswordAttempts,
  MAX_FAILURES_PER_WINDOW,
} from "../../../lib/chat/password_attempts.ts";
import type { User } from "../../../lib/chat/user.ts";
import { addAccount, logIn, waitClosed, waitForLine } from "../_accounts.ts";
import { testConfig } from "../_fake_peer.ts";
import { say, setup } from "./_setup.ts";

/** The address of a user whose neighbours guessed passwords lately. */
const GUESSED_FROM = "203.0.113.30";

Deno.test("/op with the operator password makes an operator; a wrong one is refused", async () => {
  const { chat, peers: [alice] } = await setup(["alice"], { opPassword: "s3cret" });
  await say(alice, "/op nope");
  assertEquals(alice.take(), ["Wrong operator password."]);
  await say(alice, "/op s3cret");
  assertEquals(alice.take(), ["You are now an operator."]);
  assertEquals((chat.directory.find("alice") as User | undefined)?.operator, true);
});

Deno.test("/op: the third wrong password in one connection says why, then disconnects", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"], { opPassword: "s3cret" });
  await say(alice, "/op a", "/op b");
  assertEquals(alice.closed, undefined);
  await say(alice, "/op c");
  assertEquals(alice.take(), [
    "Wrong operator password.",
    "Wrong operator password.",
    "Wrong operator password, 3 times: closing the connection.",
  ]);
  assertEquals(alice.closed, { how: "end", reason: "opPassword" });
  assertEquals(bob.take(), ["alice has left."]);
});

Deno.test("/op on a server without an operator password says so", async () => {
  const { peers: [alice] } = await setup(["alice"]);
  await say(alice, "/op anything", "/kick bob");
  assertEquals(alice.take(), [
    "No operator password is set on this server.",
    "No operator password is set on this server.",
  ]);
});

Deno.test("/op that waited its turn in the password gate still makes a logged-in account an operator at its next login", async () => {
  const attempts = new LocalPasswordAttempts();
  const chat = new Chat(testConfig({ opPassword: "op-pw" }), { attempts });
  await addAccount(chat.store, "alice", "alices password");
  const alice = await logIn(chat, "alice", "alices password", { address: GUESSED_FROM });
  // Past the free wrong answers of the address: the next answer waits before it is checked.
  for (let i = 0; i < FREE_FAILURES; i++) attempts.failed(GUESSED_FROM, "operator");
  const sent = performance.now();
  await say(alice, "/op op-pw");
  await waitForLine(alice, "You are now an operator.");
  const waitedMs = performance.now() - sent;
  assert(waitedMs >= FIRST_DELAY_MS * 0.9, `the answer waited ${waitedMs} ms`);
  assertEquals((await chat.store.account("alice"))?.operator, true, "kept on the account");
  await say(alice, "/quit");
  const back = await logIn(chat, "alice", "alices password");
  assertEquals(back.session.user?.operator, true, "an operator at its next login");
});

Deno.test("/op refused by a lockout leaves the account as it was", async () => {
  const attempts = new LocalPasswordAttempts();
  const chat = new Chat(testConfig({ opPassword: "op-pw" }), { attempts });
  await addAccount(chat.store, "alice", "alices password");
  const alice = await logIn(chat, "alice", "alices password", { address: GUESSED_FROM });
  for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) attempts.failed(GUESSED_FROM, "operator");
  await say(alice, "/op op-pw");
  await waitClosed(alice);
  assertEquals(alice.closed?.reason, "passwordLockout");
  assertEquals((await chat.store.account("alice"))?.operator, false);
});
