/**
 * `PART #a,#b [:reason]`: leave channels; one the user is not in is `442`, a
 * name that is no channel `403`.
 *
 * @module
 */

import { ERR } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `PART`. */
export const part: IrcCommand = {
  name: "PART",
  minParams: 1,
  run({ session, params }) {
    const reason = params[1] || undefined;
    for (const channel of params[0].split(",").filter((c) => c !== "")) {
      if (!channel.startsWith("#")) {
        session.numeric(ERR.NOSUCHCHANNEL, channel, "No such channel");
      } else if (!session.part(channel, reason)) {
        session.numeric(ERR.NOTONCHANNEL, channel, "You're not on that channel");
      }
    }
  },
};
