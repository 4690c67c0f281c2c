import { assertEquals } from "@std/assert";
import { PromptAnswers } from "../../lib/client/prompt_answers.ts";
import type { ServerPrompt } from "../../lib/client/server_prompt.ts";

const NICKNAME: ServerPrompt = { kind: "nickname", prompt: "닉네임을 입력하세요:" };
const PASSWORD: ServerPrompt = { kind: "password", prompt: "비밀번호를 입력하세요:" };
const account = (nick: string): ServerPrompt => ({
  kind: "account",
  prompt: `Password for ${nick}:`,
  nick,
});

Deno.test("PromptAnswers gives each answer once per connection; the user answers a second prompt", () => {
  const answers = new PromptAnswers({ nick: "alice", password: "s3cret" });
  assertEquals(answers.allAutomaticSent, false);
  assertEquals(answers.automatic(PASSWORD), "s3cret");
  assertEquals(answers.allAutomaticSent, false);
  assertEquals(answers.automatic(NICKNAME), "alice");
  assertEquals(answers.allAutomaticSent, true);
  // Asked again: the server refused it.
  assertEquals(answers.automatic(NICKNAME), undefined);
  assertEquals(answers.automatic(PASSWORD), undefined);
  // A new connection: each goes once more.
  answers.newConnection();
  assertEquals(answers.automatic(PASSWORD), "s3cret");
  assertEquals(answers.automatic(NICKNAME), "alice");
});

Deno.test("PromptAnswers keeps one question for the next typed line", () => {
  const answers = new PromptAnswers({});
  assertEquals(answers.allAutomaticSent, true);
  assertEquals(answers.automatic(NICKNAME), undefined);
  assertEquals(answers.takeQuestion(), undefined);
  answers.ask(NICKNAME);
  assertEquals(answers.takeQuestion(), NICKNAME);
  assertEquals(answers.takeQuestion(), undefined, "answered once");
  assertEquals(answers.nicknameDone, false);
  answers.sent(NICKNAME, "bob");
  assertEquals(answers.nicknameDone, true);
  answers.newConnection();
  assertEquals(answers.nicknameDone, false);
});

Deno.test("PromptAnswers remembers typed answers once the server took them, for the next connection", () => {
  const answers = new PromptAnswers({});
  answers.sent(PASSWORD, "server pw");
  answers.serverPasswordAccepted();
  answers.sent(NICKNAME, "bob");
  answers.sent(account("bob"), "bob's secret");
  answers.loggedIn("bob");
  answers.newConnection();
  assertEquals(answers.automatic(PASSWORD), "server pw");
  assertEquals(answers.automatic(NICKNAME), "bob");
  assertEquals(answers.automatic(account("bob")), "bob's secret");
  // The password of bob is no answer for another nickname.
  answers.newConnection();
  assertEquals(answers.automatic(account("carol")), undefined);
  assertEquals(answers.automatic(account("BOB")), "bob's secret", "the same nickname by look");
});

Deno.test("PromptAnswers never sends by itself again an account password the server refused", () => {
  const answers = new PromptAnswers({ nick: "alice", accountPassword: "wrong one" });
  assertEquals(answers.automatic(NICKNAME), "alice");
  assertEquals(answers.automatic(account("alice")), "wrong one");
  answers.accountRefused();
  // The nickname again, then the password: the user types both.
  assertEquals(answers.automatic(NICKNAME), undefined);
  assertEquals(answers.automatic(account("alice")), undefined);
  answers.newConnection();
  assertEquals(answers.automatic(account("alice")), undefined, "not on the next connection");
  // The one the user typed and the server took is the one a reconnection gives.
  answers.sent(account("alice"), "right one");
  answers.loggedIn("alice");
  answers.newConnection();
  assertEquals(answers.automatic(account("alice")), "right one");
});

Deno.test("PromptAnswers forgets a wrong password the user typed without remembering it", () => {
  const answers = new PromptAnswers({});
  answers.sent(account("alice"), "typo");
  answers.accountRefused();
  answers.sent(NICKNAME, "alice");
  answers.loggedIn("alice");
  answers.newConnection();
  assertEquals(answers.automatic(account("alice")), undefined);
});

Deno.test("PromptAnswers follows the account's password through /register, /password and /unregister once confirmed", () => {
  const answers = new PromptAnswers({ nick: "mina" });
  answers.changeRequested({ kind: "register", password: "first pass" }, "mina");
  // Not yet confirmed: a refusal must not make it the account's password.
  answers.newConnection();
  assertEquals(answers.automatic(account("mina")), undefined);
  answers.changeRequested({ kind: "register", password: "first pass" }, "mina");
  answers.changeConfirmed("register");
  answers.newConnection();
  assertEquals(answers.automatic(account("mina")), "first pass");
  // `/password` alone: the answer to `New password:` is the new one.
  answers.changeRequested({ kind: "password", password: undefined }, "mina");
  answers.sent({ kind: "currentPassword", prompt: "Current password:" }, "first pass");
  answers.sent({ kind: "newPassword", prompt: "New password:" }, "second pass");
  answers.changeConfirmed("password");
  answers.newConnection();
  assertEquals(answers.automatic(account("mina")), "second pass");
  answers.changeRequested({ kind: "password", password: "third" }, "mina");
  answers.changeConfirmed("password");
  answers.changeRequested({ kind: "unregister" }, "mina");
  answers.changeConfirmed("unregister");
  answers.newConnection();
  assertEquals(answers.automatic(account("mina")), undefined);
  assertEquals(answers.automatic(NICKNAME), "mina");
});

Deno.test("PromptAnswers gives the nickname the server last confirmed (a /nick included)", () => {
  const answers = new PromptAnswers({ nick: "first" });
  answers.loggedIn("first");
  answers.renamed("second");
  answers.newConnection();
  assertEquals(answers.automatic(NICKNAME), "second");
  assertEquals(answers.nick, "second");
});
