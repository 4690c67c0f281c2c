/**
 * The connection counts every worker shares: each writes its own part, all read the sum.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import { SharedCounts } from "../../lib/workers/shared_counts.ts";

Deno.test("shared counts: every worker reads the total and the per-address count of all workers", () => {
  const buffer = SharedCounts.allocate(3);
  const [a, b, c] = [0, 1, 2].map((worker) => new SharedCounts(buffer, worker));
  a.add("10.0.0.1");
  b.add("10.0.0.1");
  b.add("10.0.0.2");
  assertEquals([a.total(), b.total(), c.total()], [3, 3, 3]);
  assertEquals(c.count("10.0.0.1"), 2);
  assertEquals(c.count("10.0.0.2"), 1);
  assertEquals(c.count("10.0.0.3"), 0);
  b.remove("10.0.0.1");
  assertEquals(a.count("10.0.0.1"), 1);
  assertEquals(a.total(), 2);
});

Deno.test("shared counts: clearing a dead worker's part forgets its connections only", () => {
  const buffer = SharedCounts.allocate(2);
  const alive = new SharedCounts(buffer, 0);
  const dead = new SharedCounts(buffer, 1);
  alive.add("::1");
  dead.add("::1");
  dead.add("192.168.0.9");
  alive.clear(1);
  assertEquals(alive.total(), 1);
  assertEquals(alive.count("::1"), 1);
  assertEquals(alive.count("192.168.0.9"), 0);
});
