/**
 * The directory of one server alone: every user is here, every answer is in
 * memory and comes at once.
 *
 * @module
 */

import { whenReady } from "../util/maybe_async.ts";
import { Bans } from "./bans.ts";
import type { Directory, Members, NicknameBan, TakeOver, UserRef } from "./directory.ts";
import type { Removal, RoomEntry, UserEvent, WhoEntry } from "./events.ts";
import { nicknameKey } from "./nickname.ts";
import type { Room } from "./room.ts";
import type { Store } from "./store.ts";
import { User } from "./user.ts";

/** Users and bans of one server, in memory; bans are also kept in the store. */
export class LocalDirectory implements Directory {
  /** @inheritdoc */
  readonly bans: Bans = new Bans("address");
  /** @inheritdoc */
  readonly nicknameBans: Bans<"nickname"> = new Bans("nickname");
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
        (ban.kind === "address" ? this.bans : this.nicknameBans).set(
          ban.target,
          ban.until,
          ban.name,
        );
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
    const until = banEnd(minutes);
    this.bans.set(address, until);
    void this.#store?.addBan({
      kind: "address",
      target: address,
      until,
      by: undefined,
      reason: undefined,
    });
  }

  /** @inheritdoc */
  unban(address: string): boolean {
    void this.#store?.removeBan("address", address);
    return this.bans.remove(address);
  }

  /** @inheritdoc */
  banNickname(ban: NicknameBan): void {
    const until = banEnd(ban.minutes);
    this.nicknameBans.set(ban.key, until, ban.name);
    void this.#store?.addBan({
      kind: "nickname",
      target: ban.key,
      name: ban.name,
      until,
      by: ban.by,
      reason: ban.reason,
    });
  }

  /** @inheritdoc */
  unbanNickname(key: string): boolean {
    void this.#store?.removeBan("nickname", key);
    return this.nicknameBans.remove(key);
  }
}

/** When a ban of `minutes` made now ends (one time for memory and store); `0`: never. */
function banEnd(minutes: number): number | undefined {
  return minutes === 0 ? undefined : Date.now() + minutes * 60_000;
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
