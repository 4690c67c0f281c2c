/**
 * `JOIN #a,#b` (keys ignored: rooms have none) or `JOIN 0` (leave every channel).
 * Each channel is entered in turn: the JOIN, the topic (`332`), the names
 * (`353`/`366`), then the room's history (a `chathistory` batch with `batch`).
 * A name that is not a room's is `479`; one without `#` is `403`.
 *
 * @module
 */

import { whenReady } from "../../util/maybe_async.ts";
import type { Step } from "../../util/maybe_async.ts";
import { channelOf } from "../irc_format.ts";
import { ERR } from "../numerics.ts";
import type { IrcSession } from "../irc_session.ts";
import type { IrcCommand } from "./command.ts";

/** Channels one JOIN may name: a client cannot make one line do unbounded work. */
export const MAX_JOIN_TARGETS = 20;

/** `JOIN`. */
export const join: IrcCommand = {
  name: "JOIN",
  minParams: 1,
  run({ session, params }) {
    if (params[0] === "0") {
      const rooms = [...(session.user?.rooms.values() ?? [])];
      for (const room of rooms) session.part(channelOf(room.name), undefined);
      return;
    }
    const channels = params[0].split(",").filter((c) => c !== "").slice(0, MAX_JOIN_TARGETS);
    return enterEach(session, channels, 0);
  },
};

function enterEach(session: IrcSession, channels: string[], from: number): Step {
  for (let i = from; i < channels.length; i++) {
    const channel = channels[i];
    if (!channel.startsWith("#")) {
      session.numeric(ERR.NOSUCHCHANNEL, channel, "No such channel");
      continue;
    }
    const step = session.enter(channel);
    if (step instanceof Promise) return whenReady(step, () => enterEach(session, channels, i + 1));
  }
}
