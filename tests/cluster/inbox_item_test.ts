import { assertEquals, assertThrows } from "@std/assert";
import { MalformedEntryError } from "../../lib/cluster/_entry_shape.ts";
import { type InboxItem, parseInboxItem } from "../../lib/cluster/inbox_item.ts";

Deno.test("parseInboxItem takes back whispers, kicks, bans and reclaims as a server writes them", () => {
  const items: InboxItem[] = [
    { kind: "deliver", to: "bob", event: { type: "whisper", from: "alice", text: "psst" } },
    { kind: "kick", to: "bob", by: "alice", reason: "noise" },
    { kind: "kick", to: "bob", by: "alice", reason: null },
    { kind: "kick", to: "bob", by: "op", reason: "spam", banMinutes: 5 },
    { kind: "kick", to: "bob", by: "op", reason: null, banMinutes: 0 },
    { kind: "reclaimed", to: "bob", token: "bc6d855e:5f0c" },
  ];
  for (const item of items) assertEquals(parseInboxItem(JSON.stringify(item)), item);
});

Deno.test("parseInboxItem refuses items of the wrong shape, and events other than whispers", () => {
  const cases: [string, string][] = [
    ['{"kind":"explode","to":"bob"}', `"kind" is not an inbox item's`],
    ['{"kind":"reclaimed","to":"bob"}', `"token" is not non-empty text`],
    ['{"kind":"kick","to":"bob","by":"alice"}', `"reason" is not text or null`],
    ['{"kind":"deliver","to":"bob","event":[]}', `"event" is not an object`],
    [
      '{"kind":"kick","to":"bob","by":"op","reason":null,"banMinutes":-5}',
      `"banMinutes" is not a whole number, 0 or more`,
    ],
    [
      '{"kind":"deliver","to":"bob","event":{"type":"kicked","by":"x","reason":null}}',
      `"event" is not a whisper`,
    ],
    [
      '{"kind":"deliver","to":"bob","event":{"type":"whisper","from":"a","text":"x","y":1}}',
      "unexpected fields",
    ],
  ];
  for (const [json, message] of cases) {
    assertThrows(() => parseInboxItem(json), MalformedEntryError, message, json);
  }
});
