/** `/unregister PASSWORD`: give up your nickname's account. @module */

import { whenReady } from "../../util/maybe_async.ts";
import type { Command } from "./command.ts";

/** `/unregister` (`/등록해제`). */
export const unregister: Command = {
  names: ["/unregister", "/등록해제"],
  usage: { ko: "/unregister 비밀번호", en: "/unregister PASSWORD" },
  help: {
    ko: "닉네임 등록 해제 (보관된 귓속말도 지워집니다)",
    en: "unregister your nickname (its held whispers go too)",
  },
  minArgs: 1,
  run(ctx) {
    const user = ctx.user;
    if (!user.loggedIn) {
      ctx.notice({ code: "notRegistered" });
      return;
    }
    return ctx.session.checkAccountPassword(
      ctx.args,
      (account) =>
        whenReady(ctx.chat.store.deleteAccount(account.key), () => {
          if (user.account === account.key) user.account = undefined;
          ctx.notice({ code: "unregistered", nick: account.nickname });
        }),
    );
  },
};
