import { assert, assertEquals, assertFalse } from "@std/assert";
import { FakePeer } from "../_fake_peer.ts";
import { EN_FORMAT, say, setup } from "./_setup.ts";

Deno.test("/ban kicks the user and refuses its address before any prompt", async () => {
  const { chat, peers: [op, bob] } = await setup(["op", "bob"], { opPassword: "pw" });
  await say(op, "/op pw");
  op.take();
  await say(op, "/ban bob 5");
  assertEquals(bob.take(), ["You were kicked by op."]);
  assertEquals(bob.closed?.reason, "kicked");
  assertEquals(op.take(), ["Banned bob (192.0.2.1) for 5 minutes.", "bob was kicked by op."]);
  assert(chat.bans.has("192.0.2.1"));
  const again = new FakePeer(chat, { format: EN_FORMAT, address: "192.0.2.1" });
  again.session.start();
  assertEquals(again.take(), ["You are banned from this server."]);
  assertEquals(again.closed, { how: "end", reason: "banned" });
  const other = new FakePeer(chat, { format: EN_FORMAT, address: "192.0.2.7" });
  other.session.start();
  assertEquals(other.take(), ["Enter your nickname:"]);
});

Deno.test("/ban defaults to 60 minutes; 0 lasts until lifted; bad minutes get the usage", async () => {
  const { chat, peers: [op] } = await setup(["op", "a"], { opPassword: "pw" });
  await say(op, "/op pw", "/ban a soon", "/ban a 5 6");
  assertEquals(op.take().slice(1), [
    "Usage: /ban NICK [MINUTES]",
    "Usage: /ban NICK [MINUTES]",
  ]);
  await say(op, "/ban a");
  assertEquals(op.take()[0], "Banned a (192.0.2.1) for 60 minutes.");
  const until = chat.bans.list()[0].until!;
  assert(Math.abs(until - Date.now() - 60 * 60_000) < 5_000);
  chat.bans.remove("192.0.2.1");
  assertFalse(chat.bans.has("192.0.2.1"));
});
