/**
 * `TOPIC #channel [:text]`: show (`332`, or `331`) or set the topic of the user's
 * channel (the chat's `/topic`: operators only when the server has operators).
 *
 * @module
 */

import { channelOf } from "../irc_format.ts";
import { ERR, RPL } from "../numerics.ts";
import type { IrcCommand } from "./command.ts";

/** `TOPIC`. */
export const topic: IrcCommand = {
  name: "TOPIC",
  minParams: 1,
  run({ session, params }) {
    const channel = params[0];
    const room = session.roomOf(channel);
    if (room === undefined) {
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
    // The chat's `/topic` rule, for this channel (which need not be the current room).
    const user = session.user!;
    if (session.chat.opPassword !== undefined && !user.operator) {
      session.numeric(ERR.CHANOPRIVSNEEDED, channelOf(room.name), "You're not a channel operator");
      return;
    }
    session.chat.publish(user, {
      type: "topic",
      room: room.name,
      nick: user.nickname,
      text: params[1],
      time: Date.now(),
    }, room);
  },
};
