import { assert, assertEquals, assertFalse, assertStrictEquals } from "@std/assert";
import { messagesFor } from "../../lib/catalog/catalog.ts";
import { Hub, type Member } from "../../lib/chat/hub.ts";
import { Outbox } from "../../lib/fanout/outbox.ts";

const decoder = new TextDecoder();

/** A member with a real outbox that the test drains by hand, like a writer task. */
class FakeMember implements Member {
  readonly outbox: Outbox;
  dropped = 0;
  #received = "";

  constructor(limitBytes = 1 << 20) {
    this.outbox = new Outbox(limitBytes);
  }

  drop(): void {
    this.dropped++;
  }

  /** Takes everything waiting now, as the writer would. */
  async takeAll(): Promise<Uint8Array[]> {
    const pieces: Uint8Array[] = [];
    while (this.outbox.queuedBytes > 0) pieces.push((await this.outbox.take())!);
    for (const piece of pieces) this.#received += decoder.decode(piece);
    return pieces;
  }

  /** Every line received so far, in order (takes what is waiting first). */
  async lines(): Promise<string[]> {
    await this.takeAll();
    return this.#received === "" ? [] : this.#received.slice(0, -1).split("\n");
  }

  /** Forgets the lines received so far. */
  async clear(): Promise<void> {
    await this.takeAll();
    this.#received = "";
  }
}

function makeHub(): Hub {
  return new Hub({ messages: messagesFor("ko") });
}

/** Lets the hub's scheduled flush run. */
function microtasks(): Promise<void> {
  return new Promise((resolve) => queueMicrotask(resolve));
}

Deno.test("hub join tells everyone, the newcomer included", async () => {
  const hub = makeHub();
  const alice = new FakeMember();
  const bob = new FakeMember();
  assert(hub.join(alice, "alice"));
  await microtasks();
  assert(hub.join(bob, "bob"));
  await microtasks();
  assertEquals(await alice.lines(), ["alice님이 입장하셨습니다.", "bob님이 입장하셨습니다."]);
  assertEquals(await bob.lines(), ["bob님이 입장하셨습니다."], "nothing from before it joined");
  assertEquals(hub.size, 2);
  assertEquals(hub.nicknames(), ["alice", "bob"]);
  assertEquals(hub.nicknameOf(bob), "bob");
});

Deno.test("hub join in one burst still gives each newcomer only what came after it", async () => {
  const hub = makeHub();
  const [a, b, c] = [new FakeMember(), new FakeMember(), new FakeMember()];
  hub.join(a, "a");
  hub.join(b, "b");
  hub.join(c, "c");
  await microtasks();
  assertEquals(await a.lines(), [
    "a님이 입장하셨습니다.",
    "b님이 입장하셨습니다.",
    "c님이 입장하셨습니다.",
  ]);
  assertEquals(await b.lines(), ["b님이 입장하셨습니다.", "c님이 입장하셨습니다."]);
  assertEquals(await c.lines(), ["c님이 입장하셨습니다."]);
});

Deno.test("hub refuses a nickname already taken, ignoring case", async () => {
  const hub = makeHub();
  const alice = new FakeMember();
  const impostor = new FakeMember();
  assert(hub.join(alice, "Alice"));
  assertFalse(hub.join(impostor, "aLICE"));
  assertFalse(hub.join(impostor, "alice"));
  await microtasks();
  assertEquals(hub.size, 1);
  assertEquals(await impostor.lines(), [], "a refused member receives nothing");
  assertEquals(await alice.lines(), ["Alice님이 입장하셨습니다."]);
  hub.broadcast("later");
  await microtasks();
  assertEquals(await impostor.lines(), [], "nor later broadcasts");
});

Deno.test("hub find matches ignoring case and returns the nickname as registered", () => {
  const hub = makeHub();
  const alice = new FakeMember();
  hub.join(alice, "Alice");
  const found = hub.find("ALICE");
  assertStrictEquals(found?.member, alice);
  assertEquals(found?.nickname, "Alice");
  assertEquals(hub.find("bob"), undefined);
});

Deno.test("hub remove notifies the others exactly once and frees the nickname", async () => {
  const hub = makeHub();
  const alice = new FakeMember();
  const bob = new FakeMember();
  hub.join(alice, "alice");
  hub.join(bob, "bob");
  await microtasks();
  await alice.clear();
  await bob.clear();
  assert(hub.remove(alice));
  assertFalse(hub.remove(alice), "the second remove is a no-op");
  assertFalse(hub.remove(alice));
  await microtasks();
  assertEquals(await bob.lines(), ["alice님이 퇴장하셨습니다."]);
  assertEquals(await alice.lines(), [], "the leaver gets no notice of its own leaving");
  assertEquals(hub.nicknames(), ["bob"]);
  assertEquals(hub.size, 1);
  assert(hub.join(new FakeMember(), "ALICE"), "the nickname is free again");
});

Deno.test("hub remove still delivers what was broadcast before the member left", async () => {
  const hub = makeHub();
  const alice = new FakeMember();
  const bob = new FakeMember();
  hub.join(alice, "alice");
  hub.join(bob, "bob");
  await microtasks();
  await alice.clear();
  await bob.clear();
  // Alice's last line and her leaving happen in one synchronous burst.
  hub.broadcast("alice> bye");
  hub.remove(alice);
  hub.broadcast("bob> too late");
  await microtasks();
  assertEquals(await alice.lines(), ["alice> bye"]);
  assertEquals(await bob.lines(), ["alice> bye", "alice님이 퇴장하셨습니다.", "bob> too late"]);
});

Deno.test("hub remove without notify tells nobody", async () => {
  const hub = makeHub();
  const alice = new FakeMember();
  const bob = new FakeMember();
  hub.join(alice, "alice");
  hub.join(bob, "bob");
  await microtasks();
  await bob.clear();
  assert(hub.remove(alice, false));
  await microtasks();
  assertEquals(await bob.lines(), []);
  assertEquals(hub.nicknames(), ["bob"]);
});

Deno.test("hub add makes an echo member that gets broadcasts but no notices", async () => {
  const hub = makeHub();
  const first = new FakeMember();
  const second = new FakeMember();
  hub.add(first);
  hub.add(second);
  hub.broadcast("hello");
  await microtasks();
  assert(hub.remove(first));
  hub.broadcast("again");
  await microtasks();
  assertEquals(await first.lines(), ["hello"]);
  assertEquals(await second.lines(), ["hello", "again"]);
  assertEquals(hub.nicknames(), []);
  assertEquals(hub.nicknameOf(first), undefined);
});

Deno.test("hub broadcasts one burst as one buffer shared by every member, in order", async () => {
  const hub = makeHub();
  const members = [new FakeMember(), new FakeMember(), new FakeMember()];
  for (const member of members) hub.add(member);
  hub.broadcast("one");
  hub.broadcast("two");
  hub.broadcast("셋");
  assertEquals(members[0].outbox.queuedBytes, 0, "nothing is handed out synchronously");
  await microtasks();
  const pieces = await Promise.all(members.map((m) => m.takeAll()));
  for (const [i, member] of members.entries()) {
    assertEquals(pieces[i].length, 1, "one piece per member per burst");
    assertEquals(await member.lines(), ["one", "two", "셋"]);
  }
  // The same bytes in memory: encoded once, not copied per member.
  assertStrictEquals(pieces[0][0].buffer, pieces[1][0].buffer);
  assertStrictEquals(pieces[1][0].buffer, pieces[2][0].buffer);
  assertEquals(pieces[0][0].byteOffset, pieces[2][0].byteOffset);
});

Deno.test("hub keeps the order of broadcasts across bursts", async () => {
  const hub = makeHub();
  const a = new FakeMember();
  const b = new FakeMember();
  hub.add(a);
  hub.add(b);
  for (let burst = 0; burst < 5; burst++) {
    for (let i = 0; i < 3; i++) hub.broadcast(`${burst}.${i}`);
    await microtasks();
    if (burst === 2) await a.takeAll(); // one member drains midway, the other does not
  }
  const expected = [...Array(15).keys()].map((n) => `${Math.floor(n / 3)}.${n % 3}`);
  assertEquals(await a.lines(), expected);
  assertEquals(await b.lines(), expected);
});

Deno.test("hub send flushes pending broadcasts first", async () => {
  const hub = makeHub();
  const alice = new FakeMember();
  hub.add(alice);
  hub.broadcast("before");
  assert(hub.send(alice, "private", "two lines"));
  hub.broadcast("after");
  await microtasks();
  assertEquals(await alice.lines(), ["before", "private", "two lines", "after"]);
});

Deno.test("hub send reaches a connection that is not a member", async () => {
  const hub = makeHub();
  const stranger = new FakeMember();
  hub.add(new FakeMember());
  assert(hub.send(stranger, "닉네임을 입력하세요:"));
  hub.broadcast("not for strangers");
  await microtasks();
  assertEquals(await stranger.lines(), ["닉네임을 입력하세요:"]);
});

Deno.test("hub drops a client whose outbox is full and tells the others it left", async () => {
  const hub = makeHub();
  const alice = new FakeMember();
  const slow = new FakeMember(150); // room for the join notices only; never drained
  const bob = new FakeMember();
  hub.join(alice, "alice");
  hub.join(slow, "slow");
  hub.join(bob, "bob");
  await microtasks();
  assertEquals(slow.dropped, 0);
  hub.broadcast("x".repeat(100));
  await microtasks();
  assertEquals(slow.dropped, 1);
  assertEquals(hub.nicknames(), ["alice", "bob"]);
  for (const member of [alice, bob]) {
    assertEquals((await member.lines()).slice(-2), ["x".repeat(100), "slow님이 퇴장하셨습니다."]);
  }
  assertEquals(slow.outbox.queuedBytes, 0, "nothing is kept for a dropped client");
  // Gone for good: later broadcasts and removes do not touch it again.
  assertFalse(hub.remove(slow));
  hub.broadcast("later");
  await microtasks();
  assertEquals(slow.dropped, 1);
  assertEquals(await slow.lines(), []);
  assertEquals(
    (await alice.lines()).filter((l) => l === "slow님이 퇴장하셨습니다.").length,
    1,
  );
});

Deno.test("hub send drops the target when its outbox is full", async () => {
  const hub = makeHub();
  const alice = new FakeMember();
  const slow = new FakeMember(100); // room for its join notice only
  hub.join(alice, "alice");
  hub.join(slow, "slow");
  await microtasks();
  assertFalse(hub.send(slow, "y".repeat(100)));
  assertEquals(slow.dropped, 1);
  await microtasks();
  assertEquals((await alice.lines()).at(-1), "slow님이 퇴장하셨습니다.");
  assertEquals(hub.size, 1);
});

Deno.test("hub drops several full members of one burst, each notice once", async () => {
  const hub = makeHub();
  const alice = new FakeMember();
  const slow1 = new FakeMember(120);
  const slow2 = new FakeMember(120);
  hub.join(alice, "alice");
  hub.join(slow1, "s1");
  hub.join(slow2, "s2");
  await microtasks();
  hub.broadcast("z".repeat(100));
  await microtasks();
  assertEquals([slow1.dropped, slow2.dropped], [1, 1]);
  const notices = (await alice.lines()).filter((l) => l.endsWith("님이 퇴장하셨습니다."));
  assertEquals(notices.sort(), ["s1님이 퇴장하셨습니다.", "s2님이 퇴장하셨습니다."]);
});

Deno.test("hub does not hold broadcasts for a member that keeps up", async () => {
  const hub = makeHub();
  const reader = new FakeMember(4096);
  hub.add(reader);
  // Far more than the limit in total, but drained after every burst.
  for (let i = 0; i < 200; i++) {
    hub.broadcast(`${i} ${"w".repeat(100)}`);
    await microtasks();
    await reader.takeAll();
  }
  assertEquals(reader.dropped, 0);
  assertEquals((await reader.lines()).length, 200);
});
