/**
 * WebSocket members over real sockets: they chat with TCP members in one room,
 * in one order, under the same limits (line cap, flood control, output limit,
 * bans, shutdown), and speak the WebSocket protocol properly (fragments, pings,
 * the closing handshake, broken frames).
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertLess,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import {
  encodeClientFrame,
  OPCODE_BINARY,
  OPCODE_CLOSE,
  OPCODE_CONTINUATION,
  OPCODE_PING,
  OPCODE_TEXT,
} from "../../lib/transport/websocket_frame.ts";
import { LineClient } from "../_server_helpers.ts";
import { startWebChat, startWebServer } from "../_web_helpers.ts";
import { type JsonEvent, WsClient } from "../fixtures/ws_client.ts";
import { concat } from "../fixtures/concat.ts";

const m = userText("ko");
const TEST_TIMEOUT_MS = 20_000;

const said = (nick: string, text: string) => (e: JsonEvent) =>
  e.type === "message" && e.nick === nick && e.text === text;

Deno.test(
  "ws peer: a WebSocket user and a TCP user chat both ways in one room, JSON on one side and text on the other",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = await startWebChat({}, { bob: null });
    const { alice, bob } = s;
    assertStringIncludes(await bob.waitUpgraded(), "HTTP/1.1 101 Switching Protocols");
    assertEquals(await bob.waitFor("prompt"), { type: "prompt", prompt: "nickname" });
    await bob.send("bob");
    assertEquals(await bob.waitFor("room"), { type: "room", room: "lobby" });
    const joined = await bob.waitFor("joined");
    assertEquals([joined.room, joined.nick, typeof joined.time], ["lobby", "bob", "number"]);
    assertEquals(await bob.waitFor("welcome"), { type: "welcome", nick: "bob" });
    await alice.waitFor(m.joined("bob"));

    await bob.send("안녕 from the web");
    await alice.waitFor("bob> 안녕 from the web");
    await alice.send("hello, browser");
    const message = await bob.waitFor(said("alice", "hello, browser"));
    assertEquals(Object.keys(message), ["type", "room", "nick", "text", "time", "id"]);
    assertMatch(String(message.id), /^[0-9a-f]{12}\.\d+$/);
    await bob.send("/me waves");
    await alice.waitFor("* bob waves");
    const action = await bob.waitFor("action");
    assertEquals(action.text, "waves");
    assertNotEquals(action.id, message.id, "each line has its own id");

    await alice.send("@bob psst");
    assertEquals(await bob.waitFor("whisper"), { type: "whisper", from: "alice", text: "psst" });
    await bob.send("@alice back");
    await alice.waitFor("[귓속말] bob> back");
    assertEquals(await bob.waitFor("whisperSent"), {
      type: "whisperSent",
      to: "alice",
      text: "back",
    });

    await bob.send("/quit");
    await bob.waitClosed();
    assertEquals(bob.closeFrame, { code: 1000, reason: "quit" });
    await alice.waitFor(m.left("bob"));
  },
);

Deno.test(
  "ws peer: TCP and WebSocket members see one and the same order of lines",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = await startWebChat({}, { alice: "tcp", bob: "web" });
    const { alice: tcp, bob: web } = s;
    await using other = await LineClient.connect(s.port);
    await other.join("other");
    const texts: string[] = [];
    for (let i = 0; i < 30; i++) {
      texts.push(`t${i}`, `w${i}`);
      await tcp.write(`t${i}\n`);
      void web.send(`w${i}`);
    }
    await other.waitFor((line) => line === "tcp> t29");
    await other.waitFor((line) => line === "web> w29");
    const seenByOther = other.received.filter((l) => /^(tcp> t|web> w)\d+$/.test(l))
      .map((l) => l.split("> ")[1]);
    await web.waitFor(said("tcp", "t29"));
    await web.waitFor(said("web", "w29"));
    const seenByWeb = web.events.filter((e) => e.type === "message").map((e) => e.text);
    assertEquals(seenByWeb, seenByOther);
    assertEquals(seenByOther.length, 60);
    assertEquals([...seenByOther].sort(), [...texts].sort());
  },
);

Deno.test(
  "ws peer: a message with several lines is several lines; fragments are joined; a ping gets a pong; binary is text",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = await startWebChat();
    const { alice, bob } = s;
    await bob.send("first line\r\nsecond line\n");
    await alice.waitFor("bob> first line");
    await alice.waitFor("bob> second line");
    // A message in three fragments with a ping between them; UTF-8 split across fragments.
    const bytes = new TextEncoder().encode("조각난 메시지");
    await bob.write(encodeClientFrame(OPCODE_TEXT, bytes.subarray(0, 4), { fin: false }));
    await bob.write(encodeClientFrame(OPCODE_PING, "are you there"));
    await bob.write(encodeClientFrame(OPCODE_CONTINUATION, bytes.subarray(4, 11), { fin: false }));
    await bob.write(encodeClientFrame(OPCODE_CONTINUATION, bytes.subarray(11)));
    await alice.waitFor("bob> 조각난 메시지");
    const pong = bob.frames.find((f) => f.opcode === 0xa);
    assertEquals(new TextDecoder().decode(pong?.payload), "are you there");
    await bob.write(encodeClientFrame(OPCODE_BINARY, "binary is read as text"));
    await alice.waitFor("bob> binary is read as text");
    // Control bytes are made inert, as for TCP.
    await bob.send("bell\x07 and \x1b[31mred");
    await alice.waitFor("bob> bell\uFFFD and \uFFFD[31mred");
  },
);

Deno.test(
  "ws peer: frames sent before the 101 arrives are read after the upgrade",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer();
    await using alice = await LineClient.connect(s.port);
    await alice.join("alice");
    await using eager = await WsClient.connect(s.webPort, {
      origin: null,
      early: encodeClientFrame(OPCODE_TEXT, "eager\nhi from a bot"),
    });
    assertEquals((await eager.waitFor("welcome")).nick, "eager");
    await alice.waitFor("eager> hi from a bot");
  },
);

Deno.test(
  "ws peer: a message over the line cap is refused with the lineTooLong notice and the connection goes on; one past 1 MiB closes with 1009",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = await startWebChat({ maxLineBytes: 100 });
    const { alice, bob } = s;
    await bob.send("x".repeat(101));
    const refused = await bob.waitFor("notice");
    assertEquals(refused, {
      type: "notice",
      code: "lineTooLong",
      maxBytes: 100,
      closing: false,
      text: m.lineTooLong(100, false),
    });
    await bob.send("y".repeat(100));
    await alice.waitFor("bob> " + "y".repeat(100));
    // Fragments add up: 60 + 60 bytes is over the cap too.
    await bob.write(encodeClientFrame(OPCODE_TEXT, "a".repeat(60), { fin: false }));
    await bob.write(encodeClientFrame(OPCODE_CONTINUATION, "b".repeat(60)));
    await bob.waitFor((e) => e.type === "notice" && e.code === "lineTooLong");
    await bob.send("still here");
    await alice.waitFor("bob> still here");
    // A frame that says it is 2 MiB is cut off from its header alone.
    const header = new Uint8Array([0x81, 0xff, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4]);
    await bob.write(header);
    await bob.waitFor((e) => e.type === "notice" && e.code === "lineTooLong" && e.closing === true);
    await bob.waitClosed();
    assertEquals(bob.closeFrame, { code: 1009, reason: "lineTooLong" });
    await alice.waitFor(m.left("bob"));
  },
);

Deno.test(
  "ws peer: an unmasked frame closes with 1002; the others are told once and keep chatting",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = await startWebChat();
    const { alice, bob } = s;
    await bob.write(new Uint8Array([0x81, 0x02, 0x68, 0x69]));
    await bob.waitClosed();
    assertEquals(bob.closeFrame?.code, 1002);
    await alice.waitFor(m.left("bob"));
    await alice.send("still here");
    await alice.waitFor("alice> still here");
    await alice.close();
    // The log is complete once the server has finished.
    await s.server.shutdown();
    assertStringIncludes(s.sink.text, "(bob) - 프로토콜 오류");
  },
);

Deno.test(
  "ws peer: the client's close frame is answered with the same code, and its user leaves once",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = await startWebChat();
    const { alice, bob } = s;
    // A last message and the close frame (1001, going away) in one write.
    await bob.write(concat(
      encodeClientFrame(OPCODE_TEXT, "last words"),
      encodeClientFrame(OPCODE_CLOSE, new Uint8Array([0x03, 0xe9])),
    ));
    await bob.waitClosed();
    assertEquals(bob.closeFrame, { code: 1001, reason: "" });
    await alice.waitFor("bob> last words");
    await alice.waitFor(m.left("bob"));
    await alice.send("/who");
    assertEquals(await alice.waitFor((l) => l.startsWith("접속자")), "접속자 1명: alice");
  },
);

Deno.test(
  "ws peer: a WebSocket client that never reads is dropped at maxOutboxBytes like a TCP one; the others receive everything",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = await startWebChat({ maxOutboxBytes: 64 * 1024 }, { bob: "watcher" });
    const { alice, bob: watcher } = s;
    await using slow = await WsClient.connect(s.webPort);
    await slow.join("slow");
    await alice.waitFor(m.joined("slow"));
    slow.stopReading();
    let sent = 0;
    let last = "";
    for (let round = 0; sent < 2048 || !alice.received.includes(m.left("slow")); round++) {
      assertLess(sent, 64 * 1024, "64 MiB sent and the slow client was never dropped");
      const lines: string[] = [];
      for (let i = 0; i < 100; i++) lines.push(`m${round}.${i} ` + "x".repeat(1000));
      await alice.write(lines.join("\n") + "\n");
      sent += 100;
      last = lines.at(-1)!;
      await alice.waitFor(`alice> ${last}`);
    }
    await watcher.waitFor(said("alice", last), 10_000);
    const delivered = watcher.events.filter((e) => e.type === "message" && e.nick === "alice");
    assertEquals(delivered.length, sent, "the watcher lost lines");
    const left = watcher.events.filter((e) => e.type === "left" && e.nick === "slow");
    assertEquals(left.length, 1);
    const { bytes } = await slow.drain();
    // What the watcher received of the same lines: the slow client got less.
    const watched = watcher.frames.reduce((n, f) => n + f.payload.length + 4, 0);
    assertLess(bytes, watched, "the slow client was sent everything, so never dropped");
    assertStringIncludes(s.sink.text, "(slow) - 출력 버퍼 가득 참");
  },
);

Deno.test(
  "ws peer: flood control, the nickname rules and the nickname timeout apply to WebSocket clients",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = await startWebChat({
      rateLinesPerSecond: 1,
      rateBurst: 2,
      nicknameTimeoutMs: 300,
    }, { bob: null });
    const { bob } = s;
    await bob.waitFor("prompt");
    await bob.send("bad nick!");
    assertEquals((await bob.waitFor("notice")).code, "nicknameInvalid");
    await bob.waitFor("prompt");
    await bob.send("ALICE");
    const taken = await bob.waitFor("notice");
    assertEquals([taken.code, taken.nick, taken.text], [
      "nicknameTaken",
      "ALICE",
      m.nicknameTaken("ALICE"),
    ]);
    await bob.send("bob");
    await bob.waitFor("welcome");
    for (let i = 0; i < 5; i++) await bob.send(`burst ${i}`);
    assertEquals((await bob.waitFor("notice")).code, "rateLimited");

    await using silent = await WsClient.connect(s.webPort);
    await silent.waitFor((e) => e.type === "notice" && e.code === "nicknameTimeout");
    await silent.waitClosed();
    assertEquals(silent.closeFrame, { code: 1008, reason: "nicknameTimeout" });
  },
);

Deno.test(
  "ws peer: a banned address is told and closed before any prompt, over WebSocket too",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer();
    s.server.chat.bans.add("127.0.0.1", 0);
    await using banned = await WsClient.connect(s.webPort);
    const notice = await banned.waitFor("notice");
    assertEquals([notice.code, notice.text], ["banned", m.banned]);
    await banned.waitClosed();
    assertEquals(banned.closeFrame, { code: 1008, reason: "banned" });
    assertEquals(banned.events.filter((e) => e.type === "prompt").length, 0);
  },
);

Deno.test(
  "ws peer: rooms, topics and kicks reach a WebSocket member as JSON; rooms keep their members apart",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer({ opPassword: "op" });
    await using op = await LineClient.connect(s.port);
    await op.join("op");
    await op.becomeOp("op");
    await using web = await WsClient.connect(s.webPort);
    await web.join("web");
    await web.send("/join math");
    assertEquals(await web.waitFor("room"), { type: "room", room: "math" });
    await op.send("only the lobby sees this");
    await op.send("/join math");
    await web.waitFor((e) => e.type === "joined" && e.nick === "op");
    await op.send("/topic 숙제");
    const topic = await web.waitFor("topic");
    assertEquals([topic.room, topic.nick, topic.text], ["math", "op", "숙제"]);
    await web.send("/who");
    assertEquals((await web.waitFor("who")).users, [
      { nick: "web", away: false },
      { nick: "op", away: false },
    ]);
    await web.send("/nick web2");
    assertEquals(await web.waitFor("nick"), { type: "nick", nick: "web2", from: "web" });
    await op.waitFor(m.renamed("web", "web2"));
    await op.send("/kick web2 enough");
    assertEquals(await web.waitFor("kickedYou"), { type: "kickedYou", by: "op", reason: "enough" });
    await web.waitClosed();
    assertEquals(web.closeFrame, { code: 1008, reason: "kicked" });
    assert(!web.events.some((e) => e.text === "only the lobby sees this"));
  },
);

Deno.test(
  "ws peer: at shutdown a WebSocket member gets the shuttingDown notice, then close code 1001",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const s = startWebServer();
    await using web = await WsClient.connect(s.webPort);
    await web.join("web");
    await s.server.shutdown();
    await web.waitClosed();
    const last = web.events.at(-1)!;
    assertEquals([last.type, last.code, last.text], ["notice", "shuttingDown", m.shuttingDown]);
    assertEquals(web.closeFrame, { code: 1001, reason: "shutdown" });
  },
);

Deno.test(
  "ws peer: /ws?room=NAME enters that room once the nickname is accepted, with no stop in the lobby",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer();
    await using alice = await LineClient.connect(s.port);
    await alice.join("alice");
    await using carol = await LineClient.connect(s.port);
    await carol.join("carol");
    await carol.send("/join math");
    await carol.waitFor("carol님이 입장하셨습니다.");
    await using bob = await WsClient.connect(s.webPort, { path: "/ws?room=Math" });
    await bob.join("bob");
    assertEquals(
      bob.events.filter((e) => e.type === "joined" || e.type === "room" || e.type === "members")
        .map((e) => e.type === "members" ? e.users : e.type === "room" ? e.room : e.nick),
      ["math", "bob", [{ nick: "carol", away: false }, { nick: "bob", away: false }]],
    );
    await carol.waitFor("bob님이 입장하셨습니다.");
    // A bad room name falls back to the lobby, after saying why.
    await using dave = await WsClient.connect(s.webPort, { path: "/ws?room=no%20way" });
    await dave.join("dave");
    assert(dave.events.some((e) => e.type === "notice" && e.code === "roomInvalid"));
    await alice.waitFor("dave님이 입장하셨습니다.");
    // The lobby never saw bob come or go.
    assert(!alice.received.some((line) => line.includes("bob")), alice.received.join("\n"));
  },
);

Deno.test(
  "ws peer: a ban reaches the banned member and its room as JSON with banMinutes, and closes with 'banned'",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer({ opPassword: "op" });
    await using op = await LineClient.connect(s.port);
    await op.join("op");
    await op.becomeOp("op");
    await using watcher = await WsClient.connect(s.webPort);
    await watcher.join("watcher");
    await using web = await WsClient.connect(s.webPort);
    await web.join("web");
    await op.send("/ban web 0 enough");
    assertEquals(await web.waitFor("kickedYou"), {
      type: "kickedYou",
      by: "op",
      reason: "enough",
      banMinutes: 0,
    });
    await web.waitClosed();
    assertEquals(web.closeFrame, { code: 1008, reason: "banned" });
    const seen = await watcher.waitFor("kicked");
    assertEquals([seen.nick, seen.by, seen.reason, seen.banMinutes], ["web", "op", "enough", 0]);
    await op.waitFor(m.bannedBy("web", "op", 0));
    await op.waitFor(m.banAdded("web", "127.0.0.1", 0));
  },
);
