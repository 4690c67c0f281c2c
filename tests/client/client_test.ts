import { assert, assertEquals, assertFalse, assertNotEquals } from "@std/assert";
import { clientText, type EndCause } from "../../lib/catalog/client_text.ts";
import { consoleText } from "../../lib/catalog/console_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { INTERRUPTED_EXIT_CODE } from "../../lib/client/client.ts";
import { DEFAULT_MAX_LINE_BYTES } from "../../lib/server/options.ts";
import {
  LocalPasswordAttempts,
  MAX_FAILURES_PER_WINDOW,
} from "../../lib/chat/password_attempts.ts";
import { type Child, spawnMain, startServerProcess } from "../_helpers.ts";
import { LineClient, startServer } from "../_server_helpers.ts";
import { connectScripted, type Scripted } from "./_scripted.ts";

const ko = { ...userText("ko"), ...clientText("ko"), ...consoleText("ko") };
const TEST_TIMEOUT_MS = 20_000;
const encoder = new TextEncoder();

// ---------------------------------------------------------------------------
// In process: runClient against a scripted server, with in-memory stdin/stdout.

Deno.test("client answers the nickname prompt once, then the user answers", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await connectScripted({ nick: "alice" });
  await s.peer.send("닉네임을 입력하세요:");
  await s.peer.lines.waitFor("alice");
  await s.shown.waitFor("닉네임을 입력하세요: alice");
  await s.peer.send("이미 사용 중인 닉네임입니다: alice");
  await s.peer.send("닉네임을 입력하세요:");
  await s.shown.waitFor("닉네임을 입력하세요:");
  s.typed.type("alice2");
  await s.peer.lines.waitFor("alice2");
  // Our server (a prompt that is a whole line) is asked for ids first.
  assertEquals(s.peer.lines.lines, ["/client ids", "alice", "alice2"]);
  await s.peer.close();
  await s.shown.waitFor(ko.connectionClosed);
  assertEquals(await s.exitCode, 0);
});

Deno.test(
  "client sends the password and nickname before lines typed early, which wait for the welcome",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using s = await connectScripted({
      nick: "alice",
      password: "s3cret",
      accountPassword: "account password",
    });
    s.typed.type("typed before any prompt");
    await s.peer.send("비밀번호를 입력하세요:");
    await s.peer.lines.waitFor("s3cret");
    await s.peer.send("Enter your nickname:");
    await s.peer.lines.waitFor("alice");
    // A registered nickname is asked its password now: the typed line must not go as it.
    await s.peer.send(userText("en").accountPrompt("alice"));
    await s.peer.lines.waitFor("account password");
    await s.peer.send(ko.joined("alice"));
    await s.peer.send(ko.connected);
    await s.peer.lines.waitFor("typed before any prompt");
    assertEquals(s.peer.lines.lines, [
      "/client ids",
      "s3cret",
      "alice",
      "account password",
      "typed before any prompt",
    ]);
    assertFalse(s.shown.lines.some((line) => line.includes("s3cret") || line.includes("account")));
  },
);

Deno.test("client ends input with a half-close and shows the server's last lines", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await connectScripted({});
  s.typed.type("one");
  s.typed.type("two");
  s.typed.end();
  // The client's FIN arrives after its lines; the server can still answer.
  await s.peer.ended;
  assertEquals(s.peer.lines.lines, ["one", "two"]);
  await s.peer.send("마지막 줄");
  await s.peer.close();
  assertEquals(await s.exitCode, 0);
  assertEquals(s.shown.lines, ["마지막 줄"]);
});

Deno.test("client sends /quit to a chat server, then waits for the server to close", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await joinedScripted();
  s.typed.type("/quit");
  await s.peer.ended;
  assertEquals(s.peer.lines.lines, ["/client ids", "alice", "/quit"]);
  await s.peer.send("bye");
  await s.peer.close();
  assertEquals(await s.exitCode, 0);
  assertEquals(
    s.shown.lines,
    [`${ko.nicknamePrompt} alice`, ko.joined("alice"), ko.connected, "bye"],
    "no connection-closed notice, no reconnection",
  );
});

Deno.test("client returns at once when the server closes while it waits for input", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await connectScripted({});
  await s.peer.send("hello");
  await s.shown.waitFor("hello");
  // stdin stays open: the client must stop reading it by itself.
  await s.peer.close();
  assertEquals(await s.exitCode, 0);
  assertEquals(s.shown.lines, ["hello", ko.connectionClosed]);
});

Deno.test("client splits lines before decoding and replaces control characters", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await connectScripted({});
  // One byte per write: UTF-8 characters arrive split across reads.
  for (const byte of encoder.encode("가나다\r\n")) await s.peer.send(Uint8Array.of(byte));
  await s.peer.send("\x1b[31m빨강\x07\x9b\u202e");
  await s.peer.send(encoder.encode("끝, no newline"));
  await s.peer.close();
  assertEquals(await s.exitCode, 0);
  assertEquals(s.shown.lines, [
    "가나다",
    "\uFFFD[31m빨강\uFFFD\uFFFD\uFFFD",
    "끝, no newline",
    ko.connectionClosed,
  ]);
});

Deno.test("client exits 1 and says why, in its language, when the server's last line ends it", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const en = userText("en");
  const cases: [string, EndCause][] = [
    [ko.wrongPassword, { reason: "wrongPassword" }],
    [ko.banned, { reason: "banned" }],
    [ko.passwordLockout, { reason: "passwordLockout" }],
    [en.passwordLockout, { reason: "passwordLockout" }],
    [en.serverFull(64), { reason: "serverFull" }],
    [ko.nicknameTimeout, { reason: "nicknameTimeout" }],
    [ko.flooding, { reason: "flooding" }],
    [en.lineTooLong(8192, true), { reason: "lineTooLong" }],
    [ko.kickedYou("op", "도배"), { reason: "kicked", by: "op" }],
    [ko.opWrong(1, false), { reason: "opPassword" }],
    [ko.opWrong(3, true), { reason: "opPassword" }],
    [en.bannedYou("op", 5, "spam"), { reason: "bannedBy", by: "op" }],
    [ko.bannedYou("op", 0, undefined), { reason: "bannedBy", by: "op" }],
    [ko.internalError, { reason: "serverError" }],
    [ko.unavailable, { reason: "unavailable" }],
    // What a cluster server whose Redis is away says to a newcomer before it closes.
    [ko.tryAgainLater, { reason: "unavailable" }],
  ];
  for (const lang of ["ko", "en"] as const) {
    for (const [line, cause] of cases) {
      await using s = await connectScripted({ lang });
      await s.peer.send(line);
      await s.shown.waitFor(line);
      await s.peer.close();
      assertEquals(await s.exitCode, 1, line);
      // The server's line as it came, then one line on stderr, no closed notice.
      assertEquals(s.shown.lines, [line]);
      assertEquals(s.errors.lines, [clientText(lang).ended(cause)]);
    }
  }
});

Deno.test("client exits 0 after the server's shutdown notice, or a line that ended nothing", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  for (const lines of [[ko.shuttingDown], [ko.opWrong(1, false), ko.message("bob", "hi")]]) {
    await using s = await connectScripted({});
    for (const line of lines) await s.peer.send(line);
    await s.shown.waitFor(lines.at(-1)!);
    await s.peer.close();
    assertEquals(await s.exitCode, 0);
    assertEquals(s.shown.lines, [...lines, ko.connectionClosed]);
    assertEquals(s.errors.lines, []);
  }
});

Deno.test("client refused after its input ended still exits 1 (a piped wrong password)", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await connectScripted({ nick: "alice", password: "wrong" });
  s.typed.end();
  // The client half-closed (end of input) and waits for the server to close.
  await s.peer.ended;
  await s.peer.send(ko.passwordPrompt);
  await s.peer.send(ko.wrongPassword);
  await s.peer.close();
  assertEquals(await s.exitCode, 1);
  assertEquals(s.errors.lines, [ko.ended({ reason: "wrongPassword" })]);
});

/** A scripted chat server that has greeted the client (`--nick alice`). */
async function joinedScripted(): Promise<Scripted> {
  const s = await connectScripted({ nick: "alice" });
  await s.peer.send(ko.nicknamePrompt);
  await s.peer.lines.waitFor("alice");
  await s.peer.send(ko.joined("alice"));
  await s.peer.send(ko.connected);
  await s.shown.waitFor(ko.connected);
  return s;
}

Deno.test("client splits a typed line over the server's cap into messages, and says so once", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await joinedScripted();
  // 7,000 three-byte characters: 21,000 bytes, over the default cap of 8192.
  const long = "가".repeat(7_000);
  s.typed.type(long);
  s.typed.type("after");
  await s.peer.lines.waitFor("after");
  const pieces = s.peer.lines.lines.slice(2, -1);
  assertEquals(pieces.length, 3);
  for (const piece of pieces) assert(encoder.encode(piece).length <= DEFAULT_MAX_LINE_BYTES);
  assertEquals(pieces.join(""), long);
  assertEquals(s.shown.lines.filter((line) => line === ko.lineSplit(3, DEFAULT_MAX_LINE_BYTES)), [
    ko.lineSplit(3, DEFAULT_MAX_LINE_BYTES),
  ]);
});

Deno.test("client learns a smaller cap from the server's refusal, in either language", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await joinedScripted();
  await s.peer.send(userText("en").lineTooLong(100, false));
  await s.shown.waitFor(userText("en").lineTooLong(100, false));
  s.typed.type("a".repeat(250));
  // A whisper keeps its target in every piece; /me (or its alias) keeps the command.
  s.typed.type(`@bob ${"b".repeat(150)}`);
  s.typed.type(`/나 ${"c".repeat(150)}`);
  s.typed.type("end");
  await s.peer.lines.waitFor("end");
  const sent = s.peer.lines.lines.slice(2, -1);
  for (const line of sent) assert(encoder.encode(line).length <= 100, line);
  assertEquals(sent.filter((line) => line.startsWith("a")).join(""), "a".repeat(250));
  const whispers = sent.filter((line) => line.startsWith("@bob "));
  assertEquals(whispers.map((line) => line.slice(5)).join(""), "b".repeat(150));
  const actions = sent.filter((line) => line.startsWith("/나 "));
  assertEquals(actions.map((line) => line.slice(3)).join(""), "c".repeat(150));
  assertEquals(sent.length, 3 + whispers.length + actions.length);
});

Deno.test("client refuses a command over the cap without sending it", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await joinedScripted();
  s.typed.type(`/topic ${"t".repeat(DEFAULT_MAX_LINE_BYTES)}`);
  await s.shown.waitFor(ko.commandTooLong(DEFAULT_MAX_LINE_BYTES));
  s.typed.type("next");
  await s.peer.lines.waitFor("next");
  assertEquals(s.peer.lines.lines, ["/client ids", "alice", "next"]);
});

// ---------------------------------------------------------------------------
// Subprocess: `main.ts client` against `main.ts server`, through real pipes.

async function joinChat(port: number, nick: string): Promise<Child> {
  const child = spawnMain(["client", "--port", String(port), "--nick", nick]);
  await child.stdout.waitFor(ko.connected);
  return child;
}

Deno.test("clients chat, whisper and quit through a real server", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using alice = await joinChat(port, "alice");
  await using bob = await joinChat(port, "bob");
  await alice.stdout.waitFor(ko.joined("bob"));
  await using carol = await joinChat(port, "carol");

  await alice.send("안녕하세요, 여러분");
  for (const client of [alice, bob, carol]) {
    await client.stdout.waitFor(ko.message("alice", "안녕하세요, 여러분"));
  }

  // `q` ends the client only against an echo server: here it is a message.
  await carol.send("q");
  await alice.stdout.waitFor(ko.message("carol", "q"));

  await bob.send("@alice 비밀 이야기");
  await alice.stdout.waitFor(ko.whisperReceived("bob", "비밀 이야기"));
  await bob.stdout.waitFor(ko.whisperSent("alice", "비밀 이야기"));

  await alice.send("/종료");
  assertEquals((await alice.exit()).code, 0);
  await bob.stdout.waitFor(ko.left("alice"));
  await carol.stdout.waitFor(ko.left("alice"));
  assertFalse(carol.stdout.has(ko.whisperReceived("bob", "비밀 이야기")));
  assertFalse(alice.stdout.has(ko.connectionClosed), alice.describe());
  assertEquals(alice.stderr.lines, []);
});

Deno.test("client on a pipe shows a line over the cap once, as the server's echo of each piece", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using bob = await joinChat(port, "bob");
  await using alice = await joinChat(port, "alice");
  await bob.stdout.waitFor(ko.joined("alice"));
  // The last line of alice's entering: nothing of the server's comes after it now.
  await alice.stdout.waitFor(ko.who(["bob", "alice"].map((nick) => ({ nick, away: false }))));
  const long = "LONG:" + "가나다라 abcdefgh ".repeat(640) + "<LONG END>";
  await alice.send(long);
  await alice.send("after");
  await bob.stdout.waitFor(ko.message("alice", "after"));
  await alice.stdout.waitFor(ko.message("alice", "after"));
  const pieces = bob.stdout.lines.filter((line) => line.startsWith("alice> ")).slice(0, -1);
  assertEquals(pieces.length, 2, bob.describe());
  // (Cut at a space, which the cut drops.)
  assertEquals(pieces.map((line) => line.slice("alice> ".length)).join(" "), long);
  // What alice sees from the notice on: the notice, each piece once, the next line.
  const from = alice.stdout.lines.indexOf(ko.lineSplit(2, DEFAULT_MAX_LINE_BYTES));
  assert(from >= 0, alice.describe());
  assertEquals(alice.stdout.lines.slice(from + 1), [...pieces, ko.message("alice", "after")]);
  assertFalse(alice.stdout.has(long), "the raw line is never printed");
});

Deno.test(
  "client whose server is killed says it reconnects, tries with a growing wait, and gives up at the end of input with status 0",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const { child: server, port } = await startServerProcess();
    await using _server = server;
    await using alice = await joinChat(port, "alice");
    server.kill("SIGKILL");
    await server.exit();
    // alice's stdin is still open: she is told at once, without another line typed.
    await alice.stdout.waitFor(ko.connectionLost(0.5));
    // The next try is refused: the wait doubles.
    const [before, after] = ko.reconnectFailed("\uE000", 1).split("\uE000");
    await alice.stdout.waitFor((line) => line.startsWith(before) && line.endsWith(after));
    await alice.send("typed while away");
    await alice.stdout.waitFor(ko.notSent("typed while away"));
    await alice.closeStdin();
    assertEquals((await alice.exit()).code, 0, alice.describe());
    assertFalse(alice.stdout.has(ko.connectionClosed));
    assertEquals(alice.stderr.lines, []);
  },
);

Deno.test("client refused for a wrong password exits 1 with one line saying why, in its language", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess(["--password", "sesame42"]);
  await using _server = server;
  // Scripted: the input ends at once (`printf 'hi\n' | chat client …`).
  await using piped = spawnMain(
    ["client", "--port", String(port), "--nick", "mina"],
    "main.ts",
    { env: { CHAT_PASSWORD: "wrong" } },
  );
  await piped.send("hi");
  await piped.closeStdin();
  assertEquals((await piped.exit()).code, 1, piped.describe());
  assert(piped.stdout.has(ko.wrongPassword), piped.describe());
  assertEquals(piped.stderr.lines, [ko.ended({ reason: "wrongPassword" })]);

  // Typed, to a Korean server, by an English client.
  await using typed = spawnMain(["client", "--port", String(port), "--lang", "en"]);
  await typed.stdout.waitFor(ko.passwordPrompt);
  await typed.send("nope");
  assertEquals((await typed.exit()).code, 1, typed.describe());
  assertEquals(typed.stdout.lines, [ko.passwordPrompt, ko.wrongPassword]);
  assertEquals(typed.stderr.lines, [clientText("en").ended({ reason: "wrongPassword" })]);
});

Deno.test(
  "client locked out at an account's password prompt exits 1 with the lockout's reason, as for the server password",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    let attempts: LocalPasswordAttempts | undefined;
    await using s = startServer({
      passwordAttempts: (observer) => (attempts = new LocalPasswordAttempts({ observer })),
    });
    {
      await using owner = await LineClient.connect(s.port);
      await owner.join("alice");
      await owner.send("/register alices-password");
      await owner.waitFor(ko.registered("alice"));
    }
    for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) attempts!.failed("127.0.0.1", "account");
    await using client = spawnMain(["client", "--port", String(s.port), "--nick", "alice"]);
    await client.stdout.waitFor(ko.accountPrompt("alice"));
    await client.send("alices-password");
    assertEquals((await client.exit()).code, 1, client.describe());
    assertEquals(client.stdout.lines.at(-1), ko.passwordLockout);
    assertEquals(client.stderr.lines, [ko.ended({ reason: "passwordLockout" })]);
  },
);

Deno.test("client kicked, or banned, exits 1 and says by whom", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess(["--op-password", "opw"]);
  await using _server = server;
  await using op = await joinChat(port, "op");
  await op.send("/op opw");
  await op.stdout.waitFor(ko.opGranted);
  await using alice = await joinChat(port, "alice");
  await op.send("/kick alice 도배");
  assertEquals((await alice.exit()).code, 1, alice.describe());
  assert(alice.stdout.has(ko.kickedYou("op", "도배")), alice.describe());
  assertEquals(alice.stderr.lines, [ko.ended({ reason: "kicked", by: "op" })]);

  await using bob = await joinChat(port, "bob");
  await op.send("/ban bob");
  assertEquals((await bob.exit()).code, 1, bob.describe());
  assertEquals(bob.stderr.lines, [ko.ended({ reason: "bannedBy", by: "op" })]);
  // The address is banned now: the next connection is refused before any prompt.
  await using again = spawnMain(["client", "--port", String(port), "--nick", "bob2"]);
  assertEquals((await again.exit()).code, 1, again.describe());
  assertEquals(again.stdout.lines, [ko.banned]);
  assertEquals(again.stderr.lines, [ko.ended({ reason: "banned" })]);
});

Deno.test("client exits 1 for a full server, and for flooding", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess(
    ["--max-clients", "2", "--rate", "1", "--burst", "1"],
  );
  await using _server = server;
  await using alice = await joinChat(port, "alice");
  await using bob = await joinChat(port, "bob");
  await using third = spawnMain(["client", "--port", String(port), "--nick", "carol"]);
  assertEquals((await third.exit()).code, 1, third.describe());
  assertEquals(third.stdout.lines, [ko.serverFull(2)]);
  assertEquals(third.stderr.lines, [ko.ended({ reason: "serverFull" })]);

  // One line a second, and far more lines than the queue holds.
  await alice.send(Array.from({ length: 300 }, (_, i) => `line ${i}`).join("\n"));
  assertEquals((await alice.exit()).code, 1, alice.describe());
  assert(alice.stdout.has(ko.flooding), alice.describe());
  assertEquals(alice.stderr.lines, [ko.ended({ reason: "flooding" })]);
  assertEquals(bob.stderr.lines, []);
});

Deno.test("client exits 1 when it gives no nickname in time", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess(["--nick-timeout", "0.5"]);
  await using _server = server;
  // Connected, stdin open, and nothing typed.
  await using silent = spawnMain(["client", "--port", String(port)]);
  assertEquals((await silent.exit()).code, 1, silent.describe());
  assertEquals(silent.stdout.lines, [ko.nicknamePrompt, ko.nicknameTimeout]);
  assertEquals(silent.stderr.lines, [ko.ended({ reason: "nicknameTimeout" })]);
});

Deno.test(
  "client after the server's shutdown notice waits for it to come back; /quit gives up with status 0",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const { child: server, port } = await startServerProcess();
    await using _server = server;
    await using alice = await joinChat(port, "alice");
    server.kill("SIGTERM");
    await alice.stdout.waitFor(ko.connectionLost(0.5));
    await alice.send("/quit");
    assertEquals((await alice.exit()).code, 0, alice.describe());
    assertEquals(alice.stdout.lines.slice(-2), [ko.shuttingDown, ko.connectionLost(0.5)]);
    assertEquals(alice.stderr.lines, []);
  },
);

Deno.test("client reports a refused connection in one line, without a stack trace", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await using client = spawnMain(["client", "--port", String(port)]);
  const status = await client.exit();
  assertNotEquals(status.code, 0);
  assertEquals(client.stderr.lines.length, 1, client.describe());
  assert(
    client.stderr.lines[0].startsWith(`서버에 연결할 수 없습니다 (127.0.0.1:${port}): `),
    client.describe(),
  );
  assertEquals(client.stdout.lines, []);
});

Deno.test("client takes host and port as positionals, as the C echo-client", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess(["-e"]);
  await using _server = server;
  await using client = spawnMain(["client", "127.0.0.1", String(port)]);
  await client.send("첫 줄");
  await client.stdout.waitFor("첫 줄");
  await client.send("@nobody 귓속말도 그냥 텍스트");
  // Leaving an echo server (any case, stdin still open): the quit command is not
  // sent, the client half-closes, so the echo server still answers, then closes.
  await client.send("/QUIT");
  assertEquals((await client.exit()).code, 0);
  assertEquals(client.stdout.lines, ["첫 줄", "@nobody 귓속말도 그냥 텍스트"]);
});

Deno.test("client sends --nick before lines piped in before the prompt", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using bob = await joinChat(port, "bob");
  await using erin = spawnMain(["client", "--port", String(port), "--nick", "erin"]);
  await erin.send("일찍 보낸 줄");
  await bob.stdout.waitFor(ko.joined("erin"));
  await bob.stdout.waitFor(ko.message("erin", "일찍 보낸 줄"));
  await erin.closeStdin();
  assertEquals((await erin.exit()).code, 0);
  await bob.stdout.waitFor(ko.left("erin"));
});

Deno.test("client leaves at once on SIGINT (Ctrl-C) with status 130", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using bob = await joinChat(port, "bob");
  await using alice = await joinChat(port, "alice");
  await bob.stdout.waitFor(ko.joined("alice"));
  alice.kill("SIGINT");
  assertEquals((await alice.exit()).code, INTERRUPTED_EXIT_CODE);
  await bob.stdout.waitFor(ko.left("alice"));
  assertEquals(alice.stderr.lines, []);
});
