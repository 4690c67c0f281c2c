/**
 * A user: one joined connection, the one owner of its nickname, in one room at a
 * time.
 *
 * @module
 */

import type { Format, Subscriber } from "../fanout/channel.ts";
import type { Outbox } from "../fanout/outbox.ts";
import type { Removal, RoomEvent, UserEvent } from "./events.ts";
import { nicknameKey } from "./nickname.ts";
import type { Room } from "./room.ts";

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
  /** The room the user is in (none between rooms, and after leaving). */
  room: Room | undefined;
  /** The away reason (`""` without one), or `undefined` when present. */
  away: string | undefined;
  /** @inheritdoc */
  readonly outbox: Outbox;
  /** @inheritdoc */
  readonly format: Format<RoomEvent>;
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
    this.room?.channel.flush();
    if (!this.#host.send(event)) this.#host.overflowed();
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
