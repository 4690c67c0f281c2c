import { assertEquals, assertThrows } from "@std/assert";
import type { ClusterLog } from "../../lib/chat/cluster.ts";
import { MalformedEntryError } from "../../lib/cluster/_entry_shape.ts";
import { MalformedLog } from "../../lib/cluster/malformed_log.ts";

function recording(): { log: ClusterLog; told: string[] } {
  const told: string[] = [];
  const log: ClusterLog = {
    joined: () => {},
    unreachable: () => {},
    restored: () => {},
    reaped: () => {},
    noPersistence: () => {},
    dataLost: () => {},
    stalled: () => {},
    nicknameLost: () => {},
    malformed: (what, detail) => told.push(`${what}: ${detail}`),
  };
  return { log, told };
}

Deno.test("malformed log tells each entry once, however often it is read", () => {
  const { log, told } = recording();
  const malformed = new MalformedLog(log);
  for (let i = 0; i < 3; i++) {
    malformed.report("chat:users bogus", new MalformedEntryError("not JSON"));
    malformed.report("chat:room:lobby 1-0", new MalformedEntryError("not JSON"));
  }
  assertEquals(told, ["chat:users bogus: not JSON", "chat:room:lobby 1-0: not JSON"]);
});

Deno.test("malformed log makes a location written by anyone safe for the console", () => {
  const { log, told } = recording();
  new MalformedLog(log).report(
    "chat:users \x1b[2J" + "x".repeat(500),
    new MalformedEntryError("x"),
  );
  assertEquals(told.length, 1);
  assertEquals(told[0].includes("\x1b"), false);
  assertEquals(told[0].length < 200, true);
});

Deno.test("malformed log lets any other error through: a bug is not a bad entry", () => {
  const { log, told } = recording();
  assertThrows(() => new MalformedLog(log).report("chat:users a", new TypeError("bug")), TypeError);
  assertEquals(told, []);
});
