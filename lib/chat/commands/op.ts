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
    if (check.matches(ctx.args)) {
      const user = ctx.user;
      user.operator = true;
      // Logged in: the account is an operator at its next login too, until /deop.
      if (!user.loggedIn) {
        ctx.notice({ code: "opGranted" });
        return;
      }
      return whenReady(ctx.chat.store.setOperator(user.account!, true), () => {
        ctx.notice({ code: "opGranted" });
      });
    }
    ctx.session.opPasswordFailed();
  },
};
