import { assertEquals, assertThrows } from "@std/assert";
import { MalformedEntryError } from "../../lib/cluster/_entry_shape.ts";
import {
  type ControlItem,
  parseBanEnd,
  parseControlItem,
  parseNicknameBan,
} from "../../lib/cluster/control_item.ts";

Deno.test("parseControlItem takes back bans and unbans as a server writes them", () => {
  const items: ControlItem[] = [
    { kind: "ban", address: "10.0.0.1", until: 0 },
    { kind: "ban", address: "::1", until: 1_700_000_000_000 },
    { kind: "unban", address: "10.0.0.1" },
    { kind: "nickBan", key: "alice", name: "Alice", until: 0 },
    { kind: "nickBan", key: "alice", name: "Alice", until: 1_700_000_000_000 },
    { kind: "nickUnban", key: "alice" },
  ];
  for (const item of items) assertEquals(parseControlItem(JSON.stringify(item)), item);
});

Deno.test("parseControlItem refuses items of the wrong shape", () => {
  const cases: [string, string][] = [
    ['{"kind":"ban","address":5,"until":0}', `"address" is not non-empty text`],
    ['{"kind":"ban","address":"1.2.3.4","until":-5}', `"until" is negative`],
    ['{"kind":"unban","address":"1.2.3.4","until":0}', "unexpected fields"],
    ['{"kind":"reset"}', `"kind" is not a control item's`],
    ['{"kind":"nickBan","key":"a","name":"a\\u001b[2J","until":0}', `"name" is not non-empty text`],
    ['{"kind":"nickBan","key":"a","name":"a","until":-1}', `"until" is negative`],
    ['{"kind":"nickUnban","key":"a","name":"a"}', "unexpected fields"],
  ];
  for (const [json, message] of cases) {
    assertThrows(() => parseControlItem(json), MalformedEntryError, message, json);
  }
});

Deno.test("parseBanEnd reads a ban's end from the bans hash: a whole number, 0 until lifted", () => {
  assertEquals(parseBanEnd("0"), undefined);
  assertEquals(parseBanEnd("1700000000000"), 1_700_000_000_000);
  for (const value of ["soon", "", "-1", "1.5", "1e3"]) {
    assertThrows(() => parseBanEnd(value), MalformedEntryError, "the end is not a whole number");
  }
});

Deno.test("parseNicknameBan reads a nickname ban from its hash: the name, the end, who and why", () => {
  const ban = { name: "Alice", until: 0, by: "op", reason: null };
  assertEquals(parseNicknameBan(JSON.stringify(ban)), ban);
  assertThrows(
    () => parseNicknameBan('{"name":"Alice","until":0,"by":"op"}'),
    MalformedEntryError,
    `"reason" is not text or null`,
  );
  assertThrows(() => parseNicknameBan("alice"), MalformedEntryError, "not JSON");
});
