/**
 * A user: one joined connection, the one owner of its nickname. It is in a set of
 * rooms (in the order it entered them) and has a current room: the one room of a
 * text, `nc` or web user (its `/join` moves it), the last one joined for a user in
 * several (an IRC client), used where a command names no room.
 *
 * @module
 */

import type { Format, Subscriber } from "../fanout/channel.ts";
import type { Outbox } from "../fanout/outbox.ts";
import type { Removal, RoomEvent, UserEvent, UserWideEvent } from "./events.ts";
import { nicknameKey } from "./nickname.ts";
import type { Room } from "./room.ts";

/**
 * A format whose connections are shown a {@linkcode UserWideEvent} (a rename,
 * leaving the chat) once, not once per room they share with the user: IRC's `NICK`
 * and `QUIT`. Its {@linkcode Format.append} renders those events as nothing in the
 * room logs; the room instead hands each such event to
 * {@linkcode UserWideFormat.encodeUserWide} once per format, and queues the same
 * bytes to each of its members of that format whose first room (in the order of
 * the event's `rooms`) is this one.
 */
export interface UserWideFormat extends Format<RoomEvent> {
  /**
   * Renders a user-wide event once for every connection of this format that is shown it.
   *
   * @param event The event.
   * @returns The bytes, or `undefined` for an event this format does not show.
   */
  encodeUserWide(event: UserWideEvent): Uint8Array | undefined;
}

/**
 * Tells whether a format shows user-wide events once per connection.
 *
 * @param format A format.
 * @returns `true` for a {@linkcode UserWideFormat}.
 */
export function isUserWideFormat(format: Format<RoomEvent>): format is UserWideFormat {
  return typeof (format as Partial<UserWideFormat>).encodeUserWide === "function";
}

/** What a user needs of the connection behind it (its session). */
export interface UserHost {
  /** The peer's IP address, as bans compare it. */
  readonly address: string;
  /** Where the room's log is read from. */
  readonly outbox: Outbox;
  /** The wire format of the connection. */
  readonly format: Format<RoomEvent>;
  /**
   * Sends an event to this user alone.
   *
   * @returns `false` when its output is full.
   */
  send(event: UserEvent): boolean;
  /** Its output passed the limit: leave, and close the connection at once. */
  overflowed(): void;
  /**
   * An operator removes the user: it is told, its room is told, the connection ends.
   *
   * @param removal Who removes it, why, and for a ban how long.
   */
  kick(removal: Removal): void;
  /**
   * A new login took the user's nickname (ghost reclaim): it is told why and its
   * connection ends, without leaving its room (the new login takes its place) and
   * without freeing the nickname (the new login has it).
   */
  reclaimed(): void;
}

/** A joined user. */
export class User implements Subscriber<RoomEvent> {
  #nickname: string;
  #key: string;
  #host: UserHost;
  #rooms = new Map<string, Room>();
  #room: Room | undefined;
  /** The away reason (`""` without one), or `undefined` when present. */
  away: string | undefined;
  /** @inheritdoc */
  readonly outbox: Outbox;
  /** @inheritdoc */
  readonly format: Format<RoomEvent>;
  /** Its format when that shows user-wide events once per connection, else `undefined`. */
  readonly userWide: UserWideFormat | undefined;
  /** Whether the user gave the operator password (or logged in to an operator's account). */
  operator = false;
  /**
   * The key of the account this connection logged in to (or registered), or
   * `undefined`. The user acts as the account while its nickname's key is this one
   * (see {@linkcode User.loggedIn}).
   */
  account: string | undefined;
  /** Set once the user has left the chat: what was still on its way is dropped. */
  gone = false;

  /**
   * @param nickname A valid nickname, already claimed.
   * @param host The connection behind the user.
   */
  constructor(nickname: string, host: UserHost) {
    this.#nickname = nickname;
    this.#key = nicknameKey(nickname);
    this.#host = host;
    // Read on every fan-out to every member: kept here, not behind the host's getters.
    this.outbox = host.outbox;
    this.format = host.format;
    this.userWide = isUserWideFormat(host.format) ? host.format : undefined;
  }

  /** The current room (none between rooms, and after leaving). */
  get room(): Room | undefined {
    return this.#room;
  }

  /** The rooms the user is in, by key, in the order it entered them. */
  get rooms(): ReadonlyMap<string, Room> {
    return this.#rooms;
  }

  /**
   * Records that the user is in a room, which becomes its current one. Only
   * {@linkcode Room.add} calls it.
   *
   * @param room The room.
   */
  addRoom(room: Room): void {
    this.#rooms.set(room.key, room);
    this.#room = room;
  }

  /**
   * Records that the user left a room; when it was the current one, the last room
   * entered of those left becomes current. Only {@linkcode Room.remove} calls it.
   *
   * @param room The room.
   */
  removeRoom(room: Room): void {
    if (!this.#rooms.delete(room.key)) return;
    if (this.#room !== room) return;
    let last: Room | undefined;
    for (const other of this.#rooms.values()) last = other;
    this.#room = last;
  }

  /**
   * Makes one of the user's rooms its current one.
   *
   * @param room A room the user is in.
   */
  setCurrentRoom(room: Room): void {
    if (this.#rooms.get(room.key) === room) this.#room = room;
  }

  /** The nickname as registered. */
  get nickname(): string {
    return this.#nickname;
  }

  /** The nickname's comparison key. */
  get key(): string {
    return this.#key;
  }

  /** The peer's IP address. */
  get address(): string {
    return this.#host.address;
  }

  /**
   * Whether the user is logged in to its nickname's account: it logged in or
   * registered, and has not renamed itself to another nickname since.
   */
  get loggedIn(): boolean {
    return this.account !== undefined && this.account === this.#key;
  }

  /**
   * Changes the nickname (the caller has claimed the new one).
   *
   * @param nickname The new nickname.
   */
  rename(nickname: string): void {
    this.#nickname = nickname;
    this.#key = nicknameKey(nickname);
  }

  /**
   * Sends an event to this user alone, after every room event published before.
   * A user whose output is full is dropped.
   *
   * @param event The event.
   */
  send(event: UserEvent): void {
    if (this.#rooms.size === 1) this.#room!.channel.flush();
    else for (const room of this.#rooms.values()) room.channel.flush();
    if (!this.#host.send(event)) this.#host.overflowed();
  }

  /**
   * Queues bytes rendered once for many recipients (a user-wide event), after
   * every room event published before in the user's rooms.
   *
   * @param bytes The bytes; they are shared, never changed.
   * @returns `false` when the output is full: the caller drops the user
   *   ({@linkcode User.overflowed}) once it is done with the others.
   */
  sendShared(bytes: Uint8Array): boolean {
    return this.outbox.trySend(bytes);
  }

  /** @inheritdoc */
  overflowed(): void {
    this.#host.overflowed();
  }

  /**
   * Removes the user from the chat on an operator's word.
   *
   * @param removal Who removes it, why, and for a ban how long.
   */
  kick(removal: Removal): void {
    this.#host.kick(removal);
  }

  /** A new login took the user's nickname: see {@linkcode UserHost.reclaimed}. */
  reclaimed(): void {
    this.#host.reclaimed();
  }
}
