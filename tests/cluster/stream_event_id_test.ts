import { assert, assertEquals } from "@std/assert";
import {
  compareStreamIds,
  parseStreamEventId,
  streamEventId,
} from "../../lib/cluster/stream_event_id.ts";

Deno.test("a cluster's history id is the epoch and the stream id, and reads back as them", () => {
  const id = streamEventId("3f2a9c01d4e5", "1765000000123-7");
  assertEquals(id, "3f2a9c01d4e5.1765000000123-7");
  assertEquals(parseStreamEventId(id), { epoch: "3f2a9c01d4e5", streamId: "1765000000123-7" });
});

Deno.test("parseStreamEventId refuses what is not a cluster's id: a single server's, none, junk", () => {
  const tooBig = "3f2a9c01d4e5.18446744073709551616-0"; // Past 64 bits: Redis would refuse it.
  assertEquals(
    parseStreamEventId("3f2a9c01d4e5.18446744073709551615-0")?.streamId,
    "18446744073709551615-0",
  );
  for (const id of ["3f2a9c01d4e5.42", "none", "", "x.1-2-3", "3f2a.1-", ".1-2", "a.b-c", tooBig]) {
    assertEquals(parseStreamEventId(id), undefined, id);
  }
});

Deno.test("compareStreamIds orders stream ids as Redis does: by time, then by sequence, as numbers", () => {
  assert(compareStreamIds("9-0", "10-0") < 0, "numbers, not text");
  assert(compareStreamIds("10-2", "10-10") < 0);
  assert(compareStreamIds("10-0", "9-99") > 0);
  assertEquals(compareStreamIds("1765000000123-7", "1765000000123-7"), 0);
  assert(compareStreamIds("0-0", "1-0") < 0);
});
