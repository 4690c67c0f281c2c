import { assertEquals } from "@std/assert";
import { say, setup } from "./_setup.ts";

Deno.test("/away and /back: replies, /who marks, and whisperers are told", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"]);
  await say(bob, "/away at lunch");
  assertEquals(bob.take(), ["You are marked as away."]);
  await say(alice, "@bob are you there?");
  assertEquals(bob.take(), ["[whisper] alice> are you there?"], "the whisper is delivered");
  assertEquals(alice.take(), ["[whisper sent] to bob: are you there?", "bob is away: at lunch"]);
  await say(bob, "/자리비움");
  await say(alice, "@bob now?");
  assertEquals(alice.take(), ["[whisper sent] to bob: now?", "bob is away."]);
  await say(bob, "/back");
  assertEquals(bob.take(), ["You are marked as away.", "[whisper] alice> now?", "Welcome back."]);
  await say(alice, "@bob hi");
  assertEquals(alice.take(), ["[whisper sent] to bob: hi"]);
  await say(bob, "/복귀");
  assertEquals(bob.take(), ["[whisper] alice> hi", "You are not marked as away."]);
});
