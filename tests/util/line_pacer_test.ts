import { assertEquals } from "@std/assert";
import { LinePacer, type LinePacerOptions, MAX_QUEUED_LINES } from "../../lib/util/line_pacer.ts";

/** A pacer that records what it ran and said; `done` resolves after `expected` lines ran. */
function recorder(options: Partial<LinePacerOptions>, expected = Infinity) {
  const ran: string[] = [];
  const said: string[] = [];
  const done = Promise.withResolvers<void>();
  const pacer = new LinePacer({
    linesPerSecond: 0,
    burst: 1,
    run: (line) => {
      ran.push(line);
      if (ran.length === expected) done.resolve();
    },
    delayed: () => said.push("delayed"),
    flooding: () => {
      said.push("flooding");
      done.resolve();
    },
    ...options,
  });
  return { pacer, ran, said, done: done.promise };
}

Deno.test("line pacer runs lines at once, in order, when there is no rate", () => {
  const { pacer, ran, said } = recorder({});
  pacer.push(["a", "b"], 0);
  pacer.push(["c"], 0);
  assertEquals(ran, ["a", "b", "c"]);
  assertEquals(said, []);
});

Deno.test("line pacer holds later lines while a line's handler is busy, then runs them in order", async () => {
  const gate = Promise.withResolvers<void>();
  const ran: string[] = [];
  const pacer = new LinePacer({
    linesPerSecond: 0,
    burst: 1,
    run: (line) => {
      ran.push(line);
      return line === "slow" ? gate.promise : undefined;
    },
    delayed: () => {},
    flooding: () => {},
  });
  pacer.push(["slow", "x", "y"], 0);
  assertEquals(ran, ["slow"]);
  assertEquals(pacer.queued, 2);
  gate.resolve();
  await gate.promise;
  await Promise.resolve();
  await Promise.resolve();
  assertEquals(ran, ["slow", "x", "y"]);
});

Deno.test("line pacer lets the burst through, delays the rest with one notice, and loses none", async () => {
  const { pacer, ran, said, done } = recorder({ linesPerSecond: 1000, burst: 3 }, 8);
  pacer.push(["1", "2", "3", "4", "5", "6", "7", "8"], performance.now());
  assertEquals(ran, ["1", "2", "3"], "the burst goes at once");
  assertEquals(said, ["delayed"]);
  await done;
  assertEquals(ran, ["1", "2", "3", "4", "5", "6", "7", "8"]);
  assertEquals(said, ["delayed"], "one notice per burst");
  pacer.close();
});

Deno.test("line pacer: unpaced lines (a nickname) never wait", () => {
  let paced = false;
  const { pacer, ran } = recorder({ linesPerSecond: 1, burst: 1, paced: () => paced });
  pacer.push(["nick", "again", "more"], 0);
  assertEquals(ran, ["nick", "again", "more"]);
  paced = true;
  pacer.push(["chat"], 0);
  assertEquals(ran.length, 4);
  pacer.push(["waits"], 0);
  assertEquals(ran.length, 4);
  pacer.close();
});

Deno.test("line pacer: passing the queue's bound is flooding, and it stops", () => {
  const { pacer, ran, said } = recorder({ linesPerSecond: 1, burst: 1 });
  const lines = Array.from({ length: MAX_QUEUED_LINES + 5 }, (_, i) => `l${i}`);
  pacer.push(lines, 0);
  assertEquals(said, ["delayed", "flooding"]);
  assertEquals(ran, ["l0"]);
  pacer.push(["after"], 0);
  assertEquals(ran, ["l0"], "closed");
});

Deno.test("line pacer holds every line while held, and lets them go in order on release", () => {
  const { pacer, ran, said } = recorder({});
  pacer.push(["a"], 0);
  pacer.hold();
  pacer.push(["b", "c"], 0);
  pacer.push(["d"], 0);
  assertEquals(ran, ["a"]);
  assertEquals(pacer.queued, 3);
  pacer.release();
  assertEquals(ran, ["a", "b", "c", "d"]);
  assertEquals(said, [], "waiting for a release is not a rate notice");
  pacer.push(["e"], 0);
  assertEquals(ran, ["a", "b", "c", "d", "e"], "released: lines go at once again");
});

Deno.test("line pacer: held lines count against the bound, and passing it is flooding", () => {
  const { pacer, ran, said } = recorder({});
  pacer.hold();
  pacer.push(Array.from({ length: MAX_QUEUED_LINES }, (_, i) => `${i}`), 0);
  assertEquals(said, []);
  pacer.push(["one too many"], 0);
  assertEquals(said, ["flooding"]);
  pacer.release();
  assertEquals(ran, [], "a flooding client's waiting lines are dropped");
});

Deno.test("line pacer: lines held at an allowed pace keep their tokens and go at once on release", () => {
  // A burst of 3 at 1 line/s: 6 lines over 3 s are within the rate, 7 are not.
  const { pacer, ran, said } = recorder({ linesPerSecond: 1, burst: 3 });
  // Typed over the 3 s before now: the release (at now) adds no token of its own.
  const start = performance.now() - 3_000;
  pacer.hold();
  pacer.push(["1", "2", "3"], start);
  pacer.push(["4"], start + 1_000);
  pacer.push(["5"], start + 2_000);
  pacer.push(["6"], start + 3_000);
  pacer.push(["7"], start + 3_000);
  pacer.release();
  assertEquals(ran, ["1", "2", "3", "4", "5", "6"], "the seventh waits for a token, as always");
  assertEquals(said, ["delayed"]);
  pacer.close();
});

Deno.test("line pacer runs a requeued line again first, before the lines that waited", async () => {
  const gate = Promise.withResolvers<void>();
  const ran: string[] = [];
  let pacer: LinePacer | undefined = undefined;
  pacer = new LinePacer({
    linesPerSecond: 0,
    burst: 1,
    run: (line) => {
      ran.push(line);
      if (line !== "cut" || ran.length > 1) return;
      // Cut off midway: the session holds the pacer and puts the line back.
      return gate.promise.then(() => {
        pacer!.hold();
        pacer!.requeue(line);
      });
    },
    delayed: () => {},
    flooding: () => {},
  });
  pacer.push(["cut", "next"], 0);
  gate.resolve();
  await gate.promise;
  await Promise.resolve();
  await Promise.resolve();
  assertEquals(ran, ["cut"]);
  assertEquals(pacer.queued, 2);
  pacer.release();
  assertEquals(ran, ["cut", "cut", "next"]);
});
