/**
 * The original clients against our server, byte for byte: the Python `main.py`
 * client (messages with no newline) and the C `echo-client`.
 *
 * @module
 */

import { assert, assertEquals } from "@std/assert";
import { UNFRAMED_PAUSE_MS } from "../../lib/transport/tcp_connection.ts";
import { spawnMain } from "../_helpers.ts";
import { joinAll, startServer } from "../_server_helpers.ts";
import {
  ORIGINAL_RECV_BYTES,
  OriginalEchoClient,
  OriginalPythonClient,
} from "../fixtures/original_clients.ts";

Deno.test("originals: the Python client (no newlines) joins, chats, whispers and quits", async () => {
  await using s = startServer();
  await using alice = (await joinAll(s.port, "alice"))[0];
  await using py = await OriginalPythonClient.connect(s.port);
  await py.waitFor("닉네임을 입력하세요:");
  await py.sendMessage("파이썬");
  await py.waitFor("서버에 연결되었습니다.");
  await alice.waitFor("파이썬님이 입장하셨습니다.");
  await py.sendMessage("안녕하세요");
  await alice.waitFor("파이썬> 안녕하세요");
  await py.waitFor("파이썬> 안녕하세요");
  await py.sendMessage("@alice 비밀");
  await alice.waitFor("[귓속말] 파이썬> 비밀");
  await alice.send("@파이썬 답장");
  await py.waitFor("[귓속말] alice> 답장");
  await py.sendMessage("/종료");
  await py.waitClosed();
  await alice.waitFor("파이썬님이 퇴장하셨습니다.");
});

Deno.test("originals: the Python client reads a long Korean line whole, every read ending on a character", async () => {
  await using s = startServer({ maxLineBytes: 8192 });
  await using alice = (await joinAll(s.port, "alice"))[0];
  await using py = await OriginalPythonClient.connect(s.port);
  await py.waitFor("닉네임을 입력하세요:");
  await py.sendMessage("파이썬");
  await py.waitFor("서버에 연결되었습니다.");
  // `alice> x` is 8 bytes: a first read of 1024 bytes would end inside the 339th 가.
  const text = "x" + "가나다라마바사".repeat(300);
  await alice.send(text);
  await alice.waitFor(`alice> ${text}`);
  assertEquals(await py.waitFor((l) => l.startsWith("alice> ")), `alice> ${text}`);
  assertEquals(py.decodeError, undefined);
  assert(py.reads.every((n) => n <= ORIGINAL_RECV_BYTES));
});

Deno.test("originals: the Python client entering a busy room gets the history in reads that end on a character", async () => {
  await using s = startServer({ historyLimit: 20 });
  await using alice = (await joinAll(s.port, "alice"))[0];
  // Each history line is `[HH:MM] alice> ` and 30 가: 106 bytes. After the 29-byte header,
  // byte 1024 falls 25 bytes into the 10th line's Korean: inside a character.
  const said = Array.from({ length: 20 }, () => "가".repeat(30));
  for (const line of said) await alice.send(line);
  await alice.waitFor(`alice> ${said[19]}`);
  await using py = await OriginalPythonClient.connect(s.port);
  await py.waitFor("닉네임을 입력하세요:");
  await py.sendMessage("파이썬");
  await py.waitFor("-- 최근 메시지 20개 --");
  for (const line of said) await py.waitFor((l) => l.endsWith(` alice> ${line}`));
  await py.waitFor("서버에 연결되었습니다.");
  // The room goes on: lines keep arriving whole.
  await alice.send("다음");
  await py.waitFor("alice> 다음");
  assertEquals(py.decodeError, undefined);
});

Deno.test("originals: a client that sent a newline is never cut by a pause", async () => {
  await using s = startServer();
  await using joined = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = joined;
  await alice.write("hel");
  // A pause longer than the unframed one, on purpose: the stimulus, not a wait for an event.
  await new Promise((resolve) => setTimeout(resolve, 2 * UNFRAMED_PAUSE_MS));
  await alice.write("lo\n");
  await bob.waitFor("alice> hello");
  assertEquals(bob.received.filter((l) => l.startsWith("alice> ")), ["alice> hello"]);
});

Deno.test("originals: the C echo-client gets its lines back from -e, and everyone's from -e -b", async () => {
  {
    await using s = startServer({ mode: "echo" });
    await using c = await OriginalEchoClient.connect(s.port);
    await c.typeLine("hello echo");
    await c.waitFor("hello echo");
    await c.typeLine("안녕");
    await c.waitFor("안녕");
  }
  {
    await using s = startServer({ mode: "echo-broadcast" });
    await using a = await OriginalEchoClient.connect(s.port);
    await using b = await OriginalEchoClient.connect(s.port);
    // b is counted once a line of a reaches it; then each gets the other's.
    await a.typeLine("first");
    await a.waitFor("first");
    await b.typeLine("from b");
    await a.waitFor("from b");
    await b.waitFor("from b");
    await a.typeLine("from a");
    await b.waitFor("from a");
  }
});

Deno.test({
  name: "originals: the Python client and our client chat in one room on our server",
  timeout: 30_000,
  fn: async () => {
    await using s = startServer();
    await using py = await OriginalPythonClient.connect(s.port);
    await py.waitFor("닉네임을 입력하세요:");
    await py.sendMessage("py");
    await py.waitFor("서버에 연결되었습니다.");
    await using ours = spawnMain([
      "client",
      "--port",
      String(s.port),
      "--nick",
      "deno",
      "--color",
      "never",
      "--no-timestamps",
    ]);
    await py.waitFor("deno님이 입장하셨습니다.");
    await py.sendMessage("hello from python");
    await ours.stdout.waitFor((l) => l.endsWith("py> hello from python"));
    await ours.send("hello from deno");
    await py.waitFor("deno> hello from deno");
    await ours.send("/quit");
    await py.waitFor("deno님이 퇴장하셨습니다.");
    assertEquals((await ours.exit()).code, 0);
  },
});
