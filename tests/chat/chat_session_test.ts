/**
 * The chat state machine through fake connections: no socket, no timing.
 */

import { assert, assertEquals, assertInstanceOf, assertStringIncludes } from "@std/assert";
import { Chat } from "../../lib/chat/chat.ts";
import { FakePeer, join, microtasks, testChat, testConfig } from "./_fake_peer.ts";
import { LaterBus, laterChat } from "./_later_bus.ts";

const PROMPT = "닉네임을 입력하세요:";
const WELCOME = "서버에 연결되었습니다.";

Deno.test("chat session prompts, then a join tells everyone, the newcomer included, and the newcomer who is there", async () => {
  const chat = testChat();
  const alice = new FakePeer(chat);
  alice.session.start();
  assertEquals(alice.take(), [PROMPT]);
  alice.type("alice");
  await microtasks();
  assertEquals(alice.take(), ["alice님이 입장하셨습니다.", WELCOME, "접속자 1명: alice"]);
  const bob = await join(chat, "bob");
  assertEquals(bob.take(), [PROMPT, "bob님이 입장하셨습니다.", WELCOME, "접속자 2명: alice, bob"]);
  assertEquals(alice.take(), ["bob님이 입장하셨습니다."]);
  assertEquals(chat.userCount, 2);
});

Deno.test("chat session joins in one burst give each newcomer only what came after it", async () => {
  const chat = testChat();
  const peers = ["a", "b", "c"].map(() => new FakePeer(chat));
  for (const [i, peer] of peers.entries()) {
    peer.session.start();
    peer.type(["a", "b", "c"][i]);
  }
  await microtasks();
  const joins = peers.map((p) => p.take().filter((l) => l.endsWith("입장하셨습니다.")));
  assertEquals(joins, [
    ["a님이 입장하셨습니다.", "b님이 입장하셨습니다.", "c님이 입장하셨습니다."],
    ["b님이 입장하셨습니다.", "c님이 입장하셨습니다."],
    ["c님이 입장하셨습니다."],
  ]);
});

Deno.test("chat session refuses a nickname taken ignoring case, and asks again", async () => {
  const chat = testChat();
  await join(chat, "Alice");
  const impostor = new FakePeer(chat);
  impostor.session.start();
  impostor.type("aLICE");
  await microtasks();
  assertEquals(impostor.take(), [PROMPT, "이미 사용 중인 닉네임입니다: aLICE", PROMPT]);
  impostor.type("bad name!");
  assertEquals(impostor.take(), [
    "닉네임은 1~20자의 글자, 숫자, _, -만 쓸 수 있습니다 (보이지 않는 문자, 섞인 문자 체계는 안 됩니다). 다른 닉네임을 입력하세요.",
    PROMPT,
  ]);
  impostor.type("   ");
  assertEquals(impostor.take(), [], "blank lines before the nickname are ignored");
  assertEquals(chat.userCount, 1);
});

Deno.test("chat session messages reach everyone in the room as nick> text, in order", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  alice.take();
  bob.take();
  alice.type("hello", "안녕");
  bob.type("hi");
  await microtasks();
  const expected = ["alice> hello", "alice> 안녕", "bob> hi"];
  assertEquals(alice.take(), expected);
  assertEquals(bob.take(), expected);
});

Deno.test("chat session leaving tells the others once and frees the nickname", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  alice.take();
  bob.take();
  alice.type("bye");
  alice.session.ended();
  alice.session.ended();
  await microtasks();
  assertEquals(alice.take(), ["alice> bye"], "its own last line still reaches it");
  assertEquals(bob.take(), ["alice> bye", "alice님이 퇴장하셨습니다."]);
  assertEquals(chat.directory.find("alice"), undefined);
  await join(chat, "ALICE");
  assertEquals(chat.userCount, 2, "the nickname is free again");
});

Deno.test("chat session /quit ends the connection after a flush, and the others are told", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  bob.take();
  alice.type("/종료");
  await microtasks();
  assertEquals(alice.closed, { how: "end", reason: "quit" });
  assertEquals(bob.take(), ["alice님이 퇴장하셨습니다."]);
});

Deno.test("chat session drops a user whose outbox is full and tells the others once", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const slow = await join(chat, "slow", { limitBytes: 200 }); // never drained
  const bob = await join(chat, "bob");
  alice.take();
  bob.take();
  alice.type("x".repeat(150));
  await microtasks();
  assertEquals(slow.closed, { how: "drop", reason: "outboxFull" });
  assertEquals(slow.outbox.queuedBytes, 0, "nothing is kept for a dropped user");
  for (const peer of [alice, bob]) {
    assertEquals(peer.take(), ["alice> " + "x".repeat(150), "slow님이 퇴장하셨습니다."]);
  }
  alice.type("later");
  await microtasks();
  assertEquals(bob.take(), ["alice> later"]);
});

Deno.test("chat session drops a whisper target whose outbox is full", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const slow = await join(chat, "slow", { limitBytes: 200 });
  alice.take();
  slow.take();
  alice.type(`@slow ${"y".repeat(200)}`);
  await microtasks();
  assertEquals(slow.closed?.reason, "outboxFull");
  // The leave notice was published before the reply was sent, so it comes first.
  assertEquals(alice.take(), [
    "slow님이 퇴장하셨습니다.",
    `[귓속말 전송] slow에게: ${"y".repeat(200)}`,
  ]);
});

Deno.test("chat session whispers reach only the target; an unknown one gets a notice", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  const carol = await join(chat, "carol");
  for (const p of [alice, bob, carol]) p.take();
  alice.type("@BOB 비밀", "@nobody hi", "@bob");
  await microtasks();
  assertEquals(bob.take(), ["[귓속말] alice> 비밀"]);
  assertEquals(alice.take(), [
    "[귓속말 전송] bob에게: 비밀",
    "해당 닉네임의 사용자가 없습니다.",
    "사용법: @닉네임 메시지",
  ]);
  assertEquals(carol.take(), []);
});

Deno.test("chat session shutdown tells the user and nobody else", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  alice.take();
  bob.take();
  bob.session.shutdown();
  await microtasks();
  assertEquals(bob.take(), ["서버가 종료됩니다."]);
  assertEquals(bob.closed, { how: "end", reason: "shutdown" });
  assertEquals(alice.take(), [], "no leave notice when everyone is leaving");
});

Deno.test("chat session: an unknown /word gets a notice and is never broadcast", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  alice.take();
  bob.take();
  alice.type("/dance now");
  await microtasks();
  assertEquals(alice.take(), ["알 수 없는 명령어입니다: /dance (도움말: /help)"]);
  assertEquals(bob.take(), []);
  assert(chat.directory.find("alice") !== undefined);
});

Deno.test("chat session: a line that the bus fails to send later is said so to its sender", async () => {
  const bus = new LaterBus();
  const chat = laterChat(bus);
  const alice = await join(chat, "alice");
  alice.take();
  bus.failing = true;
  alice.type("hello", "again");
  assertEquals(bus.pending, 2, "the second line did not wait for the first");
  bus.failPending();
  await microtasks();
  const tryAgainLater = "채팅을 잠시 사용할 수 없습니다. 잠시 후 다시 시도하세요.";
  assertEquals(alice.take(), [tryAgainLater, tryAgainLater]);
});

Deno.test("chat session: a bug while handling a line goes to the chat's bug report with its stack, and the session goes on", async () => {
  const reported: { error: unknown; peer: string | undefined }[] = [];
  const chat = new Chat(testConfig(), {
    observer: {
      nickname() {},
      roomEvent() {},
      whisper() {
        throw new TypeError("a bug in the console");
      },
    },
    reportBug: (error, peer) => reported.push({ error, peer }),
  });
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  alice.take();
  bob.take();
  alice.type("@bob psst", "hello");
  await microtasks();
  assertEquals(reported.length, 1);
  assertInstanceOf(reported[0].error, TypeError);
  assertStringIncludes(reported[0].error.stack!, "chat_session_test.ts");
  assertEquals(reported[0].peer, alice.label);
  assertEquals(bob.take(), ["[귓속말] alice> psst", "alice> hello"]);
});

Deno.test("chat session: a connection the server failed on is told so before the close; the room sees a leave", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const bob = await join(chat, "bob");
  alice.take();
  bob.take();
  alice.session.ended(true);
  await microtasks();
  assertEquals(alice.take(), ["서버 오류로 연결을 종료합니다."]);
  assertEquals(bob.take(), ["alice님이 퇴장하셨습니다."]);
});
