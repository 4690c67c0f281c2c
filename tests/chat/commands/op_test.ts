import { assertEquals } from "@std/assert";
import type { User } from "../../../lib/chat/user.ts";
import { say, setup } from "./_setup.ts";

Deno.test("/op with the operator password makes an operator; a wrong one is refused", async () => {
  const { chat, peers: [alice] } = await setup(["alice"], { opPassword: "s3cret" });
  await say(alice, "/op nope");
  assertEquals(alice.take(), ["Wrong operator password."]);
  await say(alice, "/op s3cret");
  assertEquals(alice.take(), ["You are now an operator."]);
  assertEquals((chat.directory.find("alice") as User | undefined)?.operator, true);
});

Deno.test("/op: the third wrong password in one connection says why, then disconnects", async () => {
  const { peers: [alice, bob] } = await setup(["alice", "bob"], { opPassword: "s3cret" });
  await say(alice, "/op a", "/op b");
  assertEquals(alice.closed, undefined);
  await say(alice, "/op c");
  assertEquals(alice.take(), [
    "Wrong operator password.",
    "Wrong operator password.",
    "Wrong operator password, 3 times: closing the connection.",
  ]);
  assertEquals(alice.closed, { how: "end", reason: "opPassword" });
  assertEquals(bob.take(), ["alice has left."]);
});

Deno.test("/op on a server without an operator password says so", async () => {
  const { peers: [alice] } = await setup(["alice"]);
  await say(alice, "/op anything", "/kick bob");
  assertEquals(alice.take(), [
    "No operator password is set on this server.",
    "No operator password is set on this server.",
  ]);
});
