/**
 * Bugs (unexpected throws) go to the server's log with their stack, once, and
 * cost at most the connection they happened on: never the server.
 */

import { assertEquals, assertStringIncludes } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { joinAll, startServer } from "../_server_helpers.ts";
import { buggyCluster } from "../fixtures/buggy_cluster.ts";

const ko = userText("ko");

Deno.test("server logs a bug in a line's handling with its stack, once; the user goes on chatting", async () => {
  const s = startServer({ cluster: buggyCluster({ findThrowsFor: "boom" }), quiet: true });
  try {
    await using joined = await joinAll(s.port, "alice", "bob");
    const [alice, bob] = joined;
    await alice.send("@boom hi");
    await alice.send("still here");
    await bob.waitFor(ko.message("alice", "still here"));
  } finally {
    await s.server.shutdown();
  }
  const log = s.sink.text;
  const lines = log.split("\n");
  const heads = lines.filter((line) => line.startsWith("예상하지 못한 오류"));
  assertEquals(heads.length, 1, log);
  assertStringIncludes(heads[0], "(127.0.0.1:");
  assertStringIncludes(heads[0], "TypeError: a bug in find, for boom");
  assertStringIncludes(log, "buggy_cluster.ts", "the stack is there");
});

Deno.test("server logs a bug while a connection ends with its stack, once, and serves the next one", async () => {
  const s = startServer({ cluster: buggyCluster({ leaveThrowsFor: "alice" }), quiet: true });
  try {
    const [alice, bob] = await joinAll(s.port, "alice", "bob");
    await using _b = bob;
    await alice.close();
    await using _carol = (await joinAll(s.port, "carol"))[0];
    await bob.waitFor(ko.joined("carol"));
  } finally {
    await s.server.shutdown();
  }
  const log = s.sink.text;
  const heads = log.split("\n").filter((line) => line.startsWith("예상하지 못한 오류"));
  assertEquals(heads.length, 1, log);
  assertStringIncludes(heads[0], "RangeError: a bug in publish, leaving alice");
  assertStringIncludes(log, "buggy_cluster.ts", "the stack is there");
});
