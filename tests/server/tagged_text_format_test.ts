import { assertEquals } from "@std/assert";
import type { RoomEvent } from "../../lib/chat/events.ts";
import { BroadcastLog } from "../../lib/fanout/broadcast_log.ts";
import { TaggedTextFormat } from "../../lib/server/tagged_text_format.ts";
import { clock, TextFormat } from "../../lib/server/text_format.ts";

/** The log's text. */
function text(log: BroadcastLog): string {
  return new TextDecoder().decode(log.view(0, log.end));
}

const TIME = new Date(2026, 0, 2, 9, 5).getTime();
const EVENTS: RoomEvent[] = [
  { type: "message", room: "lobby", nick: "bob", text: "hi", time: TIME, id: "ab12.7" },
  { type: "action", room: "lobby", nick: "bob", text: "waves", time: TIME, id: "ab12.8" },
  { type: "joined", room: "lobby", nick: "carol", time: TIME },
  { type: "message", room: "lobby", nick: "carol", text: "no id yet", time: TIME },
];

Deno.test("tagged text format puts each message's and action's id in front; other lines are as in the text format", () => {
  const log = new BroadcastLog();
  new TaggedTextFormat("en").append(log, EVENTS);
  assertEquals(text(log).split("\n"), [
    "@ab12.7 bob> hi",
    "@ab12.8 * bob waves",
    "carol has joined.",
    "carol> no id yet",
    "",
  ]);
  const plain = new BroadcastLog();
  new TextFormat("en").append(plain, EVENTS);
  assertEquals(text(plain).split("\n").slice(0, 2), ["bob> hi", "* bob waves"]);
});

Deno.test("tagged text format: history and catch-up lines have the id, then the time", () => {
  const format = new TaggedTextFormat("en");
  const [message, action] = EVENTS as [
    Extract<RoomEvent, { type: "message" }>,
    Extract<RoomEvent, { type: "action" }>,
  ];
  assertEquals(
    format.userLines({ type: "catchUp", room: "lobby", events: [message, action], skipped: 3 }),
    [
      "-- 5 messages since you left --",
      "-- the first 3 of them are no longer kept --",
      `@ab12.7 [${clock(TIME)}] bob> hi`,
      `@ab12.8 [${clock(TIME)}] * bob waves`,
    ],
  );
  assertEquals(
    new TaggedTextFormat("ko").userLines({ type: "history", room: "lobby", events: [message] }),
    [
      "-- 최근 메시지 1개 --",
      `@ab12.7 [${clock(TIME)}] bob> hi`,
    ],
  );
  assertEquals(
    new TextFormat("ko").userLines({
      type: "catchUp",
      room: "lobby",
      events: [message],
      skipped: 0,
    }),
    [
      "-- 나간 뒤 메시지 1개 --",
      `[09:05] bob> hi`,
    ],
  );
});

Deno.test("tagged text format names the room the connection enters, which the text format leaves out", () => {
  const entered = { type: "room", room: "math" } as const;
  assertEquals(new TaggedTextFormat("ko").userLines(entered), ["@room math"]);
  assertEquals(new TextFormat("ko").userLines(entered), []);
});
