import { assertEquals, assertThrows } from "@std/assert";
import type { Account } from "../../lib/chat/store.ts";
import { MalformedEntryError } from "../../lib/cluster/_entry_shape.ts";
import { accountFields, parseAccount, parseHeldWhisper } from "../../lib/cluster/account_entry.ts";

const ACCOUNT: Account = {
  key: "alice",
  nickname: "Alice",
  passwordHash: "scrypt$16384$8$1$c2FsdA==$a2V5",
  operator: true,
  created: 1_765_000_000_000,
  lastSeen: { room: "Math", id: "3f2a9c01d4e5.1765000000123-0", time: 1_765_000_100_000 },
};

Deno.test("an account written as its hash reads back the same, with or without a last seen and its id", () => {
  assertEquals(parseAccount("alice", accountFields(ACCOUNT)), ACCOUNT);
  const fresh = { ...ACCOUNT, operator: false, lastSeen: undefined };
  assertEquals(parseAccount("alice", accountFields(fresh)), fresh);
  const noId = { ...ACCOUNT, lastSeen: { room: "lobby", id: undefined, time: 5 } };
  assertEquals(parseAccount("alice", accountFields(noId)), noId);
  assertEquals(parseAccount("alice", []), undefined, "no hash: no account");
});

Deno.test("parseAccount refuses a hash of the wrong shape", () => {
  const fields = accountFields(ACCOUNT);
  const without = (name: string) => {
    const at = fields.indexOf(name);
    return [...fields.slice(0, at), ...fields.slice(at + 2)];
  };
  const replaced = (name: string, value: string) => {
    const copy = [...fields];
    copy[copy.indexOf(name) + 1] = value;
    return copy;
  };
  const cases: [string[], string][] = [
    [without("hash"), `no "hash" field`],
    [replaced("op", "yes"), `"op" is not 0 or 1`],
    [replaced("created", "yesterday"), `"created" is not a whole number`],
    [replaced("nick", "a\u001b[2J"), "the nickname holds control characters"],
    [without("seenTime"), `no "seenTime" field`],
  ];
  for (const [flat, message] of cases) {
    assertThrows(() => parseAccount("alice", flat), MalformedEntryError, message);
  }
});

Deno.test("parseHeldWhisper takes back a whisper as the store holds it, and refuses others", () => {
  const whisper = { from: "bob", text: "내일 봐요", time: 1_765_000_000_000 };
  assertEquals(parseHeldWhisper(JSON.stringify(whisper)), whisper);
  assertThrows(
    () => parseHeldWhisper('{"from":"bob","text":"hi","time":1,"to":"alice"}'),
    MalformedEntryError,
    "unexpected fields",
  );
  assertThrows(
    () => parseHeldWhisper('{"from":"","text":"hi","time":1}'),
    MalformedEntryError,
    `"from" is not non-empty text`,
  );
});
