/**
 * `NAMES [#channel]`: the members of the user's channel (`353`, `366`); another
 * channel gets only `366` (its members are shown to its members).
 *
 * @module
 */

import { channelOf } from "../irc_format.ts";
import { RPL } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `NAMES`. */
export const names: IrcCommand = {
  name: "NAMES",
  run({ session, params }) {
    const current = session.user?.room;
    const channel = params[0]?.split(",")[0] ??
      (current === undefined ? "*" : channelOf(current.name));
    const room = session.roomOf(channel);
    if (room === undefined) {
      session.numeric(RPL.ENDOFNAMES, channel, "End of /NAMES list");
      return;
    }
    return session.chat.who(room, ({ users }) => {
      session.names(channelOf(room.name), users.map((u) => u.nick));
    });
  },
};
