import { assertEquals } from "@std/assert";
import { isQuitCommand } from "../../../lib/chat/commands/table.ts";
import { say, setup } from "./_setup.ts";

Deno.test("/quit and /종료 end the connection; the room sees the leave once", async () => {
  const { peers: [alice, bob, carol] } = await setup(["alice", "bob", "carol"]);
  await say(alice, "/QUIT");
  await say(bob, "/종료 bye");
  assertEquals(alice.closed, { how: "end", reason: "quit" });
  assertEquals(bob.closed, { how: "end", reason: "quit" });
  assertEquals(carol.take(), ["alice has left.", "bob has left."]);
});

Deno.test("isQuitCommand knows the quit words in any case, and nothing else", () => {
  for (const line of ["/quit", "/QUIT", "/종료", "  /quit now"]) {
    assertEquals(isQuitCommand(line), true);
  }
  for (const line of ["quit", "/quitnow", "/who", "q", ""]) {
    assertEquals(isQuitCommand(line), false);
  }
});
