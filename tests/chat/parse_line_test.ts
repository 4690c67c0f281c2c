import { assertEquals } from "@std/assert";
import { parseLine, words } from "../../lib/chat/parse_line.ts";

Deno.test("parseLine treats a plain line as a message, kept verbatim", () => {
  assertEquals(parseLine("hello world"), { kind: "message", text: "hello world" });
  assertEquals(parseLine("안녕하세요  "), { kind: "message", text: "안녕하세요  " });
  assertEquals(parseLine("a @bob /who"), { kind: "message", text: "a @bob /who" });
});

Deno.test("parseLine treats blank lines as empty", () => {
  assertEquals(parseLine(""), { kind: "empty" });
  assertEquals(parseLine("   "), { kind: "empty" });
  assertEquals(parseLine(" \t "), { kind: "empty" });
});

Deno.test("parseLine reads a whisper's target and text", () => {
  assertEquals(parseLine("@bob hi"), { kind: "whisper", target: "bob", text: "hi" });
  assertEquals(parseLine("@민수 안녕  하세요"), {
    kind: "whisper",
    target: "민수",
    text: "안녕  하세요",
  });
  assertEquals(parseLine("  @bob   spaced  "), { kind: "whisper", target: "bob", text: "spaced" });
});

Deno.test("parseLine gives whisper usage for @name without text, or a bare @", () => {
  assertEquals(parseLine("@bob"), { kind: "whisperUsage" });
  assertEquals(parseLine("@bob    "), { kind: "whisperUsage" });
  assertEquals(parseLine("@"), { kind: "whisperUsage" });
  assertEquals(parseLine("@ hi"), { kind: "whisperUsage" });
});

Deno.test("parseLine reads any /word as a command with the rest of the line", () => {
  assertEquals(parseLine("/quit"), { kind: "command", word: "/quit", args: "" });
  assertEquals(parseLine("  /JOIN   #math  "), { kind: "command", word: "/JOIN", args: "#math" });
  assertEquals(parseLine("/topic  Exam  on Friday "), {
    kind: "command",
    word: "/topic",
    args: "Exam  on Friday",
  });
  assertEquals(parseLine("/"), { kind: "command", word: "/", args: "" });
});

Deno.test("words splits arguments on runs of spaces", () => {
  assertEquals(words(""), []);
  assertEquals(words("bob  10"), ["bob", "10"]);
});
