import { assertEquals } from "@std/assert";
import { Keyboard, STOPPED } from "../../lib/client/keyboard.ts";
import { openPlainInput } from "../../lib/client/line_input.ts";
import { TextSink, TypedLines } from "../_helpers.ts";

Deno.test("Keyboard hands each line to one reader; a reader that stops waiting takes none", async () => {
  const typed = new TypedLines();
  const input = openPlainInput({ readable: typed.readable, writer: new TextSink() });
  const keyboard = new Keyboard(input);
  const first = keyboard.next();
  keyboard.stopWaiting();
  assertEquals(await first, STOPPED);
  typed.type("one");
  typed.type("two");
  assertEquals(await keyboard.next(), "one");
  keyboard.putBack("again");
  assertEquals(await keyboard.next(), "again");
  assertEquals(await keyboard.next(), "two");
  typed.end();
  assertEquals(await keyboard.next(), null);
  assertEquals(await keyboard.next(), null, "the end stays");
  input.close();
  await keyboard.finished;
});
