import { assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import type { RoomEvent, UserEvent } from "../../lib/chat/events.ts";
import { BroadcastLog } from "../../lib/fanout/broadcast_log.ts";
import { JsonFormat } from "../../lib/server/json_format.ts";
import { TextFormat } from "../../lib/server/text_format.ts";
import { parseServerFrame } from "../fixtures/ws_client.ts";

const decoder = new TextDecoder();

/** Every frame in the log, its JSON parsed. */
function frames(log: BroadcastLog): unknown[] {
  const bytes = new Uint8Array(log.end);
  for (let at = 0; at < log.end;) {
    const piece = log.view(at, log.end);
    bytes.set(piece, at);
    at += piece.length;
  }
  const out: unknown[] = [];
  for (let rest = bytes; rest.length > 0;) {
    const frame = parseServerFrame(rest)!;
    assertEquals(frame.opcode, 1, "a text frame");
    out.push(JSON.parse(decoder.decode(frame.payload)));
    rest = rest.subarray(frame.size);
  }
  return out;
}

function userJson(format: JsonFormat, event: UserEvent): unknown {
  const frame = parseServerFrame(format.userFrame(event))!;
  return JSON.parse(decoder.decode(frame.payload));
}

Deno.test("json format renders room events as they are, one text frame each, into the log once", () => {
  const format = new JsonFormat("ko");
  const log = new BroadcastLog();
  const events: RoomEvent[] = [
    { type: "message", room: "lobby", nick: "bob", text: "<img src=x onerror=alert(1)>", time: 1 },
    { type: "action", room: "lobby", nick: "bob", text: "waves", time: 2 },
    { type: "joined", room: "lobby", nick: "민수", time: 3 },
    { type: "left", room: "lobby", nick: "민수", time: 4 },
    { type: "renamed", room: "lobby", from: "bob", to: "rob", time: 5 },
    { type: "topic", room: "lobby", nick: "op", text: "숙제", time: 6 },
    { type: "kicked", room: "lobby", nick: "rob", by: "op", reason: undefined, time: 7 },
  ];
  format.append(log, events);
  const expected = events.map((e) => JSON.parse(JSON.stringify(e)));
  assertEquals(frames(log), expected);
  assertEquals(expected[6], { type: "kicked", room: "lobby", nick: "rob", by: "op", time: 7 });
});

Deno.test("json format frames every payload size: short, 16-bit and 64-bit lengths, past its scratch buffer", () => {
  const format = new JsonFormat("en");
  const log = new BroadcastLog();
  const texts = ["a", "b".repeat(200), "c".repeat(70_000), "가".repeat(9_000), "d"];
  format.append(
    log,
    texts.map((text, i) => ({ type: "message", room: "r", nick: "n", text, time: i })),
  );
  assertEquals(frames(log).map((e) => (e as { text: string }).text), texts);
});

Deno.test("json format renders user events, notices with their code, parameters and a text", () => {
  const ko = new JsonFormat("ko");
  const en = new JsonFormat("en");
  assertEquals(userJson(ko, { type: "prompt", prompt: "nickname" }), {
    type: "prompt",
    prompt: "nickname",
  });
  assertEquals(userJson(ko, { type: "welcome", nick: "bob" }), { type: "welcome", nick: "bob" });
  assertEquals(userJson(ko, { type: "room", room: "math" }), { type: "room", room: "math" });
  assertEquals(userJson(ko, { type: "notice", notice: { code: "noSuchUser", nick: "zed" } }), {
    type: "notice",
    code: "noSuchUser",
    nick: "zed",
    text: userText("ko").noSuchUser("zed"),
  });
  assertEquals(
    userJson(en, { type: "notice", notice: { code: "lineTooLong", maxBytes: 10, closing: false } }),
    {
      type: "notice",
      code: "lineTooLong",
      maxBytes: 10,
      closing: false,
      text: userText("en").lineTooLong(10, false),
    },
  );
  assertEquals(userJson(ko, { type: "renamed", from: "bob", to: "rob" }), {
    type: "nick",
    nick: "rob",
    from: "bob",
  });
  assertEquals(userJson(ko, { type: "kicked", by: "op", reason: "spam" }), {
    type: "kickedYou",
    by: "op",
    reason: "spam",
  });
  assertEquals(
    userJson(ko, {
      type: "history",
      room: "lobby",
      events: [{ type: "message", room: "lobby", nick: "a", text: "hi", time: 9 }],
    }),
    {
      type: "history",
      room: "lobby",
      events: [{ type: "message", room: "lobby", nick: "a", text: "hi", time: 9 }],
    },
  );
  assertEquals(userJson(ko, { type: "who", room: "lobby", users: [{ nick: "a", away: true }] }), {
    type: "who",
    room: "lobby",
    users: [{ nick: "a", away: true }],
  });
  assertEquals(userJson(ko, { type: "bans", bans: [{ address: "192.0.2.1", until: undefined }] }), {
    type: "bans",
    bans: [{ address: "192.0.2.1" }],
  });
});

Deno.test("json format marks a ban with banMinutes, for the banned user and the room; the text format says banned", () => {
  const json = new JsonFormat("en");
  const text = new TextFormat("en");
  const ban: UserEvent = { type: "kicked", by: "op", reason: "spam", banMinutes: 5 };
  assertEquals(userJson(json, ban), { type: "kickedYou", by: "op", reason: "spam", banMinutes: 5 });
  assertEquals(text.userLines(ban), ["You were banned by op for 5 minutes. Reason: spam"]);
  const room: RoomEvent = {
    type: "kicked",
    room: "lobby",
    nick: "bob",
    by: "op",
    reason: undefined,
    banMinutes: 0,
    time: 7,
  };
  assertEquals(JSON.parse(json.roomJson(room)), {
    type: "kicked",
    room: "lobby",
    nick: "bob",
    by: "op",
    banMinutes: 0,
    time: 7,
  });
  assertEquals(text.roomLine(room), "bob was banned by op until the ban is lifted.");
  const kick: RoomEvent = { ...room, banMinutes: undefined };
  delete kick.banMinutes;
  assertEquals(text.roomLine(kick), "bob was kicked by op.");
});

Deno.test("json format gives the operator's answers their fields and text", () => {
  const json = new JsonFormat("ko");
  assertEquals(userJson(json, { type: "notice", notice: { code: "kickDone", nick: "bob" } }), {
    type: "notice",
    code: "kickDone",
    nick: "bob",
    text: "bob님을 강퇴했습니다.",
  });
  const wrong = { code: "opWrong", failures: 3, closing: true } as const;
  assertEquals(userJson(json, { type: "notice", notice: wrong }), {
    type: "notice",
    ...wrong,
    text: "운영자 비밀번호가 3번 틀려 연결을 종료합니다.",
  });
});

Deno.test("json format: the account prompts, a catch-up with ids, a held whisper's time and nickname bans are plain JSON", () => {
  const format = new JsonFormat("en");
  assertEquals(userJson(format, { type: "prompt", prompt: "account", nick: "alice" }), {
    type: "prompt",
    prompt: "account",
    nick: "alice",
  });
  assertEquals(userJson(format, { type: "prompt", prompt: "newPassword" }), {
    type: "prompt",
    prompt: "newPassword",
  });
  const event = {
    type: "message",
    room: "math",
    nick: "bob",
    text: "hi",
    time: 5,
    id: "ab12.7",
  } as const;
  assertEquals(userJson(format, { type: "catchUp", room: "math", events: [event], skipped: 2 }), {
    type: "catchUp",
    room: "math",
    events: [event],
    skipped: 2,
  });
  assertEquals(userJson(format, { type: "whisper", from: "bob", text: "later", time: 9 }), {
    type: "whisper",
    from: "bob",
    text: "later",
    time: 9,
  });
  assertEquals(userJson(format, { type: "bans", bans: [{ nick: "bob", until: undefined }] }), {
    type: "bans",
    bans: [{ nick: "bob" }],
  });
  assertEquals(
    userJson(format, { type: "notice", notice: { code: "whisperHeld", nick: "alice" } }),
    {
      type: "notice",
      code: "whisperHeld",
      nick: "alice",
      text: "alice is offline: your whisper will be delivered when they log in.",
    },
  );
});

Deno.test("json format shows a part as it is, and a user-wide event without the user's other rooms", () => {
  const format = new JsonFormat("en");
  const log = new BroadcastLog();
  format.append(log, [
    { type: "parted", room: "math", nick: "ivan", reason: "lunch", time: 1 },
    { type: "left", room: "math", nick: "ivan", time: 2, rooms: ["lobby", "rnath"] },
    { type: "renamed", room: "math", from: "ivan", to: "ivy", time: 3, rooms: ["rnath", "art"] },
  ]);
  assertEquals(frames(log), [
    { type: "parted", room: "math", nick: "ivan", reason: "lunch", time: 1 },
    { type: "left", room: "math", nick: "ivan", time: 2 },
    { type: "renamed", room: "math", from: "ivan", to: "ivy", time: 3 },
  ]);
});
