/**
 * `TOPIC #channel [:text]`: show (`332`, or `331`) or set the topic of the user's
 * channel (the chat's `/topic`: operators only when the server has operators).
 *
 * @module
 */

import { topic as chatTopic } from "../../chat/commands/topic.ts";
import { channelOf } from "../irc_format.ts";
import { ERR, RPL } from "../numerics.ts";
import { sameChannel } from "../irc_session.ts";
import type { IrcCommand } from "./command.ts";

/** `TOPIC`. */
export const topic: IrcCommand = {
  name: "TOPIC",
  minParams: 1,
  run({ session, params }) {
    const room = session.user?.room;
    const channel = params[0];
    if (room === undefined || !sameChannel(channelOf(room.name), channel)) {
      return session.channelExists(channel, (exists) => {
        if (exists) session.numeric(ERR.NOTONCHANNEL, channel, "You're not on that channel");
        else session.numeric(ERR.NOSUCHCHANNEL, channel, "No such channel");
      });
    }
    if (params.length < 2) {
      if (room.topic === undefined) {
        session.numeric(RPL.NOTOPIC, channelOf(room.name), "No topic is set");
      } else session.numeric(RPL.TOPIC, channelOf(room.name), room.topic);
      return;
    }
    if (params[1].trim() === "") return;
    return session.runChatCommand(chatTopic, params[1]);
  },
};
