/**
 * The chat and echo servers over real TCP: an in-process server on port 0 and raw
 * line clients, like people with `nc`. Every wait is for a specific line.
 */

import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import net from "node:net";
import { consoleText } from "../../lib/catalog/console_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { reachOf } from "../../lib/server/server.ts";
import { COMMANDS } from "../../lib/chat/commands/table.ts";
import { webUrls } from "../../lib/server/server.ts";
import { joinAll, LineClient, startServer } from "../_server_helpers.ts";

const ko = userText("ko");
const en = userText("en");
const PROMPT = "닉네임을 입력하세요:";
const WELCOME = "서버에 연결되었습니다.";

/** Asserts the next line a client receives. */
async function assertNext(client: LineClient, expected: string, msg?: string): Promise<void> {
  assertEquals(await client.nextLine(), expected, msg);
}

/**
 * Proves that clients received nothing since their last consumed line: `sender`
 * broadcasts a marker, and the marker must be the very next line of each of them
 * (the sender too, when listed; otherwise it just consumes its own marker).
 */
async function assertNothingElse(
  sender: LineClient,
  senderNick: string,
  ...clients: LineClient[]
): Promise<void> {
  const marker = `${senderNick}> marker ${crypto.randomUUID()}`;
  await sender.send(marker.slice(senderNick.length + 2));
  for (const client of clients) {
    await assertNext(client, marker, "no other line came before the marker");
  }
  if (!clients.includes(sender)) await sender.waitFor(marker);
}

// --- The original README's four scenarios -------------------------------------------

Deno.test("server: three clients chat and each sees every line as nick> text", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob", "carol");
  const [alice, bob, carol] = joined;
  for (const c of [alice, bob]) await c.waitFor("carol님이 입장하셨습니다.");

  await alice.send("안녕하세요 여러분");
  await bob.send("hi alice");
  await carol.send("hello!");
  for (const c of [alice, bob, carol]) {
    await c.waitFor("alice> 안녕하세요 여러분");
    await c.waitFor("bob> hi alice");
    await c.waitFor("carol> hello!");
  }
  // Nothing else on the way to anyone (no duplicates, nothing spliced).
  await assertNothingElse(alice, "alice", carol, bob);
});

Deno.test("server: joining tells everyone, newcomer included, then welcomes the newcomer", async () => {
  await using s = startServer();
  await using alice = (await joinAll(s.port, "alice"))[0];
  await using bob = await LineClient.connect(s.port);
  await assertNext(bob, PROMPT);
  await bob.send("bob");
  await assertNext(bob, "bob님이 입장하셨습니다.");
  await assertNext(bob, WELCOME);
  await assertNext(alice, "bob님이 입장하셨습니다.");
  assertEquals(alice.received, [
    PROMPT,
    "alice님이 입장하셨습니다.",
    WELCOME,
    "접속자 1명: alice",
    "bob님이 입장하셨습니다.",
  ]);
  await assertNext(bob, "접속자 2명: alice, bob");
});

Deno.test("server: a whisper reaches only its target and the sender gets a confirmation", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob", "carol");
  const [alice, bob, carol] = joined;
  for (const c of [alice, bob]) await c.waitFor("carol님이 입장하셨습니다.");

  await alice.send("@bob hi");
  await assertNext(alice, "[귓속말 전송] bob에게: hi");
  await assertNext(bob, "[귓속말] alice> hi");
  // Carol's next line is a later broadcast: the whisper never reached her.
  await assertNothingElse(alice, "alice", carol, bob);
  assert(!carol.received.some((l) => l.includes("hi") && l.includes("귓속말")));
});

Deno.test("server: a whisper target matches ignoring case and keeps the text's spaces", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "Bob");
  const [alice, bob] = joined;
  await alice.waitFor("Bob님이 입장하셨습니다.");
  await alice.send("@BOB 비밀  이야기");
  await assertNext(alice, "[귓속말 전송] Bob에게: 비밀  이야기");
  await assertNext(bob, "[귓속말] alice> 비밀  이야기");
});

Deno.test("server: /종료 closes the connection and the others see the leave notice once", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob", "carol");
  const [alice, bob, carol] = joined;
  for (const c of [alice, bob]) await c.waitFor("carol님이 입장하셨습니다.");

  await alice.send("/종료");
  assertEquals(await alice.waitClosed(), [], "the leaver gets nothing more");
  for (const c of [bob, carol]) await assertNext(c, "alice님이 퇴장하셨습니다.");
  await assertNothingElse(carol, "carol", bob);
  await assertNothingElse(bob, "bob", carol);
  await bob.send("/who");
  await assertNext(bob, "접속자 2명: bob, carol");
});

Deno.test("server: /quit closes the connection and frees the nickname", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  await alice.send("/quit");
  await alice.waitClosed();
  await assertNext(bob, "alice님이 퇴장하셨습니다.");
  await assertNothingElse(bob, "bob", bob);
  await using again = await LineClient.connect(s.port);
  await again.join("Alice");
  await assertNext(bob, "Alice님이 입장하셨습니다.");
});

Deno.test("server: 8 clients sending 250 lines at once all see every line once, in one order", async () => {
  const CLIENTS = 8;
  const LINES = 250;
  await using s = startServer();
  const nicks = Array.from({ length: CLIENTS }, (_, i) => `c${i}`);
  await using clients = await joinAll(s.port, ...nicks);
  for (const c of clients.slice(0, -1)) await c.waitFor(`c${CLIENTS - 1}님이 입장하셨습니다.`);

  const payload = (nick: string) =>
    Array.from({ length: LINES }, (_, i) => `${nick} 줄 ${String(i).padStart(3, "0")}\n`).join("");
  await Promise.all(clients.map((c, i) => c.write(payload(nicks[i]))));

  const total = CLIENTS * LINES;
  const seen = await Promise.all(clients.map(async (c) => {
    const lines: string[] = [];
    while (lines.length < total) {
      const line = await c.nextLine(10_000);
      if (line === null) throw new Error(`closed after ${lines.length} lines`);
      lines.push(line);
    }
    return lines;
  }));

  const expected = new Set(
    nicks.flatMap((n) =>
      Array.from({ length: LINES }, (_, i) => `${n}> ${n} 줄 ${String(i).padStart(3, "0")}`)
    ),
  );
  for (const [i, lines] of seen.entries()) {
    assertEquals(new Set(lines).size, total, `c${i}: no duplicates`);
    assertEquals(lines.filter((l) => !expected.has(l)), [], `c${i}: nothing unexpected`);
    for (const nick of nicks) {
      const own = lines.filter((l) => l.startsWith(`${nick}> `));
      assertEquals(own, [...own].sort(), `c${i}: ${nick}'s lines in the order sent`);
    }
    assertEquals(lines, seen[0], `c${i} sees the same order as c0`);
  }
  await assertNothingElse(clients[0], "c0", clients[3]);
});

// --- Framing over TCP ----------------------------------------------------------------

Deno.test("server: a line written one byte at a time, split inside Korean characters", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  (alice.conn as Deno.TcpConn).setNoDelay(true);
  for (const byte of new TextEncoder().encode("한글 조각\n")) {
    await alice.write(new Uint8Array([byte]));
  }
  await assertNext(bob, "alice> 한글 조각");
  await assertNext(alice, "alice> 한글 조각");
});

Deno.test("server: a character split across reads is joined once the rest arrives", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  (alice.conn as Deno.TcpConn).setNoDelay(true);
  const bytes = new TextEncoder().encode("first\n가나");
  // "first" and the first byte of 나 in one write; seeing "first" come back proves
  // the server has read that write, so the rest surely arrives in another read.
  await alice.write(bytes.subarray(0, bytes.length - 2));
  await assertNext(bob, "alice> first");
  await alice.write(bytes.subarray(bytes.length - 2));
  await alice.write("다\n");
  await assertNext(bob, "alice> 가나다");
});

Deno.test("server: several lines in one write arrive as separate lines, in order", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  await alice.write("one\ntwo\n\nthree\n@bob psst\n/who\n");
  await assertNext(bob, "alice> one");
  await assertNext(bob, "alice> two");
  await assertNext(bob, "alice> three");
  await assertNext(bob, "[귓속말] alice> psst");
  for (const line of ["one", "two", "three"]) await assertNext(alice, `alice> ${line}`);
  await assertNext(alice, "[귓속말 전송] bob에게: psst");
  await assertNext(alice, "접속자 2명: alice, bob");
});

Deno.test("server: \\r\\n line endings are accepted, for the nickname too", async () => {
  await using s = startServer();
  await using alice = await LineClient.connect(s.port);
  await assertNext(alice, PROMPT);
  await alice.write("alice\r\n");
  await assertNext(alice, "alice님이 입장하셨습니다.");
  await assertNext(alice, WELCOME);
  await assertNext(alice, "접속자 1명: alice");
  await alice.write("windows line\r\nsecond\r\n");
  await assertNext(alice, "alice> windows line");
  await assertNext(alice, "alice> second");
});

Deno.test("server: control characters in a line arrive as inert U+FFFD", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  await alice.send("\x1b[2Jgone\ttab");
  await assertNext(bob, "alice> \uFFFD[2Jgone tab");
});

Deno.test("server: a line over the byte cap gets one line why, and the connection goes on", async () => {
  await using s = startServer({ maxLineBytes: 64 });
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  await alice.send("x".repeat(65));
  await assertNext(alice, ko.lineTooLong(64, false));
  await alice.send("short");
  await assertNext(bob, "alice> short");
  assert(!bob.received.some((l) => l.includes("xxx")), "the long line was not broadcast");
});

// --- Nicknames -------------------------------------------------------------------------

Deno.test("server: an invalid nickname gets one line why, then the prompt again", async () => {
  await using s = startServer();
  await using c = await LineClient.connect(s.port);
  await assertNext(c, PROMPT);
  for (const bad of ["bad name", "bob!", "@bob", "/who"]) {
    await c.send(bad);
    await assertNext(c, ko.nicknameInvalid(20), bad);
    await assertNext(c, PROMPT);
  }
  await c.send("good_name-1");
  await assertNext(c, "good_name-1님이 입장하셨습니다.");
  await assertNext(c, WELCOME);
});

Deno.test("server: a nickname taken ignoring case is refused and the prompt repeats", async () => {
  await using s = startServer();
  await using alice = (await joinAll(s.port, "alice"))[0];
  await using c = await LineClient.connect(s.port);
  await assertNext(c, PROMPT);
  await c.send("ALICE");
  await assertNext(c, "이미 사용 중인 닉네임입니다: ALICE");
  await assertNext(c, PROMPT);
  await c.send("alice");
  await assertNext(c, "이미 사용 중인 닉네임입니다: alice");
  await assertNext(c, PROMPT);
  await c.send("alice2");
  await assertNext(c, "alice2님이 입장하셨습니다.");
  // Alice was never told about the refused attempts.
  await assertNext(alice, "alice2님이 입장하셨습니다.");
});

Deno.test("server: a Korean nickname is accepted and 20 characters fit but 21 do not", async () => {
  await using s = startServer();
  await using minsu = (await joinAll(s.port, "민수"))[0];
  await minsu.send("반가워요");
  await assertNext(minsu, "민수> 반가워요");

  await using c = await LineClient.connect(s.port);
  await assertNext(c, PROMPT);
  await c.send("가".repeat(21));
  await assertNext(c, ko.nicknameInvalid(20));
  await assertNext(c, PROMPT);
  await c.send("a".repeat(21));
  await assertNext(c, ko.nicknameInvalid(20));
  await assertNext(c, PROMPT);
  await c.send("가".repeat(20));
  // The room's history comes first (issue 8), then the join notice.
  await assertNext(c, "-- 최근 메시지 1개 --");
  assertMatch((await c.nextLine())!, /^\[\d\d:\d\d\] 민수> 반가워요$/);
  await assertNext(c, `${"가".repeat(20)}님이 입장하셨습니다.`);
  await assertNext(c, WELCOME);
});

Deno.test("server: empty lines before the nickname are ignored and it is trimmed", async () => {
  await using s = startServer();
  await using c = await LineClient.connect(s.port);
  await assertNext(c, PROMPT);
  await c.write("\n   \n\r\n  bob  \n");
  await assertNext(c, "bob님이 입장하셨습니다.", "no reply to the empty lines");
  await assertNext(c, WELCOME);
  await c.send("/who");
  await assertNext(c, "접속자 1명: bob");
});

// --- Commands --------------------------------------------------------------------------

Deno.test("server: /who and /접속자 list who is online, in joining order", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob", "민수");
  const [alice, bob, carol] = joined;
  for (const c of [alice, bob]) await c.waitFor("민수님이 입장하셨습니다.");
  await bob.send("/who");
  await assertNext(bob, "접속자 3명: alice, bob, 민수");
  await carol.send("/접속자");
  await assertNext(carol, "접속자 3명: alice, bob, 민수");
  await assertNothingElse(carol, "민수", alice);
});

Deno.test("server: /help and /도움말 list the commands to the sender only", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  for (const command of ["/help", "/도움말"]) {
    await alice.send(command);
    await assertNext(alice, ko.helpTitle);
    for (const [usage] of ko.helpBasics) assertStringIncludes((await alice.nextLine())!, usage);
    const lines: string[] = [];
    for (const _ of COMMANDS) lines.push((await alice.nextLine())!);
    // One line per command of the table, naming the command and all its aliases.
    for (const [i, command] of COMMANDS.entries()) {
      for (const name of command.names) assertStringIncludes(lines[i], name);
    }
  }
  await assertNothingElse(alice, "alice", bob);
});

Deno.test("server: an unknown /word gets a usage line and is never broadcast", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  await alice.send("/dance wildly");
  await assertNext(alice, "알 수 없는 명령어입니다: /dance (도움말: /help)");
  await assertNothingElse(alice, "alice", bob);
  assert(!bob.received.some((l) => l.includes("dance")));
});

Deno.test("server: @name without text gets the whisper usage line", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  await alice.send("@bob");
  await assertNext(alice, "사용법: @닉네임 메시지");
  await alice.send("@bob   ");
  await assertNext(alice, "사용법: @닉네임 메시지");
  await assertNothingElse(alice, "alice", bob);
});

Deno.test("server: a whisper to an unknown nickname tells the sender no such user", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  await alice.send("@nobody hello");
  await assertNext(alice, "해당 닉네임의 사용자가 없습니다.");
  await assertNothingElse(alice, "alice", bob);
});

Deno.test("server: empty and blank lines in chat are ignored", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  await alice.write("\n   \n\t\n\r\n");
  await assertNothingElse(alice, "alice", alice, bob);
});

// --- Leaving any other way -------------------------------------------------------------

Deno.test("server: a client that closes its socket (EOF) is announced as gone once", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob", "carol");
  const [alice, bob, carol] = joined;
  await bob.waitFor("carol님이 입장하셨습니다.");
  await alice.close();
  await assertNext(bob, "alice님이 퇴장하셨습니다.");
  await assertNext(carol, "alice님이 퇴장하셨습니다.");
  await assertNothingElse(carol, "carol", bob);
  await assertNothingElse(bob, "bob", carol);
});

Deno.test("server: a client whose connection resets is announced as gone once", async () => {
  await using s = startServer();
  await using bob = (await joinAll(s.port, "bob"))[0];
  // Deno's own close() sends a FIN first; node:net can send a bare reset.
  const eve = net.connect(s.port, "127.0.0.1");
  const closed = new Promise((resolve) => eve.once("close", resolve));
  eve.on("error", () => {});
  eve.write("eve\n");
  await bob.waitFor("eve님이 입장하셨습니다.");
  eve.resetAndDestroy();
  await closed;
  await assertNext(bob, "eve님이 퇴장하셨습니다.");
  await assertNothingElse(bob, "bob", bob);
  await bob.close();
  await s.server.shutdown();
  assertMatch(s.sink.text, /^연결 종료: 127\.0\.0\.1:\d+ \(eve\) - 연결 재설정$/m);
});

Deno.test("server: a client that leaves before choosing a nickname is not announced", async () => {
  await using s = startServer();
  await using bob = (await joinAll(s.port, "bob"))[0];
  const shy = await LineClient.connect(s.port);
  await assertNext(shy, PROMPT);
  await shy.close();
  await assertNothingElse(bob, "bob", bob);
  await bob.close();
  await s.server.shutdown();
  assertMatch(s.sink.text, /^연결 종료: 127\.0\.0\.1:\d+ - 연결 끊김$/m);
  assertEquals(s.sink.text.match(/^연결 종료: /gm)?.length, 2);
});

Deno.test("server: a client dropped for a full outbox is announced once and logged once", async () => {
  await using s = startServer({ maxOutboxBytes: 64 * 1024 });
  await using alice = (await joinAll(s.port, "alice"))[0];
  // Slow joins and then never reads: the kernel buffers fill, then its outbox.
  const slow = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
  try {
    await slow.write(new TextEncoder().encode("slow\n"));
    await alice.waitFor("slow님이 입장하셨습니다.");
    const filler = "x".repeat(1000);
    // Each batch is read through its last line; the leave notice is consumed by that
    // wait whenever it comes, so nothing is left unread when the loop ends.
    let dropped = false;
    for (let batch = 0; !dropped; batch++) {
      if (batch > 2000) throw new Error("slow was never dropped");
      const lines = Array.from({ length: 32 }, (_, i) => `${batch}.${i} ${filler}\n`);
      await alice.write(lines.join(""));
      await alice.waitFor((l) => {
        if (l === "slow님이 퇴장하셨습니다.") dropped = true;
        return l.startsWith(`alice> ${batch}.31 `);
      });
    }
  } finally {
    slow.close();
  }
  await assertNothingElse(alice, "alice", alice);
  assertEquals(alice.received.filter((l) => l === "slow님이 퇴장하셨습니다.").length, 1);
  await alice.close();
  await s.server.shutdown();
  const slowLines = s.sink.text.split("\n").filter((l) => l.includes("(slow)"));
  assertEquals(slowLines.length, 1, `one disconnect line for slow: ${JSON.stringify(slowLines)}`);
  assertMatch(slowLines[0], /^연결 종료: 127\.0\.0\.1:\d+ \(slow\) - 출력 버퍼 가득 참$/);
});

// --- Echo modes ------------------------------------------------------------------------

Deno.test("server: echo mode sends each line back to its sender only, and nothing else", async () => {
  await using s = startServer({ mode: "echo" });
  await using a = await LineClient.connect(s.port);
  await using b = await LineClient.connect(s.port);
  await a.send("hello 에코");
  await assertNext(a, "hello 에코", "no prompt, no notice: the echo is the first line");
  await b.write("from b\r\nsecond\n");
  await assertNext(b, "from b");
  await assertNext(b, "second");
  await a.send("again");
  await assertNext(a, "again", "a never saw b's lines");
  assertEquals(b.received, ["from b", "second"]);
  await a.send("/quit");
  await assertNext(a, "/quit", "commands are plain text in echo mode");
});

Deno.test("server: echo-broadcast mode sends each line to every client, sender included", async () => {
  await using s = startServer({ mode: "echo-broadcast" });
  await using a = await LineClient.connect(s.port);
  await using b = await LineClient.connect(s.port);
  await using c = await LineClient.connect(s.port);
  // Each client's own echo proves it is in the room before anyone else speaks.
  for (const [client, name] of [[a, "a"], [b, "b"], [c, "c"]] as const) {
    await client.send(`${name} here`);
    await client.waitFor(`${name} here`);
  }
  await b.send("안녕 모두");
  for (const client of [a, b, c]) await client.waitFor("안녕 모두");
  await c.close();
  await a.send("after c left");
  await assertNext(a, "after c left");
  await assertNext(b, "after c left");
  assertEquals(a.received, ["a here", "b here", "c here", "안녕 모두", "after c left"]);
});

// --- Language and console --------------------------------------------------------------

Deno.test("server: lang en speaks English on every line", async () => {
  await using s = startServer({ lang: "en" });
  await using alice = await LineClient.connect(s.port);
  await assertNext(alice, "Enter your nickname:");
  await alice.send("bad name");
  await assertNext(alice, en.nicknameInvalid(20));
  await assertNext(alice, "Enter your nickname:");
  await alice.send("alice");
  await assertNext(alice, "alice has joined.");
  await assertNext(alice, "Connected to the server.");
  await assertNext(alice, "1 online: alice");
  await using bob = await LineClient.connect(s.port);
  await assertNext(bob, "Enter your nickname:");
  await bob.send("bob");
  await assertNext(bob, "bob has joined.");
  await assertNext(bob, "Connected to the server.");
  await assertNext(bob, "2 online: alice, bob");
  await assertNext(alice, "bob has joined.");
  await alice.send("@bob hi");
  await assertNext(alice, "[whisper sent] to bob: hi");
  await assertNext(bob, "[whisper] alice> hi");
  await alice.send("@ghost hi");
  await assertNext(alice, "No user with that nickname.");
  await alice.send("/who");
  await assertNext(alice, "2 online: alice, bob");
  await alice.send("/nope");
  await assertNext(alice, "Unknown command: /nope (help: /help)");
  await alice.send("/quit");
  await alice.waitClosed();
  await assertNext(bob, "alice has left.");
});

Deno.test("server: the console logs connections, nicknames, messages and disconnects", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.send("로그에 남길 말");
  await bob.waitFor("alice> 로그에 남길 말");
  await alice.send("/종료");
  await alice.waitClosed();
  await bob.waitFor("alice님이 퇴장하셨습니다.");
  await alice.close();
  const stopping = s.server.shutdown();
  await bob.waitClosed();
  await bob.close();
  await stopping;
  const log = s.sink.text;
  const peer = String.raw`127\.0\.0\.1:\d+`;
  assertMatch(log, new RegExp(`^연결됨: ${peer}$`, "m"));
  assertMatch(log, new RegExp(`^닉네임 설정: ${peer} → alice$`, "m"));
  assertMatch(log, new RegExp(`^닉네임 설정: ${peer} → bob$`, "m"));
  assertMatch(log, /^\[lobby\] alice> 로그에 남길 말$/m);
  assertMatch(log, new RegExp(`^연결 종료: ${peer} \\(alice\\) - 종료$`, "m"));
  assertMatch(log, new RegExp(`^연결 종료: ${peer} \\(bob\\) - 서버 종료$`, "m"));
  assertEquals(log.match(/^연결됨: /gm)?.length, 2);
  assertEquals(log.match(/^연결 종료: /gm)?.length, 2, "one disconnect line per connection");
  assert(log.endsWith("\n"));
});

Deno.test("server: the console of an echo server logs each echoed line with its peer", async () => {
  await using s = startServer({ mode: "echo" });
  await using a = await LineClient.connect(s.port);
  await a.send("ping");
  await assertNext(a, "ping");
  await a.close();
  await s.server.shutdown();
  assertMatch(s.sink.text, /^127\.0\.0\.1:\d+> ping$/m);
});

Deno.test("server: shutting down tells every client and closes the connections", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.waitFor("bob님이 입장하셨습니다.");
  const stopping = s.server.shutdown();
  for (const c of [alice, bob]) {
    assertEquals(await c.waitClosed(), [ko.shuttingDown]);
    await c.close();
  }
  await stopping;
  assertEquals(s.server.connections, 0);
  await assertRejects(() => LineClient.connect(s.port), Deno.errors.ConnectionRefused);
});

Deno.test("server: webUrls gives the page's address as people open it", () => {
  const addr = (hostname: string, port: number): Deno.NetAddr => ({
    transport: "tcp",
    hostname,
    port,
  });
  assertEquals(webUrls(addr("127.0.0.1", 8080), false), ["http://127.0.0.1:8080/"]);
  assertEquals(webUrls(addr("192.0.2.7", 8443), true), ["https://192.0.2.7:8443/"]);
  assertEquals(webUrls(addr("::1", 80), false), ["http://[::1]:80/"]);
  // Every interface: the machine's own addresses, or 127.0.0.1 when they cannot be listed.
  for (const url of webUrls(addr("0.0.0.0", 8080), false)) {
    assertMatch(url, /^http:\/\/\d+\.\d+\.\d+\.\d+:8080\/$/);
  }
});

Deno.test("server: --log-whispers puts what a whisper says on the console; by default only that one was sent", async () => {
  for (const logWhispers of [false, true]) {
    await using s = startServer({ logWhispers });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    await alice.send("@bob 비밀 이야기");
    await bob.waitFor("[귓속말] alice> 비밀 이야기");
    await alice.waitFor("[귓속말 전송] bob에게: 비밀 이야기");
    const line = s.sink.text.split("\n").find((l) => l.startsWith("귓속말: "));
    assertEquals(line, logWhispers ? "귓속말: alice → bob: 비밀 이야기" : "귓속말: alice → bob");
  }
});

Deno.test("server: reachOf tells this machine only, every interface, or one address", () => {
  const at = (hostname: string) => reachOf({ transport: "tcp", hostname, port: 7 });
  assertEquals(at("127.0.0.1"), ["local", []]);
  assertEquals(at("::1"), ["local", []]);
  assertEquals(at("192.0.2.5"), ["one", []]);
  const [reach, addresses] = at("0.0.0.0");
  assertEquals(reach, "all");
  // Without the networkInterfaces permission the list is empty; with it, host:7 each.
  for (const address of addresses) assertMatch(address, /:7$/);
  assertStringIncludes(
    consoleText("en").serving("echo-broadcast", true, "all", ["192.0.2.5:7"]),
    "echo mode (to everyone) · TLS · others connect to: 192.0.2.5:7",
  );
});
