/**
 * The seam between the chat and where its users are: who holds which nickname,
 * who is in which room, who is banned, and how to reach a user.
 *
 * On one server the {@linkcode LocalDirectory} answers at once from memory. In a
 * cluster the answers come from Redis, and a user may be on another server: it is
 * then reached through that server.
 *
 * @module
 */

import type { MaybePromise } from "../util/maybe_async.ts";
import type { Bans } from "./bans.ts";
import type { Removal, RoomEntry, UserEvent, WhoEntry } from "./events.ts";
import type { Room } from "./room.ts";
import type { User } from "./user.ts";

/** A user somewhere in the chat: on this server, or on another one. */
export interface UserRef {
  /** The nickname as registered. */
  readonly nickname: string;
  /** The away reason (`""` without one), or `undefined` when present. */
  readonly away: string | undefined;
  /** The user's IP address, as bans compare it. */
  readonly address: string;
}

/** A room's members, or the first of them. */
export interface Members {
  /** The members listed, in the order they came. */
  users: WhoEntry[];
  /** How many members the room has. */
  total: number;
}

/** What {@linkcode Directory.takeOver} did. */
export interface TakeOver {
  /** Whether the user has the nickname now. */
  claimed: boolean;
  /**
   * The user of this server that held it before (a ghost of the same account): it
   * is no longer in the directory, and the chat hands its room to the new user.
   */
  ghost: User | undefined;
  /**
   * The rooms of a holder on another server that was displaced (its server closes
   * it), in the order it entered them: the new user takes its place in each, with
   * no joined notice, the last one current.
   * @default {undefined}
   */
  rooms?: string[];
}

/** A ban of a registered nickname, as an operator makes it. */
export interface NicknameBan {
  /** The nickname's key (`nicknameKey()`): its look-alikes are banned with it. */
  key: string;
  /** The nickname as it was written (the account's), for `/bans`. */
  name: string;
  /** How long; `0` until lifted. */
  minutes: number;
  /** The operator who made it. */
  by: string | undefined;
  /** The reason given. */
  reason: string | undefined;
}

/** Where the chat's users are, and who may not come. */
export interface Directory {
  /** The address bans in force, as this server knows them (kept up to date in a cluster). */
  readonly bans: Bans;
  /**
   * The registered nicknames whose accounts may not log in (by key), as this server
   * knows them. Read it through {@linkcode Bans.has}: an ended ban is forgotten there.
   */
  readonly nicknameBans: Bans<"nickname">;
  /**
   * Registers a user's nickname, unless someone has it (compared ignoring case).
   *
   * @param user A user whose nickname is valid.
   * @returns `false` when it is taken.
   */
  claim(user: User): MaybePromise<boolean>;
  /**
   * Registers the nickname of a user who logged in to its account, whoever holds
   * it: a holder on this server is displaced (returned as the `ghost`, for the chat
   * to close and take the room of); one on another server is closed by its server
   * (its `room` returned, for the new user to take its place in). A holder that
   * cannot be reached is not taken from: the nickname is not claimed.
   *
   * @param user A user whose nickname is registered and whose password was right.
   * @returns Whether it is claimed, and the local user displaced, if any.
   */
  takeOver(user: User): MaybePromise<TakeOver>;
  /**
   * Says which users of this server a login on another server displaced (ghost
   * reclaim across servers): the chat closes each without a leave in its room.
   * @default {absent: every user is on this server}
   *
   * @param handler Takes each such user (no longer in the directory).
   */
  watchReclaims?(handler: (ghost: User) => void): void;
  /**
   * Renames a user: the new nickname is claimed and the old one freed in one step.
   * Changing only the case of one's own nickname is allowed.
   *
   * @param user The user.
   * @param nickname A valid nickname.
   * @returns `false` when someone else has it.
   */
  rename(user: User, nickname: string): MaybePromise<boolean>;
  /**
   * Frees a user's nickname at once (it left).
   *
   * @param user The user.
   */
  release(user: User): void;
  /**
   * The user's room or away state changed: others who ask must see it.
   *
   * @param user The user.
   * @returns When others who ask from now on see it (at once on one server).
   */
  changed(user: User): MaybePromise<void>;
  /**
   * Finds a user by nickname, ignoring case, on any server.
   *
   * @param nickname The nickname.
   * @returns The user, or `undefined`.
   */
  find(nickname: string): MaybePromise<UserRef | undefined>;
  /**
   * Sends an event to a user wherever it is (a whisper).
   *
   * @param to The user.
   * @param event The event.
   * @returns `false` when it cannot be sent now (a cluster that is unreachable).
   */
  deliver(to: UserRef, event: UserEvent): MaybePromise<boolean>;
  /**
   * Removes a user on an operator's word, wherever it is.
   *
   * @param target The user.
   * @param removal Who removes it, why, and for a ban how long.
   * @returns `false` when it cannot be done now (a cluster that is unreachable).
   */
  kick(target: UserRef, removal: Removal): MaybePromise<boolean>;
  /**
   * The members of a room, on every server, in the order they came.
   *
   * @param room The room.
   * @param limit The most to list. @default {Infinity}
   * @returns The first `limit` of them (nicknames and away flags), and how many there are.
   */
  who(room: Room, limit?: number): MaybePromise<Members>;
  /**
   * The rooms with members anywhere, busiest first (then by name).
   *
   * @returns The rooms and their counts.
   */
  rooms(): MaybePromise<RoomEntry[]>;
  /**
   * Bans an address on every server.
   *
   * @param address The IP address.
   * @param minutes How long; `0` until lifted.
   */
  ban(address: string, minutes: number): void;
  /**
   * Lifts a ban on every server.
   *
   * @param address The IP address.
   * @returns `false` when it was not banned.
   */
  unban(address: string): boolean;
  /**
   * Bans a registered nickname: its account may not log in, from any address, and
   * no one may take the nickname. The chat's own directory keeps it in the store
   * (it outlives a restart).
   *
   * @param ban The nickname, how long, by whom and why.
   */
  banNickname(ban: NicknameBan): void;
  /**
   * Lifts a nickname's ban.
   *
   * @param key The nickname's key.
   * @returns `false` when it was not banned.
   */
  unbanNickname(key: string): boolean;
}
