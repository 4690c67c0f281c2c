/** `QUIT [:reason]`: leave the chat; the others see QUIT (text users: the leave line). @module */

import type { IrcCommand } from "./command.ts";

/** `QUIT`. */
export const quit: IrcCommand = {
  name: "QUIT",
  preRegistration: true,
  run({ session, params }) {
    session.quitWith(params[0] || undefined);
  },
};
