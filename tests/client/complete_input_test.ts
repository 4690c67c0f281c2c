import { assertEquals } from "@std/assert";
import { COMMANDS } from "../../lib/chat/commands/table.ts";
import { completeInput } from "../../lib/client/complete_input.ts";

const candidates = {
  commands: COMMANDS.flatMap((command) => command.names),
  nicks: ["Bob", "bobby", "민수", "alice"],
};

Deno.test("completeInput completes commands from the table at the start of the line", () => {
  assertEquals(completeInput("/wh", candidates), [["/who "], "/wh"]);
  assertEquals(completeInput("/WH", candidates), [["/who "], "/WH"]);
  assertEquals(completeInput("/접", candidates), [["/접속자 "], "/접"]);
  // Every name the table has, aliases included.
  const all = completeInput("/", candidates)[0];
  for (const command of COMMANDS) {
    for (const name of command.names) assertEquals(all.includes(name), true, name);
  }
  assertEquals(completeInput("hi /wh", candidates), [[], "/wh"], "not a command mid-line");
  assertEquals(completeInput("/nope", candidates), [[], "/nope"]);
});

Deno.test("completeInput completes nicknames elsewhere and after @", () => {
  assertEquals(completeInput("a", candidates), [["alice: "], "a"]);
  assertEquals(completeInput("hi a", candidates), [["alice "], "a"]);
  assertEquals(completeInput("bo", candidates), [["Bob", "bobby"], "bo"]);
  assertEquals(completeInput("@민", candidates), [["@민수 "], "@민"]);
  assertEquals(completeInput("hey @B", candidates), [["@Bob", "@bobby"], "@B"]);
  assertEquals(completeInput("hello ", candidates), [[], ""]);
  assertEquals(completeInput("zz", candidates), [[], "zz"]);
});
