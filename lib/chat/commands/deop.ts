/**
 * `/deop [NICK]`: stop being an operator, or (an operator) remove another's
 * operator status. A logged-in operator's account forgets it too, so it is not an
 * operator at its next login.
 *
 * @module
 */

import { whenReady } from "../../util/maybe_async.ts";
import { nicknameKey, normalizeNickname } from "../nickname.ts";
import { words } from "../parse_line.ts";
import { User } from "../user.ts";
import type { Command, CommandContext } from "./command.ts";
import type { Step } from "../../util/maybe_async.ts";

/** `/deop` (`/운영자해제`). */
export const deop: Command = {
  names: ["/deop", "/운영자해제"],
  usage: { ko: "/deop [닉네임]", en: "/deop [NICK]" },
  help: {
    ko: "운영자 권한 내려놓기; 닉네임을 주면 (운영자가) 그 사람의 권한 해제",
    en: "stop being an operator; with a nickname (operators) remove theirs",
  },
  run(ctx) {
    const name = words(ctx.args)[0];
    if (name === undefined || nicknameKey(normalizeNickname(name)) === ctx.user.key) {
      return deopSelf(ctx);
    }
    if (!ctx.user.operator) {
      ctx.notice({ code: "opOnly" });
      return;
    }
    return deopOther(ctx, normalizeNickname(name));
  },
};

function deopSelf(ctx: CommandContext): Step {
  const user = ctx.user;
  if (!user.operator) {
    ctx.notice({ code: "notAnOperator" });
    return;
  }
  user.operator = false;
  if (!user.loggedIn) {
    ctx.notice({ code: "deopped" });
    return;
  }
  return whenReady(ctx.chat.store.setOperator(user.account!, false), () => {
    ctx.notice({ code: "deopped" });
  });
}

/**
 * Removes the status of a user here (told so) and of the account of that
 * nickname (online or not). A user on another server of a cluster keeps it until
 * it leaves: only its account forgets it.
 */
function deopOther(ctx: CommandContext, name: string): Step {
  return ctx.chat.findUser(name, (target) => {
    const key = nicknameKey(target?.nickname ?? name);
    return whenReady(ctx.chat.store.account(key), (account) => {
      const online = target instanceof User && target.operator ? target : undefined;
      const stored = account?.operator === true;
      const nick = target?.nickname ?? account?.nickname ?? name;
      if (online === undefined && !stored) {
        ctx.notice({ code: "notOperator", nick });
        return;
      }
      if (online !== undefined) {
        online.operator = false;
        online.send({ type: "notice", notice: { code: "deoppedBy", by: ctx.user.nickname } });
      }
      return whenReady(stored ? ctx.chat.store.setOperator(key, false) : true, () => {
        ctx.notice({ code: "deopDone", nick });
      });
    });
  });
}
