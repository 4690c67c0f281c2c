/**
 * Our client (`main.ts client`, a subprocess on pipes) against the two originals'
 * servers, as fixtures that behave like them byte for byte: the Python chat server
 * (no newlines anywhere, each `recv(1024)` one message) and the C echo server.
 *
 * @module
 */

import { assert, assertEquals, assertFalse } from "@std/assert";
import { INTERRUPTED_EXIT_CODE } from "../../lib/client/client.ts";
import { ORIGINAL_MESSAGE_BYTES } from "../../lib/client/server_kind.ts";
import { spawnMain } from "../_helpers.ts";
import { OriginalEchoServer } from "../fixtures/original_echo_server.ts";
import { OriginalPythonServer } from "../fixtures/original_python_server.ts";

const TEST_TIMEOUT_MS = 20_000;
const encoder = new TextEncoder();

/** A raw connection that speaks as the Python original's own client. */
class PythonPeer implements AsyncDisposable {
  readonly #conn: Deno.Conn;
  readonly #decoder = new TextDecoder();
  #text = "";
  readonly #reading: Promise<void>;

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.#reading = this.#read();
  }

  static async connect(port: number, nick: string): Promise<PythonPeer> {
    const peer = new PythonPeer(await Deno.connect({ hostname: "127.0.0.1", port }));
    await peer.#write(nick);
    return peer;
  }

  /** Sends one message as the original client does: one write, no newline. */
  async #write(message: string): Promise<void> {
    const bytes = encoder.encode(message);
    let offset = 0;
    while (offset < bytes.length) offset += await this.#conn.write(bytes.subarray(offset));
  }

  say(message: string): Promise<void> {
    return this.#write(message);
  }

  /** Everything received so far (no newlines: the original sends none). */
  get text(): string {
    return this.#text;
  }

  async #read(): Promise<void> {
    const buffer = new Uint8Array(4096);
    try {
      for (;;) {
        const n = await this.#conn.read(buffer);
        if (n === null) return;
        this.#text += this.#decoder.decode(buffer.subarray(0, n), { stream: true });
      }
    } catch {
      // Closed.
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#conn.close();
    } catch {
      // Closed already.
    }
    await this.#reading;
  }
}

function client(port: number, ...args: string[]) {
  return spawnMain(["client", "--port", String(port), ...args]);
}

Deno.test(
  "client answers the Python original's newline-less prompt with --nick, without a newline",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using server = new OriginalPythonServer();
    await using mina = client(server.port, "--nick", "mina");
    // The prompt has no newline: it is shown (and answered) after a pause.
    await mina.stdout.waitFor("닉네임을 입력하세요: mina");
    await server.messages.waitFor("mina");
    // Its notices have no newline either; they may come glued, as they arrived.
    await mina.stdout.waitFor((line) => line.endsWith("서버에 연결되었습니다."));

    // The nickname was registered as sent (no trailing newline): a whisper to it works.
    await using py = await PythonPeer.connect(server.port, "py");
    await mina.stdout.waitFor((line) => line.includes("py님이 입장하셨습니다."));
    await py.say("@mina 비밀");
    await mina.stdout.waitFor("[귓속말] py> 비밀");

    await mina.send("안녕하세요");
    await mina.stdout.waitFor("mina> 안녕하세요");
    await mina.send("/종료");
    assertEquals((await mina.exit()).code, 0);
    await server.ends.waitFor("mina: quit");
    assertEquals(server.messages.lines, ["mina", "py", "@mina 비밀", "안녕하세요", "/종료"]);
    assertEquals(server.emptyReads, 0);
    assertFalse(mina.stdout.has((line) => line.includes("\uFFFD")), mina.describe());
  },
);

Deno.test("client sends the Python original one message per line, each on its own", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using server = new OriginalPythonServer();
  await using bob = client(server.port);
  await bob.stdout.waitFor("닉네임을 입력하세요:");
  // Typed at once: each must still be its own recv() on the server, never glued.
  await bob.send("bob");
  await bob.send("하나");
  await bob.send("둘");
  await bob.send("q");
  await bob.stdout.waitFor("bob> q");
  assertEquals(server.messages.lines, ["bob", "하나", "둘", "q"]);
  // `q` is an ordinary message to a chat server; end of input leaves in the
  // original's own words, never with an empty read it would loop on.
  await bob.closeStdin();
  assertEquals((await bob.exit()).code, 0);
  await server.ends.waitFor("bob: quit");
  assertEquals(server.messages.lines.at(-1), "/종료");
  assertEquals(server.emptyReads, 0);
});

Deno.test("client turns /quit into the Python original's /종료, and so does Ctrl-C", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using server = new OriginalPythonServer();
  await using one = client(server.port, "--nick", "one", "--lang", "en");
  await server.messages.waitFor("one");
  await one.stdout.waitFor((line) => line.endsWith("서버에 연결되었습니다."));
  await one.send("/QUIT");
  assertEquals((await one.exit()).code, 0);
  await server.ends.waitFor("one: quit");

  await using two = client(server.port, "--nick", "two");
  await two.stdout.waitFor((line) => line.endsWith("서버에 연결되었습니다."));
  two.kill("SIGINT");
  assertEquals((await two.exit()).code, INTERRUPTED_EXIT_CODE);
  await server.ends.waitFor("two: quit");
  assertEquals(server.messages.lines, ["one", "/종료", "two", "/종료"]);
  assertEquals(server.emptyReads, 0);
});

Deno.test("client splits a long line within the Python original's 1024-byte reads", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using server = new OriginalPythonServer();
  await using mina = client(server.port, "--nick", "mina");
  await mina.stdout.waitFor((line) => line.endsWith("서버에 연결되었습니다."));
  // 1,500 characters of 3 bytes: a recv(1024) would cut one.
  const long = "가나다".repeat(500);
  await mina.send(long);
  await mina.stdout.waitFor((line) => line.startsWith("줄이 너무 길어"));
  await mina.send("/종료");
  assertEquals((await mina.exit()).code, 0);
  await server.ends.waitFor("mina: quit");
  const pieces = server.messages.lines.slice(1, -1);
  assert(pieces.length >= 5, server.messages.lines.join("\n"));
  for (const piece of pieces) assert(encoder.encode(piece).length <= ORIGINAL_MESSAGE_BYTES);
  assertEquals(pieces.join(""), long);
  assertEquals(server.decodeErrors, 0);
  assertEquals(server.emptyReads, 0);
});

Deno.test("client against the C echo server: q and Q end it without being sent", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using server = new OriginalEchoServer();
  for (const [index, quit] of ["q", "Q"].entries()) {
    await using echo = spawnMain(["client", "127.0.0.1", String(server.port)]);
    await echo.send("hello echo");
    await echo.stdout.waitFor("hello echo");
    await echo.send("안녕");
    await echo.stdout.waitFor("안녕");
    await echo.send(quit);
    assertEquals((await echo.exit()).code, 0);
    await server.closed.waitFor(String(index));
    assertEquals(server.received[index], "hello echo\n안녕\n");
    assertEquals(echo.stdout.lines, ["hello echo", "안녕"]);
  }
});

Deno.test("client against the C echo server: /종료 and /quit end it without being sent", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using server = new OriginalEchoServer();
  for (const [index, quit] of ["/종료", "/quit"].entries()) {
    await using echo = spawnMain(["client", "127.0.0.1", String(server.port)]);
    await echo.send("@nobody 귓속말도 그냥 텍스트");
    await echo.send(quit);
    assertEquals((await echo.exit()).code, 0);
    await server.closed.waitFor(String(index));
    assertEquals(server.received[index], "@nobody 귓속말도 그냥 텍스트\n");
    assertEquals(echo.stdout.lines, ["@nobody 귓속말도 그냥 텍스트"]);
  }
});
