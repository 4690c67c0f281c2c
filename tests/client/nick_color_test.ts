import { assert, assertEquals } from "@std/assert";
import { NICK_PALETTE, nickColor } from "../../lib/client/nick_color.ts";

Deno.test("nickColor is stable, case-insensitive and from the palette", () => {
  // Fixed values: the same nickname has the same colour in every run and release.
  assertEquals(nickColor("alice"), nickColor("alice"));
  assertEquals(nickColor("Alice"), nickColor("alice"));
  assertEquals(nickColor("민수"), nickColor("민수".normalize("NFD")));
  const names = ["alice", "bob", "carol", "dave", "민수", "지현", "x", "Ελένη"];
  for (const name of names) assert(NICK_PALETTE.includes(nickColor(name)), name);
  // A hash, not a constant: a handful of names spread over several colours.
  assert(new Set(names.map(nickColor)).size >= 4);
});

Deno.test("nickColor has pinned values, so a change of colours is deliberate", () => {
  assertEquals(
    ["alice", "bob", "carol", "민수"].map(nickColor),
    [62, 127, 32, 62],
  );
});
