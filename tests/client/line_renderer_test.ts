import { assert, assertEquals, assertFalse, assertStringIncludes } from "@std/assert";
import { clientText } from "../../lib/catalog/client_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { type BellMode, LineRenderer } from "../../lib/client/line_renderer.ts";
import { nickColor } from "../../lib/client/nick_color.ts";
import { parseHistoryLine, parseServerLine } from "../../lib/client/server_line.ts";

const ko = userText("ko");
const en = userText("en");
const NOON = new Date(2026, 0, 2, 12, 5);
const ESC = "\x1b";

function renderer(options: { color?: boolean; timestamps?: boolean; bell?: BellMode } = {}) {
  return new LineRenderer({ color: false, timestamps: false, bell: "mention", ...options });
}

Deno.test("LineRenderer without colours shows the server's line as it came, with the time", () => {
  const lines = [
    ko.message("bob", "hi alice"),
    ko.action("bob", "waves"),
    ko.whisperReceived("bob", "psst"),
    en.whisperSent("bob", "psst"),
    ko.joined("carol"),
    "anything else",
  ];
  for (const line of lines) {
    assertEquals(renderer().live(parseServerLine(line), "alice", NOON).text, line);
    assertEquals(
      renderer({ timestamps: true }).live(parseServerLine(line), "alice", NOON).text,
      `[12:05] ${line}`,
    );
  }
  assertEquals(renderer({ timestamps: true }).notice("bye", NOON), "[12:05] bye");
});

Deno.test("LineRenderer colours each nickname, dims notices, marks whispers and own lines", () => {
  const r = renderer({ color: true });
  const color = `${ESC}[38;5;${nickColor("bob")}m`;
  const message = r.live(parseServerLine(ko.message("bob", "hello")), "alice", NOON).text;
  assertStringIncludes(message, `${color}bob`);
  assertStringIncludes(message, "> hello");
  assert(message.endsWith(`${ESC}[0m`));
  // Removing the escape codes gives back the line.
  assertEquals(strip(message), ko.message("bob", "hello"));

  const own = r.live(parseServerLine(ko.message("Alice", "me")), "alice", NOON).text;
  assertStringIncludes(own, `${ESC}[1m${ESC}[38;5;${nickColor("alice")}mAlice`);

  const notice = r.live(parseServerLine(ko.joined("carol")), "alice", NOON).text;
  assertEquals(notice, `${ESC}[2m${ko.joined("carol")}${ESC}[0m`);

  const whisper = r.live(parseServerLine(en.whisperReceived("bob", "psst")), "alice", NOON).text;
  assertStringIncludes(whisper, `${ESC}[35m`);
  assertEquals(strip(whisper), en.whisperReceived("bob", "psst"));
  const action = r.live(parseServerLine(ko.action("bob", "waves")), "alice", NOON).text;
  assertEquals(action, `${color}* bob waves${ESC}[0m`);
});

Deno.test("LineRenderer highlights and rings for a mention and a whisper, not for our own line", () => {
  const r = renderer({ color: true });
  const mention = r.live(parseServerLine(ko.message("bob", "민수님 안녕")), "민수", NOON);
  assert(mention.bell);
  assertStringIncludes(mention.text, `${ESC}[7m`);
  assertFalse(r.live(parseServerLine(ko.message("bob", "안녕")), "민수", NOON).bell);
  assertFalse(r.live(parseServerLine(ko.message("민수", "민수 here")), "민수", NOON).bell);
  assert(r.live(parseServerLine(ko.whisperReceived("bob", "x")), "민수", NOON).bell);
  assertFalse(r.live(parseServerLine(ko.whisperSent("bob", "x")), "민수", NOON).bell);
  assertFalse(r.live(parseServerLine(ko.joined("민수")), "민수", NOON).bell);
  // Not highlighted without colours, but it still rings.
  const plain = renderer().live(parseServerLine(ko.message("bob", "hi 민수")), "민수", NOON);
  assertEquals(plain, { text: ko.message("bob", "hi 민수"), bell: true });
});

Deno.test("LineRenderer rings by mode: off never, all for every line someone else said", () => {
  const from = (mode: BellMode, line: string) =>
    renderer({ bell: mode }).live(parseServerLine(line), "alice", NOON).bell;
  assertFalse(from("off", ko.whisperReceived("bob", "x")));
  assertFalse(from("off", ko.message("bob", "alice!")));
  assert(from("all", ko.message("bob", "anything")));
  assert(from("all", ko.action("bob", "waves")));
  assertFalse(from("all", ko.message("alice", "mine")));
  assertFalse(from("all", ko.left("bob")));
});

Deno.test("LineRenderer keeps a history line's own time and never rings for it", () => {
  const entry = parseHistoryLine(`[08:00] ${ko.message("bob", "alice, earlier")}`)!;
  const r = renderer({ timestamps: true, bell: "all" });
  assertEquals(r.history(entry, "alice"), {
    text: `[08:00] ${ko.message("bob", "alice, earlier")}`,
    bell: false,
  });
});

Deno.test("LineRenderer renders the client's own notices like the server's", () => {
  const text = clientText("en").connectionClosed;
  assertEquals(renderer({ color: true }).notice(text, NOON), `${ESC}[2m${text}${ESC}[0m`);
});

function strip(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

Deno.test("LineRenderer shows a move to another room as it shows a leave: a dimmed notice", () => {
  const r = renderer({ color: true });
  for (
    const [left, moved] of [[ko.left("bob"), ko.moved("bob", "math")], [
      en.left("bob"),
      en.moved("bob", "math"),
    ]]
  ) {
    const shownLeft = r.live(parseServerLine(left), "alice", NOON);
    const shownMoved = r.live(parseServerLine(moved), "alice", NOON);
    assertEquals(shownMoved.text, shownLeft.text.replace(left, moved));
    assertEquals(shownMoved.text, `${ESC}[2m${moved}${ESC}[0m`);
    assertFalse(shownMoved.bell);
  }
});
