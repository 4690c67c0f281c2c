/**
 * One lockout, whichever password is answered: an address past the cap of wrong
 * answers gets the same notice (`passwordLockout`), the same line and the same
 * close reason for the server password, `/op`, an account's login and the account
 * commands (`/password`, `/unregister`). Fake peers, no socket.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import { Chat } from "../../lib/chat/chat.ts";
import type { Notice } from "../../lib/chat/events.ts";
import {
  LocalPasswordAttempts,
  MAX_FAILURES_PER_WINDOW,
} from "../../lib/chat/password_attempts.ts";
import { addAccount, logIn, waitClosed, waitForLine } from "./_accounts.ts";
import { EN_FORMAT, FakePeer, join, testConfig } from "./_fake_peer.ts";

const GUESSER = "203.0.113.20";
const LOCKOUT_LINE =
  "Too many wrong passwords from your address: try again in a minute. Closing the connection.";

/** A chat whose limiter the test fills, with an account `alice`. */
async function chatWith(
  options: { password?: string; opPassword?: string } = {},
): Promise<{ chat: Chat; attempts: LocalPasswordAttempts }> {
  const attempts = new LocalPasswordAttempts();
  const chat = new Chat(testConfig(options), { attempts });
  await addAccount(chat.store, "alice", "alices-password");
  return { chat, attempts };
}

/** Counts wrong answers from the guesser's address up to the cap. */
function lockOut(attempts: LocalPasswordAttempts): void {
  for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) attempts.failed(GUESSER, "server");
}

/** The notices a peer was sent, by code. */
function noticeCodes(peer: FakePeer): Notice["code"][] {
  return peer.events.flatMap((event) => event.type === "notice" ? [event.notice.code] : []);
}

/** Asserts that the peer was refused with the one lockout, and closed for it. */
async function assertLockedOut(peer: FakePeer): Promise<void> {
  await waitClosed(peer);
  assertEquals(peer.lines().at(-1), LOCKOUT_LINE);
  assertEquals(noticeCodes(peer).at(-1), "passwordLockout");
  assertEquals(peer.closed, { how: "end", reason: "passwordLockout" });
}

Deno.test("lockout: the server password from a locked-out address gets the one lockout notice and closes", async () => {
  const { chat, attempts } = await chatWith({ password: "s3cret" });
  lockOut(attempts);
  const peer = new FakePeer(chat, { format: EN_FORMAT, address: GUESSER });
  peer.session.start();
  peer.type("s3cret");
  await assertLockedOut(peer);
});

Deno.test("lockout: /op from a locked-out address gets the same notice and close", async () => {
  const { chat, attempts } = await chatWith({ opPassword: "teacher" });
  const peer = await join(chat, "guest", { format: EN_FORMAT, address: GUESSER });
  lockOut(attempts);
  peer.type("/op teacher");
  await assertLockedOut(peer);
});

Deno.test("lockout: an account's login from a locked-out address gets the same notice and close, its password unchecked", async () => {
  const { chat, attempts } = await chatWith();
  lockOut(attempts);
  const peer = new FakePeer(chat, { format: EN_FORMAT, address: GUESSER });
  peer.session.start();
  peer.type("alice");
  await waitForLine(peer, "Password for alice:");
  peer.type("alices-password");
  await assertLockedOut(peer);
  assertEquals(peer.session.user, undefined);
});

for (const command of ["/password alices-password new-password", "/unregister alices-password"]) {
  Deno.test(`lockout: ${command.split(" ")[0]} from a locked-out address gets the same notice and close`, async () => {
    const { chat, attempts } = await chatWith();
    const alice = await logIn(chat, "alice", "alices-password", { address: GUESSER });
    lockOut(attempts);
    alice.type(command);
    await assertLockedOut(alice);
    assertEquals(await chat.store.account("alice") !== undefined, true, "the account stays");
  });
}
