/**
 * A chat that becomes unavailable (a cluster cut off from Redis) and comes back,
 * through fake connections: one line each way for every member, and the lines
 * typed meanwhile sent afterwards, in order.
 */

import { assertEquals } from "@std/assert";
import { UnavailableError } from "../../lib/util/errors.ts";
import { MAX_QUEUED_LINES } from "../../lib/util/line_pacer.ts";
import { FakePeer, join, microtasks, testChat } from "./_fake_peer.ts";

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
