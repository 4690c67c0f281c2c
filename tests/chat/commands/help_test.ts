import { assertEquals, assertStringIncludes } from "@std/assert";
import { COMMANDS } from "../../../lib/chat/commands/table.ts";
import { say, setup } from "./_setup.ts";

Deno.test("/help is generated from the command table: every command, its aliases and its help", async () => {
  const { peers: [alice] } = await setup(["alice"]);
  await say(alice, "/help");
  const lines = alice.take();
  assertEquals(lines.slice(0, 3), [
    "Commands:",
    "  message               send to everyone in your room",
    "  @nickname message     whisper",
  ]);
  assertEquals(lines.length, 3 + COMMANDS.length);
  for (const [i, command] of COMMANDS.entries()) {
    const line = lines[3 + i];
    for (const name of command.names) assertStringIncludes(line, name);
    assertStringIncludes(line, command.help.en);
    if (command.op === true) assertStringIncludes(line, "(operators)");
  }
});
