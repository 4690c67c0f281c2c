/**
 * Password guessing over real TCP on loopback (issue 19, items 1 and 2): the
 * attacker's way (many connections at once, one guess each; `/op` three times a
 * connection, then a new one) meets answers that wait, then a lockout, across
 * connections; a user who mistypes once is not slowed.
 *
 * @module
 */

import { assert, assertEquals, assertGreaterOrEqual, assertLess } from "@std/assert";
import {
  FIRST_DELAY_MS,
  FREE_FAILURES,
  LocalPasswordAttempts,
  MAX_FAILURES_PER_WINDOW,
} from "../../lib/chat/password_attempts.ts";
import { LineClient, startServer } from "../_server_helpers.ts";
import { startWebServer } from "../_web_helpers.ts";
import { WsClient } from "../fixtures/ws_client.ts";

const PASSWORD = "s3cret";
const OP_PASSWORD = "teacher";
const PROMPT = "비밀번호를 입력하세요:";
const NICK_PROMPT = "닉네임을 입력하세요:";
const WRONG = "비밀번호가 틀렸습니다.";
const LOCKOUT =
  "이 주소에서 비밀번호를 너무 많이 틀렸습니다. 1분 뒤에 다시 시도하세요. 연결을 종료합니다.";
const OP_WRONG = "운영자 비밀번호가 틀렸습니다.";
const TEST_TIMEOUT_MS = 30_000;
/** The guessers of the attack: many connections from one address at once. */
const GUESSERS = 30;

/** Connections at the password prompt, all from 127.0.0.1. */
async function atPrompt(port: number, count: number): Promise<LineClient[]> {
  const clients = await Promise.all(
    Array.from({ length: count }, () => LineClient.connect(port)),
  );
  await Promise.all(clients.map((c) => c.waitFor(PROMPT)));
  return clients;
}

/** Counts of the burst line for an address in the console. */
function bursts(console: string, address: string): number {
  return console.split("\n").filter((line) =>
    line.includes("비밀번호 추측 의심") && line.includes(address)
  ).length;
}

Deno.test(
  "guessing: thirty connections guessing the server password at once get a few answers at once, the rest one by one, ever slower",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    // One address: the per-address cap would refuse ten of them (another test's subject).
    await using s = startServer({ password: PASSWORD, maxPerAddress: 100 });
    const clients = await atPrompt(s.port, GUESSERS);
    try {
      const sent = performance.now();
      await Promise.all(clients.map((c, i) => c.send(`guess-${i}`)));
      // The fifth answer waits for the fourth's 0.5 s and its own 1 s.
      const answeredAt = await answerTimes(clients, WRONG, sent, FREE_FAILURES + 2);
      const fifth = answeredAt[FREE_FAILURES + 1];
      for (const at of answeredAt.slice(0, FREE_FAILURES)) assertLess(at, FIRST_DELAY_MS);
      assertGreaterOrEqual(answeredAt[FREE_FAILURES], FIRST_DELAY_MS * 0.9);
      assertGreaterOrEqual(fifth, FIRST_DELAY_MS * 3 * 0.9);
      assertEquals(bursts(s.sink.text, "127.0.0.1"), 1, "one console line for the burst");
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  },
);

Deno.test(
  "guessing: a user who mistypes the server password once is not slowed",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ password: PASSWORD });
    const started = performance.now();
    {
      await using typo = await LineClient.connect(s.port);
      await typo.waitFor(PROMPT);
      await typo.send("s3cert");
      await typo.waitFor(WRONG);
    }
    await using again = await LineClient.connect(s.port);
    await again.waitFor(PROMPT);
    await again.send(PASSWORD);
    await again.join("alice");
    assertLess(performance.now() - started, FIRST_DELAY_MS, "no wait at all");
    assertEquals(bursts(s.sink.text, "127.0.0.1"), 0);
  },
);

Deno.test(
  "guessing: a locked-out address is refused with one line, the right password unchecked, over TCP and WebSocket; after the window it may answer again",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    let now = 1_000_000;
    let attempts: LocalPasswordAttempts | undefined;
    await using s = startWebServer({
      password: PASSWORD,
      passwordAttempts: (
        observer,
      ) => (attempts = new LocalPasswordAttempts({ observer, now: () => now })),
    });
    for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) attempts!.failed("127.0.0.1", "server");
    {
      await using c = await LineClient.connect(s.port);
      await c.waitFor(PROMPT);
      await c.send(PASSWORD);
      assertEquals(await c.waitClosed(), [LOCKOUT]);
    }
    {
      await using web = await WsClient.connect(s.webPort);
      await web.waitFor((e) => e.type === "prompt" && e.prompt === "password");
      await web.send(PASSWORD);
      assertEquals((await web.waitFor("notice")).code, "passwordLockout");
      await web.waitClosed();
      assertEquals(web.closeFrame, { code: 1008, reason: "passwordLockout" });
    }
    now += 60_000;
    await using back = await LineClient.connect(s.port);
    await back.waitFor(PROMPT);
    await back.send(PASSWORD);
    await back.join("alice");
  },
);

Deno.test(
  "guessing: /op guessed from several connections: answers wait across connections, the third wrong in one connection still closes it",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ opPassword: OP_PASSWORD });
    // The attack: three /op in a connection, then a new connection.
    {
      await using first = await LineClient.connect(s.port);
      await first.join("guess1");
      const sent = performance.now();
      await first.write("/op a\n/op b\n/op c\n");
      await first.waitFor(OP_WRONG);
      await first.waitFor(OP_WRONG);
      await first.waitFor("운영자 비밀번호가 3번 틀려 연결을 종료합니다.");
      await first.waitClosed();
      assertLess(performance.now() - sent, FIRST_DELAY_MS, "the first three are free");
    }
    await using second = await LineClient.connect(s.port);
    await second.join("guess2");
    const sent = performance.now();
    await second.send("/op d");
    await second.waitFor(OP_WRONG);
    const waited = performance.now() - sent;
    assertGreaterOrEqual(waited, FIRST_DELAY_MS * 0.9, "the fourth of the address waits");
    // The right password waits its turn too: a wait says nothing about the answer.
    const rightSent = performance.now();
    await second.send(`/op ${OP_PASSWORD}`);
    await second.waitFor("운영자가 되었습니다.");
    assertGreaterOrEqual(performance.now() - rightSent, FIRST_DELAY_MS * 2 * 0.9);
    assertEquals(bursts(s.sink.text, "127.0.0.1"), 1);
  },
);

Deno.test(
  "guessing: ten connections sending /op at once are answered one by one, ever slower",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ opPassword: OP_PASSWORD });
    const clients: LineClient[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const c = await LineClient.connect(s.port);
        clients.push(c);
        await c.join(`g${i}`);
      }
      const sent = performance.now();
      await Promise.all(clients.map((c, i) => c.send(`/op guess-${i}`)));
      const answeredAt = await answerTimes(clients, OP_WRONG, sent, FREE_FAILURES + 1);
      for (const at of answeredAt.slice(0, FREE_FAILURES)) assertLess(at, FIRST_DELAY_MS);
      assertGreaterOrEqual(answeredAt[FREE_FAILURES], FIRST_DELAY_MS * 0.9);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  },
);

Deno.test(
  "guessing: /op from a locked-out address is refused unchecked and the connection closes; the room sees a leave",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    let attempts: LocalPasswordAttempts | undefined;
    await using s = startServer({
      opPassword: OP_PASSWORD,
      passwordAttempts: (observer) => (attempts = new LocalPasswordAttempts({ observer })),
    });
    await using watcher = await LineClient.connect(s.port);
    await watcher.join("watcher");
    await using guesser = await LineClient.connect(s.port);
    await guesser.join("guesser");
    for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) attempts!.failed("127.0.0.1", "operator");
    await guesser.send(`/op ${OP_PASSWORD}`);
    const rest = await guesser.waitClosed();
    assert(rest.includes(LOCKOUT), JSON.stringify(rest));
    assert(!rest.includes("운영자가 되었습니다."));
    await watcher.waitFor("guesser님이 퇴장하셨습니다.");
  },
);

Deno.test(
  "guessing: a nickname after a password that waited goes in once the answer came",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    let attempts: LocalPasswordAttempts | undefined;
    await using s = startServer({
      password: PASSWORD,
      passwordAttempts: (observer) => (attempts = new LocalPasswordAttempts({ observer })),
    });
    for (let i = 0; i < FREE_FAILURES; i++) attempts!.failed("127.0.0.1", "server");
    await using c = await LineClient.connect(s.port);
    await c.waitFor(PROMPT);
    // Typed ahead in one write: the nickname waits behind the password's answer.
    await c.write(`${PASSWORD}\nalice\n`);
    await c.waitFor(NICK_PROMPT);
    await c.waitFor("서버에 연결되었습니다.");
  },
);

/**
 * Waits until `count` of the clients got `line`, and returns when each got it (ms
 * after `sent`, in order), as it stood when the `count`-th came: later answers are
 * not in it, so its length says how many had come by then.
 */
async function answerTimes(
  clients: LineClient[],
  line: string,
  sent: number,
  count: number,
): Promise<number[]> {
  const times: number[] = [];
  const enough = Promise.withResolvers<number[]>();
  for (const c of clients) {
    c.waitFor(line, TEST_TIMEOUT_MS).then(() => {
      times.push(performance.now() - sent);
      if (times.length === count) enough.resolve([...times]);
    }, () => {}); // Closed by the test once it has seen enough.
  }
  return await enough.promise;
}
