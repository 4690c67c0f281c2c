/**
 * Cluster mode: several servers, one chat, through Redis. This class is both
 * seams of the chat core for a server in a cluster: the {@linkcode Bus} (each
 * room's events go through a Redis Stream, and a server shows its own users' lines
 * only when they come back from it, so every client everywhere sees one order) and
 * the {@linkcode Directory} (nicknames claimed atomically with an expiry renewed by
 * a heartbeat; presence in one hash; whispers and kicks through the target
 * server's inbox stream; bans through a control stream).
 *
 * Connections: one for commands, one for the blocking `XREAD` that follows the
 * streams of the rooms with members here, this server's inbox and the control
 * stream. Both reconnect with back-off; the reader resumes each stream from the
 * last id it saw, so a cut loses and repeats nothing.
 *
 * @module
 */

import { createClient } from "@redis/client";
import { Bans } from "../chat/bans.ts";
import type { HistoryRead } from "../chat/bus.ts";
import type { ClusterLog, ServerCluster } from "../chat/cluster.ts";
import type { Members, UserRef } from "../chat/directory.ts";
import {
  type HistoryEvent,
  isHistoryEvent,
  type Removal,
  type RoomEntry,
  type RoomEvent,
  type UserEvent,
} from "../chat/events.ts";
import { sortRooms } from "../chat/local_directory.ts";
import { nicknameKey } from "../chat/nickname.ts";
import type { Room } from "../chat/room.ts";
import { User } from "../chat/user.ts";
import { UnavailableError } from "../util/errors.ts";
import { KEY_PREFIX, keys } from "./keys.ts";
import { redactRedisUrl } from "./redis_url.ts";
import { CLAIM, HEARTBEAT, REAP, RECLAIM, RELEASE, RENAME } from "./scripts.ts";

/** How long a nickname claim lives without renewal: bounds how long a dead server holds names. */
export const NICK_TTL_MS = 10_000;
/** How often a server renews its claims and says it is alive. */
export const HEARTBEAT_MS = 2_000;
/** A server whose heartbeat is this old is dead: its users are announced as gone. */
export const DEAD_AFTER_MS = 10_000;
/** How often a server looks for dead ones. */
export const REAP_CHECK_MS = 2_000;
/** Entries a room's stream keeps (about): far more than any history, and room for a long cut. */
export const ROOM_STREAM_MAXLEN = 10_000;
/** Entries of inbox and control streams kept. */
export const SMALL_STREAM_MAXLEN = 1_000;
/** Entries one `XREAD` returns at most, per stream. */
export const READ_COUNT = 1_000;
/** Entries read per page while looking back for a room's history. */
export const HISTORY_PAGE = 200;
/** Pages looked back at most for a history (rooms with many joins and leaves). */
export const HISTORY_MAX_PAGES = 10;
/** The longest pause between two reconnection attempts. */
export const RECONNECT_MAX_MS = 5_000;
/** Nickname claims renewed per heartbeat script call. */
const HEARTBEAT_BATCH = 500;

/**
 * A connection to Redis that fails at once while Redis is away rather than queue
 * (the user is told), reconnects by itself with back-off, and speaks RESP2 (the
 * raw replies below are its arrays).
 */
function connectRedis(url: string, name: string) {
  return createClient({
    url,
    name,
    RESP: 2,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min((retries + 1) * 200, RECONNECT_MAX_MS) },
  });
}

type RedisClient = ReturnType<typeof connectRedis>;
/** A raw stream entry: its id and its fields as `[name, value, ...]`. */
type StreamEntry = [string, string[]];

/** Options for {@linkcode RedisCluster}. */
export interface RedisClusterOptions {
  /** `redis://[user:pass@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** What the console is told. @default {nothing} */
  log?: ClusterLog;
}

/** A user's presence, as every server reads it. */
interface Presence {
  nick: string;
  /** The room's name, and its key (`""` between rooms). */
  room: string;
  roomKey: string;
  away: string | null;
  address: string;
  server: string;
  token: string;
  /** When the user came (`Date.now()`), for `/who` order. */
  since: number;
}

/** What a server's inbox carries. */
type InboxItem =
  | { kind: "deliver"; to: string; event: UserEvent }
  | { kind: "kick"; to: string; by: string; reason: string | null; banMinutes?: number };

/** What the control stream carries. */
type ControlItem =
  | { kind: "ban"; address: string; until: number }
  | { kind: "unban"; address: string };

interface OpenRoom {
  room: Room;
  stream: string;
  /** The last id read from the stream; the reader goes on from it. */
  lastId: string;
  /** The last id shown to the room's members here; histories end there. */
  shownId: string;
  /** Not yet positioned in the stream: the reader leaves it out. */
  positioned: boolean;
  /** Newcomers reading history: events wait in `queue` meanwhile. */
  held: number;
  queue: { id: string; event: RoomEvent }[];
}

interface LocalUser {
  user: User;
  token: string;
  since: number;
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

/** This server's part of a cluster: the bus and the directory of its chat. */
export class RedisCluster implements ServerCluster {
  /** @inheritdoc */
  readonly shared = true;
  /** @inheritdoc */
  readonly bans: Bans = new Bans();
  /** This server's id in the cluster (random at each start). */
  readonly serverId: string = crypto.randomUUID().slice(0, 8);
  #cmd: RedisClient;
  #reader: RedisClient;
  #log: ClusterLog | undefined;
  #url: string;
  #rooms = new Map<string, OpenRoom>();
  #streams = new Map<string, OpenRoom>();
  #local = new Map<string, LocalUser>();
  #inbox: string;
  /** The inbox is new with each server id: everything in it is for us. */
  #inboxId = "0-0";
  /** Set at the first connection: bans made before are loaded from the bans hash. */
  #controlId: string | undefined;
  #readerId: number | undefined;
  #readerReady = Promise.withResolvers<void>();
  #readerReadyDone = false;
  #available = false;
  #everReady = false;
  #toldUnreachable = false;
  #connectedSince = 0;
  #stopped = false;
  #reading: Promise<void> | undefined;
  #timers: ReturnType<typeof setInterval>[] = [];

  /**
   * Connects (in the background; {@linkcode RedisCluster.ready} tells when).
   *
   * @param options The Redis URL and the console.
   */
  constructor(options: RedisClusterOptions) {
    this.#log = options.log;
    this.#url = options.url;
    this.#inbox = keys.inbox(this.serverId);
    this.#cmd = connectRedis(options.url, `chat-${this.serverId}`);
    this.#reader = connectRedis(options.url, `chat-${this.serverId}-reader`);
    this.#cmd.on("ready", () => void this.#onReady());
    this.#cmd.on("error", (error: Error) => this.#onLost(error.message));
    this.#reader.on("ready", () => void this.#onReaderReady());
    this.#reader.on("error", () => {
      // The reader re-issues its XREAD itself, from the ids it has seen, once back.
      this.#readerId = undefined;
      if (!this.#stopped && this.#readerReadyDone) {
        this.#readerReady = Promise.withResolvers<void>();
        this.#readerReadyDone = false;
      }
    });
  }

  /** Whether Redis can be reached now. */
  get available(): boolean {
    return this.#available;
  }

  /**
   * Connects both connections and starts following the streams.
   *
   * @returns When the cluster is usable (or the first attempt failed: it keeps trying).
   */
  async start(): Promise<void> {
    this.#reading = this.#readLoop();
    this.#timers.push(
      setInterval(() => void this.#heartbeat(), HEARTBEAT_MS),
      setInterval(() => void this.#reap(), REAP_CHECK_MS),
    );
    // A first connection that fails is retried by the clients themselves.
    await Promise.all([
      this.#cmd.connect().catch(() => {}),
      this.#reader.connect().catch(() => {}),
    ]);
  }

  /**
   * Leaves the cluster: this server is no longer counted, and its connections
   * close once what is queued (its users' leave notices) has been sent.
   *
   * @returns When both connections are closed.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    if (this.#available) {
      await Promise.allSettled([
        this.#call(["ZREM", keys.servers, this.serverId]),
        this.#call(["DEL", keys.serverUsers(this.serverId), this.#inbox]),
      ]);
      // Waits for what is queued (the users' leave notices), then closes.
      await this.#cmd.close().catch(() => {});
    } else if (this.#cmd.isOpen) {
      this.#cmd.destroy();
    }
    if (this.#reader.isOpen) this.#reader.destroy();
    this.#readerReady.resolve();
    await this.#reading;
  }

  // --- Bus --------------------------------------------------------------------------

  /** @inheritdoc */
  publish(room: string, event: RoomEvent): boolean | Promise<boolean> {
    if (!this.#available) return false;
    const sent = this.#call([
      "XADD",
      keys.room(room),
      "MAXLEN",
      "~",
      String(ROOM_STREAM_MAXLEN),
      "*",
      "e",
      JSON.stringify(event),
    ]);
    if (event.type === "topic") this.#call(["HSET", keys.topics, room, event.text]).catch(() => {});
    return sent.then(() => true, () => false);
  }

  /** @inheritdoc */
  sync(): void {
    // The room's stream is the store: an event is shown only once it came back from it.
  }

  /** @inheritdoc */
  open(room: Room): Promise<void> {
    const stream = keys.room(room.key);
    const state: OpenRoom = {
      room,
      stream,
      lastId: "0-0",
      shownId: "0-0",
      positioned: false,
      held: 0,
      queue: [],
    };
    this.#rooms.set(room.key, state);
    this.#streams.set(stream, state);
    return (async () => {
      try {
        this.#mustBeAvailable();
        const [last] = await this.#call<StreamEntry[]>([
          "XREVRANGE",
          stream,
          "+",
          "-",
          "COUNT",
          "1",
        ]);
        const topic = await this.#call<string | null>(["HGET", keys.topics, room.key]);
        if (topic !== null) room.restoreTopic(topic);
        state.lastId = state.shownId = last?.[0] ?? "0-0";
        state.positioned = true;
        this.#unblockReader();
      } catch (error) {
        this.close(room.key);
        throw unavailable(error);
      }
    })();
  }

  /** @inheritdoc */
  close(room: string): void {
    const state = this.#rooms.get(room);
    if (state === undefined) return;
    this.#rooms.delete(room);
    this.#streams.delete(state.stream);
    this.#unblockReader();
  }

  /** @inheritdoc */
  history(room: string, limit: number): Promise<HistoryRead> | HistoryRead {
    const state = this.#rooms.get(room);
    if (state === undefined) return { events: [], resume: () => {} };
    state.held++;
    let resumed = false;
    const resume = () => {
      if (resumed) return;
      resumed = true;
      state.held--;
      if (state.held === 0) this.#showQueued(state);
    };
    if (limit <= 0) return { events: [], resume };
    return this.#readHistory(state.stream, state.shownId, limit).then(
      (events) => ({ events, resume }),
      (error) => {
        resume();
        throw unavailable(error);
      },
    );
  }

  // --- Directory --------------------------------------------------------------------

  /** @inheritdoc */
  claim(user: User): Promise<boolean> {
    if (!this.#available) return Promise.reject(new UnavailableError("Redis is unreachable"));
    if (this.#local.has(user.key)) return Promise.resolve(false);
    const local: LocalUser = {
      user,
      token: `${this.serverId}:${crypto.randomUUID()}`,
      since: Date.now(),
    };
    return this.#eval(
      CLAIM,
      [keys.nick(user.key), keys.users, keys.serverUsers(this.serverId)],
      [local.token, String(NICK_TTL_MS), user.key, JSON.stringify(this.#presence(local))],
    ).then((claimed) => {
      if (claimed !== 1) return false;
      this.#local.set(user.key, local);
      return true;
    }, (error) => {
      throw unavailable(error);
    });
  }

  /** @inheritdoc */
  rename(user: User, nickname: string): Promise<boolean> {
    const local = this.#local.get(user.key);
    if (local === undefined || local.user !== user) return Promise.resolve(false);
    if (!this.#available) return Promise.reject(new UnavailableError("Redis is unreachable"));
    const newKey = nicknameKey(nickname);
    const holder = this.#local.get(newKey);
    if (holder !== undefined && holder.user !== user) return Promise.resolve(false);
    const oldKey = user.key;
    const presence = { ...this.#presence(local), nick: nickname };
    return this.#eval(
      RENAME,
      [keys.nick(newKey), keys.nick(oldKey), keys.users, keys.serverUsers(this.serverId)],
      [local.token, String(NICK_TTL_MS), newKey, oldKey, JSON.stringify(presence)],
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
    if (!this.#available) return; // The claim expires; the presence is tidied on reconnect.
    this.#eval(
      RELEASE,
      [keys.nick(user.key), keys.users, keys.serverUsers(this.serverId)],
      [local.token, user.key],
    ).catch(() => {});
  }

  /** @inheritdoc */
  changed(user: User): Promise<void> | undefined {
    const local = this.#local.get(user.key);
    if (local === undefined || local.user !== user || !this.#available) return;
    return this.#call(["HSET", keys.users, user.key, JSON.stringify(this.#presence(local))])
      .then(() => {}, () => {});
  }

  /** @inheritdoc */
  find(nickname: string): UserRef | undefined | Promise<UserRef | undefined> {
    const key = nicknameKey(nickname);
    const local = this.#local.get(key);
    if (local !== undefined) return local.user;
    if (!this.#available) return Promise.reject(new UnavailableError("Redis is unreachable"));
    return this.#call<string | null>(["HGET", keys.users, key]).then((json) => {
      if (json === null) return undefined;
      const entry = JSON.parse(json) as Presence;
      if (entry.server === this.serverId) return undefined; // Left this server a moment ago.
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
    if (!(to instanceof RemoteUser) || !this.#available) return false;
    const item: InboxItem = { kind: "deliver", to: nicknameKey(to.nickname), event };
    return this.#toInbox(to.server, item);
  }

  /** @inheritdoc */
  kick(target: UserRef, removal: Removal): boolean | Promise<boolean> {
    if (target instanceof User) {
      target.kick(removal);
      return true;
    }
    if (!(target instanceof RemoteUser) || !this.#available) return false;
    const item: InboxItem = {
      kind: "kick",
      to: nicknameKey(target.nickname),
      by: removal.by,
      reason: removal.reason ?? null,
      banMinutes: removal.banMinutes,
    };
    return this.#toInbox(target.server, item);
  }

  /** @inheritdoc */
  who(room: Room, limit = Infinity): Promise<Members> {
    return this.#everyone().then((entries) => {
      const here = entries
        .filter((entry) => entry.roomKey === room.key)
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
        if (entry.roomKey === "") continue;
        const room = counts.get(entry.roomKey) ?? { name: entry.room, count: 0 };
        room.count++;
        counts.set(entry.roomKey, room);
      }
      return sortRooms([...counts.values()]);
    });
  }

  /** @inheritdoc */
  ban(address: string, minutes: number): void {
    const until = minutes === 0 ? 0 : Date.now() + minutes * 60_000;
    this.bans.set(address, until === 0 ? undefined : until);
    if (!this.#available) return;
    this.#call(["HSET", keys.bans, address, String(until)]).catch(() => {});
    this.#control({ kind: "ban", address, until });
  }

  /** @inheritdoc */
  unban(address: string): boolean {
    const banned = this.bans.remove(address);
    if (this.#available) {
      this.#call(["HDEL", keys.bans, address]).catch(() => {});
      this.#control({ kind: "unban", address });
    }
    return banned;
  }

  // --- Inside -----------------------------------------------------------------------

  /** Sends one command on the command connection; its raw reply. */
  #call<T = unknown>(args: string[]): Promise<T> {
    return this.#cmd.sendCommand<T>(args);
  }

  /** Runs a Lua script with its keys and arguments. */
  #eval<T = unknown>(script: string, keyNames: string[], args: string[]): Promise<T> {
    return this.#call<T>(["EVAL", script, String(keyNames.length), ...keyNames, ...args]);
  }

  #mustBeAvailable(): void {
    if (!this.#available) throw new UnavailableError("Redis is unreachable");
  }

  #presence(local: LocalUser): Presence {
    const user = local.user;
    return {
      nick: user.nickname,
      room: user.room?.name ?? "",
      roomKey: user.room?.key ?? "",
      away: user.away ?? null,
      address: user.address,
      server: this.serverId,
      token: local.token,
      since: local.since,
    };
  }

  async #everyone(): Promise<Presence[]> {
    this.#mustBeAvailable();
    try {
      const flat = await this.#call<string[]>(["HGETALL", keys.users]);
      const entries: Presence[] = [];
      for (let i = 1; i < flat.length; i += 2) entries.push(JSON.parse(flat[i]) as Presence);
      return entries;
    } catch (error) {
      throw unavailable(error);
    }
  }

  #toInbox(server: string, item: InboxItem): Promise<boolean> {
    return this.#addItem(keys.inbox(server), item);
  }

  #control(item: ControlItem): void {
    void this.#addItem(keys.control, item);
  }

  /** Appends an item to a small stream (an inbox, the control stream). */
  #addItem(stream: string, item: InboxItem | ControlItem): Promise<boolean> {
    const maxlen = String(SMALL_STREAM_MAXLEN);
    const json = JSON.stringify(item);
    return this.#call(["XADD", stream, "MAXLEN", "~", maxlen, "*", "m", json])
      .then(() => true, () => false);
  }

  /** The messages and actions of a stream up to `upTo`, newest `limit` of them, oldest first. */
  async #readHistory(stream: string, upTo: string, limit: number): Promise<HistoryEvent[]> {
    if (upTo === "0-0") return [];
    const found: HistoryEvent[] = [];
    let end = upTo;
    for (let page = 0; page < HISTORY_MAX_PAGES && found.length < limit; page++) {
      const entries = await this.#call<StreamEntry[]>([
        "XREVRANGE",
        stream,
        end,
        "-",
        "COUNT",
        String(HISTORY_PAGE),
      ]);
      for (const [, fields] of entries) {
        const event = parseEvent(fields);
        if (event !== undefined && isHistoryEvent(event)) found.push(event);
        if (found.length === limit) break;
      }
      if (entries.length < HISTORY_PAGE) break;
      end = `(${entries.at(-1)![0]}`;
    }
    return found.reverse();
  }

  #showQueued(state: OpenRoom): void {
    const queued = state.queue;
    state.queue = [];
    for (const { id, event } of queued) {
      state.shownId = id;
      state.room.deliver(event);
    }
  }

  /** Makes the blocked `XREAD` return, so that the next one follows the current rooms. */
  #unblockReader(): void {
    if (this.#readerId === undefined || !this.#available) return;
    this.#call(["CLIENT", "UNBLOCK", String(this.#readerId)]).catch(() => {});
  }

  async #readLoop(): Promise<void> {
    while (!this.#stopped) {
      await this.#readerReady.promise;
      if (this.#stopped) break;
      if (this.#controlId === undefined) {
        // Not connected yet: nothing to follow.
        await pause(100);
        continue;
      }
      const streams = [this.#inbox, keys.control];
      const ids = [this.#inboxId, this.#controlId];
      for (const state of this.#rooms.values()) {
        if (!state.positioned) continue;
        streams.push(state.stream);
        ids.push(state.lastId);
      }
      let reply: [string, StreamEntry[]][] | null;
      try {
        reply = await this.#reader.sendCommand<[string, StreamEntry[]][] | null>([
          "XREAD",
          "COUNT",
          String(READ_COUNT),
          "BLOCK",
          "0",
          "STREAMS",
          ...streams,
          ...ids,
        ]);
      } catch {
        // Cut off: wait until the reader is back, then read on from the same ids.
        if (this.#reader.isReady) await pause(100);
        continue;
      }
      if (reply === null) continue; // Unblocked: the set of rooms changed.
      for (const [stream, entries] of reply) this.#dispatch(stream, entries);
    }
  }

  #dispatch(stream: string, entries: StreamEntry[]): void {
    if (stream === this.#inbox) {
      for (const [id, fields] of entries) {
        this.#inboxId = id;
        const item = parseItem<InboxItem>(fields);
        if (item !== undefined) this.#onInbox(item);
      }
      return;
    }
    if (stream === keys.control) {
      for (const [id, fields] of entries) {
        this.#controlId = id;
        const item = parseItem<ControlItem>(fields);
        if (item?.kind === "ban") {
          this.bans.set(item.address, item.until === 0 ? undefined : item.until);
        } else if (item?.kind === "unban") this.bans.remove(item.address);
      }
      return;
    }
    const state = this.#streams.get(stream);
    if (state === undefined) return; // Closed meanwhile.
    for (const [id, fields] of entries) {
      state.lastId = id;
      const event = parseEvent(fields);
      if (event === undefined) continue;
      if (state.held > 0) {
        state.queue.push({ id, event });
      } else {
        state.shownId = id;
        state.room.deliver(event);
      }
    }
  }

  #onInbox(item: InboxItem): void {
    const local = this.#local.get(item.to);
    if (local === undefined) return;
    if (item.kind === "deliver") local.user.send(item.event);
    else {
      const removal: Removal = { by: item.by, reason: item.reason ?? undefined };
      if (item.banMinutes !== undefined) removal.banMinutes = item.banMinutes;
      local.user.kick(removal);
    }
  }

  async #onReady(): Promise<void> {
    try {
      await this.#heartbeat(true);
      if (this.#controlId === undefined) {
        const [last] = await this.#call<StreamEntry[]>([
          "XREVRANGE",
          keys.control,
          "+",
          "-",
          "COUNT",
          "1",
        ]);
        this.#controlId = last?.[0] ?? "0-0";
      }
      const bans = await this.#call<string[]>(["HGETALL", keys.bans]);
      for (let i = 0; i + 1 < bans.length; i += 2) {
        const end = Number(bans[i + 1]);
        this.bans.set(bans[i], end === 0 ? undefined : end);
      }
      if (this.#everReady) await this.#reclaim();
    } catch {
      return; // Lost again at once: the next "ready" starts over.
    }
    this.#available = true;
    this.#connectedSince = Date.now();
    if (this.#everReady) this.#log?.restored();
    else this.#log?.joined(redactRedisUrl(this.#url), this.serverId);
    this.#everReady = true;
    this.#unblockReader();
  }

  async #onReaderReady(): Promise<void> {
    try {
      this.#readerId = Number(await this.#reader.sendCommand(["CLIENT", "ID"]));
      this.#readerReady.resolve();
      this.#readerReadyDone = true;
    } catch {
      // Lost again at once.
    }
  }

  #onLost(reason: string): void {
    if (this.#stopped) return;
    if (!this.#everReady && !this.#toldUnreachable) {
      // Not reachable at start: said once, then retried quietly.
      this.#toldUnreachable = true;
      this.#log?.unreachable(reason);
      return;
    }
    if (!this.#available) return;
    this.#available = false;
    this.#log?.unreachable(reason);
  }

  /** After a cut: claims and presence back as they are here (Redis may have lost them). */
  async #reclaim(): Promise<void> {
    const mine = new Set<string>();
    for (const local of this.#local.values()) {
      const user = local.user;
      mine.add(user.key);
      await this.#eval(
        RECLAIM,
        [keys.nick(user.key), keys.users, keys.serverUsers(this.serverId)],
        [local.token, String(NICK_TTL_MS), user.key, JSON.stringify(this.#presence(local))],
      );
    }
    // Users who left while Redis was away.
    const members = await this.#call<string[]>(["SMEMBERS", keys.serverUsers(this.serverId)]);
    for (const key of members) {
      if (mine.has(key)) continue;
      await this.#call(["SREM", keys.serverUsers(this.serverId), key]);
      const json = await this.#call<string | null>(["HGET", keys.users, key]);
      if (json !== null && (JSON.parse(json) as Presence).server === this.serverId) {
        await this.#call(["HDEL", keys.users, key]);
      }
    }
  }

  async #heartbeat(force = false): Promise<void> {
    if ((!this.#available && !force) || this.#stopped) return;
    const locals = [...this.#local.values()];
    let first = true;
    for (let i = 0; first || i < locals.length; i += HEARTBEAT_BATCH) {
      first = false;
      const batch = locals.slice(i, i + HEARTBEAT_BATCH);
      await this.#eval(
        HEARTBEAT,
        [keys.servers, ...batch.map((local) => keys.nick(local.user.key))],
        [this.serverId, String(NICK_TTL_MS), ...batch.map((local) => local.token)],
      ).catch((error) => {
        if (force) throw error;
      });
    }
  }

  /** Finds dead servers and tells their users' rooms they left (once: the script picks one reaper). */
  async #reap(): Promise<void> {
    // A server that was cut off itself must first give the others time to come back.
    if (!this.#available || Date.now() - this.#connectedSince < DEAD_AFTER_MS) return;
    let gone: string[];
    try {
      gone = await this.#eval<string[]>(REAP, [keys.servers], [String(DEAD_AFTER_MS), KEY_PREFIX]);
    } catch {
      return;
    }
    const byServer = new Map<string, number>();
    for (const json of gone) {
      const entry = JSON.parse(json) as Presence;
      byServer.set(entry.server, (byServer.get(entry.server) ?? 0) + 1);
      if (entry.roomKey === "") continue;
      void this.publish(entry.roomKey, {
        type: "left",
        room: entry.room,
        nick: entry.nick,
        time: Date.now(),
      });
    }
    for (const [server, count] of byServer) this.#log?.reaped(server, count);
  }
}

function parseEvent(fields: string[]): RoomEvent | undefined {
  return parseItem<RoomEvent>(fields);
}

function parseItem<T>(fields: string[]): T | undefined {
  const json = fields[1];
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as T;
  } catch {
    return undefined;
  }
}

function unavailable(error: unknown): UnavailableError {
  if (error instanceof UnavailableError) return error;
  return new UnavailableError(error instanceof Error ? error.message : String(error));
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
