import { assertEquals } from "@std/assert";
import { say, setup } from "./_setup.ts";

Deno.test("/who lists the members of your room, away ones marked", async () => {
  const { peers: [a, b, c, d] } = await setup(["a", "b", "c", "d"]);
  await say(d, "/join math");
  await say(b, "/away lunch");
  for (const p of [a, b, c, d]) p.take();
  await say(a, "/who");
  assertEquals(a.take(), ["3 online: a, b (away), c"]);
  await say(d, "/접속자");
  assertEquals(d.take(), ["1 online: d"]);
});
