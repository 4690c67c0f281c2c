import { assert, assertEquals, assertFalse, assertNotEquals } from "@std/assert";
import { clientText } from "../../lib/catalog/client_text.ts";
import { consoleText } from "../../lib/catalog/console_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { INTERRUPTED_EXIT_CODE, runClient } from "../../lib/client/client.ts";
import { openPlainInput } from "../../lib/client/line_input.ts";
import { writeAll } from "../../lib/util/write_all.ts";
import { type Child, LineLog, spawnMain, startServer, TextSink, TypedLines } from "../_helpers.ts";

const ko = { ...userText("ko"), ...clientText("ko"), ...consoleText("ko") };
const TEST_TIMEOUT_MS = 20_000;
const encoder = new TextEncoder();

// ---------------------------------------------------------------------------
// In process: runClient against a scripted server, with in-memory stdin/stdout.

/** The server's end of one connection: what the client sent, line by line. */
class Peer {
  readonly lines = new LineLog();
  readonly #conn: Deno.Conn;
  readonly #pump: Promise<void>;
  #closed = false;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.#pump = this.#read();
  }

  /** Resolves when the client's side ended (its FIN, or our close). */
  get ended(): Promise<void> {
    return this.#pump;
  }

  async send(text: string | Uint8Array): Promise<void> {
    await writeAll(this.#conn, typeof text === "string" ? encoder.encode(text + "\n") : text);
  }

  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#conn.close();
    }
    await this.#pump;
  }

  // read() rather than `readable`: the end of `readable` closes the whole
  // connection, and a test must still write after the client's half-close.
  async #read(): Promise<void> {
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(4096);
    let text = "";
    try {
      for (;;) {
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        text += decoder.decode(buffer.subarray(0, n), { stream: true });
        const parts = text.split("\n");
        text = parts.pop()!;
        for (const line of parts) this.lines.push(line);
      }
    } catch {
      // Closed by the test.
    } finally {
      this.lines.end();
    }
  }
}

interface Scripted extends AsyncDisposable {
  peer: Peer;
  typed: TypedLines;
  shown: TextSink;
  exitCode: Promise<number>;
}

async function connectScripted(options: { nick?: string; password?: string }): Promise<Scripted> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const typed = new TypedLines();
  const shown = new TextSink();
  const exitCode = runClient({
    hostname: "127.0.0.1",
    port: listener.addr.port,
    lang: "ko",
    ...options,
    input: openPlainInput({ readable: typed.readable, writer: shown }),
  });
  const peer = new Peer(await listener.accept());
  listener.close();
  return {
    peer,
    typed,
    shown,
    exitCode,
    async [Symbol.asyncDispose]() {
      typed.end();
      await peer.close();
      await exitCode;
    },
  };
}

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
  assertEquals(s.peer.lines.lines, ["alice", "alice2"]);
  await s.peer.close();
  await s.shown.waitFor(ko.connectionClosed);
  assertEquals(await s.exitCode, 0);
});

Deno.test("client sends the password and nickname before lines typed early", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await connectScripted({ nick: "alice", password: "s3cret" });
  s.typed.type("typed before any prompt");
  await s.peer.send("비밀번호를 입력하세요:");
  await s.peer.lines.waitFor("s3cret");
  await s.peer.send("Enter your nickname:");
  await s.peer.lines.waitFor("typed before any prompt");
  assertEquals(s.peer.lines.lines, ["s3cret", "alice", "typed before any prompt"]);
  assertFalse(s.shown.lines.some((line) => line.includes("s3cret")));
});

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

Deno.test("client sends /quit, then waits for the server to close", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = await connectScripted({});
  s.typed.type("/quit");
  await s.peer.ended;
  assertEquals(s.peer.lines.lines, ["/quit"]);
  await s.peer.send("bye");
  await s.peer.close();
  assertEquals(await s.exitCode, 0);
  assertEquals(s.shown.lines, ["bye"], "no connection-closed notice when the user left");
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
  const { child: server, port } = await startServer();
  await using _server = server;
  await using alice = await joinChat(port, "alice");
  await using bob = await joinChat(port, "bob");
  await alice.stdout.waitFor(ko.joined("bob"));
  await using carol = await joinChat(port, "carol");

  await alice.send("안녕하세요, 여러분");
  for (const client of [alice, bob, carol]) {
    await client.stdout.waitFor(ko.message("alice", "안녕하세요, 여러분"));
  }

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

Deno.test("client exits with a notice when the server is killed while it waits for input", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServer();
  await using _server = server;
  await using alice = await joinChat(port, "alice");
  server.kill("SIGKILL");
  await server.exit();
  // alice's stdin is still open: it must not wait for another line.
  await alice.stdout.waitFor(ko.connectionClosed);
  assertEquals((await alice.exit()).code, 0);
});

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
  const { child: server, port } = await startServer(["-e"]);
  await using _server = server;
  await using client = spawnMain(["client", "127.0.0.1", String(port)]);
  await client.send("첫 줄");
  await client.stdout.waitFor("첫 줄");
  await client.send("@nobody 귓속말도 그냥 텍스트");
  // Leaving (the chat rule: any case, stdin still open): the line is sent and the
  // client half-closes, so the echo server still answers, then closes.
  await client.send("/QUIT");
  assertEquals((await client.exit()).code, 0);
  assertEquals(client.stdout.lines, ["첫 줄", "@nobody 귓속말도 그냥 텍스트", "/QUIT"]);
});

Deno.test("client sends --nick before lines piped in before the prompt", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServer();
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
  const { child: server, port } = await startServer();
  await using _server = server;
  await using bob = await joinChat(port, "bob");
  await using alice = await joinChat(port, "alice");
  await bob.stdout.waitFor(ko.joined("alice"));
  alice.kill("SIGINT");
  assertEquals((await alice.exit()).code, INTERRUPTED_EXIT_CODE);
  await bob.stdout.waitFor(ko.left("alice"));
  assertEquals(alice.stderr.lines, []);
});
