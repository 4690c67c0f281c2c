import { assert, assertEquals, assertFalse, assertStrictEquals } from "@std/assert";
import type { BroadcastLog } from "../../lib/fanout/broadcast_log.ts";
import { Channel, type Format, type Subscriber } from "../../lib/fanout/channel.ts";
import { Outbox } from "../../lib/fanout/outbox.ts";

const decoder = new TextDecoder();

/** Lines as they are, counting how often it rendered. */
class CountingFormat implements Format<string> {
  renders = 0;
  constructor(readonly prefix = "") {}
  append(log: BroadcastLog, events: readonly string[]): void {
    this.renders += events.length;
    log.append(events.map((e) => this.prefix + e + "\n").join(""));
  }
}

const PLAIN = new CountingFormat();

/** A subscriber with a real outbox that the test drains by hand, like a writer task. */
class FakeSubscriber implements Subscriber<string> {
  readonly outbox: Outbox;
  overflows = 0;
  #received = "";

  constructor(limitBytes = 1 << 20, readonly format: Format<string> = PLAIN) {
    this.outbox = new Outbox(limitBytes);
  }

  overflowed(): void {
    this.overflows++;
  }

  takeAll(): Uint8Array[] {
    const pieces: Uint8Array[] = [];
    for (let p = this.outbox.takeNow(); p !== undefined; p = this.outbox.takeNow()) pieces.push(p);
    for (const piece of pieces) this.#received += decoder.decode(piece);
    return pieces;
  }

  lines(): string[] {
    this.takeAll();
    return this.#received === "" ? [] : this.#received.slice(0, -1).split("\n");
  }
}

function microtasks(): Promise<void> {
  return new Promise((resolve) => queueMicrotask(resolve));
}

Deno.test("channel gives a subscriber only what was published after it came", async () => {
  const channel = new Channel<string>();
  const [a, b, c] = [new FakeSubscriber(), new FakeSubscriber(), new FakeSubscriber()];
  channel.add(a);
  channel.publish("one");
  channel.add(b);
  channel.publish("two");
  channel.add(c);
  channel.publish("three");
  await microtasks();
  assertEquals(a.lines(), ["one", "two", "three"]);
  assertEquals(b.lines(), ["two", "three"]);
  assertEquals(c.lines(), ["three"]);
  assertEquals(channel.size, 3);
});

Deno.test("channel renders one burst once, as one buffer shared by every subscriber", async () => {
  const format = new CountingFormat();
  const channel = new Channel<string>();
  const subs = [1, 2, 3].map(() => new FakeSubscriber(1 << 20, format));
  for (const sub of subs) channel.add(sub);
  channel.publish("one");
  channel.publish("two");
  channel.publish("셋");
  assertEquals(subs[0].outbox.queuedBytes, 0, "nothing is handed out synchronously");
  await microtasks();
  assertEquals(format.renders, 3, "each event rendered once, not once per subscriber");
  const pieces = subs.map((s) => s.takeAll());
  for (const [i, sub] of subs.entries()) {
    assertEquals(pieces[i].length, 1, "one piece per subscriber per burst");
    assertEquals(sub.lines(), ["one", "two", "셋"]);
  }
  // The same bytes in memory: encoded once, not copied per subscriber.
  assertStrictEquals(pieces[0][0].buffer, pieces[1][0].buffer);
  assertStrictEquals(pieces[1][0].buffer, pieces[2][0].buffer);
});

Deno.test("channel renders once per format, each subscriber in its own", async () => {
  const text = new CountingFormat("t:");
  const json = new CountingFormat("j:");
  const channel = new Channel<string>();
  const subs = [
    new FakeSubscriber(1 << 20, text),
    new FakeSubscriber(1 << 20, json),
    new FakeSubscriber(1 << 20, text),
  ];
  for (const sub of subs) channel.add(sub);
  channel.publish("hi");
  await microtasks();
  assertEquals([text.renders, json.renders], [1, 1]);
  assertEquals(subs.map((s) => s.lines()), [["t:hi"], ["j:hi"], ["t:hi"]]);
});

Deno.test("channel keeps the order of events across bursts", async () => {
  const channel = new Channel<string>();
  const a = new FakeSubscriber();
  const b = new FakeSubscriber();
  channel.add(a);
  channel.add(b);
  for (let burst = 0; burst < 5; burst++) {
    for (let i = 0; i < 3; i++) channel.publish(`${burst}.${i}`);
    await microtasks();
    if (burst === 2) a.takeAll(); // one drains midway, the other does not
  }
  const expected = [...Array(15).keys()].map((n) => `${Math.floor(n / 3)}.${n % 3}`);
  assertEquals(a.lines(), expected);
  assertEquals(b.lines(), expected);
});

Deno.test("channel remove still delivers what was published before", async () => {
  const channel = new Channel<string>();
  const a = new FakeSubscriber();
  const b = new FakeSubscriber();
  channel.add(a);
  channel.add(b);
  channel.publish("bye");
  assert(channel.remove(a));
  assertFalse(channel.remove(a), "a second remove is a no-op");
  channel.publish("after");
  await microtasks();
  assertEquals(a.lines(), ["bye"]);
  assertEquals(b.lines(), ["bye", "after"]);
  assertFalse(channel.has(a));
});

Deno.test("channel flush puts pending events before a subscriber's own bytes", async () => {
  const channel = new Channel<string>();
  const a = new FakeSubscriber();
  channel.add(a);
  channel.publish("before");
  channel.flush();
  a.outbox.trySend(new TextEncoder().encode("private\n"));
  channel.publish("after");
  await microtasks();
  assertEquals(a.lines(), ["before", "private", "after"]);
});

Deno.test("channel removes a subscriber whose outbox is full, discards its output, and tells it", async () => {
  const channel = new Channel<string>();
  const fast = new FakeSubscriber();
  const slow = new FakeSubscriber(50); // never drained
  channel.add(fast);
  channel.add(slow);
  channel.publish("x".repeat(60));
  await microtasks();
  assertEquals(slow.overflows, 1);
  assertFalse(channel.has(slow));
  assertEquals(slow.outbox.queuedBytes, 0, "nothing is kept for a dropped subscriber");
  channel.publish("later");
  await microtasks();
  assertEquals(slow.overflows, 1, "told once");
  assertEquals(fast.lines(), ["x".repeat(60), "later"]);
});

Deno.test("channel delivers what an overflowing subscriber's owner publishes in reply", async () => {
  const channel = new Channel<string>();
  const fast = new FakeSubscriber();
  const slow = new FakeSubscriber(50);
  slow.overflowed = () => channel.publish("slow left");
  channel.add(fast);
  channel.add(slow);
  channel.publish("y".repeat(60));
  await microtasks();
  assertEquals(fast.lines(), ["y".repeat(60), "slow left"]);
});

Deno.test("channel does not hold events for a subscriber that keeps up", async () => {
  const channel = new Channel<string>();
  const reader = new FakeSubscriber(4096);
  channel.add(reader);
  for (let i = 0; i < 200; i++) {
    channel.publish(`${i} ${"w".repeat(100)}`);
    await microtasks();
    reader.takeAll();
  }
  assertEquals(reader.overflows, 0);
  assertEquals(reader.lines().length, 200);
});

Deno.test("channel runs beforeRender once before each render, and not when nothing is pending", async () => {
  const seen: string[] = [];
  const format = new CountingFormat();
  const order: string[] = [];
  const channel = new Channel<string>({
    beforeRender: () => order.push(`before (rendered ${format.renders})`),
  });
  const a = new FakeSubscriber(1 << 20, format);
  channel.add(a);
  channel.publish("one");
  channel.publish("two");
  channel.flush();
  channel.flush();
  channel.publish("three");
  await microtasks();
  await microtasks();
  seen.push(...a.lines());
  assertEquals(seen, ["one", "two", "three"]);
  assertEquals(order, ["before (rendered 0)", "before (rendered 2)"]);
});

Deno.test("channel: a subscriber of several channels gets each one's events once, through one outbox", async () => {
  const format = new CountingFormat();
  const math = new Channel<string>();
  const art = new Channel<string>();
  const both = new FakeSubscriber(1 << 20, format);
  const mathOnly = new FakeSubscriber(1 << 20, format);
  math.add(both);
  art.add(both);
  math.add(mathOnly);
  math.publish("m1");
  art.publish("a1");
  await microtasks();
  assertEquals(format.renders, 2, "each event rendered once, whoever reads it");
  assertEquals(both.lines().sort(), ["a1", "m1"]);
  assertEquals(mathOnly.lines(), ["m1"]);
  art.publish("a2");
  math.remove(both);
  math.publish("m2");
  await microtasks();
  assertEquals(both.lines().sort(), ["a1", "a2", "m1"], "out of math only");
  assertEquals(mathOnly.lines(), ["m1", "m2"]);
  assertFalse(math.has(both));
  assert(art.has(both));
});

Deno.test("channel: the output limit counts what every channel of a subscriber queued", async () => {
  const math = new Channel<string>();
  const art = new Channel<string>();
  const both = new FakeSubscriber(100);
  math.add(both);
  art.add(both);
  math.publish("x".repeat(60));
  await microtasks();
  assertEquals(both.overflows, 0);
  art.publish("y".repeat(60));
  await microtasks();
  assertEquals(both.overflows, 1, "60 + 60 bytes waiting pass 100");
});
