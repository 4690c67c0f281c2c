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
