/**
 * The directory of one server alone: every user is here, every answer is in
 * memory and comes at once.
 *
 * @module
 */

import { whenReady } from "../util/maybe_async.ts";
import { Bans } from "./bans.ts";
import type { Directory, Members, TakeOver, UserRef } from "./directory.ts";
import type { Removal, RoomEntry, UserEvent, WhoEntry } from "./events.ts";
import { nicknameKey } from "./nickname.ts";
import type { Room } from "./room.ts";
import type { Store } from "./store.ts";
import { User } from "./user.ts";

/** Users and bans of one server, in memory; bans are also kept in the store. */
export class LocalDirectory implements Directory {
  /** @inheritdoc */
  readonly bans: Bans = new Bans();
  /** Registered nicknames that may not log in (by their key), and until when. */
  readonly nicknameBans: Bans = new Bans();
  #users = new Map<string, User>();
  #rooms: () => Iterable<Room>;
  #store: Store | undefined;

  /**
   * @param rooms The server's rooms (for `/rooms`).
   * @param store Where bans are kept across restarts; the ones in force are read
   *   now. @default {none: bans last as long as the process}
   */
  constructor(rooms: () => Iterable<Room>, store?: Store) {
    this.#rooms = rooms;
    this.#store = store;
    if (store === undefined) return;
    void whenReady(store.bans(), (bans) => {
      for (const ban of bans) {
        (ban.kind === "address" ? this.bans : this.nicknameBans).set(ban.target, ban.until);
      }
    });
  }

  /** The number of users. */
  get size(): number {
    return this.#users.size;
  }

  /**
   * Finds a user of this server at once.
   *
   * @param nickname The nickname, any case.
   * @returns The user, or `undefined`.
   */
  local(nickname: string): User | undefined {
    return this.#users.get(nicknameKey(nickname));
  }

  /** Every user of this server. */
  users(): IterableIterator<User> {
    return this.#users.values();
  }

  /** @inheritdoc */
  claim(user: User): boolean {
    if (this.#users.has(user.key)) return false;
    this.#users.set(user.key, user);
    return true;
  }

  /** @inheritdoc */
  takeOver(user: User): TakeOver {
    const holder = this.#users.get(user.key);
    this.#users.set(user.key, user);
    return { claimed: true, ghost: holder === user ? undefined : holder };
  }

  /** @inheritdoc */
  rename(user: User, nickname: string): boolean {
    const key = nicknameKey(nickname);
    const holder = this.#users.get(key);
    if (holder !== undefined && holder !== user) return false;
    this.#users.delete(user.key);
    user.rename(nickname);
    this.#users.set(key, user);
    return true;
  }

  /** @inheritdoc */
  release(user: User): void {
    if (this.#users.get(user.key) === user) this.#users.delete(user.key);
  }

  /** @inheritdoc */
  changed(): void {
    // Everyone who asks reads the users themselves.
  }

  /** @inheritdoc */
  find(nickname: string): UserRef | undefined {
    return this.local(nickname);
  }

  /** @inheritdoc */
  deliver(to: UserRef, event: UserEvent): boolean {
    if (to instanceof User) to.send(event);
    return true;
  }

  /** @inheritdoc */
  kick(target: UserRef, removal: Removal): boolean {
    if (target instanceof User) target.kick(removal);
    return true;
  }

  /** @inheritdoc */
  who(room: Room, limit = Infinity): Members {
    const users: WhoEntry[] = [];
    for (const user of room.members) {
      if (users.length >= limit) break;
      users.push({ nick: user.nickname, away: user.away !== undefined });
    }
    return { users, total: room.members.size };
  }

  /** @inheritdoc */
  rooms(): RoomEntry[] {
    return sortRooms(
      [...this.#rooms()]
        .filter((room) => room.members.size > 0)
        .map((room) => ({ name: room.name, count: room.members.size })),
    );
  }

  /** @inheritdoc */
  ban(address: string, minutes: number): void {
    this.bans.set(address, this.#keepBan("address", address, minutes));
  }

  /** @inheritdoc */
  unban(address: string): boolean {
    void this.#store?.removeBan("address", address);
    return this.bans.remove(address);
  }

  /**
   * Bans a registered nickname (its account may not log in).
   *
   * @param key The nickname's key (`nicknameKey()`).
   * @param minutes How long; `0` until lifted.
   */
  banNickname(key: string, minutes: number): void {
    this.nicknameBans.set(key, this.#keepBan("nickname", key, minutes));
  }

  /**
   * Lifts a nickname's ban.
   *
   * @param key The nickname's key.
   * @returns `false` when it was not banned.
   */
  unbanNickname(key: string): boolean {
    void this.#store?.removeBan("nickname", key);
    return this.nicknameBans.remove(key);
  }

  /** Keeps a ban in the store; returns when it ends (one time for memory and store). */
  #keepBan(kind: "address" | "nickname", target: string, minutes: number): number | undefined {
    const until = minutes === 0 ? undefined : Date.now() + minutes * 60_000;
    void this.#store?.addBan({ kind, target, until, by: undefined, reason: undefined });
    return until;
  }
}

/**
 * Orders rooms for `/rooms`: busiest first, then by name.
 *
 * @param rooms The rooms and their counts.
 * @returns The same array, sorted.
 */
export function sortRooms(rooms: RoomEntry[]): RoomEntry[] {
  return rooms.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
