import { assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { ServerLineReader } from "../../lib/client/server_line_reader.ts";

const ko = userText("ko");

Deno.test("ServerLineReader reads the lines after the history header as history", () => {
  const reader = new ServerLineReader();
  assertEquals(reader.read(ko.history(2)).live?.kind, "historyHeader");
  const first = reader.read(`[09:05] ${ko.message("bob", "earlier")}`);
  assertEquals(first.live, undefined);
  assertEquals(first.live === undefined && [first.history.time, first.history.line.kind], [
    "09:05",
    "message",
  ]);
  assertEquals(reader.read(`[09:06] ${ko.action("bob", "waves")}`).live, undefined);
  // The block held two: a third timed line is live (someone typed a time).
  assertEquals(reader.read(`[09:07] ${ko.message("bob", "x")}`).live?.kind, "notice");
});

Deno.test("ServerLineReader ends the history block at the first line without a time", () => {
  const reader = new ServerLineReader();
  reader.read(ko.history(5));
  assertEquals(reader.read(ko.joined("alice")).live?.kind, "joined");
  assertEquals(reader.read(`[09:05] ${ko.message("bob", "x")}`).live?.kind, "notice");
});

Deno.test("ServerLineReader reads a catch-up block, shortened by the lines no longer kept", () => {
  const en = userText("en");
  const reader = new ServerLineReader();
  assertEquals(reader.read(en.catchUp(5)).live?.kind, "historyHeader");
  assertEquals(reader.read(en.catchUpSkipped(3)).live?.kind, "historySkipped");
  assertEquals(reader.read(`[09:05] ${en.message("bob", "four")}`).live, undefined);
  assertEquals(reader.read(`[09:06] ${en.message("bob", "five")}`).live, undefined);
  // The two kept ones came: the next timed line is live.
  assertEquals(reader.read(`[09:07] ${en.message("bob", "x")}`).live?.kind, "notice");
});

Deno.test("ServerLineReader reads a whisper held while we were away with its own time", () => {
  const reader = new ServerLineReader();
  const held = reader.read(`[09:05] ${ko.whisperReceived("bob", "내일 봐")}`);
  assertEquals(held.live === undefined && [held.history.time, held.history.line.kind], [
    "09:05",
    "whisperReceived",
  ]);
});
