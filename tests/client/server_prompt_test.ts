import { assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { asksSecret, parsePrompt } from "../../lib/client/server_prompt.ts";

Deno.test("parsePrompt tells every prompt apart in both languages, and only whole prompts", () => {
  for (const lang of ["ko", "en"] as const) {
    const t = userText(lang);
    assertEquals(parsePrompt(t.nicknamePrompt), { kind: "nickname", prompt: t.nicknamePrompt });
    assertEquals(parsePrompt(`${t.passwordPrompt} `)?.kind, "password");
    assertEquals(parsePrompt(t.currentPasswordPrompt)?.kind, "currentPassword");
    assertEquals(parsePrompt(t.newPasswordPrompt)?.kind, "newPassword");
    for (const nick of ["alice", "민수", "a_b-2"]) {
      assertEquals(parsePrompt(t.accountPrompt(nick)), {
        kind: "account",
        prompt: t.accountPrompt(nick),
        nick,
      });
    }
    // A message that quotes a prompt is a message.
    assertEquals(parsePrompt(t.message("bob", t.accountPrompt("alice"))), undefined);
    assertEquals(parsePrompt(t.accountPrompt("two words")), undefined);
  }
});

Deno.test("asksSecret: every prompt but the nickname's asks for a secret", () => {
  assertEquals(asksSecret("nickname"), false);
  for (const kind of ["password", "account", "currentPassword", "newPassword"] as const) {
    assertEquals(asksSecret(kind), true);
  }
});
