/**
 * The helper for results that come now or later, and the types that keep a
 * maybe-promise from being tested for truth (checked by `deno check`: an
 * `@ts-expect-error` that no longer meets an error fails the check).
 */

import { assert, assertEquals, assertInstanceOf } from "@std/assert";
import type { RoomEvent } from "../../lib/chat/events.ts";
import { type MaybePromise, type Step, whenReady } from "../../lib/util/maybe_async.ts";
import { join, testChat } from "../chat/_fake_peer.ts";

Deno.test("whenReady acts on a value at once, with no promise", () => {
  const seen: boolean[] = [];
  const step = whenReady(false, (value) => {
    seen.push(value);
  });
  assertEquals(seen, [false]);
  assertEquals(step, undefined);
});

Deno.test("whenReady acts on a promise once it fulfils, and its step settles after", async () => {
  const { promise, resolve } = Promise.withResolvers<boolean>();
  const seen: boolean[] = [];
  const step = whenReady(promise, (value) => {
    seen.push(value);
  });
  assertInstanceOf(step, Promise);
  assertEquals(seen, []);
  resolve(false);
  await step;
  assertEquals(seen, [false]);
});

Deno.test("whenReady hands a failure to the caller: thrown at once, or a rejected step", async () => {
  let thrown = false;
  try {
    whenReady(1, () => {
      throw new Error("bug");
    });
  } catch {
    thrown = true;
  }
  assert(thrown);
  const step = whenReady(Promise.reject(new Error("down")), () => {});
  let rejected = false;
  await (step as Promise<void>).catch(() => rejected = true);
  assert(rejected);
});

Deno.test("a result that may come later cannot be tested for truth (type-level)", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  const user = alice.session.user!;
  const event: RoomEvent = { type: "message", room: "lobby", nick: "alice", text: "hi", time: 0 };
  // The chat says an unsent line so itself: publish gives nothing to test (TS1345).
  // @ts-expect-error An expression of type 'void' cannot be tested for truthiness.
  if (!chat.publish(user, event)) alice.type("unreachable");
  const sent = chat.publish(user, event);
  // @ts-expect-error An expression of type 'void' cannot be tested for truthiness.
  if (!sent) alice.type("unreachable");
  // A step says when the work is done, never what came of it.
  // @ts-expect-error Type 'Step' is not assignable to type 'boolean'.
  const value: boolean = whenReady(true as MaybePromise<boolean>, () => {});
  // @ts-expect-error A callback gives no result back through the step.
  const step: Step = whenReady(true as MaybePromise<boolean>, (ok) => ok);
  // Results come to callbacks, never as values.
  // @ts-expect-error Expected 2 arguments, but got 1.
  const misuse = () => chat.findUser("alice");
  assertEquals([value, step, typeof misuse], [undefined, true, "function"]);
  alice.session.ended();
});
