import { assertEquals } from "@std/assert";
import { PromptAnswers } from "../../lib/client/prompt_answers.ts";

Deno.test("PromptAnswers gives each answer once; the user answers a second prompt", () => {
  const answers = new PromptAnswers({ nick: "alice", password: "s3cret" });
  assertEquals(answers.allAutomaticSent, false);
  assertEquals(answers.automatic("password"), "s3cret");
  assertEquals(answers.allAutomaticSent, false);
  assertEquals(answers.automatic("nickname"), "alice");
  assertEquals(answers.allAutomaticSent, true);
  // Asked again: the server refused it.
  assertEquals(answers.automatic("nickname"), undefined);
  assertEquals(answers.automatic("password"), undefined);
});

Deno.test("PromptAnswers keeps one question for the next typed line", () => {
  const answers = new PromptAnswers({});
  assertEquals(answers.allAutomaticSent, true);
  assertEquals(answers.automatic("nickname"), undefined);
  assertEquals(answers.takeQuestion(), undefined);
  answers.ask({ kind: "nickname", prompt: "닉네임을 입력하세요:" });
  assertEquals(answers.takeQuestion(), { kind: "nickname", prompt: "닉네임을 입력하세요:" });
  assertEquals(answers.takeQuestion(), undefined, "answered once");
  assertEquals(answers.nicknameDone, false);
  answers.nicknameSent();
  assertEquals(answers.nicknameDone, true);
});
