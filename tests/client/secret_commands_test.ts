import { assertEquals } from "@std/assert";
import { maskSecret, passwordChangeOf, secretStart } from "../../lib/client/secret_commands.ts";
import { displayWidth } from "../../lib/util/display_width.ts";

Deno.test("secretStart finds the password after /register, /password, /unregister, /op and their aliases, any case", () => {
  assertEquals(secretStart("/register pass word"), 10);
  assertEquals(secretStart("/REGISTER x"), 10);
  assertEquals(secretStart("  /op  hunter2"), 7);
  assertEquals(secretStart("/등록 비밀번호"), 4);
  assertEquals(secretStart("/비밀번호 old new"), 6);
  assertEquals(secretStart("/등록해제 x"), 6);
  assertEquals(secretStart("/운영자 x"), 5);
  assertEquals(secretStart("/unregister "), 12, "nothing typed of it yet");
  // Not yet a command with an argument, or no password command at all.
  assertEquals(secretStart("/register"), -1);
  assertEquals(secretStart("/registered x"), -1);
  assertEquals(secretStart("/deop alice"), -1);
  assertEquals(secretStart("I said /register x"), -1);
  assertEquals(secretStart("@bob /op x"), -1);
});

Deno.test("maskSecret keeps the command and masks the rest, one star per column", () => {
  assertEquals(maskSecret("/register password", displayWidth), "/register ********");
  // A Korean character takes two columns: two stars.
  assertEquals(maskSecret("/password 한글 pw", displayWidth), "/password *******");
  assertEquals(maskSecret("/등록 비밀", displayWidth), "/등록 ****");
  assertEquals(maskSecret("hello /register x", displayWidth), "hello /register x");
});

Deno.test("passwordChangeOf reads the account's new password as the server does", () => {
  assertEquals(passwordChangeOf("/register  correct horse  "), {
    kind: "register",
    password: "correct horse",
  });
  assertEquals(passwordChangeOf("/등록 비밀번호 여덟자"), {
    kind: "register",
    password: "비밀번호 여덟자",
  });
  assertEquals(passwordChangeOf("/password old new"), { kind: "password", password: "new" });
  assertEquals(passwordChangeOf("/비밀번호"), { kind: "password", password: undefined });
  assertEquals(passwordChangeOf("/password only-one"), undefined, "a usage error changes nothing");
  assertEquals(passwordChangeOf("/unregister pw"), { kind: "unregister" });
  assertEquals(passwordChangeOf("/op secret"), undefined);
  assertEquals(passwordChangeOf("/register"), undefined);
  assertEquals(passwordChangeOf("hello"), undefined);
});
