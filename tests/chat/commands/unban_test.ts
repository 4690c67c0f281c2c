import { assertEquals } from "@std/assert";
import { say, setup } from "./_setup.ts";

Deno.test("/unban lifts a ban; /bans lists them; both are for operators", async () => {
  const { chat, peers: [op, carol] } = await setup(["op", "carol"], { opPassword: "pw" });
  await say(carol, "/bans", "/unban 1.2.3.4");
  assertEquals(carol.take(), ["Only operators can do that.", "Only operators can do that."]);
  await say(op, "/op pw", "/bans");
  assertEquals(op.take(), ["You are now an operator.", "No addresses are banned."]);
  chat.bans.add("10.0.0.9", 0);
  chat.bans.add("10.0.0.8", 30);
  await say(op, "/bans");
  assertEquals(op.take(), ["Bans: 10.0.0.9 (until lifted), 10.0.0.8 (30 min left)"]);
  await say(op, "/unban ::ffff:10.0.0.9", "/unban 10.0.0.9");
  assertEquals(op.take(), ["Unbanned 10.0.0.9.", "10.0.0.9 is not banned."]);
});
