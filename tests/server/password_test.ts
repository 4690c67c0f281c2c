/**
 * The room password (issue 4, item 10): `lib/password.ts` on its own, the
 * server's password stage in process, and `main.ts server` taking the password
 * from `--password` or the `CHAT_PASSWORD` environment variable.
 *
 * @module
 */

import { assert, assertEquals, assertFalse, assertGreaterOrEqual } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { PasswordCheck } from "../../lib/util/password.ts";
import { WRONG_PASSWORD_DELAY_MS } from "../../lib/chat/chat_session.ts";
import { Child, spawnMain, startServerProcess } from "../_helpers.ts";
import { LineClient, startServer } from "../_server_helpers.ts";
import { RawClient } from "../fixtures/raw_client.ts";

const m = userText("ko");
const PROMPT = "비밀번호를 입력하세요:";
const WRONG = "비밀번호가 틀렸습니다.";
const PASSWORD = "s3cret";
const TEST_TIMEOUT_MS = 20_000;

/** Connects and answers the password prompt, then joins as `nick`. */
async function joinWithPassword(port: number, nick: string): Promise<LineClient> {
  const c = await LineClient.connect(port);
  try {
    await c.waitFor(PROMPT);
    await c.send(PASSWORD);
    await c.join(nick);
  } catch (error) {
    await c.close();
    throw error;
  }
  return c;
}

// ---------------------------------------------------------------------------
// lib/password.ts
// ---------------------------------------------------------------------------

Deno.test("password check: accepts exactly the password", () => {
  const check = new PasswordCheck(PASSWORD);
  assert(check.matches(PASSWORD));
  for (
    const wrong of [
      "",
      "s3cre",
      "s3crett",
      "S3cret",
      " s3cret",
      "s3cret ",
      "s3cret\n",
      "s3cre\u0074\u0000",
    ]
  ) {
    assertFalse(check.matches(wrong), JSON.stringify(wrong));
  }
});

Deno.test("password check: compares Unicode as text and takes candidates of any length", () => {
  const check = new PasswordCheck("비밀번호🔑");
  assert(check.matches("비밀번호🔑"));
  assertFalse(check.matches("비밀번호"));
  // Different lengths never throw (timingSafeEqual would on unequal buffers).
  assertFalse(check.matches("x".repeat(1_000_000)));
  assertFalse(new PasswordCheck("a").matches(""));
});

// ---------------------------------------------------------------------------
// The password stage of the server
// ---------------------------------------------------------------------------

Deno.test(
  "password: the first line is the password prompt; the right password leads to the nickname prompt and the room",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ password: PASSWORD });
    await using alice = await LineClient.connect(s.port);
    assertEquals(await alice.nextLine(), PROMPT);
    await alice.write(PASSWORD + "\r\n"); // a CRLF client (telnet, Windows nc) works too
    assertEquals(await alice.nextLine(), m.nicknamePrompt);
    await alice.send("alice");
    await alice.waitFor(m.connected);
    await using bob = await joinWithPassword(s.port, "bob");
    await alice.send("hi");
    await bob.waitFor("alice> hi");
  },
);

Deno.test(
  "password: a wrong password gets one line, then the connection closes after the delay",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ password: PASSWORD });
    await using c = await LineClient.connect(s.port);
    await c.waitFor(PROMPT);
    const sent = performance.now();
    await c.send("guess");
    assertEquals(await c.nextLine(), WRONG);
    assertEquals(await c.waitClosed(), []);
    const elapsed = performance.now() - sent;
    // About a second (WRONG_PASSWORD_DELAY_MS), to slow down guessing.
    assertGreaterOrEqual(WRONG_PASSWORD_DELAY_MS, 500);
    assertGreaterOrEqual(elapsed, WRONG_PASSWORD_DELAY_MS - 50, `closed after ${elapsed} ms`);
    assertEquals(c.received, [PROMPT, WRONG]);
  },
);

Deno.test(
  "password: one guess per connection: lines after a wrong password, the right one included, are ignored",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ password: PASSWORD });
    await using c = await LineClient.connect(s.port);
    await c.waitFor(PROMPT);
    await c.write(`guess\n${PASSWORD}\nmallory\nhello\n`);
    await c.waitClosed();
    assertEquals(c.received, [PROMPT, WRONG]);
  },
);

Deno.test(
  "password: without it a client can neither join, nor chat, nor receive the room's lines",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ password: PASSWORD });
    await using alice = await joinWithPassword(s.port, "alice");
    await using bob = await joinWithPassword(s.port, "bob");
    // The intruder skips the password: its nickname and message count as a guess.
    await using intruder = await RawClient.connect(s.port);
    await intruder.waitForText(PROMPT + "\n");
    await alice.send("room secret");
    await bob.waitFor("alice> room secret");
    await intruder.write("mallory\nhello from outside\n");
    await intruder.waitClosed();
    assertEquals(intruder.lines, [PROMPT, WRONG]);
    await alice.send("sync");
    await bob.waitFor("alice> sync");
    assertEquals(bob.received.filter((l) => l.includes("mallory") || l.includes("outside")), []);
    await bob.send("/who");
    await bob.waitFor("접속자 2명: alice, bob");
  },
);

Deno.test(
  "password: a client that never sends the password is closed at the nickname timeout",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ password: PASSWORD, nicknameTimeoutMs: 300 });
    await using c = await RawClient.connect(s.port);
    await c.waitClosed();
    assertEquals(c.lines, [PROMPT, m.nicknameTimeout]);
  },
);

// ---------------------------------------------------------------------------
// main.ts server: --password and CHAT_PASSWORD
// ---------------------------------------------------------------------------

for (
  const [how, args, env] of [
    ["the CHAT_PASSWORD environment variable", [], { CHAT_PASSWORD: PASSWORD }],
    ["--password", ["--password", PASSWORD], {}],
  ] as const
) {
  Deno.test(
    `password: main.ts server takes the password from ${how}`,
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const { child, port } = await startServerProcess(
        ["--quiet", ...args],
        (serverArgs) => spawnMain(serverArgs, "main.ts", { env }),
      );
      await using _child = child;
      await using wrong = await LineClient.connect(port);
      await wrong.waitFor(PROMPT);
      await wrong.send("guess");
      await using alice = await joinWithPassword(port, "alice");
      await alice.send("in");
      await alice.waitFor("alice> in");
      await wrong.waitFor(WRONG);
      await wrong.waitClosed();
      await wrong.close();
      child.kill("SIGTERM");
      await alice.waitFor("서버가 종료됩니다.");
      await alice.waitClosed();
      await alice.close();
      assertEquals((await child.exit()).code, 0, child.describe());
    },
  );
}

Deno.test(
  "password: main.ts server with CHAT_PASSWORD set but not readable (no --allow-env) does not silently open the room",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    // As `deno run --allow-net main.ts server` by someone who exported CHAT_PASSWORD.
    await using child = new Child(
      Deno.execPath(),
      [
        "run",
        "--allow-net",
        "--allow-read",
        "main.ts",
        "server",
        "--port",
        "0",
        "--quiet",
        "--data",
        "none",
      ],
      { env: { CHAT_PASSWORD: PASSWORD } },
    );
    const listening = /^서버가 127\.0\.0\.1:(\d+)에서 실행 중입니다\.$/;
    const outcome = await Promise.race([
      child.stdout.waitFor(listening).then((line) => Number(listening.exec(line)![1])),
      child.status.then(() => "exited" as const),
    ]);
    const warned = () =>
      [...child.stdout.lines, ...child.stderr.lines].some((l) => l.includes("CHAT_PASSWORD"));
    if (outcome === "exited") {
      // Refusing to start is a fine answer, with a reason.
      assert((await child.exit()).code !== 0, child.describe());
      assert(warned(), child.describe());
      return;
    }
    await using c = await LineClient.connect(outcome);
    const first = await c.nextLine();
    assert(
      first === PROMPT || warned(),
      `The room is open without the password and nothing says so: first line ${
        JSON.stringify(first)
      }\n${child.describe()}`,
    );
  },
);
