/**
 * Hardening (issue 4): hostile input, slow readers, admission, flood control,
 * abrupt ends and safe defaults, each through real sockets against an
 * in-process server on port 0 (a subprocess where the test needs one: a killed
 * `nc`, a file-descriptor limit). TLS, the room password and shutdown have
 * their own files; the heavy slow-reader and no-newline runs are in
 * `tests/stress/`.
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertFalse,
  assertGreaterOrEqual,
  assertLess,
  assertLessOrEqual,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { parseCommandLine } from "../../lib/cli/command_line.ts";
import { helpText } from "../../lib/cli/help_text.ts";
import { LineTooLongError } from "../../lib/util/errors.ts";
import {
  LineSplitter,
  MAX_REFUSED_LINE_BYTES,
  REFUSED_LINE,
} from "../../lib/transport/line_splitter.ts";
import { MAX_QUEUED_LINES } from "../../lib/util/line_pacer.ts";
import { RateLimiter } from "../../lib/util/rate_limiter.ts";
import { serve } from "../../lib/server/server.ts";
import { Child, MAIN_PERMISSIONS, spawnMain } from "../_helpers.ts";
import { joinAll, LineClient, MemorySink, startServer } from "../_server_helpers.ts";
import { ConsoleLog } from "../../lib/util/console_log.ts";
import { hasProgram, RawClient, SilentReader, within } from "../fixtures/raw_client.ts";
import {
  PERL_AVAILABLE,
  resetBeforeAcceptSync,
  ResettingClient,
} from "../fixtures/reset_client.ts";
import { concat } from "../fixtures/concat.ts";

const m = userText("ko");
const encoder = new TextEncoder();
/** Every test here must end well within this, or it is reported as hung. */
const TEST_TIMEOUT_MS = 20_000;
const NC_AVAILABLE = hasProgram("nc", ["-h"]);

function count(lines: readonly string[], line: string): number {
  return lines.filter((l) => l === line).length;
}

/** Lines of `n` numbered messages, each `bytes` long, as one string ready to write. */
function bulk(prefix: string, n: number, bytes: number): { text: string; last: string } {
  const parts: string[] = [];
  let last = "";
  for (let i = 0; i < n; i++) {
    const head = `${prefix} ${i} `;
    last = head + "x".repeat(Math.max(0, bytes - head.length));
    parts.push(last + "\n");
  }
  return { text: parts.join(""), last };
}

// ---------------------------------------------------------------------------
// 1. Line cap
// ---------------------------------------------------------------------------

Deno.test(
  "line cap: a line of exactly maxLineBytes passes; one byte more is refused with one notice, and the connection goes on",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ maxLineBytes: 1024 });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;

    const ascii = "y".repeat(1024);
    const korean = "한".repeat(341) + "z"; // 341 × 3 + 1 = 1024 bytes
    await alice.write(`${ascii}\n${korean}\r\n`);
    await bob.waitFor(`alice> ${ascii}`);
    await bob.waitFor(`alice> ${korean}`);

    // A long line between two good ones, in one write: refused in its place.
    await alice.write(`before\n${"x".repeat(1025)}\nafter\n`);
    await alice.waitFor("alice> before");
    assertEquals(await alice.nextLine(), m.lineTooLong(1024, false));
    assertEquals(await alice.nextLine(), "alice> after");
    await bob.waitFor("alice> after");
    assertEquals(count(alice.received, m.lineTooLong(1024, false)), 1);
    assertFalse(bob.received.some((l) => l.startsWith("alice> x")), "the long line was relayed");
    // A pasted paragraph far over the cap, then more: still one notice, still connected.
    await alice.write("y".repeat(300 * 1024));
    await alice.write("z".repeat(300 * 1024) + "\nstill here\n");
    await bob.waitFor("alice> still here");
    assertEquals(count(alice.received, m.lineTooLong(1024, false)), 2);
    assertFalse(bob.received.includes(m.left("alice")));
  },
);

Deno.test(
  "line cap: a client streaming bytes with no newline is cut off after MAX_REFUSED_LINE_BYTES, its last line intact",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ maxLineBytes: 1024 });
    await using bob = (await joinAll(s.port, "bob"))[0];
    await using streamer = await RawClient.connect(s.port);
    await streamer.join("streamer");

    // Keep streaming until the server ends the connection (64 MiB: the cap is not working).
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    let sent = 0;
    const streaming = (async () => {
      try {
        while (!streamer.ended && sent < 64 * 1024 * 1024) {
          await streamer.write(chunk);
          sent += chunk.length;
        }
      } catch {
        // The server closed: a reset or broken pipe on our write is expected.
      }
    })();
    await streamer.waitClosed();
    await streaming;
    assertEquals(streamer.endedBy, "eof", "closed with a FIN after the error line, not reset");
    assertEquals(streamer.lines.slice(-2), [m.lineTooLong(1024, false), m.lineTooLong(1024, true)]);
    assertLess(sent, 64 * 1024 * 1024);
    assertGreaterOrEqual(sent, MAX_REFUSED_LINE_BYTES, "cut off only after the bound");
    await bob.waitFor(m.left("streamer"));
  },
);

Deno.test(
  "line cap: a client that keeps streaming after its error line is cut off, not read for seconds",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ maxLineBytes: 1024 });
    await using streamer = await RawClient.connect(s.port);
    await streamer.join("streamer");
    await streamer.write(new Uint8Array(2048).fill(0x61));
    await streamer.waitForText(m.lineTooLong(1024, false));
    // Ignore the FIN and keep writing until the server closes for good. Without a
    // bound on what a closing connection discards, it reads for CLOSE_TIMEOUT_MS
    // (gigabytes on loopback).
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let sent = 0;
    try {
      while (sent < 512 * 1024 * 1024) {
        await streamer.conn.write(chunk);
        sent += chunk.length;
      }
    } catch {
      // Reset or broken pipe: the server closed.
    }
    assertLess(sent, 64 * 1024 * 1024, `the server read ${sent} bytes after the error`);
  },
);

Deno.test("line splitter: an unfinished line never holds more than maxLineBytes + 1 bytes", () => {
  const splitter = new LineSplitter({ maxLineBytes: 1000 });
  const chunk = new Uint8Array(100).fill(0x61);
  let pushes = 0;
  let refusedAt = -1;
  assertThrows(() => {
    while (pushes < 100_000) {
      const out = splitter.push(chunk);
      if (out.includes(REFUSED_LINE)) refusedAt = pushes;
      pushes++;
      assertLessOrEqual(splitter.bufferedBytes, 1001);
    }
  }, LineTooLongError);
  assertEquals(refusedAt, 10, "the 11th chunk (1,100 bytes without a newline) is refused");
  assertEquals(pushes, Math.floor(MAX_REFUSED_LINE_BYTES / 100), "then dropped, up to the bound");
});

Deno.test("line splitter: an oversized line is refused before any of it is decoded", () => {
  const decoded: number[] = [];
  const original = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (input, options) {
    decoded.push(input === undefined ? 0 : input.byteLength);
    return original.call(this, input, options);
  };
  try {
    const noNewline = new Uint8Array(4 * 1024 * 1024).fill(0xff);
    assertThrows(() => new LineSplitter({ maxLineBytes: 8192 }).push(noNewline), LineTooLongError);
    const lastLineTooLong = concat("ok\n", new Uint8Array(9000).fill(0x62), "\n");
    assertEquals(new LineSplitter({ maxLineBytes: 8192 }).push(lastLineTooLong), [
      "ok",
      REFUSED_LINE,
    ]);
    assertEquals(decoded, [2], "only the good line was decoded");
  } finally {
    TextDecoder.prototype.decode = original;
  }
});

// ---------------------------------------------------------------------------
// 2. Invalid UTF-8
// ---------------------------------------------------------------------------

Deno.test(
  "invalid UTF-8: bad bytes reach the others as U+FFFD in valid UTF-8, and the sender stays connected",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    await using joined = await RawClient.joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;

    const han = encoder.encode("한");
    // Lone continuation, truncated sequences, overlong, surrogate, out of range, split char.
    await alice.write(concat("a", [0xff], "b", [0xc3], "(c", [0xc0, 0xaf], "d\n"));
    await alice.write(concat("e", [0xe2, 0x82], "f", [0xed, 0xa0, 0x80], "g", [0xf5, 0x80], "\n"));
    await alice.write(concat("split:", han.subarray(0, 2)));
    await alice.write(concat(han.subarray(2), "\n"));
    await alice.write("still here\n");
    await bob.waitForText("alice> still here\n");

    const text = new TextDecoder("utf-8", { fatal: true }).decode(bob.bytes); // throws if invalid
    const lines = text.split("\n");
    assert(lines.includes("alice> a\uFFFDb\uFFFD(c\uFFFD\uFFFDd"), text);
    assert(lines.includes("alice> e\uFFFDf\uFFFD\uFFFD\uFFFDg\uFFFD\uFFFD"), text);
    assert(lines.includes("alice> split:한"), "a character split across two writes arrives whole");
    assertFalse(alice.ended);
  },
);

Deno.test(
  "invalid UTF-8: a nickname with bad bytes is refused and the client may try again",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    await using c = await RawClient.connect(s.port);
    await c.waitForText(m.nicknamePrompt + "\n");
    await c.write(concat("ev", [0xff], "il\n"));
    await c.waitForText(m.nicknameInvalid(20) + "\n");
    await c.write("good\n");
    await c.waitForText(m.connected + "\n");
    assertFalse(c.text.includes("ev\uFFFDil님"), "the bad nickname joined");
  },
);

// ---------------------------------------------------------------------------
// 3. Terminal-control injection
// ---------------------------------------------------------------------------

/** Bytes a terminal would obey: C0 controls but `\n`, and DEL. */
function controlBytes(bytes: Uint8Array): number[] {
  return [...bytes].filter((b) => (b < 0x20 && b !== 0x0a) || b === 0x7f);
}

/** Code points a terminal would obey (C1) or that reorder text (bidi controls). */
function controlCodePoints(text: string): string[] {
  return [...text.matchAll(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g)].map((x) =>
    `U+${x[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`
  );
}

Deno.test(
  "control characters: ESC, CSI, OSC, BEL, C1, DEL, CR and bidi controls reach no other client as such; tabs become spaces",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    await using joined = await RawClient.joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;

    const attack = "red\x1b[31mRED\x1b[0m title\x1b]0;pwned\x07 bel\x07 csi\u009b2J" +
      " osc\u009d0;t\u009c nul\x00 bs\x08 del\x7f cr\rX vt\x0b bidi\u202egnp.exe tab\there";
    await alice.write(concat(attack, " raw9b", [0x9b], "\n"));
    // OSC 52 (write the clipboard) and a screen clear, in a whisper and an unknown command.
    await alice.write("@bob \x1b]52;c;ZXZpbA==\x07\n/\x1b[2J\nsync\n");
    await bob.waitForText("alice> sync\n");
    await alice.waitForText("alice> sync\n");

    const expected = "alice> red\uFFFD[31mRED\uFFFD[0m title\uFFFD]0;pwned\uFFFD bel\uFFFD" +
      " csi\uFFFD2J osc\uFFFD0;t\uFFFD nul\uFFFD bs\uFFFD del\uFFFD cr\uFFFDX vt\uFFFD" +
      " bidi\uFFFDgnp.exe tab here raw9b\uFFFD";
    assert(bob.lines.includes(expected), `got ${JSON.stringify(bob.lines)}`);
    assert(bob.lines.includes("[귓속말] alice> \uFFFD]52;c;ZXZpbA==\uFFFD"), bob.text);
    assert(alice.lines.includes(m.unknownCommand("/\uFFFD[2J")), alice.text);
    for (const client of [bob, alice]) {
      assertEquals(controlBytes(client.bytes), [], "control bytes relayed");
      const text = new TextDecoder("utf-8", { fatal: true }).decode(client.bytes);
      assertEquals(controlCodePoints(text), [], "C1 or bidi control relayed");
    }
  },
);

Deno.test(
  "control characters: echo-broadcast mode relays no control bytes either",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ mode: "echo-broadcast" });
    await using a = await RawClient.connect(s.port);
    await using b = await RawClient.connect(s.port);
    // Both are members from their first byte; b's line reaching a shows b was accepted.
    await a.write("a-ready\n");
    await a.waitForText("a-ready\n");
    await b.write("b-ready\n");
    await a.waitForText("b-ready\n");
    await a.write("\x1b[2J\x1b]0;x\x07\u009bdone\n");
    await b.waitForText("done\n");
    assert(b.lines.includes("\uFFFD[2J\uFFFD]0;x\uFFFD\uFFFDdone"), b.text);
    assertEquals(controlBytes(b.bytes), []);
    assertEquals(controlCodePoints(b.text), []);
  },
);

Deno.test(
  "control characters: a nickname holding ESC, BEL, tab, C1 or a bidi override is refused",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    await using bob = (await joinAll(s.port, "bob"))[0];
    await using c = await RawClient.connect(s.port);
    await c.waitForText(m.nicknamePrompt + "\n");
    const refusal = m.nicknameInvalid(20);
    const bad = ["ev\x1b[31mil", "bell\x07", "a\tb", "ne\u0085l", "\u202eevil", "\x1b"];
    for (const nick of bad) await c.write(nick + "\n");
    await c.write("good\n");
    await c.waitForText(m.connected + "\n");
    assertEquals(count(c.lines, refusal), bad.length, c.text);
    await bob.waitFor(m.joined("good"));
    const joins = bob.received.filter((l) => l.endsWith("님이 입장하셨습니다."));
    assertEquals(joins, [m.joined("bob"), m.joined("good")]);
    assertEquals(controlBytes(c.bytes), []);
  },
);

// ---------------------------------------------------------------------------
// 4. Slow readers
// ---------------------------------------------------------------------------

Deno.test(
  "slow reader: a joined client that never reads is dropped at maxOutboxBytes, and the others receive everything",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ maxOutboxBytes: 64 * 1024 });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    await using slow = await SilentReader.join(s.port, "slow");
    await bob.waitFor(m.joined("slow"));

    // Send 1 KiB lines in 100 KiB writes until the slow client is gone, and at
    // least 2 MiB; the loopback kernel buffers alone can hold a few MiB.
    const leftNotice = m.left("slow");
    let sent = 0;
    let last = "";
    for (let round = 0; sent < 2048 || !bob.received.includes(leftNotice); round++) {
      assertLess(sent, 64 * 1024, "64 MiB sent and the slow client was never dropped");
      const batch = bulk(`m${round}`, 100, 1024);
      await alice.write(batch.text);
      sent += 100;
      last = `alice> ${batch.last}`;
      await bob.waitFor(last);
    }
    const delivered = bob.received.filter((l) => l.startsWith("alice> m"));
    assertEquals(delivered.length, sent, "bob lost lines");
    assertEquals(count(bob.received, leftNotice), 1);
    await alice.waitFor(last);
    assertEquals(alice.received.filter((l) => l.startsWith("alice> m")).length, sent);

    const { bytes, endedBy } = await slow.drain();
    assert(endedBy === "eof" || endedBy === "ConnectionReset", endedBy);
    assertLess(bytes, sent * 1024, "the slow client was sent everything, so never dropped");
    assertStringIncludes(s.sink.text, "(slow) - 출력 버퍼 가득 참");
  },
);

Deno.test(
  "slow reader: a burst the default limits allow (40 lines of 8,000 bytes at once) drops no client that reads",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    // Server defaults: 256 KiB outbox, 8 KiB lines, 20 lines/s with a burst of 40.
    await using s = startServer({ rateLinesPerSecond: undefined, rateBurst: undefined });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    const { text, last } = bulk("burst", 40, 8000);
    await alice.write(text);
    await bob.waitFor(`alice> ${last}`);
    assertEquals(bob.received.filter((l) => l.startsWith("alice> burst")).length, 40);
    await alice.waitFor(`alice> ${last}`);
    assertEquals(count(alice.received, m.rateLimited), 0);
  },
);

// ---------------------------------------------------------------------------
// 5. Admission
// ---------------------------------------------------------------------------

Deno.test(
  "admission: past maxClients a connection gets one serverFull line and is closed; the others keep chatting, and a freed slot is reused",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ maxClients: 2 });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    await using third = await RawClient.connect(s.port);
    await third.waitClosed();
    assertEquals(third.lines, [m.serverFull(2)]);
    assertEquals(third.endedBy, "eof");

    await alice.send("still fine");
    await bob.waitFor("alice> still fine");

    await alice.send("/quit");
    await alice.waitClosed();
    await alice.close();
    await bob.waitFor(m.left("alice"));
    // No event tells a client when the server has released the slot: try again
    // (each try waits for the server's first line), a bounded number of times.
    let admitted = false;
    for (let attempt = 0; attempt < 100 && !admitted; attempt++) {
      await using next = await LineClient.connect(s.port);
      const first = await next.nextLine();
      admitted = first === m.nicknamePrompt;
      if (admitted) {
        await next.send("carol");
        await next.waitFor(m.connected);
      } else {
        assertEquals(first, m.serverFull(2));
      }
    }
    assert(admitted, "the slot of a client that left was never freed");
  },
);

Deno.test(
  "admission: a silent connection is closed with the nicknameTimeout line; one that joined in time stays",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ nicknameTimeoutMs: 300 });
    await using bob = (await joinAll(s.port, "bob"))[0];
    const started = performance.now();
    await using silent = await RawClient.connect(s.port);
    // Nicknames that are refused and a line never finished do not reset the clock.
    await using refused = await RawClient.connect(s.port);
    await refused.write("bad nick\n");
    await using partial = await RawClient.connect(s.port);
    await partial.write("slowlori");
    for (const c of [silent, refused, partial]) {
      await c.waitClosed();
      assertEquals(c.endedBy, "eof");
      assertEquals(c.lines.at(-1), m.nicknameTimeout);
      assertEquals(count(c.lines, m.nicknameTimeout), 1);
    }
    assertGreaterOrEqual(performance.now() - started, 250, "closed before the timeout");
    assertEquals(silent.lines, [m.nicknamePrompt, m.nicknameTimeout]);
    // bob joined before them and is still here after their timeout.
    await bob.send("still here");
    await bob.waitFor("bob> still here");
  },
);

Deno.test(
  "admission: 200 silent connections do not stop a new client from joining, and are closed at the nickname timeout",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    // Every test client is 127.0.0.1: the per-address cap is another test's.
    await using s = startServer({ nicknameTimeoutMs: 1_500, maxPerAddress: 1_000 });
    await using stack = new AsyncDisposableStack();
    const silent: RawClient[] = [];
    for (let i = 0; i < 200; i++) {
      const c = stack.use(await RawClient.connect(s.port));
      if (i % 2 === 1) await c.write("half a nick"); // no newline: a slowloris
      silent.push(c);
    }
    await using late = await LineClient.connect(s.port);
    await late.join("late");
    await late.send("hello");
    await late.waitFor("late> hello");
    assertEquals(silent.filter((c) => c.ended).length, 0, "joined only after the others timed out");
    await within(Promise.all(silent.map((c) => c.waitClosed())), "200 timeouts");
    assertEquals(silent.filter((c) => c.lines.at(-1) !== m.nicknameTimeout).length, 0);
    await late.send("after");
    await late.waitFor("late> after");
  },
);

// ---------------------------------------------------------------------------
// 6. Flood control
// ---------------------------------------------------------------------------

Deno.test(
  "flood control: a paste of 60 lines at the default rate arrives whole, in order, with one notice",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    // Defaults: 20 lines/s, a burst of 40: 40 go at once, 20 wait about a second.
    await using s = startServer({ rateLinesPerSecond: undefined, rateBurst: undefined });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    const sent = Array.from({ length: 60 }, (_, i) => `p${i + 1}`);
    await alice.write(sent.map((l) => l + "\n").join(""));
    await bob.waitFor("alice> p60");
    const relayed = bob.received.filter((l) => l.startsWith("alice> "));
    assertEquals(relayed, sent.map((l) => `alice> ${l}`), "nothing lost, nothing reordered");
    await alice.waitFor("alice> p60");
    assertEquals(count(alice.received, m.rateLimited), 1, "one notice for the whole burst");
    assertFalse(alice.closed);
  },
);

Deno.test(
  "flood control: lines over the rate wait their turn rather than being refused",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ rateLinesPerSecond: 10, rateBurst: 5 });
    await using joined = await joinAll(s.port, "alice", "bob", "carol");
    const [alice, bob, carol] = joined;
    await alice.write(Array.from({ length: 8 }, (_, i) => `m${i + 1}\n`).join(""));
    await alice.waitFor(m.rateLimited);
    // carol is not slowed down by alice's queue.
    await carol.send("meanwhile");
    await bob.waitFor("carol> meanwhile");
    await bob.waitFor("alice> m8");
    const relayed = bob.received.filter((l) => l.startsWith("alice> "));
    assertEquals(relayed.length, 8);
    // alice's last three waited for tokens: carol's line came before them.
    assertLess(bob.received.indexOf("carol> meanwhile"), bob.received.indexOf("alice> m8"));
  },
);

Deno.test(
  "flood control: a client past the queue's bound is disconnected with the flooding line",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ rateLinesPerSecond: 5, rateBurst: 5 });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    const lines = MAX_QUEUED_LINES + 10;
    await alice.write(Array.from({ length: lines }, (_, i) => `f${i + 1}\n`).join(""));
    await alice.waitClosed();
    assertEquals(alice.received.at(-1), m.flooding);
    await bob.waitFor(m.left("alice"));
    const relayed = bob.received.filter((l) => l.startsWith("alice> "));
    assertLess(relayed.length, lines);
  },
);

Deno.test(
  "flood control: rate 0 turns it off: 500 lines sent at once are all delivered",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ rateLinesPerSecond: 0, rateBurst: 5 });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    await alice.write(Array.from({ length: 500 }, (_, i) => `n${i}\n`).join(""));
    await bob.waitFor("alice> n499");
    assertEquals(bob.received.filter((l) => l.startsWith("alice> n")).length, 500);
    assertEquals(count(alice.received, m.rateLimited), 0);
  },
);

Deno.test("rate limiter: tokens come back at the rate, up to the burst; rate 0 is off", () => {
  const limiter = new RateLimiter({ linesPerSecond: 5, burst: 5 }, 0);
  assertEquals([0, 0, 0, 0, 0, 0].map(() => limiter.tryTake(0)), [
    true,
    true,
    true,
    true,
    true,
    false,
  ]);
  assertFalse(limiter.tryTake(100), "half a token is not a token");
  assert(limiter.tryTake(200), "one token back after 200 ms at 5/s");
  assertFalse(limiter.tryTake(200));
  const afterRest = Array.from({ length: 7 }, () => limiter.tryTake(60_000));
  assertEquals(afterRest.filter(Boolean).length, 5, "a long rest gives back the burst, no more");
  const off = new RateLimiter({ linesPerSecond: 0, burst: 1 }, 0);
  assert(Array.from({ length: 1_000 }, () => off.tryTake(0)).every(Boolean));
});

// ---------------------------------------------------------------------------
// 7. Abrupt ends
// ---------------------------------------------------------------------------

Deno.test(
  "abrupt end: a client that closes with output unread while the server writes to it heavily is announced gone exactly once, and the server keeps accepting",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ maxOutboxBytes: 64 * 1024 * 1024 });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    const mallory = await SilentReader.join(s.port, "mallory");
    await bob.waitFor(m.joined("mallory"));
    // 8 MiB: more than the kernel buffers take, so the server's write to mallory is pending.
    const { text, last } = bulk("flood", 8 * 1024, 1024);
    await alice.write(text);
    await bob.waitFor(`alice> ${last}`);
    mallory.close();
    await bob.waitFor(m.left("mallory"));
    await alice.send("after");
    await bob.waitFor("alice> after");
    assertEquals(count(bob.received, m.left("mallory")), 1);
    const logged = s.sink.text.split("\n").filter((l) => l.includes("(mallory) - "));
    assertEquals(logged.length, 1, s.sink.text);
    await using carol = await LineClient.connect(s.port);
    await carol.join("carol");
  },
);

Deno.test({
  name:
    `abrupt end: a client that resets (SO_LINGER 0) while the server writes to it heavily is announced gone exactly once${
      PERL_AVAILABLE ? "" : " (skipped: perl not found)"
    }`,
  ignore: !PERL_AVAILABLE,
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startServer({ maxOutboxBytes: 64 * 1024 * 1024 });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    await using mallory = await ResettingClient.join(s.port, "mallory", m.connected);
    await bob.waitFor(m.joined("mallory"));
    const { text, last } = bulk("flood", 8 * 1024, 1024);
    await alice.write(text);
    await bob.waitFor(`alice> ${last}`);
    await mallory.reset();
    await bob.waitFor(m.left("mallory"));
    await alice.send("after");
    await bob.waitFor("alice> after");
    assertEquals(count(bob.received, m.left("mallory")), 1);
    const logged = s.sink.text.split("\n").filter((l) => l.includes("(mallory) - "));
    assertEquals(logged.length, 1, s.sink.text);
    assertFalse(
      logged[0].endsWith(" - 연결 끊김"),
      `the server saw a FIN, not a reset: ${logged[0]}`,
    );
    await using carol = await LineClient.connect(s.port);
    await carol.join("carol");
  },
});

Deno.test({
  name: `abrupt end: an nc client killed with output pending is announced gone exactly once${
    NC_AVAILABLE ? "" : " (skipped: nc not found)"
  }`,
  ignore: !NC_AVAILABLE,
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startServer({ maxOutboxBytes: 64 * 1024 * 1024 });
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    const nc = new Deno.Command("nc", {
      args: ["127.0.0.1", String(s.port)],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const stdin = nc.stdin.getWriter();
    try {
      await stdin.write(encoder.encode("ncuser\n"));
      await bob.waitFor(m.joined("ncuser"));
      // nc's stdout is never read: the pipe fills, nc stops reading, data waits unread.
      const { text, last } = bulk("flood", 4 * 1024, 1024);
      await alice.write(text);
      await bob.waitFor(`alice> ${last}`);
      nc.kill("SIGKILL");
      await nc.status;
      await bob.waitFor(m.left("ncuser"));
      await alice.send("after");
      await bob.waitFor("alice> after");
      assertEquals(count(bob.received, m.left("ncuser")), 1);
      await using carol = await LineClient.connect(s.port);
      await carol.join("carol");
    } finally {
      try {
        nc.kill("SIGKILL");
      } catch {
        // Exited already.
      }
      await nc.status;
      await stdin.close().catch(() => {});
      await nc.stdout.cancel();
    }
  },
});

Deno.test(
  "half-close: an echo client that sends lines and closes its write side still receives every echo, then EOF",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ mode: "echo" });
    await using c = await LineClient.connect(s.port);
    const { text, last } = bulk("echo", 200, 500); // 100 KB, under the outbox limit
    await c.write("ping\n" + text);
    await c.conn.closeWrite();
    const rest = await c.waitClosed();
    assertEquals(c.received[0], "ping");
    assertEquals(c.received.length, 201);
    assertEquals(c.received.at(-1), last);
    assertEquals(rest.at(-1), last);
  },
);

Deno.test(
  "half-close: a chat client that sends a line and closes its write side gets its own line, then EOF; the others see it leave once",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer();
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    await alice.send("bye for now");
    await alice.conn.closeWrite();
    await alice.waitFor("alice> bye for now");
    assertEquals(await alice.waitClosed(), []);
    await bob.waitFor("alice> bye for now");
    await bob.waitFor(m.left("alice"));
    await bob.send("sync");
    await bob.waitFor("bob> sync");
    assertEquals(count(bob.received, m.left("alice")), 1);
  },
);

Deno.test({
  name: `accept errors: 100 clients that reset before accept do not delay a later client's join${
    PERL_AVAILABLE ? "" : " (skipped: perl not found)"
  }`,
  ignore: !PERL_AVAILABLE,
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startServer();
    // 100 connections reset in the listen queue: each makes accept() fail.
    resetBeforeAcceptSync(s.port, 100);
    const started = performance.now();
    await using late = await LineClient.connect(s.port);
    // A generous safety net, so that a slow join fails on the assertion below, with its time.
    await late.waitFor(m.nicknamePrompt, 15_000);
    const joinMs = performance.now() - started;
    await late.send("late");
    await late.waitFor(m.connected);
    await late.send("hello");
    await late.waitFor("late> hello");
    assertStringIncludes(s.sink.text, "연결 수락 실패", "the accept errors did not happen");
    assertLess(
      joinMs,
      1_000,
      `100 resets before accept held a new client for ${Math.round(joinMs)} ms`,
    );
  },
});

Deno.test(
  "accept errors: out of file descriptors (EMFILE), the server keeps running and admits a client once some are free",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    // Deno raises the soft limit to the hard one at start, so lower both.
    await using child = new Child("sh", [
      "-c",
      'ulimit -n 64 && exec "$0" "$@"',
      Deno.execPath(),
      "run",
      ...MAIN_PERMISSIONS,
      "main.ts",
      "server",
      "--port",
      "0",
      "--data",
      "none",
      "--max-per-address",
      "1000",
    ]);
    const listening = /^서버가 127\.0\.0\.1:(\d+)에서 실행 중입니다\.$/;
    const port = Number(listening.exec(await child.stdout.waitFor(listening))![1]);
    const conns: Deno.Conn[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
      }
      await child.stdout.waitFor((l) =>
        l.includes("연결 수락 실패") && l.includes("(os error 24)")
      );
    } finally {
      for (const conn of conns) conn.close();
    }
    await using late = await LineClient.connect(port);
    await late.join("late");
    await late.send("hello");
    await late.waitFor("late> hello");
    child.kill("SIGTERM");
    await late.waitFor(m.shuttingDown);
    await late.waitClosed();
    await late.close();
    assertEquals((await child.exit()).code, 0, child.describe());
  },
);

// ---------------------------------------------------------------------------
// 11. Safe defaults
// ---------------------------------------------------------------------------

Deno.test("defaults: `server` with no flags binds 127.0.0.1 with every limit on", () => {
  const command = parseCommandLine(["server"]);
  assert(command.kind === "server");
  const a = command.args;
  assertEquals(a.hostname, "127.0.0.1");
  assertEquals(a.maxLineBytes, 8 * 1024);
  assert(a.maxOutboxBytes >= 64 * 1024 && a.maxOutboxBytes <= 1024 * 1024, `${a.maxOutboxBytes}`);
  assertEquals(a.maxClients, 1000);
  assertEquals(a.nicknameTimeoutMs, 60_000);
  assert(a.rateLinesPerSecond > 0 && a.rateBurst > 0, "flood control off by default");
  assertEquals(a.password, undefined);
  assertEquals(a.mode, "chat");
});

Deno.test("defaults: serve() without a hostname listens on 127.0.0.1 only", async () => {
  await using server = serve({
    port: 0,
    log: new ConsoleLog({ sink: new MemorySink(), timestamps: false }),
    onListen: () => {},
  });
  assertEquals(server.addr.hostname, "127.0.0.1");
});

Deno.test(
  "defaults: `server --help` names each limit flag with its default and what it protects",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const SERVER_HELP = helpText("server", "en");
    const command = parseCommandLine(["server", "--help", "--lang", "en"]);
    assert(command.kind === "help");
    assertEquals(command.text, SERVER_HELP);
    for (
      const flag of [
        "--host",
        "--max-line-bytes",
        "--max-outbox-bytes",
        "--max-clients",
        "--nick-timeout",
        "--rate",
        "--burst",
        "--password",
        "--tls-cert",
        "--tls-key",
      ]
    ) {
      assertStringIncludes(SERVER_HELP, flag);
    }
    assertStringIncludes(SERVER_HELP, "default 127.0.0.1");
    assertStringIncludes(SERVER_HELP, "memory");
    await using child = spawnMain(["server", "--help", "--lang", "en"]);
    const status = await child.exit();
    assertEquals(status.code, 0, child.describe());
    assertEquals(child.stdout.lines.join("\n").trimEnd(), SERVER_HELP.trimEnd());
  },
);
