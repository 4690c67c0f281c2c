/** `/register PASSWORD`: reserve the nickname you hold for you. @module */

import { whenReady } from "../../util/maybe_async.ts";
import { hashPassword, passwordProblem } from "../../util/password_hash.ts";
import type { Command } from "./command.ts";

/** `/register` (`/등록`). */
export const register: Command = {
  names: ["/register", "/등록"],
  usage: { ko: "/register 비밀번호", en: "/register PASSWORD" },
  help: {
    ko: "지금 닉네임 등록하기 (그다음부터 접속할 때 이 비밀번호를 묻습니다)",
    en: "register your nickname: from then on it asks for this password",
  },
  minArgs: 1,
  run(ctx) {
    const user = ctx.user;
    // The rest of the line is the password: spaces and any script allowed.
    const password = ctx.args;
    const problem = passwordProblem(password);
    if (problem !== undefined) {
      ctx.notice(problem);
      return;
    }
    // Only the nickname one holds can be registered: it is the user's own.
    const key = user.key;
    const nickname = user.nickname;
    return whenReady(ctx.chat.store.account(key), (existing) => {
      if (existing !== undefined) {
        ctx.notice({ code: "alreadyRegistered", nick: existing.nickname });
        return;
      }
      return hashPassword(password).then((passwordHash) => {
        // Renamed or gone while the hash was made: the nickname is not its to register.
        if (user.gone || user.key !== key) return;
        const account = {
          key,
          nickname,
          passwordHash,
          operator: user.operator,
          created: Date.now(),
          lastSeen: undefined,
        };
        return whenReady(ctx.chat.store.createAccount(account), (created) => {
          if (!created) {
            ctx.notice({ code: "alreadyRegistered", nick: nickname });
            return;
          }
          user.account = key;
          ctx.notice({ code: "registered", nick: nickname });
        });
      });
    });
  },
};
