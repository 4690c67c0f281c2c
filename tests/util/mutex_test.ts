import { assert, assertEquals, assertFalse, assertRejects } from "@std/assert";
import { Mutex } from "../../lib/util/mutex.ts";

/** A promise settled by hand, to make each task wait where the test says. */
function gate(): { promise: Promise<void>; open: () => void } {
  const { promise, resolve } = Promise.withResolvers<void>();
  return { promise, open: () => resolve() };
}

/** Lets every queued microtask and one macrotask run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("mutex keeps a critical section whole across awaits", async () => {
  const mutex = new Mutex();
  const events: string[] = [];
  const task = (name: string) =>
    mutex.run(async () => {
      events.push(`${name} start`);
      for (let i = 0; i < 3; i++) await settle();
      events.push(`${name} end`);
    });
  await Promise.all([task("a"), task("b"), task("c")]);
  assertEquals(events, ["a start", "a end", "b start", "b end", "c start", "c end"]);
});

Deno.test("mutex without the lock lets those sections interleave (control)", async () => {
  const events: string[] = [];
  const task = async (name: string) => {
    events.push(`${name} start`);
    await settle();
    events.push(`${name} end`);
  };
  await Promise.all([task("a"), task("b")]);
  assertEquals(events, ["a start", "b start", "a end", "b end"]);
});

Deno.test("mutex hands the lock over in first-in, first-out order", async () => {
  const mutex = new Mutex();
  const first = gate();
  const order: number[] = [];
  const holder = mutex.run(() => first.promise);
  const waiters = [1, 2, 3, 4, 5].map((n) => mutex.run(() => void order.push(n)));
  await settle();
  assertEquals(order, [], "nobody enters while the lock is held");
  first.open();
  await Promise.all([holder, ...waiters]);
  assertEquals(order, [1, 2, 3, 4, 5]);
});

Deno.test("mutex reports whether it is held", async () => {
  const mutex = new Mutex();
  assertFalse(mutex.locked);
  const release = gate();
  const entered = gate();
  const running = mutex.run(async () => {
    entered.open();
    await release.promise;
  });
  await entered.promise;
  assert(mutex.locked);
  release.open();
  await running;
  assertFalse(mutex.locked);
});

Deno.test("mutex releases the lock when the critical section throws", async () => {
  const mutex = new Mutex();
  await assertRejects(
    () =>
      mutex.run(async () => {
        await settle();
        throw new Error("boom");
      }),
    Error,
    "boom",
  );
  assertFalse(mutex.locked);
  assertEquals(await mutex.run(() => 42), 42, "the next task gets the lock");
});

Deno.test("mutex releases the lock when a synchronous section throws", async () => {
  const mutex = new Mutex();
  await assertRejects(() =>
    mutex.run(() => {
      throw new TypeError("sync");
    }), TypeError);
  assertEquals(await mutex.run(() => "next"), "next");
});

Deno.test("mutex acquire with using releases at the end of the block", async () => {
  const mutex = new Mutex();
  const order: string[] = [];
  let waiting: Promise<void>;
  {
    using _held = await mutex.acquire();
    assert(mutex.locked);
    waiting = mutex.run(() => void order.push("second"));
    await settle();
    order.push("first");
  }
  await waiting;
  assertEquals(order, ["first", "second"]);
  assertFalse(mutex.locked);
});

Deno.test("mutex ignores a second release of an old handle", async () => {
  const mutex = new Mutex();
  const first = await mutex.acquire();
  first[Symbol.dispose]();
  const second = await mutex.acquire();
  first[Symbol.dispose]();
  assert(mutex.locked, "the stale handle must not release the current holder");
  let third = false;
  const waiting = mutex.acquire().then((h) => {
    third = true;
    h[Symbol.dispose]();
  });
  await settle();
  assertFalse(third);
  second[Symbol.dispose]();
  await waiting;
  assert(third);
});
