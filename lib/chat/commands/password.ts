/**
 * `/password OLD NEW`: change your account's password; `/password` alone asks for
 * both through prompts, so that passwords with spaces can be changed too.
 *
 * @module
 */

import type { Step } from "../../util/maybe_async.ts";
import { whenReady } from "../../util/maybe_async.ts";
import { hashPassword, passwordProblem } from "../../util/password_hash.ts";
import { words } from "../parse_line.ts";
import type { Command, CommandContext } from "./command.ts";

/** `/password` (`/비밀번호`). */
export const password: Command = {
  names: ["/password", "/비밀번호"],
  usage: { ko: "/password [현재비번 새비번]", en: "/password [OLD NEW]" },
  help: {
    ko: "비밀번호 바꾸기 (비밀번호 없이 쓰면 차례로 묻습니다: 띄어쓰기가 있어도 됩니다)",
    en: "change your password (alone: asks for both, so they may hold spaces)",
  },
  run(ctx) {
    if (!ctx.user.loggedIn) {
      ctx.notice({ code: "notRegistered" });
      return;
    }
    const given = words(ctx.args);
    if (given.length === 0) {
      ctx.session.ask("currentPassword", (old) => {
        if (old === "") {
          ctx.notice({ code: "passwordChangeCancelled" });
          return;
        }
        return ctx.session.checkAccountPassword(old, () => askNew(ctx));
      });
      return;
    }
    if (given.length !== 2) {
      ctx.notice({ code: "usage", usage: password.usage });
      return;
    }
    const [old, next] = given;
    // Checked before the old one: a bad new password costs no guess.
    const problem = passwordProblem(next);
    if (problem !== undefined) {
      ctx.notice(problem);
      return;
    }
    return ctx.session.checkAccountPassword(old, () => change(ctx, next));
  },
};

/** Asks for the new password until one is good, or an empty answer cancels. */
function askNew(ctx: CommandContext): void {
  ctx.session.ask("newPassword", (next) => {
    if (next === "") {
      ctx.notice({ code: "passwordChangeCancelled" });
      return;
    }
    const problem = passwordProblem(next);
    if (problem === undefined) return change(ctx, next);
    ctx.notice(problem);
    askNew(ctx);
  });
}

function change(ctx: CommandContext, next: string): Step {
  const user = ctx.user;
  const key = user.account!;
  return hashPassword(next).then((hash) => {
    if (user.gone) return;
    return whenReady(ctx.chat.store.setPassword(key, hash), (changed) => {
      ctx.notice(changed ? { code: "passwordChanged" } : { code: "notRegistered" });
    });
  });
}
