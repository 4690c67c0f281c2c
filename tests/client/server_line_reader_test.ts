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
