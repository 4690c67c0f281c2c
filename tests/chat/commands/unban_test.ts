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

Deno.test("/unban takes an address or a nickname; /bans lists nickname bans beside addresses", async () => {
  const { chat, peers: [op] } = await setup(["op"], { opPassword: "pw" });
  chat.bans.add("10.0.0.9", 0);
  chat.directory.banNickname({ key: "bob", name: "Bob", minutes: 0, by: "op", reason: undefined });
  chat.directory.banNickname({
    key: "carol",
    name: "carol",
    minutes: 30,
    by: "op",
    reason: undefined,
  });
  await say(op, "/op pw", "/bans");
  assertEquals(op.take(), [
    "You are now an operator.",
    "Bans: 10.0.0.9 (until lifted), Bob (nickname, until lifted), carol (nickname, 30 min left)",
  ]);
  await say(op, "/unban BOB", "/unban bob", "/unban 10.0.0.9", "/bans");
  assertEquals(op.take(), [
    "Unbanned the nickname BOB.",
    "The nickname bob is not banned.",
    "Unbanned 10.0.0.9.",
    "Bans: carol (nickname, 30 min left)",
  ]);
  // The store forgets what was lifted: it stays lifted after a restart.
  assertEquals((await chat.store.bans()).map((ban) => ban.target), ["carol"]);
});
