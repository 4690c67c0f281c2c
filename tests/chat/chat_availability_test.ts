/**
 * A chat that becomes unavailable (a cluster cut off from Redis) and comes back,
 * through fake connections: one line each way for every member, and the lines
 * typed meanwhile sent afterwards, in order.
 */

import { assertEquals, assertThrows } from "@std/assert";
import { Chat } from "../../lib/chat/chat.ts";
import type { UserRef } from "../../lib/chat/directory.ts";
import type { User } from "../../lib/chat/user.ts";
import { UnavailableError } from "../../lib/util/errors.ts";
import { MAX_QUEUED_LINES } from "../../lib/util/line_pacer.ts";
import { EN_FORMAT, FakePeer, join, microtasks, testChat, testConfig } from "./_fake_peer.ts";
import { RemoteDirectory } from "./_remote_directory.ts";

const UNAVAILABLE = "지금은 채팅을 사용할 수 없습니다. 입력한 내용은 다시 연결되면 전송됩니다.";
const AVAILABLE = "채팅을 다시 사용할 수 있습니다.";

Deno.test("chat availability: every member gets one line when the chat goes and one when it is back; lines typed meanwhile follow in order", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  alice.take();
  bob.take();
  chat.setAvailable(false);
  chat.setAvailable(false);
  const typed = Array.from({ length: 21 }, (_, i) => `line ${i}`);
  for (const line of typed) alice.type(line);
  await microtasks();
  assertEquals(alice.take(), [UNAVAILABLE], "typed lines wait, without a line of their own");
  assertEquals(bob.take(), [UNAVAILABLE], "a member who types nothing is told too");
  chat.setAvailable(true);
  chat.setAvailable(true);
  await microtasks();
  const expected = [AVAILABLE, ...typed.map((line) => `alice> ${line}`)];
  assertEquals(alice.take(), expected);
  assertEquals(bob.take(), expected);
  alice.session.ended();
  bob.session.ended();
});

Deno.test("chat availability: a member who types past the pacer's bound while the chat is away is cut off as a flood", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  chat.setAvailable(false);
  alice.type(...Array.from({ length: MAX_QUEUED_LINES + 1 }, (_, i) => `spam ${i}`));
  await microtasks();
  assertEquals(alice.take().at(-1), "메시지를 너무 많이 보내 연결을 종료합니다.");
  assertEquals(alice.closed?.reason, "flooding");
  chat.setAvailable(true);
  await microtasks();
  assertEquals(
    bob.take().some((l) => l.startsWith("alice> ")),
    false,
    "its waiting lines are dropped",
  );
  bob.session.ended();
});

Deno.test("chat availability: a command that the outage cut off midway runs again, first, when the chat is back", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  alice.take();
  const local = chat.directory.who.bind(chat.directory);
  const cut = Promise.withResolvers<never>();
  chat.directory.who = () => cut.promise;
  alice.type("/who", "after");
  await microtasks();
  assertEquals(alice.take(), [], "the command waits for the directory, the next line for it");
  chat.setAvailable(false);
  cut.reject(new UnavailableError("cut"));
  await microtasks();
  await microtasks();
  chat.directory.who = local;
  chat.setAvailable(true);
  await microtasks();
  assertEquals(alice.take(), [UNAVAILABLE, AVAILABLE, "접속자 1명: alice", "alice> after"]);
  alice.session.ended();
});

Deno.test("chat availability: a connection that has not joined yet is not told", async () => {
  const chat = testChat();
  const newcomer = new FakePeer(chat);
  newcomer.session.start();
  newcomer.take();
  chat.setAvailable(false);
  chat.setAvailable(true);
  await microtasks();
  assertEquals(newcomer.take(), []);
  newcomer.session.ended();
});

Deno.test("chat availability: a publish while the chat is unavailable sends nothing and throws UnavailableError, for the line to wait", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  await microtasks();
  alice.take();
  bob.take();
  chat.setAvailable(false);
  const user = chat.directory.find("alice") as User;
  const event = { type: "message", room: "lobby", nick: "alice", text: "hi", time: 1 } as const;
  assertThrows(() => chat.publish(user, event), UnavailableError);
  await microtasks();
  assertEquals(bob.take(), [UNAVAILABLE], "nothing reached the room");
  assertEquals(alice.take(), [UNAVAILABLE], "and no line of its own");
  alice.session.ended();
  bob.session.ended();
});

Deno.test("chat availability: a whisper cut off midway (after finding its target) runs again when the chat is back, with no line of its own", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  await microtasks();
  alice.take();
  bob.take();
  const find = chat.directory.find.bind(chat.directory);
  const found = Promise.withResolvers<UserRef | undefined>();
  chat.directory.find = () => found.promise;
  alice.type("@bob psst", "after");
  await microtasks();
  chat.setAvailable(false);
  found.resolve(find("bob"));
  await microtasks();
  await microtasks();
  assertEquals(bob.take(), [UNAVAILABLE], "not delivered while the chat is away");
  assertEquals(alice.take(), [UNAVAILABLE]);
  chat.directory.find = find;
  chat.setAvailable(true);
  await microtasks();
  await microtasks();
  assertEquals(alice.take(), [AVAILABLE, "[귓속말 전송] bob에게: psst", "alice> after"]);
  assertEquals(bob.take(), [AVAILABLE, "[귓속말] alice> psst", "alice> after"]);
  alice.session.ended();
  bob.session.ended();
});

Deno.test("chat availability: a /kick of a user on another server cut off midway is not tried while the chat is away, then runs and is answered", async () => {
  const directory = new RemoteDirectory(["remote"]);
  const chat = new Chat(testConfig({ opPassword: "pw" }), { cluster: directory.cluster });
  const op = await join(chat, "op", { format: EN_FORMAT });
  op.type("/op pw");
  await microtasks();
  op.take();
  const find = directory.find.bind(directory);
  const found = Promise.withResolvers<UserRef | undefined>();
  chat.directory.find = () => found.promise;
  op.type("/kick remote noisy");
  await microtasks();
  chat.setAvailable(false);
  found.resolve(find("remote"));
  await microtasks();
  await microtasks();
  assertEquals(directory.kicks, [], "nothing is sent while the chat is away");
  assertEquals(op.take(), [
    "The chat is unavailable for now; what you type is sent when it is back.",
  ]);
  chat.directory.find = find;
  chat.setAvailable(true);
  await microtasks();
  assertEquals(directory.kicks, [{ nick: "remote", removal: { by: "op", reason: "noisy" } }]);
  directory.answerKicks(true);
  await microtasks();
  assertEquals(op.take(), ["The chat is available again.", "Kicked remote."]);
  op.session.ended();
});

Deno.test("chat availability: a /nick whose rename was done as the chat went away is not run again; the room is not told, the next line goes when it is back", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  await microtasks();
  alice.take();
  bob.take();
  const rename = chat.directory.rename.bind(chat.directory);
  const renamed = Promise.withResolvers<boolean>();
  let renames = 0;
  chat.directory.rename = (user, nickname) => {
    renames++;
    return renamed.promise.then((done) => done && rename(user, nickname));
  };
  alice.type("/nick alicia", "after");
  await microtasks();
  chat.setAvailable(false);
  renamed.resolve(true);
  await microtasks();
  await microtasks();
  assertEquals(chat.directory.find("alicia") !== undefined, true, "the rename is done");
  chat.setAvailable(true);
  await microtasks();
  await microtasks();
  assertEquals(renames, 1, "the line did not run again");
  assertEquals(bob.take(), [UNAVAILABLE, AVAILABLE, "alicia> after"]);
  assertEquals(alice.take(), [UNAVAILABLE, AVAILABLE, "alicia> after"]);
  alice.session.ended();
  bob.session.ended();
});

Deno.test("chat availability: a member whose session missed the change (joined as the chat went away) has its lines put back and held, not run again at once", async () => {
  const chat = testChat();
  const bob = await join(chat, "bob");
  await microtasks();
  bob.take();
  chat.setAvailable(false);
  // Joins on this server alone, so it was never told (its session was not held).
  const alice = await join(chat, "alice");
  await microtasks();
  alice.take();
  bob.take();
  alice.type("first", "second");
  await microtasks();
  assertEquals(bob.take(), [], "nothing is sent while the chat is away");
  chat.setAvailable(true);
  await microtasks();
  assertEquals(bob.take(), [AVAILABLE, "alice> first", "alice> second"]);
  assertEquals(alice.take(), [AVAILABLE, "alice> first", "alice> second"]);
  alice.session.ended();
  bob.session.ended();
});
