import { assertEquals, assertThrows } from "@std/assert";
import {
  escapeTagValue,
  IrcInputTooLongError,
  IrcParseError,
  MAX_IRC_MESSAGE_BYTES,
  MAX_IRC_TAG_BYTES,
  parseIrcMessage,
  serializeIrcMessage,
  unescapeTagValue,
} from "../../lib/transport/irc_message.ts";

Deno.test("irc message parses a command with params and a trailing param", () => {
  const message = parseIrcMessage("privmsg #math :hello there");
  assertEquals(message, { tags: new Map(), command: "PRIVMSG", params: ["#math", "hello there"] });
});

Deno.test("irc message parses tags, a source and repeated spaces", () => {
  const message = parseIrcMessage(
    "@time=2026-01-01T00:00:00Z;+x;msgid=a\\sb :nick!u@h  JOIN   #a ",
  );
  assertEquals(message?.source, "nick!u@h");
  assertEquals(message?.command, "JOIN");
  assertEquals(message?.params, ["#a"]);
  assertEquals([...message!.tags], [["time", "2026-01-01T00:00:00Z"], ["+x", ""], [
    "msgid",
    "a b",
  ]]);
});

Deno.test("irc message keeps an empty trailing param and a colon inside it", () => {
  assertEquals(parseIrcMessage("TOPIC #a :")?.params, ["#a", ""]);
  assertEquals(parseIrcMessage("PRIVMSG #a ::-) hi")?.params, ["#a", ":-) hi"]);
});

Deno.test("irc message takes a numeric command and refuses other words", () => {
  assertEquals(parseIrcMessage(":srv 001 me :hi")?.command, "001");
  assertThrows(() => parseIrcMessage("PRIV-MSG x"), IrcParseError);
  assertThrows(() => parseIrcMessage("12 x"), IrcParseError);
  assertThrows(() => parseIrcMessage(":source-only"), IrcParseError);
});

Deno.test("irc message of spaces only is empty", () => {
  assertEquals(parseIrcMessage(""), undefined);
  assertEquals(parseIrcMessage("   "), undefined);
});

Deno.test("irc message refuses a NUL or a bare CR", () => {
  assertThrows(() => parseIrcMessage("PRIVMSG #a :a\0b"), IrcParseError);
  assertThrows(() => parseIrcMessage("PRIVMSG #a :a\rb"), IrcParseError);
});

Deno.test("irc message refuses more than 15 params", () => {
  const params = Array.from({ length: 16 }, (_, i) => `p${i}`).join(" ");
  assertThrows(() => parseIrcMessage(`CMD ${params}`), IrcParseError);
  assertEquals(
    parseIrcMessage(`CMD ${params.split(" ").slice(0, 15).join(" ")}`)?.params.length,
    15,
  );
});

Deno.test("irc message limits the message to 512 bytes with CRLF and tags to 8191", () => {
  const fits = "PRIVMSG #a :" + "x".repeat(MAX_IRC_MESSAGE_BYTES - 2 - 12);
  assertEquals(parseIrcMessage(fits)?.params[1].length, MAX_IRC_MESSAGE_BYTES - 14);
  assertThrows(() => parseIrcMessage(fits + "x"), IrcInputTooLongError);
  // A multi-byte character counts its bytes.
  assertThrows(() => parseIrcMessage(fits.slice(0, -1) + "가"), IrcInputTooLongError);
  const tags = "@a=" + "v".repeat(MAX_IRC_TAG_BYTES - 4);
  assertEquals(parseIrcMessage(`${tags} PING x`)?.command, "PING");
  assertThrows(() => parseIrcMessage(`${tags}v PING x`), IrcInputTooLongError);
});

Deno.test("irc tag values escape and unescape every special character", () => {
  const value = "a;b c\\d\re\nf";
  assertEquals(escapeTagValue(value), "a\\:b\\sc\\\\d\\re\\nf");
  assertEquals(unescapeTagValue(escapeTagValue(value)), value);
  // An unknown escape is its character; a trailing lone backslash is dropped.
  assertEquals(unescapeTagValue("a\\bc\\"), "abc");
});

Deno.test("irc message serialises the last param as trailing only when it must", () => {
  const line = serializeIrcMessage({
    tags: new Map([["time", "t"], ["msgid", "a;b"]]),
    source: "srv",
    command: "PRIVMSG",
    params: ["#a", "hi there"],
  });
  assertEquals(line, "@time=t;msgid=a\\:b :srv PRIVMSG #a :hi there");
  assertEquals(
    serializeIrcMessage({ tags: new Map(), command: "JOIN", params: ["#a"] }),
    "JOIN #a",
  );
  assertEquals(
    serializeIrcMessage({ tags: new Map(), command: "TOPIC", params: ["#a", ""] }),
    "TOPIC #a :",
  );
  assertEquals(
    serializeIrcMessage({ tags: new Map(), command: "X", params: [":)"] }),
    "X ::)",
  );
});

Deno.test("irc message round-trips through serialise and parse", () => {
  const message = {
    tags: new Map([["k", "v w"]]),
    source: "n!u@h",
    command: "PRIVMSG",
    params: ["#a", ":b c"],
  };
  assertEquals(parseIrcMessage(serializeIrcMessage(message)), message);
});

Deno.test("irc message takes at most 4096 bytes of tags from a client when told so", () => {
  const tags = "@+a=" + "v".repeat(4096 - 5);
  assertEquals(parseIrcMessage(`${tags} PING x`, 4096)?.command, "PING");
  assertThrows(() => parseIrcMessage(`${tags}v PING x`, 4096), IrcInputTooLongError);
});
