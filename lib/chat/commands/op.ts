/** `/op PASSWORD`: become an operator. @module */

import { whenReady } from "../../util/maybe_async.ts";
import type { Command } from "./command.ts";

/** `/op` (`/운영자`). */
export const op: Command = {
  names: ["/op", "/운영자"],
  usage: { ko: "/op 운영자비밀번호", en: "/op PASSWORD" },
  help: { ko: "운영자 되기", en: "become an operator" },
  minArgs: 1,
  run(ctx) {
    const check = ctx.chat.opPassword;
    if (check === undefined) {
      ctx.notice({ code: "opUnset" });
      return;
    }
    const user = ctx.user;
    const password = ctx.args;
    // Limited per address across connections (and servers): the answer may wait, or
    // be refused unchecked; the third wrong one in a connection still closes it.
    return ctx.chat.passwords.answer(
      user.address,
      "operator",
      () => check.matches(password),
      ctx.session.signal,
      (outcome) => {
        if (user.gone) return;
        switch (outcome) {
          case "right":
            user.operator = true;
            // Logged in: the account is an operator at its next login too, until /deop.
            if (!user.loggedIn) {
              ctx.notice({ code: "opGranted" });
              return;
            }
            return whenReady(ctx.chat.store.setOperator(user.account!, true), () => {
              ctx.notice({ code: "opGranted" });
            });
          case "wrong":
            ctx.session.opPasswordFailed();
            return;
          case "lockedOut":
            ctx.session.passwordLockedOut();
            return;
        }
      },
    );
  },
};
