import { assertEquals } from "@std/assert";
import { verifyPassword } from "../../../lib/util/password_hash.ts";
import { addAccount, logIn, waitClosed, waitForLine } from "../_accounts.ts";
import { testChat } from "../_fake_peer.ts";
import { say, setup } from "./_setup.ts";

/** The account's password is this one. */
async function passwordIs(chat: ReturnType<typeof testChat>, password: string): Promise<boolean> {
  return await verifyPassword(
    password,
    (await chat.store.account("alice"))!.passwordHash as string,
  );
}

Deno.test("/password OLD NEW changes the password: the old one no longer logs in, the new one does", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "old-password");
  const alice = await logIn(chat, "alice", "old-password");
  alice.take();
  await say(alice, "/password old password new-password", "/password old-password short");
  assertEquals(alice.take(), [
    "Usage: /password [OLD NEW]",
    "A password needs at least 8 characters.",
  ]);
  await say(alice, "/password old-password new-password");
  await waitForLine(alice, "Your password was changed.");
  await say(alice, "/quit");
  assertEquals(await passwordIs(chat, "old-password"), false);
  assertEquals(await passwordIs(chat, "new-password"), true);
  await logIn(chat, "alice", "new-password");
});

Deno.test("/password alone asks the current then the new password, so both may hold spaces", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "old password");
  const alice = await logIn(chat, "alice", "old password");
  alice.take();
  await say(alice, "/password");
  assertEquals(alice.take(), ["Current password:"]);
  await say(alice, "old password");
  await waitForLine(alice, "New password:");
  assertEquals(alice.take(), ["New password:"]);
  await say(alice, "short");
  assertEquals(alice.take(), ["A password needs at least 8 characters.", "New password:"]);
  await say(alice, "새 비밀번호 with spaces");
  await waitForLine(alice, "Your password was changed.");
  assertEquals(await passwordIs(chat, "새 비밀번호 with spaces"), true);
  await say(alice, "/quit");
  await logIn(chat, "alice", "새 비밀번호 with spaces");
});

Deno.test("/password alone: an empty answer changes nothing, and no answer reaches the room", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "old password");
  const { peers: [bob] } = await setup(["bob"], {}, chat);
  const alice = await logIn(chat, "alice", "old password");
  bob.take();
  await say(alice, "/password");
  await say(alice, "");
  assertEquals(alice.take().slice(-2), ["Current password:", "Your password was not changed."]);
  await say(alice, "/password", "old password");
  await waitForLine(alice, "New password:");
  await say(alice, "   ");
  assertEquals(alice.take().slice(-1), ["Your password was not changed."]);
  assertEquals(bob.take(), []);
  assertEquals(await passwordIs(chat, "old password"), true);
});

Deno.test("/password with a wrong current password is told; the third wrong account password closes the connection", async () => {
  const chat = testChat();
  await addAccount(chat.store, "alice", "old password");
  const alice = await logIn(chat, "alice", "old password");
  alice.take();
  await say(alice, "/password nope1 new-password");
  await waitForLine(alice, "Wrong password for alice.");
  await say(alice, "/password nope2 new-password");
  await waitForLine(alice, "Wrong password for alice.");
  assertEquals(alice.closed, undefined);
  await say(alice, "/password nope3 new-password");
  await waitClosed(alice);
  assertEquals(alice.take(), [
    "Wrong password for alice.",
    "Wrong password for alice.",
    "Wrong password, 3 times: closing the connection.",
  ]);
  assertEquals(alice.closed, { how: "end", reason: "accountPassword" });
  assertEquals(await passwordIs(chat, "old password"), true);
});

Deno.test("/password without an account says how to register", async () => {
  const { peers: [bob] } = await setup(["bob"]);
  await say(bob, "/password a b", "/password");
  assertEquals(bob.take(), [
    "You are not logged in to a registered nickname. To register: /register PASSWORD",
    "You are not logged in to a registered nickname. To register: /register PASSWORD",
  ]);
});
