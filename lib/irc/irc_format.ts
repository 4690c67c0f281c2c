/**
 * The IRC edge's room format: each room event as the IRC line its channel's
 * members get (`:alice!alice@chat PRIVMSG #math :hi`, JOIN, PART, QUIT, NICK,
 * TOPIC, KICK), rendered once per event and variant into the room's log, never once
 * per recipient. The variants differ only in the tags in front of a line: none;
 * `time` (`server-time`); `time` and `msgid` (`message-tags`). A connection takes
 * one when it registers, from the capabilities it asked for.
 *
 * A client that did not ask for `echo-message` must not get its own messages back:
 * its session tells the format its nickname and outbox ({@linkcode IrcFormat.unechoed}),
 * and the format tells that outbox to jump over the line as it appends it (one
 * look-up per message, nothing per recipient).
 *
 * @module
 */

import { isUserWideEvent, type RoomEvent, type UserWideEvent } from "../chat/events.ts";
import type { UserWideFormat } from "../chat/user.ts";
import type { BroadcastLog } from "../fanout/broadcast_log.ts";
import type { Format } from "../fanout/channel.ts";
import type { Outbox } from "../fanout/outbox.ts";
import { escapeTagValue } from "../transport/irc_message.ts";

/** Which tags a variant writes in front of its lines. */
export type IrcTags = "none" | "time" | "all";

/** The host part of every user's `nick!user@host`: addresses are not shown to other users. */
export const IRC_USER_HOST = "chat";

/**
 * The `nick!user@host` of a user, as sources show it.
 *
 * @param nick The nickname.
 * @returns The source.
 */
export function hostmask(nick: string): string {
  return `${nick}!${nick}@${IRC_USER_HOST}`;
}

/**
 * The channel of a room (`math` is `#math`).
 *
 * @param room The room's name.
 * @returns The channel's name.
 */
export function channelOf(room: string): string {
  return `#${room}`;
}

/**
 * The `@time=…;msgid=… ` prefix of a line in one variant (`""` for none).
 *
 * @param tags The variant.
 * @param time The event's time (`Date.now()` time).
 * @param id The event's id, when it has one.
 * @returns The prefix, with its trailing space.
 */
export function tagPrefix(tags: IrcTags, time: number, id?: string): string {
  if (tags === "none") return "";
  const stamp = new Date(time).toISOString();
  if (tags === "time" || id === undefined) return `@time=${stamp} `;
  return `@time=${stamp};msgid=${escapeTagValue(id)} `;
}

const encoder = new TextEncoder();

/**
 * Room events as IRC lines, in one tag variant. A rename and a quit (`NICK`,
 * `QUIT`) are about the user, not a room: the room hands them to
 * {@linkcode IrcFormat.encodeUserWide}, and each IRC member who shares rooms with
 * the user gets the one line once.
 */
export class IrcFormat implements Format<RoomEvent>, UserWideFormat {
  /** The tags this variant writes. */
  readonly tags: IrcTags;
  /** Outboxes of clients that do not get their own messages, by exact nickname. */
  readonly #unechoed = new Map<string, Outbox>();

  /**
   * @param tags The tags in front of each line.
   */
  constructor(tags: IrcTags) {
    this.tags = tags;
  }

  /**
   * Registers (or, with `undefined`, forgets) a client of this variant that did not
   * ask for `echo-message`: its own messages and actions are left out of its output.
   *
   * @param nick Its nickname (a rename moves it).
   * @param outbox Its outbox, or `undefined` to forget the nickname.
   */
  unechoed(nick: string, outbox: Outbox | undefined): void {
    if (outbox === undefined) this.#unechoed.delete(nick);
    else this.#unechoed.set(nick, outbox);
  }

  /** @inheritdoc */
  append(log: BroadcastLog, events: readonly RoomEvent[]): void {
    let text = "";
    for (const event of events) {
      // NICK and QUIT go once per connection (encodeUserWide), not once per room.
      if (isUserWideEvent(event)) continue;
      const line = this.roomLine(event) + "\r\n";
      const sender = event.type === "message" || event.type === "action"
        ? this.#unechoed.get(event.nick)
        : undefined;
      if (sender === undefined) {
        text += line;
        continue;
      }
      if (text !== "") log.append(text);
      text = "";
      const from = log.end;
      log.append(line);
      sender.skip(log, from, log.end);
    }
    if (text !== "") log.append(text);
  }

  /** @inheritdoc */
  encodeUserWide(event: UserWideEvent): Uint8Array {
    return encoder.encode(this.roomLine(event) + "\r\n");
  }

  /**
   * Renders a room event as one IRC line.
   *
   * @param event The event.
   * @returns The line, without `\r\n`.
   */
  roomLine(event: RoomEvent): string {
    const channel = channelOf(event.room);
    switch (event.type) {
      case "message":
        return `${tagPrefix(this.tags, event.time, event.id)}:${
          hostmask(event.nick)
        } PRIVMSG ${channel} :${event.text}`;
      case "action":
        return `${tagPrefix(this.tags, event.time, event.id)}:${
          hostmask(event.nick)
        } PRIVMSG ${channel} :\x01ACTION ${event.text}\x01`;
      case "joined":
        return `${tagPrefix(this.tags, event.time)}:${hostmask(event.nick)} JOIN ${channel}`;
      case "left":
        return `${tagPrefix(this.tags, event.time)}:${hostmask(event.nick)} QUIT :Quit`;
      case "parted": {
        const reason = event.reason === undefined ? "" : ` :${event.reason}`;
        return `${tagPrefix(this.tags, event.time)}:${
          hostmask(event.nick)
        } PART ${channel}${reason}`;
      }
      case "moved":
        return `${tagPrefix(this.tags, event.time)}:${hostmask(event.nick)} PART ${channel} :${
          channelOf(event.to)
        }`;
      case "renamed":
        return `${tagPrefix(this.tags, event.time)}:${hostmask(event.from)} NICK ${event.to}`;
      case "topic":
        return `${tagPrefix(this.tags, event.time)}:${
          hostmask(event.nick)
        } TOPIC ${channel} :${event.text}`;
      case "kicked": {
        const reason = event.banMinutes === undefined
          ? event.reason ?? event.by
          : event.banMinutes === 0
          ? "Banned"
          : `Banned for ${event.banMinutes} min`;
        return `${tagPrefix(this.tags, event.time)}:${
          hostmask(event.by)
        } KICK ${channel} ${event.nick} :${reason}`;
      }
    }
  }
}
