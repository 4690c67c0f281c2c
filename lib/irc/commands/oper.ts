/** `OPER name password`: the chat's `/op` with the operator password (`381`; `464`). @module */

import { op } from "../../chat/commands/op.ts";
import type { IrcCommand } from "./command.ts";

/** `OPER`. */
export const oper: IrcCommand = {
  name: "OPER",
  minParams: 2,
  run({ session, params }) {
    return session.runChatCommand(op, params[1]);
  },
};
