/**
 * Accounts over real TCP (and the WebSocket's JSON): the password prompt a plain
 * `nc` user sees, three wrong answers, ghost reclaim, the room a login returns to,
 * catch-up with ids, held whispers, and an operator that stays one.
 *
 * Catch-up comes from the server's own record (the bus numbers every line), or
 * from an id the client gives; for the latter some tests put lines in the
 * server's store with ids, as the bus does. Across a restart of the server:
 * `tests/store/catch_up_restart_test.ts`.
 *
 * @module
 */

import { assert, assertEquals, assertMatch } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { eventId } from "../../lib/chat/event_id.ts";
import { roomKey } from "../../lib/chat/room_name.ts";
import type { Store } from "../../lib/chat/store.ts";
import { isMembersLine, LineClient, startServer } from "../_server_helpers.ts";
import { startWebServer } from "../_web_helpers.ts";
import { WsClient } from "../fixtures/ws_client.ts";

const ko = userText("ko");
const en = userText("en");
const TEST_TIMEOUT_MS = 30_000;

/** Connects, gives a nickname and its password, and waits for the members line. */
async function logIn(
  port: number,
  nick: string,
  password: string,
  options: { text?: typeof ko; before?: string[] } = {},
): Promise<LineClient> {
  const t = options.text ?? ko;
  const client = await LineClient.connect(port);
  await client.waitFor(t.nicknamePrompt);
  for (const line of options.before ?? []) await client.send(line);
  await client.send(nick);
  await client.waitFor(t.accountPrompt(nick));
  await client.send(password);
  await client.waitFor(isMembersLine);
  return client;
}

/** Joins as a guest and registers the nickname. */
async function registered(
  port: number,
  nick: string,
  password: string,
  t = ko,
): Promise<LineClient> {
  const client = await LineClient.connect(port);
  if (t === ko) await client.join(nick);
  else {
    await client.waitFor(t.nicknamePrompt);
    await client.send(nick);
    await client.waitFor(isMembersLine);
  }
  await client.send(`/register ${password}`);
  await client.waitFor(t.registered(nick));
  return client;
}

/** Puts messages in a room's kept history, with ids, as the bus does. */
function said(store: Store, room: string, texts: string[], from = 0): string[] {
  const key = roomKey(room);
  return texts.map((text, i) => {
    const seq = from + i + 1;
    const id = eventId(store.epoch, seq);
    store.appendHistory(key, seq, {
      type: "message",
      room,
      nick: "bob",
      text,
      time: Date.now(),
      id,
    });
    return id;
  });
}

Deno.test(
  "accounts over TCP: a registered nickname asks `Password for {nick}:`; a wrong answer is told, then the nickname prompt; the right one joins",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ lang: "en" });
    const alice = await registered(s.port, "alice", "correct horse battery", en);
    await alice.send("/quit");
    await alice.waitClosed();
    await alice.close();
    await using again = await LineClient.connect(s.port);
    await again.waitFor("Enter your nickname:");
    await again.send("alice");
    assertEquals(await again.nextLine(), "Password for alice:");
    await again.send("correct horse");
    assertEquals(await again.nextLine(), "Wrong password for alice.");
    assertEquals(await again.nextLine(), "Enter your nickname:");
    await again.send("alice");
    assertEquals(await again.nextLine(), "Password for alice:");
    await again.send("correct horse battery");
    assertEquals(await again.nextLine(), "alice has joined.");
    assertEquals(await again.nextLine(), "Connected to the server.");
    assertEquals(await again.nextLine(), "1 online: alice");
    // The password was never in the console.
    assert(!s.sink.text.includes("horse"), s.sink.text);
  },
);

Deno.test(
  "accounts over TCP: the third wrong password on one connection says why, then closes it",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    const alice = await registered(s.port, "alice", "비밀번호 여덟자 이상");
    await alice.close();
    await using guesser = await LineClient.connect(s.port);
    for (let i = 1; i <= 3; i++) {
      await guesser.waitFor(ko.nicknamePrompt);
      await guesser.send("alice");
      await guesser.waitFor(ko.accountPrompt("alice"));
      await guesser.send(`틀린 비밀번호 ${i}`);
    }
    await guesser.waitClosed();
    const wrong = [ko.accountPrompt("alice"), ko.accountWrong("alice", 1, false)];
    assertEquals(guesser.received, [
      ko.nicknamePrompt,
      ...wrong,
      ko.nicknamePrompt,
      ...wrong,
      ko.nicknamePrompt,
      ko.accountPrompt("alice"),
      ko.accountWrong("alice", 3, true),
    ]);
    await s.server.shutdown();
    assert(s.sink.text.includes("계정 비밀번호 틀림"), s.sink.text);
  },
);

Deno.test(
  "ghost reclaim over TCP: the old connection is told why and closed; the new one has the nickname and the room, and the room sees no leave or join",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    await using ghost = await registered(s.port, "alice", "alices password");
    await using bob = await LineClient.connect(s.port);
    await bob.join("bob");
    await ghost.send("/join math");
    await ghost.waitFor(isMembersLine);
    await bob.send("/join math");
    await bob.waitFor(isMembersLine);
    const mark = bob.received.length;
    await using login = await logIn(s.port, "alice", "alices password");
    assertEquals((await ghost.waitClosed()).at(-1), ko.nicknameReclaimed);
    await bob.send("누구 있어요?");
    await login.waitFor("bob> 누구 있어요?");
    await login.send("/who");
    await login.waitFor(ko.who([{ nick: "bob", away: false }, { nick: "alice", away: false }]));
    await login.send("네");
    await bob.waitFor("alice> 네");
    // Nothing but the two lines: no leave, no join of alice.
    assertEquals(bob.received.slice(mark), ["bob> 누구 있어요?", "alice> 네"]);
  },
);

Deno.test(
  "catch-up over TCP: a login returns to the room it left, not the lobby",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    const alice = await registered(s.port, "alice", "alices password");
    await alice.send("/join math");
    await alice.waitFor(isMembersLine);
    await alice.close();
    await using back = await logIn(s.port, "alice", "alices password");
    await back.send("/who");
    await back.waitFor(ko.who([{ nick: "alice", away: false }]));
    await back.send("/rooms");
    await back.waitFor(
      ko.rooms(
        [{ name: "lobby", count: 0 }, { name: "math", count: 1 }].filter((r) => r.count > 0),
      ),
    );
  },
);

Deno.test(
  "catch-up over TCP: a user who quits comes back, after others talked, to exactly the lines it missed, numbered on from what it saw",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ lang: "en" });
    const alice = await registered(s.port, "alice", "alices password", en);
    await using bob = await LineClient.connect(s.port);
    await bob.waitFor(en.nicknamePrompt);
    await bob.send("bob");
    await bob.waitFor(isMembersLine);
    await alice.send("/join math");
    await alice.waitFor(isMembersLine);
    await bob.send("/join math");
    await bob.waitFor(isMembersLine);
    await bob.send("before");
    await alice.waitFor("bob> before");
    await alice.send("/quit");
    await alice.waitClosed();
    await alice.close();
    await bob.send("one");
    await bob.send("two");
    await bob.send("/me waves");
    await bob.waitFor("* bob waves");
    // The server's own record: no /resume, no id from the client.
    await using back = await logIn(s.port, "alice", "alices password", { text: en });
    assertEquals(back.received.slice(2).map((line) => line.replace(/^\[\d\d:\d\d\] /, "")), [
      "-- 3 messages since you left --",
      "bob> one",
      "bob> two",
      "* bob waves",
      "alice has joined.",
      "Connected to the server.",
      "2 online: bob, alice",
    ]);
    // With ids: the lines it missed are numbered on from the one it saw last.
    await back.send("/quit");
    await back.waitClosed();
    await bob.send("three");
    await bob.waitFor("bob> three");
    await using tagged = await logIn(s.port, "alice", "alices password", {
      text: en,
      before: ["/client ids"],
    });
    const epoch = s.server.chat.store.epoch;
    assertEquals(tagged.received[2], "-- 1 message since you left --");
    assertMatch(tagged.received[3], new RegExp(`^@${epoch}\\.5 \\[\\d\\d:\\d\\d\\] bob> three$`));
    await bob.send("four");
    await tagged.waitFor(`@${epoch}.6 bob> four`);
  },
);

Deno.test(
  "catch-up over TCP: /client ids and /resume ROOM ID give exactly the lines after that id, with ids and times, and how many were not kept",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ lang: "en" });
    const store = s.server.chat.store;
    const ids = said(store, "math", ["one", "two", "three", "four"]);
    // The store keeps its default of the last 1000: ask after the first, see three.
    await using tagged = await LineClient.connect(s.port);
    await tagged.waitFor("Enter your nickname:");
    await tagged.send("/client ids");
    await tagged.send(`/resume math ${ids[0]}`);
    await tagged.send("carol");
    assertEquals(await tagged.nextLine(), "-- 3 messages since you left --");
    for (const [i, text] of ["two", "three", "four"].entries()) {
      assertMatch(
        (await tagged.nextLine())!,
        new RegExp(`^@${ids[i + 1].replace(".", "\\.")} \\[\\d\\d:\\d\\d\\] bob> ${text}$`),
      );
    }
    // The room the lines were of, for the client that asked for ids.
    assertEquals(await tagged.nextLine(), "@room math");
    assertEquals(await tagged.nextLine(), "carol has joined.");
    // A plain client resuming after the same id gets the same lines, without ids.
    await using plain = await LineClient.connect(s.port);
    await plain.waitFor("Enter your nickname:");
    await plain.send(`/resume math ${ids[2]}`);
    await plain.send("dave");
    assertEquals(await plain.nextLine(), "-- 1 message since you left --");
    assertMatch((await plain.nextLine())!, /^\[\d\d:\d\d\] bob> four$/);
    // Past what the limit lets through: the newest, and how many were skipped.
    await using far = await LineClient.connect(s.port);
    await far.waitFor("Enter your nickname:");
    store.appendHistory(roomKey("math"), 5, {
      type: "message",
      room: "math",
      nick: "bob",
      text: "x".repeat(400_000),
      time: Date.now(),
      id: eventId(store.epoch, 5),
    });
    await far.send(`/resume math ${ids[0]}`);
    await far.send("erin");
    assertEquals(await far.nextLine(), "-- 4 messages since you left --");
    assertEquals(await far.nextLine(), "-- the first 4 of them are no longer kept --");
    assertEquals(await far.nextLine(), "erin has joined.");
  },
);

Deno.test(
  "held whispers over TCP: the sender is told; the user gets them with their times right after logging in",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ lang: "en" });
    const alice = await registered(s.port, "alice", "alices password", en);
    await alice.send("/quit");
    await alice.waitClosed();
    await alice.close();
    await using bob = await LineClient.connect(s.port);
    await bob.waitFor("Enter your nickname:");
    await bob.send("bob");
    await bob.waitFor(isMembersLine);
    await bob.send("@alice see you tomorrow");
    await bob.waitFor("alice is offline: your whisper will be delivered when they log in.");
    await using back = await logIn(s.port, "alice", "alices password", { text: en });
    assertMatch((await back.nextLine())!, /^\[\d\d:\d\d\] \[whisper\] bob> see you tomorrow$/);
  },
);

Deno.test(
  "operators over TCP: /op while logged in lasts across a reconnect, until /deop",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ lang: "en", opPassword: "op-secret" });
    const alice = await registered(s.port, "alice", "alices password", en);
    await alice.send("/op op-secret");
    await alice.waitFor("You are now an operator.");
    await alice.close();
    await using back = await logIn(s.port, "alice", "alices password", { text: en });
    await back.send("/bans");
    await back.waitFor("No addresses are banned.");
    await back.send("/deop");
    await back.waitFor("You are no longer an operator.");
    await back.send("/bans");
    await back.waitFor("Only operators can do that.");
  },
);

Deno.test(
  "accounts over the WebSocket: the account prompt and a catch-up are JSON events; /ws?room=R&since=ID resumes there",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer();
    const alice = await registered(s.port, "alice", "alices password");
    await alice.close();
    const ids = said(s.server.chat.store, "math", ["one", "two"]);
    await using page = await WsClient.connect(s.webPort, { path: `/ws?room=math&since=${ids[0]}` });
    await page.waitFor("prompt");
    await page.send("alice");
    assertEquals(await page.waitFor("prompt"), {
      type: "prompt",
      prompt: "account",
      nick: "alice",
    });
    await page.send("alices password");
    const caught = await page.waitFor("catchUp");
    assertEquals(caught.room, "math");
    assertEquals(caught.skipped, 0);
    assertEquals((caught.events as { id: string; text: string }[]).map((e) => [e.id, e.text]), [[
      ids[1],
      "two",
    ]]);
    assertEquals(await page.waitFor("room"), { type: "room", room: "math" });
    await page.waitFor("members");
  },
);
