import { assertEquals, assertThrows } from "@std/assert";
import { MalformedEntryError } from "../../lib/cluster/_entry_shape.ts";
import { type ControlItem, parseBanEnd, parseControlItem } from "../../lib/cluster/control_item.ts";

Deno.test("parseControlItem takes back bans and unbans as a server writes them", () => {
  const items: ControlItem[] = [
    { kind: "ban", address: "10.0.0.1", until: 0 },
    { kind: "ban", address: "::1", until: 1_700_000_000_000 },
    { kind: "unban", address: "10.0.0.1" },
  ];
  for (const item of items) assertEquals(parseControlItem(JSON.stringify(item)), item);
});

Deno.test("parseControlItem refuses items of the wrong shape", () => {
  const cases: [string, string][] = [
    ['{"kind":"ban","address":5,"until":0}', `"address" is not non-empty text`],
    ['{"kind":"ban","address":"1.2.3.4","until":-5}', `"until" is negative`],
    ['{"kind":"unban","address":"1.2.3.4","until":0}', "unexpected fields"],
    ['{"kind":"reset"}', `"kind" is not a control item's`],
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
