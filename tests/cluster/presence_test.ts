import { assertEquals, assertThrows } from "@std/assert";
import { MalformedEntryError } from "../../lib/cluster/_entry_shape.ts";
import { parsePresence, type Presence } from "../../lib/cluster/presence.ts";

const ALICE: Presence = {
  nick: "alice",
  rooms: ["lobby", "Math"],
  roomKeys: ["lobby", "rnath"],
  away: null,
  address: "127.0.0.1",
  server: "bc6d855e",
  token: "bc6d855e:0f0e",
  since: 1_700_000_000_000,
};

Deno.test("parsePresence takes back a presence as a server writes it, away or not, in several rooms or none", () => {
  const inNone = { ...ALICE, rooms: [], roomKeys: [] };
  const inOne = { ...ALICE, rooms: ["Math"], roomKeys: ["rnath"] };
  for (const presence of [ALICE, { ...ALICE, away: "" }, inNone, inOne]) {
    assertEquals(parsePresence(JSON.stringify(presence)), presence);
  }
});

Deno.test("parsePresence refuses a presence of the wrong shape", () => {
  const cases: [unknown, string][] = [
    [{ ...ALICE, nick: 5 }, `"nick" is not non-empty text`],
    [{ ...ALICE, away: undefined }, `"away" is not text or null`],
    [{ ...ALICE, since: "soon" }, `"since" is not a number`],
    [{ ...ALICE, server: "" }, `"server" is not non-empty text`],
    [{ ...ALICE, rooms: ["a\u0007", "b"] }, `"rooms" is not a list of non-empty texts`],
    [{ ...ALICE, roomKeys: "rnath" }, `"roomKeys" is not a list of non-empty texts`],
    [{ ...ALICE, roomKeys: ["rnath"] }, `"rooms" and "roomKeys" differ in length`],
    [{ ...ALICE, room: "Math", roomKey: "rnath" }, "unexpected fields"],
    [{ ...ALICE, extra: true }, "unexpected fields"],
  ];
  for (const [value, message] of cases) {
    assertThrows(() => parsePresence(JSON.stringify(value)), MalformedEntryError, message);
  }
  assertThrows(() => parsePresence("{nope"), MalformedEntryError, "not JSON");
});
