import { assert, assertEquals, assertFalse } from "@std/assert";
import {
  isValidNickname,
  MAX_NICKNAME_CHARS,
  nicknameKey,
  parseCommand,
} from "../../lib/chat/protocol.ts";

Deno.test("parseCommand treats a plain line as a message, kept verbatim", () => {
  assertEquals(parseCommand("hello world"), { kind: "message", text: "hello world" });
  assertEquals(parseCommand("안녕하세요  "), { kind: "message", text: "안녕하세요  " });
  assertEquals(parseCommand("a @bob /who"), { kind: "message", text: "a @bob /who" });
});

Deno.test("parseCommand treats blank lines as empty", () => {
  assertEquals(parseCommand(""), { kind: "empty" });
  assertEquals(parseCommand("   "), { kind: "empty" });
  assertEquals(parseCommand(" \t "), { kind: "empty" });
});

Deno.test("parseCommand reads a whisper's target and text", () => {
  assertEquals(parseCommand("@bob hi"), { kind: "whisper", target: "bob", text: "hi" });
  assertEquals(parseCommand("@민수 안녕  하세요"), {
    kind: "whisper",
    target: "민수",
    text: "안녕  하세요",
  });
  assertEquals(parseCommand("  @bob   spaced  "), {
    kind: "whisper",
    target: "bob",
    text: "spaced",
  });
});

Deno.test("parseCommand gives whisper usage for @name without text, or a bare @", () => {
  assertEquals(parseCommand("@bob"), { kind: "whisperUsage" });
  assertEquals(parseCommand("@bob    "), { kind: "whisperUsage" });
  assertEquals(parseCommand("@"), { kind: "whisperUsage" });
  assertEquals(parseCommand("@ hi"), { kind: "whisperUsage" });
});

Deno.test("parseCommand knows quit, who and help in Korean and English, ignoring case", () => {
  assertEquals(parseCommand("/종료"), { kind: "quit" });
  assertEquals(parseCommand("/quit"), { kind: "quit" });
  assertEquals(parseCommand("/QUIT"), { kind: "quit" });
  assertEquals(parseCommand("/who"), { kind: "who" });
  assertEquals(parseCommand("/Who"), { kind: "who" });
  assertEquals(parseCommand("/접속자"), { kind: "who" });
  assertEquals(parseCommand("/help"), { kind: "help" });
  assertEquals(parseCommand("/도움말"), { kind: "help" });
  assertEquals(parseCommand("/who extra words"), { kind: "who" });
  assertEquals(parseCommand("  /quit"), { kind: "quit" });
});

Deno.test("parseCommand reports any other /word as unknown, never a message", () => {
  assertEquals(parseCommand("/dance"), { kind: "unknown", command: "/dance" });
  assertEquals(parseCommand("/dance now please"), { kind: "unknown", command: "/dance" });
  assertEquals(parseCommand("/"), { kind: "unknown", command: "/" });
  assertEquals(parseCommand("/quitnow"), { kind: "unknown", command: "/quitnow" });
});

Deno.test("isValidNickname accepts letters, digits, _ and - in any script", () => {
  for (const nick of ["alice", "Bob_2", "a-b", "민수", "김철수_99", "Ελένη", "x", "42"]) {
    assert(isValidNickname(nick), nick);
  }
});

Deno.test("isValidNickname accepts 20 characters and refuses 21, counting code points", () => {
  assertEquals(MAX_NICKNAME_CHARS, 20);
  assert(isValidNickname("a".repeat(20)));
  assertFalse(isValidNickname("a".repeat(21)));
  assert(isValidNickname("가".repeat(20)), "20 Korean characters (60 bytes) are fine");
  assertFalse(isValidNickname("가".repeat(21)));
});

Deno.test("isValidNickname refuses empty, spaces, punctuation and control characters", () => {
  for (
    const nick of ["", "a b", "bob!", "@bob", "/who", "a.b", "a\tb", "a\x1bb", "a\u202eb", "😀"]
  ) {
    assertFalse(isValidNickname(nick), JSON.stringify(nick));
  }
});

Deno.test("nicknameKey ignores case and Unicode normalization form", () => {
  assertEquals(nicknameKey("Alice"), nicknameKey("aLICE"));
  // "한" precomposed vs. the same syllable as conjoining jamo.
  assertEquals(nicknameKey("\uD55C"), nicknameKey("\u1112\u1161\u11AB"));
  assertEquals(nicknameKey("E\u0301"), nicknameKey("\u00e9"));
  assert(nicknameKey("bob") !== nicknameKey("bobby"));
});
