/**
 * A room: its members on this server, its topic, and the channel that fans its
 * events out to them.
 *
 * @module
 */

import { Channel } from "../fanout/channel.ts";
import type { MaybePromise } from "../util/maybe_async.ts";
import { isUserWideEvent, type RoomEvent, type UserWideEvent } from "./events.ts";
import { roomKey } from "./room_name.ts";
import type { User, UserWideFormat } from "./user.ts";

/** A room as this server sees it. */
export class Room {
  /** The name as it was created. */
  readonly name: string;
  /** The name's comparison key. */
  readonly key: string;
  /** Fan-out of the room's events to its members here. */
  readonly channel: Channel<RoomEvent>;
  /** The members on this server, in the order they came. */
  readonly members: Set<User> = new Set();
  /** Users on their way in (waiting for the room's history): the room must not vanish. */
  entering = 0;
  /** Settles when the room's events reach this server (at once on one server). */
  opened: MaybePromise<void> = undefined;
  /**
   * Where a member that leaves now catches up from: the id of the last message or
   * action the room showed here, or before any, the id the bus's numbering stands
   * at (`<epoch>.<seq>` of the room's last event, `<epoch>.0` for a room that never
   * had one). Only the bus sets it; `undefined` where the bus gives no ids.
   */
  lastId: string | undefined;
  /** The members whose format shows user-wide events once per connection (IRC). */
  #userWide = new Set<User>();
  #topic: string | undefined;
  #observe: ((event: RoomEvent) => void) | undefined;
  #waiters: { match: (event: RoomEvent) => boolean; then: () => void }[] = [];

  /**
   * @param name A valid room name.
   * @param observe Called with every event the room shows (the server console).
   * @param beforeRender Called before the room's events are rendered for its members:
   *   the bus makes them durable (`Bus.sync`). @default {nothing}
   */
  constructor(name: string, observe?: (event: RoomEvent) => void, beforeRender?: () => void) {
    this.name = name;
    this.key = roomKey(name);
    this.#observe = observe;
    this.channel = new Channel({ beforeRender });
  }

  /** The topic, as the last topic event set it. */
  get topic(): string | undefined {
    return this.#topic;
  }

  /**
   * Shows an event that came back through the bus to every member here, and
   * applies what it changes.
   *
   * @param event The event.
   */
  deliver = (event: RoomEvent): void => {
    if (event.type === "message" || event.type === "action") {
      if (event.id !== undefined) this.lastId = event.id;
    } else if (event.type === "topic") this.#topic = event.text;
    this.channel.publish(event);
    if (this.#userWide.size > 0 && isUserWideEvent(event)) this.#showUserWide(event);
    this.#observe?.(event);
    if (this.#waiters.length > 0) {
      const index = this.#waiters.findIndex((waiter) => waiter.match(event));
      if (index >= 0) this.#waiters.splice(index, 1)[0].then();
    }
  };

  /**
   * Runs `then` right after the room shows an event that matches (at once on one
   * server, where publishing shows it in the same turn).
   *
   * @param match Which event.
   * @param then What to do, after the event is in every member's queue.
   * @returns A function that cancels the wait.
   */
  onceShown(match: (event: RoomEvent) => boolean, then: () => void): () => void {
    const waiter = { match, then };
    this.#waiters.push(waiter);
    return () => {
      const index = this.#waiters.indexOf(waiter);
      if (index >= 0) this.#waiters.splice(index, 1);
    };
  }

  /**
   * Shows a user-wide event to the members whose format shows it once per
   * connection: to those for whom this room is the first of the event's rooms they
   * are in, rendered once per format, the same bytes queued to each, after the
   * room's events before it.
   */
  #showUserWide(event: UserWideEvent): void {
    this.channel.flush();
    const rooms = event.rooms;
    let rendered: Map<UserWideFormat, Uint8Array | undefined> | undefined;
    let full: User[] | undefined;
    for (const member of this.#userWide) {
      if (rooms !== undefined && firstRoomIn(rooms, member) !== this.key) continue;
      const format = member.userWide!;
      rendered ??= new Map();
      let bytes = rendered.get(format);
      if (bytes === undefined && !rendered.has(format)) {
        bytes = format.encodeUserWide(event);
        rendered.set(format, bytes);
      }
      if (bytes !== undefined && !member.sendShared(bytes)) (full ??= []).push(member);
    }
    // Dropped once every member was served: a drop publishes in this room again.
    if (full !== undefined) { for (const member of full) member.overflowed(); }
  }

  /**
   * Sets the topic without an event (what a cluster stored before this server came).
   *
   * @param text The topic.
   */
  restoreTopic(text: string | undefined): void {
    this.#topic = text;
  }

  /**
   * Adds a member: it receives the room's events from now on.
   *
   * @param user The user.
   */
  add(user: User): void {
    this.members.add(user);
    this.channel.add(user);
    if (user.userWide !== undefined) this.#userWide.add(user);
    user.addRoom(this);
  }

  /**
   * Removes a member: what was published before still reaches it.
   *
   * @param user The user.
   */
  remove(user: User): void {
    this.members.delete(user);
    this.channel.remove(user);
    this.#userWide.delete(user);
    user.removeRoom(this);
  }
}

/** The first of `rooms` (keys) that a user is in, or `undefined`. */
function firstRoomIn(rooms: readonly string[], user: User): string | undefined {
  for (const key of rooms) if (user.rooms.has(key)) return key;
  return undefined;
}
