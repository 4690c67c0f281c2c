import { assert, assertEquals, assertFalse, assertStrictEquals } from "@std/assert";
import { BroadcastLog } from "../../lib/fanout/broadcast_log.ts";
import { MERGE_BYTES, Outbox } from "../../lib/fanout/outbox.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string) => encoder.encode(text);

/** Takes everything waiting, without waiting, as text. */
async function drain(outbox: Outbox): Promise<string> {
  let text = "";
  while (outbox.queuedBytes > 0) text += decoder.decode((await outbox.take())!);
  return text;
}

/** Appends to the log and tells the outboxes, as the hub does. */
function broadcast(log: BroadcastLog, text: string, ...outboxes: Outbox[]): boolean[] {
  log.append(text);
  return outboxes.map((o) => o.notifyAppended());
}

Deno.test("outbox accepts bytes up to its limit and refuses what would pass it", () => {
  const outbox = new Outbox(10);
  assert(outbox.trySend(bytes("12345")));
  assert(outbox.trySend(bytes("67890")));
  assertEquals(outbox.queuedBytes, 10);
  assertFalse(outbox.trySend(bytes("x")), "one byte over the limit");
  assertEquals(outbox.queuedBytes, 10, "nothing of a refused send is queued");
});

Deno.test("outbox refuses a single chunk larger than its limit", () => {
  const outbox = new Outbox(4);
  assertFalse(outbox.trySend(bytes("12345")));
  assertEquals(outbox.queuedBytes, 0);
  assert(outbox.trySend(bytes("1234")));
});

Deno.test("outbox take merges everything queued into one buffer, in order", async () => {
  const outbox = new Outbox(1024);
  outbox.trySend(bytes("a\n"));
  outbox.trySend(bytes("b\n"));
  outbox.trySend(bytes("c\n"));
  const taken = await outbox.take();
  assertEquals(decoder.decode(taken!), "a\nb\nc\n");
  assertEquals(outbox.queuedBytes, 0);
});

Deno.test("outbox take frees room for more sends", async () => {
  const outbox = new Outbox(4);
  assert(outbox.trySend(bytes("1234")));
  assertFalse(outbox.trySend(bytes("5")));
  await outbox.take();
  assert(outbox.trySend(bytes("5")));
});

Deno.test("outbox take hands back a lone chunk as is, without copying", async () => {
  const outbox = new Outbox(1024);
  const chunk = bytes("only\n");
  outbox.trySend(chunk);
  assertStrictEquals(await outbox.take(), chunk);
});

Deno.test("outbox take waits until bytes are queued", async () => {
  const outbox = new Outbox(1024);
  let settled = false;
  const taking = outbox.take().then((b) => {
    settled = true;
    return b;
  });
  // Let every pending microtask and a macrotask run: take must still be waiting.
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  assertFalse(settled);
  outbox.trySend(bytes("late\n"));
  assertEquals(decoder.decode((await taking)!), "late\n");
});

Deno.test("outbox close lets take drain what is left, then returns null", async () => {
  const outbox = new Outbox(1024);
  outbox.trySend(bytes("x\n"));
  outbox.trySend(bytes("y\n"));
  outbox.close();
  assert(outbox.closed);
  assertFalse(outbox.trySend(bytes("z\n")), "a closed outbox refuses bytes");
  assertEquals(decoder.decode((await outbox.take())!), "x\ny\n");
  assertEquals(await outbox.take(), null);
  assertEquals(await outbox.take(), null);
});

Deno.test("outbox close wakes a waiting take with null", async () => {
  const outbox = new Outbox(1024);
  const taking = outbox.take();
  outbox.close();
  assertEquals(await taking, null);
});

Deno.test("outbox take passes on a chunk of at least MERGE_BYTES whole", async () => {
  const outbox = new Outbox(4 * MERGE_BYTES);
  const big = new Uint8Array(MERGE_BYTES + 10);
  outbox.trySend(big);
  outbox.trySend(bytes("after\n"));
  assertStrictEquals(await outbox.take(), big);
  assertEquals(decoder.decode((await outbox.take())!), "after\n");
});

Deno.test("outbox take merges at most about MERGE_BYTES, and loses nothing", async () => {
  const outbox = new Outbox(100 * 3010);
  let expected = "";
  for (let i = 0; i < 100; i++) {
    const line = `${i} ${"y".repeat(3000)}\n`;
    expected += line;
    outbox.trySend(bytes(line));
  }
  let received = "";
  while (outbox.queuedBytes > 0) {
    const piece = (await outbox.take())!;
    assert(piece.length < MERGE_BYTES + 3010, `piece of ${piece.length} bytes`);
    received += decoder.decode(piece);
  }
  assertEquals(received, expected);
});

Deno.test("outbox receives broadcasts from the log once subscribed", async () => {
  const log = new BroadcastLog();
  log.append("before\n");
  const outbox = new Outbox(1024);
  outbox.subscribe(log);
  assertEquals(outbox.queuedBytes, 0, "what was broadcast before it subscribed is not its");
  assertEquals(broadcast(log, "one\ntwo\n", outbox), [true]);
  assertEquals(outbox.queuedBytes, 8);
  assertEquals(await drain(outbox), "one\ntwo\n");
});

Deno.test("outbox keeps broadcasts and its own lines in the order they came", async () => {
  const log = new BroadcastLog();
  const outbox = new Outbox(1024);
  outbox.subscribe(log);
  broadcast(log, "b1\n", outbox);
  outbox.trySend(bytes("own1\n"));
  broadcast(log, "b2\n", outbox);
  broadcast(log, "b3\n", outbox);
  outbox.trySend(bytes("own2\n"));
  outbox.trySend(bytes("own3\n"));
  broadcast(log, "b4\n", outbox);
  assertEquals(await drain(outbox), "b1\nown1\nb2\nb3\nown2\nown3\nb4\n");
});

Deno.test("outbox hands out a view of the shared log, not a copy per recipient", async () => {
  const log = new BroadcastLog();
  const a = new Outbox(1024);
  const b = new Outbox(1024);
  a.subscribe(log);
  b.subscribe(log);
  broadcast(log, "shared line\n", a, b);
  const fromA = (await a.take())!;
  const fromB = (await b.take())!;
  assertEquals(decoder.decode(fromA), "shared line\n");
  assertStrictEquals(fromA.buffer, fromB.buffer);
  assertEquals(fromA.byteOffset, fromB.byteOffset);
});

Deno.test("outbox counts unsent broadcasts against its limit", async () => {
  const log = new BroadcastLog();
  const outbox = new Outbox(10);
  outbox.subscribe(log);
  assertEquals(broadcast(log, "123456\n", outbox), [true]);
  assertFalse(outbox.trySend(bytes("7890")), "7 broadcast bytes + 4 > 10");
  assertEquals(broadcast(log, "abcd\n", outbox), [false], "the backlog is now over the limit");
  assertEquals(outbox.queuedBytes, 12);
  assertEquals(await drain(outbox), "123456\nabcd\n");
  assertEquals(broadcast(log, "ok\n", outbox), [true]);
});

Deno.test("outbox unsubscribe still sends what was broadcast before, nothing after", async () => {
  const log = new BroadcastLog();
  const outbox = new Outbox(1024);
  outbox.subscribe(log);
  broadcast(log, "last words\n", outbox);
  outbox.trySend(bytes("own\n"));
  outbox.unsubscribe(log);
  broadcast(log, "after\n");
  assertEquals(outbox.notifyAppended(), true);
  assertEquals(outbox.cursorIn(log), Infinity, "no longer holds the log back");
  assertEquals(await drain(outbox), "last words\nown\n");
});

Deno.test("outbox discard forgets everything waiting", async () => {
  const log = new BroadcastLog();
  const outbox = new Outbox(1024);
  outbox.subscribe(log);
  broadcast(log, "x\n", outbox);
  outbox.trySend(bytes("y\n"));
  outbox.discard();
  assertEquals(outbox.queuedBytes, 0);
  broadcast(log, "z\n", outbox);
  outbox.close();
  assertEquals(await outbox.take(), null);
});

Deno.test("outbox follows several logs: each log's order kept, every byte once", async () => {
  const math = new BroadcastLog();
  const art = new BroadcastLog();
  const outbox = new Outbox(1024);
  outbox.subscribe(math);
  outbox.subscribe(art);
  broadcast(math, "m1\n", outbox);
  broadcast(art, "a1\n", outbox);
  broadcast(math, "m2\n", outbox);
  assertEquals(outbox.queuedBytes, 9);
  const text = await drain(outbox);
  assertEquals(text.split("\n").filter((l) => l.startsWith("m")), ["m1", "m2"]);
  assertEquals(text.split("\n").filter((l) => l.startsWith("a")), ["a1"]);
  assertEquals(text.length, 9);
});

Deno.test("outbox sends an own line after what every followed log held when it was queued", async () => {
  const math = new BroadcastLog();
  const art = new BroadcastLog();
  const outbox = new Outbox(1024);
  outbox.subscribe(math);
  outbox.subscribe(art);
  broadcast(math, "m1\n", outbox);
  broadcast(art, "a1\n", outbox);
  outbox.trySend(bytes("own\n"));
  broadcast(math, "m2\n", outbox);
  broadcast(art, "a2\n", outbox);
  const lines = (await drain(outbox)).trimEnd().split("\n");
  const own = lines.indexOf("own");
  assert(lines.indexOf("m1") < own && lines.indexOf("a1") < own, lines.join(","));
  assert(lines.indexOf("m2") > own && lines.indexOf("a2") > own, lines.join(","));
});

Deno.test("outbox unsubscribing one log keeps its bytes in place and the other log flowing", async () => {
  const math = new BroadcastLog();
  const art = new BroadcastLog();
  const outbox = new Outbox(1024);
  outbox.subscribe(math);
  outbox.subscribe(art);
  broadcast(math, "m1\n", outbox);
  outbox.trySend(bytes("own1\n"));
  broadcast(math, "m2\n", outbox);
  outbox.trySend(bytes("own2\n"));
  broadcast(math, "m3\n", outbox);
  broadcast(art, "a1\n", outbox);
  outbox.unsubscribe(math);
  broadcast(math, "gone\n");
  broadcast(art, "a2\n", outbox);
  assertEquals(outbox.cursorIn(math), Infinity);
  const lines = (await drain(outbox)).trimEnd().split("\n");
  assertEquals(lines.filter((l) => !l.startsWith("a")), ["m1", "own1", "m2", "own2", "m3"]);
  assertEquals(lines.filter((l) => l.startsWith("a")), ["a1", "a2"]);
});

Deno.test("outbox lets the logs take turns: a busy room does not hold another back", async () => {
  const busy = new BroadcastLog();
  const quiet = new BroadcastLog();
  const outbox = new Outbox(1 << 20);
  outbox.subscribe(busy);
  outbox.subscribe(quiet);
  broadcast(busy, "b\n".repeat(1000), outbox);
  broadcast(quiet, "q\n", outbox);
  const first = decoder.decode((await outbox.take())!);
  broadcast(busy, "b\n".repeat(1000), outbox);
  const second = decoder.decode((await outbox.take())!);
  assert(
    first.includes("q") || second.includes("q"),
    "the quiet room's line comes second at worst",
  );
});

Deno.test("outbox subscribed to a log later sends the own lines waiting before that log's bytes", async () => {
  const math = new BroadcastLog();
  const art = new BroadcastLog();
  const outbox = new Outbox(1024);
  outbox.subscribe(math);
  outbox.trySend(bytes("history\n"));
  outbox.subscribe(art);
  broadcast(art, "joined\n", outbox);
  assertEquals(await drain(outbox), "history\njoined\n");
});

Deno.test("outbox skips a log range it was told to leave out, in one log or several", () => {
  for (const several of [false, true]) {
    const log = new BroadcastLog();
    const other = new BroadcastLog();
    const outbox = new Outbox(1024);
    outbox.subscribe(log);
    if (several) outbox.subscribe(other);
    log.append("a\n");
    const from = log.end;
    log.append("own\n");
    outbox.skip(log, from, log.end);
    log.append("b\n");
    // A range of a log not followed is ignored.
    outbox.skip(new BroadcastLog(), 0, 100);
    let text = "";
    for (let piece = outbox.takeNow(); piece !== undefined; piece = outbox.takeNow()) {
      text += new TextDecoder().decode(piece);
    }
    assertEquals(text, "a\nb\n", several ? "several logs" : "one log");
  }
});
