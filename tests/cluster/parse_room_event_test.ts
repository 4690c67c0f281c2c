import { assertEquals, assertThrows } from "@std/assert";
import type { RoomEvent } from "../../lib/chat/events.ts";
import { MalformedEntryError } from "../../lib/cluster/_entry_shape.ts";
import { parseRoomEvent } from "../../lib/cluster/parse_room_event.ts";

const EVENTS: RoomEvent[] = [
  { type: "message", room: "lobby", nick: "alice", text: "hi\u00e9 한글", time: 1 },
  { type: "action", room: "lobby", nick: "alice", text: "waves", time: 2 },
  { type: "joined", room: "lobby", nick: "alice", time: 3 },
  { type: "left", room: "lobby", nick: "alice", time: 4 },
  { type: "moved", room: "lobby", nick: "alice", to: "math", time: 5 },
  { type: "parted", room: "math", nick: "alice", time: 5 },
  { type: "parted", room: "math", nick: "alice", reason: "lunch", time: 5 },
  { type: "left", room: "math", nick: "alice", time: 5, rooms: ["lobby", "rnath"] },
  { type: "renamed", room: "math", from: "a", to: "b", time: 5, rooms: ["lobby", "rnath"] },
  { type: "renamed", room: "lobby", from: "alice", to: "alicia", time: 6 },
  { type: "topic", room: "lobby", nick: "alice", text: "", time: 7 },
  { type: "kicked", room: "lobby", nick: "bob", by: "alice", reason: "noise", time: 8 },
  { type: "kicked", room: "lobby", nick: "bob", by: "alice", reason: undefined, time: 9 },
  { type: "kicked", room: "lobby", nick: "bob", by: "op", reason: "x", banMinutes: 5, time: 10 },
  {
    type: "kicked",
    room: "lobby",
    nick: "bob",
    by: "op",
    reason: undefined,
    banMinutes: 0,
    time: 11,
  },
];

Deno.test("parseRoomEvent takes back every room event as this server writes it", () => {
  for (const event of EVENTS) {
    const json = JSON.stringify(event);
    // (JSON leaves out a reason that is undefined.)
    assertEquals(parseRoomEvent(json), JSON.parse(json));
  }
});

Deno.test("parseRoomEvent refuses what is not a room event, saying what is wrong", () => {
  const cases: [string, string][] = [
    ["{oops", "not JSON"],
    ["[1]", "not a JSON object"],
    ["null", "not a JSON object"],
    ['"text"', "not a JSON object"],
    ['{"type":"vanish","room":"lobby","nick":"a","time":1}', `"type" is not a room event's`],
    ['{"room":"lobby","nick":"a","time":1}', `"type" is not a room event's`],
    ['{"type":"joined","room":"lobby","nick":"a"}', `"time" is not a number`],
    ['{"type":"joined","room":"lobby","nick":"a","time":"1"}', `"time" is not a number`],
    ['{"type":"joined","room":"lobby","nick":"","time":1}', `"nick" is not non-empty text`],
    ['{"type":"joined","room":"lobby","nick":5,"time":1}', `"nick" is not non-empty text`],
    [
      '{"type":"message","room":"lobby","nick":"a","text":"x\\ny","time":1}',
      `"text" is not text`,
    ],
    [
      '{"type":"message","room":"lobby","nick":"a","text":"\\u001b[2J","time":1}',
      `"text" is not text`,
    ],
    ['{"type":"joined","room":"lobby","nick":"a","time":1,"x":1}', "unexpected fields"],
    [
      '{"type":"left","room":"lobby","nick":"a","time":1,"rooms":"lobby"}',
      `"rooms" is not a list of non-empty texts`,
    ],
    [
      '{"type":"left","room":"lobby","nick":"a","time":1,"rooms":["lobby",""]}',
      `"rooms" is not a list of non-empty texts`,
    ],
    [
      '{"type":"renamed","room":"lobby","from":"a","to":"b","time":1,"rooms":["\\u001b"]}',
      `"rooms" is not a list of non-empty texts`,
    ],
    [
      '{"type":"parted","room":"lobby","nick":"a","reason":5,"time":1}',
      `"reason" is not text`,
    ],
    [
      '{"type":"kicked","room":"lobby","nick":"b","by":"a","reason":null,"time":1}',
      `"reason" is not text`,
    ],
    [
      '{"type":"kicked","room":"lobby","nick":"b","by":"a","banMinutes":-1,"time":1}',
      `"banMinutes" is not a whole number, 0 or more`,
    ],
    [
      '{"type":"kicked","room":"lobby","nick":"b","by":"a","banMinutes":1.5,"time":1}',
      `"banMinutes" is not a whole number, 0 or more`,
    ],
    [
      '{"type":"kicked","room":"lobby","nick":"b","by":"a","banMinutes":"5","time":1}',
      `"banMinutes" is not a whole number, 0 or more`,
    ],
  ];
  for (const [json, message] of cases) {
    assertThrows(() => parseRoomEvent(json), MalformedEntryError, message, json);
  }
});
