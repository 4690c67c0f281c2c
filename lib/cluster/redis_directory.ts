/**
 * The {@linkcode Directory} of a cluster: nicknames claimed atomically with an
 * expiry that the heartbeat renews; presence in one hash; whispers and kicks
 * through the target server's inbox stream; bans (of addresses and of registered
 * nicknames) in two hashes and through the control stream.
 *
 * @module
 */

import { Bans } from "../chat/bans.ts";
import type { Directory, Members, NicknameBan, TakeOver, UserRef } from "../chat/directory.ts";
import type { Removal, RoomEntry, UserEvent } from "../chat/events.ts";
import { sortRooms } from "../chat/local_directory.ts";
import { isValidNickname, nicknameKey } from "../chat/nickname.ts";
import type { Room } from "../chat/room.ts";
import { User } from "../chat/user.ts";
import { checkText, entryField } from "./_entry_shape.ts";
import {
  type ControlItem,
  type NicknameBanEntry,
  parseBanEnd,
  parseControlItem,
  parseNicknameBan,
} from "./control_item.ts";
import { type InboxItem, parseInboxItem } from "./inbox_item.ts";
import { ENTRY_FIELD, KEY_PREFIX, keys } from "./keys.ts";
import type { MalformedLog } from "./malformed_log.ts";
import { parsePresence, type Presence } from "./presence.ts";
import { type RedisConnection, unavailable } from "./redis_connection.ts";
import type { RedisWriter } from "./redis_writer.ts";
import type { MaybePromise } from "../util/maybe_async.ts";
import { CLAIM, RELEASE, RENAME, TAKE_OVER } from "./scripts.ts";
import type { FollowedStream, StreamEntry } from "./stream_reader.ts";

/** How long a nickname claim lives without renewal: bounds how long a dead server holds names. */
export const NICK_TTL_MS = 10_000;
/** Entries of inbox and control streams kept. */
export const SMALL_STREAM_MAXLEN = 1_000;
const SMALL_MAXLEN = String(SMALL_STREAM_MAXLEN);

/** A user on this server, with the token of its nickname's claim. */
export interface LocalUser {
  /** The user. */
  readonly user: User;
  /** The claim's owner token (`{server}:{uuid}`). */
  readonly token: string;
  /** When the user came (`Date.now()`), for `/who` order. */
  readonly since: number;
}

/** A small stream of items (an inbox, the control stream), as the reader follows it. */
class ItemStream implements FollowedStream {
  readonly stream: string;
  lastId: string;
  #onItem: (json: string) => void;
  #malformed: MalformedLog;

  /**
   * @param stream The stream's key.
   * @param onItem Parses and acts on each entry's item (its JSON); throws
   *   {@linkcode MalformedEntryError} for an item of the wrong shape.
   * @param malformed Where such items are reported.
   * @param lastId Where reading starts (`""`: not yet known).
   */
  constructor(
    stream: string,
    onItem: (json: string) => void,
    malformed: MalformedLog,
    lastId = "0-0",
  ) {
    this.stream = stream;
    this.#onItem = onItem;
    this.#malformed = malformed;
    this.lastId = lastId;
  }

  receive(entries: readonly StreamEntry[]): void {
    for (const [id, fields] of entries) {
      this.lastId = id;
      try {
        this.#onItem(entryField(fields, ENTRY_FIELD.item));
      } catch (error) {
        this.#malformed.report(`${this.stream} ${id}`, error);
      }
    }
  }
}

/** A user on another server. */
class RemoteUser implements UserRef {
  constructor(
    readonly nickname: string,
    readonly away: string | undefined,
    readonly address: string,
    readonly server: string,
  ) {}
}

/** Where the cluster's users are, as this server keeps and reads it in Redis. */
export class RedisDirectory implements Directory {
  /** @inheritdoc */
  readonly bans: Bans = new Bans("address");
  /**
   * Nickname bans in force, as this server knows them: the `chat:nick-bans` hash
   * read at each connection, kept up to date by the control stream.
   */
  readonly nicknameBans: Bans<"nickname"> = new Bans("nickname");
  /** This server's inbox: whispers and kicks for its users. */
  readonly inbox: ItemStream;
  /** The control stream: bans and unbans (addresses and nicknames) from every server. */
  readonly control: ItemStream;
  #connection: RedisConnection;
  #writer: RedisWriter;
  #serverId: string;
  #malformed: MalformedLog;
  #local = new Map<string, LocalUser>();
  /** How long a claim lives without renewal, as a script argument. */
  #nickTtl: string;
  /** Nicknames only a login may give (see {@linkcode RedisDirectory.reserveNicknames}). */
  #reserved: (key: string) => MaybePromise<boolean> = () => false;
  /** Closes a user that a login on another server displaced (the chat's, once it watches). */
  #onReclaimed: (ghost: User) => void = (ghost) => ghost.reclaimed();

  /**
   * @param connection The link to Redis.
   * @param writer Sends whispers, kicks and bans (and again, those a cut caught in flight).
   * @param serverId This server's id.
   * @param malformed Where entries of the wrong shape are reported.
   * @param nickTtlMs How long a claim lives without renewal. @default {NICK_TTL_MS}
   */
  constructor(
    connection: RedisConnection,
    writer: RedisWriter,
    serverId: string,
    malformed: MalformedLog,
    nickTtlMs: number = NICK_TTL_MS,
  ) {
    this.#nickTtl = String(nickTtlMs);
    this.#connection = connection;
    this.#writer = writer;
    this.#serverId = serverId;
    this.#malformed = malformed;
    // The inbox is new with each server id: everything in it is for us.
    this.inbox = new ItemStream(
      keys.inbox(serverId),
      (json) => this.#onInbox(parseInboxItem(json)),
      malformed,
    );
    this.control = new ItemStream(
      keys.control,
      (json) => this.#onControl(parseControlItem(json)),
      malformed,
      "",
    );
  }

  /** This server's users, with their claims' tokens. */
  locals(): IterableIterator<LocalUser> {
    return this.#local.values();
  }

  /**
   * A local user's presence, as it is stored.
   *
   * @param local The user.
   * @returns The presence.
   */
  presenceOf(local: LocalUser): Presence {
    const user = local.user;
    const rooms: string[] = [];
    const roomKeys: string[] = [];
    for (const room of user.rooms.values()) {
      rooms.push(room.name);
      roomKeys.push(room.key);
    }
    return {
      nick: user.nickname,
      rooms,
      roomKeys,
      away: user.away ?? null,
      address: user.address,
      server: this.#serverId,
      token: local.token,
      since: local.since,
    };
  }

  /**
   * Loads the bans in force from the bans hash (at each connection: some may have
   * been made while this server could not hear).
   *
   * @returns When loaded.
   */
  async loadBans(): Promise<void> {
    const bans = await this.#connection.call<string[]>(["HGETALL", keys.bans]);
    for (let i = 0; i + 1 < bans.length; i += 2) {
      try {
        this.bans.set(checkText(bans[i], "the address"), parseBanEnd(bans[i + 1]));
      } catch (error) {
        this.#malformed.report(`${keys.bans} ${bans[i]}`, error);
      }
    }
    const nicknames = await this.#connection.call<string[]>(["HGETALL", keys.nickBans]);
    for (let i = 0; i + 1 < nicknames.length; i += 2) {
      try {
        const ban = parseNicknameBan(nicknames[i + 1]);
        const key = checkText(nicknames[i], "the nickname key");
        this.nicknameBans.set(key, ban.until === 0 ? undefined : ban.until, ban.name);
      } catch (error) {
        this.#malformed.report(`${keys.nickBans} ${nicknames[i]}`, error);
      }
    }
  }

  /**
   * Publishes again the bans in force that this server knows, of addresses and of
   * nicknames (Redis lost its data): the bans hashes for servers that start later,
   * the control stream for those that run now. Runs while the link is preparing.
   * Who made a nickname ban and why is not kept in memory: those come back empty.
   *
   * @returns How many.
   */
  async republishBans(): Promise<number> {
    const bans = this.bans.list();
    const items: ControlItem[] = [];
    for (const ban of bans) {
      const until = ban.until ?? 0;
      items.push({ kind: "ban", address: ban.address, until });
      await this.#connection.call(["HSET", keys.bans, ban.address, String(until)]);
    }
    const nicknames = this.nicknameBans.keyedList();
    for (const { key, name, until } of nicknames) {
      const entry: NicknameBanEntry = { name, until: until ?? 0, by: null, reason: null };
      items.push({ kind: "nickBan", key, name, until: entry.until });
      await this.#connection.call(["HSET", keys.nickBans, key, JSON.stringify(entry)]);
    }
    for (const item of items) {
      await this.#connection.call([
        "XADD",
        keys.control,
        "MAXLEN",
        "~",
        SMALL_MAXLEN,
        "*",
        ENTRY_FIELD.item,
        JSON.stringify(item),
      ]);
    }
    return items.length;
  }

  /**
   * Puts the control stream's reader at the stream's end, once: the bans made
   * before this server came are in the bans hash ({@linkcode RedisDirectory.loadBans}).
   *
   * @returns When positioned.
   */
  async positionControl(): Promise<void> {
    if (this.control.lastId !== "") return;
    const [last] = await this.#connection.call<StreamEntry[]>([
      "XREVRANGE",
      keys.control,
      "+",
      "-",
      "COUNT",
      "1",
    ]);
    this.control.lastId = last?.[0] ?? "0-0";
  }

  /** @inheritdoc */
  claim(user: User): Promise<boolean> {
    if (!this.#connection.ready) return rejectUnreachable();
    if (this.#local.has(user.key)) return Promise.resolve(false);
    const local: LocalUser = {
      user,
      token: `${this.#serverId}:${crypto.randomUUID()}`,
      since: Date.now(),
    };
    return this.#connection.eval(
      CLAIM,
      [keys.nick(user.key), keys.users, keys.serverUsers(this.#serverId)],
      [local.token, this.#nickTtl, user.key, JSON.stringify(this.presenceOf(local))],
    ).then((claimed) => {
      if (claimed !== 1) return false;
      this.#local.set(user.key, local);
      return true;
    }, (error) => {
      throw unavailable(error);
    });
  }

  /**
   * Takes over a nickname for a user who logged in to it. Held on this server: the
   * holder's claim (its token, its place in `/who`) is handed to the new user, and
   * the holder is the ghost. Held on another server: one script
   * ({@linkcode TAKE_OVER}) makes the claim and the presence the new user's, in the
   * holder's room and place, and puts a `reclaimed` item in the holder's server's
   * inbox, which closes the holder there; the room's name is returned for the new
   * user to take its place in. A holder whose server cannot be told (no presence)
   * is not taken from.
   *
   * @param user A user whose password was right.
   * @returns Whether it is claimed, the local user displaced, or the remote one's rooms.
   */
  takeOver(user: User): TakeOver | Promise<TakeOver> {
    const holder = this.#local.get(user.key);
    if (holder !== undefined && holder.user !== user) {
      this.#local.set(user.key, { ...holder, user });
      return { claimed: true, ghost: holder.user };
    }
    if (!this.#connection.ready) return rejectUnreachable();
    if (holder !== undefined) return { claimed: false, ghost: undefined };
    const local: LocalUser = {
      user,
      token: `${this.#serverId}:${crypto.randomUUID()}`,
      since: Date.now(),
    };
    return this.#connection.eval<[number, string?]>(
      TAKE_OVER,
      [keys.nick(user.key), keys.users, keys.serverUsers(this.#serverId)],
      [
        local.token,
        this.#nickTtl,
        user.key,
        JSON.stringify(this.presenceOf(local)),
        KEY_PREFIX,
        SMALL_MAXLEN,
        ENTRY_FIELD.item,
      ],
    ).then(([claimed, old]) => {
      if (claimed !== 1 && claimed !== 2) return { claimed: false, ghost: undefined };
      const displaced = old === undefined ? undefined : this.#presence(user.key, old);
      this.#local.set(user.key, { ...local, since: displaced?.since ?? local.since });
      const rooms = displaced?.rooms;
      return { claimed: true, ghost: undefined, rooms: rooms?.length ? rooms : undefined };
    }, (error) => {
      throw unavailable(error);
    });
  }

  /** @inheritdoc */
  watchReclaims(handler: (ghost: User) => void): void {
    this.#onReclaimed = handler;
  }

  /** @inheritdoc */
  rename(user: User, nickname: string): Promise<boolean> {
    const local = this.#local.get(user.key);
    if (local === undefined || local.user !== user) return Promise.resolve(false);
    if (!this.#connection.ready) return rejectUnreachable();
    const newKey = nicknameKey(nickname);
    const holder = this.#local.get(newKey);
    if (holder !== undefined && holder.user !== user) return Promise.resolve(false);
    const oldKey = user.key;
    const presence = { ...this.presenceOf(local), nick: nickname };
    return this.#connection.eval(
      RENAME,
      [keys.nick(newKey), keys.nick(oldKey), keys.users, keys.serverUsers(this.#serverId)],
      [local.token, this.#nickTtl, newKey, oldKey, JSON.stringify(presence)],
    ).then((renamed) => {
      if (renamed !== 1) return false;
      this.#local.delete(oldKey);
      user.rename(nickname);
      this.#local.set(user.key, local);
      return true;
    }, (error) => {
      throw unavailable(error);
    });
  }

  /** @inheritdoc */
  release(user: User): void {
    const local = this.#local.get(user.key);
    if (local === undefined || local.user !== user) return;
    this.#local.delete(user.key);
    if (!this.#connection.ready) return; // The claim expires; the presence is tidied on reconnect.
    this.#connection.eval(
      RELEASE,
      [keys.nick(user.key), keys.users, keys.serverUsers(this.#serverId)],
      [local.token, user.key],
    ).catch(() => {});
  }

  /** @inheritdoc */
  changed(user: User): Promise<void> | undefined {
    const local = this.#local.get(user.key);
    if (local === undefined || local.user !== user || !this.#connection.ready) return;
    return this.#connection.call([
      "HSET",
      keys.users,
      user.key,
      JSON.stringify(this.presenceOf(local)),
    ]).then(() => {}, () => {});
  }

  /** @inheritdoc */
  find(nickname: string): UserRef | undefined | Promise<UserRef | undefined> {
    // Asked first, even for a user of this server: after a stall the nickname may be
    // someone else's now (the question finds the stall; the line waits, then asks again).
    if (!this.#connection.ready) return rejectUnreachable();
    const key = nicknameKey(nickname);
    const local = this.#local.get(key);
    if (local !== undefined) return local.user;
    return this.#connection.call<string | null>(["HGET", keys.users, key]).then((json) => {
      const entry = json === null ? undefined : this.#presence(key, json);
      if (entry === undefined) return undefined;
      if (entry.server === this.#serverId) return undefined; // Left this server a moment ago.
      return new RemoteUser(entry.nick, entry.away ?? undefined, entry.address, entry.server);
    }, (error) => {
      throw unavailable(error);
    });
  }

  /** @inheritdoc */
  deliver(to: UserRef, event: UserEvent): boolean | Promise<boolean> {
    if (to instanceof User) {
      to.send(event);
      return true;
    }
    // Whispers are the one event that travels between servers (the inbox carries no other).
    if (!(to instanceof RemoteUser) || event.type !== "whisper" || !this.#connection.ready) {
      return false;
    }
    const item: InboxItem = { kind: "deliver", to: nicknameKey(to.nickname), event };
    return this.#addItem(keys.inbox(to.server), item, "");
  }

  /** @inheritdoc */
  kick(target: UserRef, removal: Removal): boolean | Promise<boolean> {
    if (target instanceof User) {
      target.kick(removal);
      return true;
    }
    if (!(target instanceof RemoteUser) || !this.#connection.ready) return false;
    const item: InboxItem = {
      kind: "kick",
      to: nicknameKey(target.nickname),
      by: removal.by,
      reason: removal.reason ?? null,
    };
    if (removal.banMinutes !== undefined) item.banMinutes = removal.banMinutes;
    return this.#addItem(keys.inbox(target.server), item, "");
  }

  /** @inheritdoc */
  who(room: Room, limit = Infinity): Promise<Members> {
    return this.#everyone().then((entries) => {
      const here = entries
        .filter((entry) => entry.roomKeys.includes(room.key))
        .sort((a, b) => a.since - b.since);
      const users = here.slice(0, limit).map((entry) => ({
        nick: entry.nick,
        away: entry.away !== null,
      }));
      return { users, total: here.length };
    });
  }

  /** @inheritdoc */
  rooms(): Promise<RoomEntry[]> {
    return this.#everyone().then((entries) => {
      const counts = new Map<string, RoomEntry>();
      for (const entry of entries) {
        entry.roomKeys.forEach((key, i) => {
          const room = counts.get(key) ?? { name: entry.rooms[i], count: 0 };
          room.count++;
          counts.set(key, room);
        });
      }
      return sortRooms([...counts.values()]);
    });
  }

  /** @inheritdoc */
  ban(address: string, minutes: number): void {
    const until = minutes === 0 ? 0 : Date.now() + minutes * 60_000;
    this.bans.set(address, until === 0 ? undefined : until);
    if (!this.#connection.ready) return;
    this.#writer.command(["HSET", keys.bans, address, String(until)]);
    void this.#addItem(keys.control, { kind: "ban", address, until }, this.control.lastId);
  }

  /** @inheritdoc */
  unban(address: string): boolean {
    const banned = this.bans.remove(address);
    if (this.#connection.ready) {
      this.#writer.command(["HDEL", keys.bans, address]);
      void this.#addItem(keys.control, { kind: "unban", address }, this.control.lastId);
    }
    return banned;
  }

  /** @inheritdoc */
  banNickname(ban: NicknameBan): void {
    const until = ban.minutes === 0 ? 0 : Date.now() + ban.minutes * 60_000;
    this.nicknameBans.set(ban.key, until === 0 ? undefined : until, ban.name);
    if (!this.#connection.ready) return;
    const entry: NicknameBanEntry = {
      name: ban.name,
      until,
      by: ban.by ?? null,
      reason: ban.reason ?? null,
    };
    this.#writer.command(["HSET", keys.nickBans, ban.key, JSON.stringify(entry)]);
    const item: ControlItem = { kind: "nickBan", key: ban.key, name: ban.name, until };
    void this.#addItem(keys.control, item, this.control.lastId);
  }

  /** @inheritdoc */
  unbanNickname(key: string): boolean {
    const banned = this.nicknameBans.remove(key);
    if (this.#connection.ready) {
      this.#writer.command(["HDEL", keys.nickBans, key]);
      void this.#addItem(keys.control, { kind: "nickUnban", key }, this.control.lastId);
    }
    return banned;
  }

  /**
   * Tells which nicknames only a login may give (registered, or banned): a user
   * renamed by {@linkcode RedisDirectory.renameTaken} gets none of them.
   *
   * @param reserved Whether a nickname's key is reserved.
   */
  reserveNicknames(reserved: (key: string) => MaybePromise<boolean>): void {
    this.#reserved = reserved;
  }

  /**
   * Gives a user whose nickname someone else took meanwhile (this server was cut
   * off or stalled) another one: `alice_2`…`alice_9`, then `alice_` and random
   * digits, the first that can be claimed and is not reserved (a registered or
   * banned nickname takes a login). Runs while the link is preparing.
   *
   * @param local The user.
   * @returns The new nickname, or `undefined` when none could be claimed (or the
   *   user left meanwhile).
   */
  async renameTaken(local: LocalUser): Promise<string | undefined> {
    const user = local.user;
    for (const nickname of substitutes(user.nickname)) {
      if (this.#local.get(user.key) !== local) return undefined;
      const key = nicknameKey(nickname);
      if (this.#local.has(key) || this.nicknameBans.has(key) || await this.#reserved(key)) {
        continue;
      }
      if (this.#local.get(user.key) !== local) return undefined;
      const presence = { ...this.presenceOf(local), nick: nickname };
      const claimed = await this.#connection.eval(
        CLAIM,
        [keys.nick(key), keys.users, keys.serverUsers(this.#serverId)],
        [local.token, this.#nickTtl, key, JSON.stringify(presence)],
      );
      if (claimed !== 1) continue;
      await this.#connection.call(["SREM", keys.serverUsers(this.#serverId), user.key]);
      this.#local.delete(user.key);
      user.rename(nickname);
      this.#local.set(user.key, local);
      return nickname;
    }
    return undefined;
  }

  /**
   * The users of this server that Redis no longer lists as ours (they left while
   * it could not hear) are taken out of its lists.
   *
   * @param mine The nickname keys of this server's users now.
   * @returns When done.
   */
  async forgetGone(mine: ReadonlySet<string>): Promise<void> {
    const members = await this.#connection.call<string[]>([
      "SMEMBERS",
      keys.serverUsers(this.#serverId),
    ]);
    for (const key of members) {
      if (mine.has(key)) continue;
      await this.#connection.call(["SREM", keys.serverUsers(this.#serverId), key]);
      const json = await this.#connection.call<string | null>(["HGET", keys.users, key]);
      // A malformed one is left as it is: whose it is cannot be told.
      if (json !== null && this.#presence(key, json)?.server === this.#serverId) {
        await this.#connection.call(["HDEL", keys.users, key]);
      }
    }
  }

  async #everyone(): Promise<Presence[]> {
    this.#connection.mustBeReady();
    let flat: string[];
    try {
      flat = await this.#connection.call<string[]>(["HGETALL", keys.users]);
    } catch (error) {
      throw unavailable(error);
    }
    const entries: Presence[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const entry = this.#presence(flat[i], flat[i + 1]);
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }

  /** A presence from the users hash, or `undefined` (reported) when it is malformed. */
  #presence(key: string, json: string): Presence | undefined {
    try {
      return parsePresence(json);
    } catch (error) {
      this.#malformed.report(`${keys.users} ${key}`, error);
      return undefined;
    }
  }

  /**
   * Appends an item to a small stream (an inbox, the control stream); `after`: the
   * last id read from it here (`""` for another server's inbox).
   */
  #addItem(stream: string, item: InboxItem | ControlItem, after: string): Promise<boolean> {
    return this.#writer.append(stream, ENTRY_FIELD.item, JSON.stringify(item), SMALL_MAXLEN, after);
  }

  #onInbox(item: InboxItem): void {
    const local = this.#local.get(item.to);
    if (local === undefined) return;
    if (item.kind === "reclaimed") {
      // Only the holder the login displaced: a later user of the nickname here stays.
      if (local.token !== item.token) return;
      this.#local.delete(item.to);
      this.#onReclaimed(local.user);
      return;
    }
    if (item.kind === "deliver") {
      local.user.send(item.event);
      return;
    }
    const removal: Removal = { by: item.by, reason: item.reason ?? undefined };
    if (item.banMinutes !== undefined) removal.banMinutes = item.banMinutes;
    local.user.kick(removal);
  }

  #onControl(item: ControlItem): void {
    switch (item.kind) {
      case "ban":
        this.bans.set(item.address, item.until === 0 ? undefined : item.until);
        return;
      case "unban":
        this.bans.remove(item.address);
        return;
      case "nickBan":
        this.nicknameBans.set(item.key, item.until === 0 ? undefined : item.until, item.name);
        return;
      case "nickUnban":
        this.nicknameBans.remove(item.key);
        return;
    }
  }
}

/** Substitutes tried for a nickname taken meanwhile. */
const NUMBERED_SUBSTITUTES = 8;
/** Substitutes with random digits tried after the numbered ones. */
const RANDOM_SUBSTITUTES = 12;

/**
 * The nicknames a user whose nickname was taken may get, in order: the nickname
 * with `_2`…`_9`, then with `_` and five random digits; each shortened (by
 * characters) until it is a valid nickname.
 */
function* substitutes(nickname: string): Generator<string> {
  const suffixes = [
    ...Array.from({ length: NUMBERED_SUBSTITUTES }, (_, i) => `_${i + 2}`),
    ...Array.from(
      { length: RANDOM_SUBSTITUTES },
      () => `_${String(crypto.getRandomValues(new Uint32Array(1))[0] % 100_000).padStart(5, "0")}`,
    ),
  ];
  const chars = [...nickname];
  for (const suffix of suffixes) {
    for (let keep = chars.length; keep > 0; keep--) {
      const candidate = chars.slice(0, keep).join("") + suffix;
      if (isValidNickname(candidate)) {
        yield candidate;
        break;
      }
    }
  }
}

function rejectUnreachable<T>(): Promise<T> {
  return Promise.reject(unavailable("Redis is unreachable"));
}
