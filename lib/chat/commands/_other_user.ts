/**
 * What `/kick` and `/ban` share: the user they act on is someone else, and is here.
 *
 * @module
 */

import type { Step } from "../../util/maybe_async.ts";
import type { UserRef } from "../directory.ts";
import type { CommandContext } from "./command.ts";

/**
 * Finds the user an operator names, on any server, and runs `act` on it; the
 * operator is told when there is nobody by that name, or when it names itself.
 *
 * @param ctx The command's context.
 * @param name The nickname given.
 * @param act What to do with the user.
 * @returns When done (at once on one server).
 */
export function withOtherUser(
  ctx: CommandContext,
  name: string,
  act: (target: UserRef) => Step,
): Step {
  return ctx.chat.findUser(name, (target) => {
    if (target === undefined) ctx.notice({ code: "noSuchUser", nick: name });
    else if (target.nickname === ctx.user.nickname) ctx.notice({ code: "cannotKickSelf" });
    else return act(target);
  });
}
