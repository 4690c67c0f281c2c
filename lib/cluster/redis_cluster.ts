/**
 * Cluster mode: several servers, one chat, through Redis. A server's part of the
 * cluster is its link to Redis ({@linkcode RedisConnection}), the reader that
 * follows the streams it needs ({@linkcode StreamReader}), the two seams of the
 * chat core over Redis ({@linkcode RedisBus}, {@linkcode RedisDirectory}), and
 * the heartbeat that keeps it counted ({@linkcode Liveness}). This module puts
 * them together and runs what a (re)connection must do before the chat relies
 * on Redis.
 *
 * @module
 */

import type { Bans } from "../chat/bans.ts";
import type { HistoryRead } from "../chat/bus.ts";
import type { ClusterLog, ServerCluster } from "../chat/cluster.ts";
import type { Members, NicknameBan, TakeOver, UserRef } from "../chat/directory.ts";
import type { AttemptsObserver, PasswordAttempts } from "../chat/password_attempts.ts";
import {
  notice,
  type Removal,
  type RoomEntry,
  type RoomEvent,
  type UserEvent,
} from "../chat/events.ts";
import type { Room } from "../chat/room.ts";
import type { Store } from "../chat/store.ts";
import type { User } from "../chat/user.ts";
import { newEpoch } from "../chat/event_id.ts";
import { keys } from "./keys.ts";
import { type ClusterTiming, DEFAULT_TIMING, Liveness } from "./liveness.ts";
import { MalformedLog } from "./malformed_log.ts";
import { RedisBus } from "./redis_bus.ts";
import { isRefused, RedisConnection } from "./redis_connection.ts";
import { type LocalUser, RedisDirectory } from "./redis_directory.ts";
import { RedisPasswordAttempts } from "./redis_password_attempts.ts";
import { RedisStore } from "./redis_store.ts";
import { RedisWriter } from "./redis_writer.ts";
import { redactRedisUrl } from "./redis_url.ts";
import type { MaybePromise } from "../util/maybe_async.ts";
import { StreamReader } from "./stream_reader.ts";

/** Options for {@linkcode RedisCluster}. */
export interface RedisClusterOptions {
  /** `redis://[user:pass@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** What the console is told. @default {nothing} */
  log?: ClusterLog;
  /** The heartbeat, reaping and claim timing (tests shorten it). @default {DEFAULT_TIMING} */
  timing?: Partial<ClusterTiming>;
}

/** This server's part of a cluster: the bus and the directory of its chat. */
export class RedisCluster implements ServerCluster {
  /** @inheritdoc */
  readonly shared = true;
  /** This server's id in the cluster (random at each start). */
  readonly serverId: string = crypto.randomUUID().slice(0, 8);
  #connection: RedisConnection;
  #reader: StreamReader;
  #bus: RedisBus;
  #directory: RedisDirectory;
  #liveness: Liveness;
  #writer: RedisWriter;
  #store: RedisStore;
  #log: ClusterLog | undefined;
  /**
   * The epoch of history ids (`chat:epoch`), as read at the last connection; `""`
   * before the first (no id is known then).
   */
  #epoch = "";
  /**
   * The identity of Redis's data as this server last saw it (`chat:data-id`); not
   * the store's epoch of event ids.
   */
  #redisDataId: string | undefined;
  /** Whether Redis keeps its data on disk (`undefined`: it would not say). */
  #persistent: boolean | undefined;
  /** Users to announce as joined once ready: back after being reaped, or renamed. */
  #comingBack = new Set<LocalUser>();

  /**
   * Makes the parts; {@linkcode RedisCluster.start} connects.
   *
   * @param options The Redis URL and the console.
   */
  constructor(options: RedisClusterOptions) {
    const log = options.log;
    const timing: ClusterTiming = { ...DEFAULT_TIMING, ...options.timing };
    this.#log = log;
    this.#connection = new RedisConnection({
      url: options.url,
      name: `chat-${this.serverId}`,
      events: {
        prepare: (first) => this.#prepare(first),
        ready: (first) => {
          this.#liveness.ready();
          this.#announceComingBack();
          if (first) {
            log?.joined(redactRedisUrl(options.url), this.serverId);
            if (this.#persistent === false) log?.noPersistence();
          } else {
            log?.restored();
          }
        },
        lost: (reason) => log?.unreachable(reason),
        stalled: (ms) => log?.stalled(ms),
      },
    });
    const malformed = new MalformedLog(log);
    this.#reader = new StreamReader(this.#connection);
    this.#writer = new RedisWriter(this.#connection);
    const epoch = () => this.#epoch;
    this.#bus = new RedisBus(this.#connection, this.#reader, this.#writer, malformed, epoch);
    this.#store = new RedisStore(this.#connection, malformed, epoch, this.#bus);
    this.#directory = new RedisDirectory(
      this.#connection,
      this.#writer,
      this.serverId,
      malformed,
      timing.nickTtlMs,
    );
    this.#liveness = new Liveness({
      serverId: this.serverId,
      connection: this.#connection,
      directory: this.#directory,
      bus: this.#bus,
      log,
      malformed,
      timing,
    });
    this.#reader.follow(this.#directory.inbox);
    this.#reader.follow(this.#directory.control);
  }

  /** @inheritdoc */
  get bans(): Bans {
    return this.#directory.bans;
  }

  /** @inheritdoc */
  get nicknameBans(): Bans<"nickname"> {
    return this.#directory.nicknameBans;
  }

  /** What the chat remembers, in this cluster's Redis: the same for every server. */
  get store(): Store {
    return this.#store;
  }

  /** Whether Redis can be reached now. */
  get available(): boolean {
    return this.#connection.ready;
  }

  /**
   * Connects both connections and starts following the streams.
   *
   * @returns When the cluster is usable (or the first attempt failed: it keeps trying).
   */
  async start(): Promise<void> {
    this.#reader.start();
    this.#liveness.start();
    await this.#connection.start();
  }

  /**
   * Leaves the cluster: this server is no longer counted, and its connections
   * close once what is queued (its users' leave notices) has been sent.
   *
   * @returns When both connections are closed.
   */
  async stop(): Promise<void> {
    this.#liveness.stop();
    await this.#connection.stop(async () => {
      await Promise.allSettled([
        this.#connection.call(["ZREM", keys.servers, this.serverId]),
        this.#connection.call(["DEL", keys.serverUsers(this.serverId), keys.inbox(this.serverId)]),
      ]);
    });
    this.#writer.stop();
    await this.#reader.stopped();
  }

  /** @inheritdoc */
  reserveNicknames(reserved: (key: string) => MaybePromise<boolean>): void {
    this.#directory.reserveNicknames(reserved);
  }

  /** @inheritdoc */
  passwordAttempts(observer: AttemptsObserver): PasswordAttempts {
    return new RedisPasswordAttempts(this.#connection, this.serverId, observer);
  }

  // --- Bus --------------------------------------------------------------------------

  /** @inheritdoc */
  publish(room: string, event: RoomEvent): boolean | Promise<boolean> {
    return this.#bus.publish(room, event);
  }

  /** @inheritdoc */
  sync(): void {
    this.#bus.sync();
  }

  /** @inheritdoc */
  open(room: Room): Promise<void> {
    return this.#bus.open(room);
  }

  /** @inheritdoc */
  close(room: string): void {
    this.#bus.close(room);
  }

  /** @inheritdoc */
  history(room: string, limit: number): Promise<HistoryRead> | HistoryRead {
    return this.#bus.history(room, limit);
  }

  // --- Directory --------------------------------------------------------------------

  /** @inheritdoc */
  claim(user: User): Promise<boolean> {
    return this.#directory.claim(user);
  }

  /** @inheritdoc */
  takeOver(user: User): TakeOver | Promise<TakeOver> {
    return this.#directory.takeOver(user);
  }

  /** @inheritdoc */
  watchReclaims(handler: (ghost: User) => void): void {
    this.#directory.watchReclaims(handler);
  }

  /** @inheritdoc */
  rename(user: User, nickname: string): Promise<boolean> {
    return this.#directory.rename(user, nickname);
  }

  /** @inheritdoc */
  release(user: User): void {
    this.#directory.release(user);
  }

  /** @inheritdoc */
  changed(user: User): Promise<void> | undefined {
    return this.#directory.changed(user);
  }

  /** @inheritdoc */
  find(nickname: string): UserRef | undefined | Promise<UserRef | undefined> {
    return this.#directory.find(nickname);
  }

  /** @inheritdoc */
  deliver(to: UserRef, event: UserEvent): boolean | Promise<boolean> {
    return this.#directory.deliver(to, event);
  }

  /** @inheritdoc */
  kick(target: UserRef, removal: Removal): boolean | Promise<boolean> {
    return this.#directory.kick(target, removal);
  }

  /** @inheritdoc */
  who(room: Room, limit?: number): Promise<Members> {
    return this.#directory.who(room, limit);
  }

  /** @inheritdoc */
  rooms(): Promise<RoomEntry[]> {
    return this.#directory.rooms();
  }

  /** @inheritdoc */
  ban(address: string, minutes: number): void {
    this.#directory.ban(address, minutes);
  }

  /** @inheritdoc */
  unban(address: string): boolean {
    return this.#directory.unban(address);
  }

  /** @inheritdoc */
  banNickname(ban: NicknameBan): void {
    this.#directory.banNickname(ban);
  }

  /** @inheritdoc */
  unbanNickname(key: string): boolean {
    return this.#directory.unbanNickname(key);
  }

  /**
   * What a (re)connection does before the chat relies on it: this server counted
   * again, the bans made meanwhile, its users' claims and presence back, and the
   * writes a cut caught in flight sent again (before anything typed meanwhile).
   */
  async #prepare(first: boolean): Promise<void> {
    await this.#liveness.heartbeat(true);
    if (first) this.#persistent = await this.#persistence();
    const lost = await this.#dataLost();
    // Made by the first server, anew after Redis lost its data (the old ids are unknown then).
    await this.#connection.call(["SET", keys.epoch, newEpoch(), "NX"]);
    this.#epoch = await this.#connection.call<string | null>(["GET", keys.epoch]) ?? "";
    await this.#directory.positionControl();
    await this.#directory.loadBans();
    // Redis forgot the bans: every server tells what it knows, so none admits a banned address.
    if (lost) this.#log?.dataLost(await this.#directory.republishBans());
    if (!first) await this.#claimAgain(lost);
    await this.#writer.resend();
  }

  /**
   * After a cut or a stall, before anything else is sent: each user's nickname and
   * presence back. A user whose nickname someone else took meanwhile gets another
   * one (told so), never staying a second holder of it; one that the others saw
   * leave (reaped) is announced again once ready. After Redis lost its data nobody
   * saw anyone leave: nobody is announced.
   */
  async #claimAgain(lost: boolean): Promise<void> {
    const { back, taken } = await this.#liveness.reclaim();
    if (!lost) { for (const local of back) this.#comingBack.add(local); }
    for (const local of taken) {
      const user = local.user;
      const from = user.nickname;
      const to = await this.#directory.renameTaken(local);
      if (user.gone) continue;
      this.#log?.nicknameLost(from, to);
      if (to === undefined) {
        // Dropped: it must not stay a second holder of the nickname.
        user.overflowed();
        continue;
      }
      user.send(notice({ code: "nicknameLost", from, to }));
      user.send({ type: "renamed", from, to });
      this.#comingBack.add(local);
    }
  }

  /** The users back after a cut or a stall are seen joining each of their rooms again. */
  #announceComingBack(): void {
    const comingBack = [...this.#comingBack];
    this.#comingBack.clear();
    for (const local of comingBack) {
      const user = local.user;
      if (user.gone) continue;
      const time = Date.now();
      for (const room of user.rooms.values()) {
        void this.#bus.publish(room.key, {
          type: "joined",
          room: room.name,
          nick: user.nickname,
          time,
        });
      }
    }
  }

  /**
   * Whether Redis lost its data since this server last saw it: the data id key is
   * set by the first server that finds none, and a server that finds another one
   * than it knew (or none) was away while Redis lost everything.
   */
  async #dataLost(): Promise<boolean> {
    await this.#connection.call(["SET", keys.dataId, crypto.randomUUID(), "NX"]);
    const dataId = await this.#connection.call<string | null>(["GET", keys.dataId]);
    const lost = this.#redisDataId !== undefined && dataId !== this.#redisDataId;
    this.#redisDataId = dataId ?? undefined;
    return lost;
  }

  /**
   * Whether Redis keeps its data on disk: RDB snapshots (`save`) or the append-only
   * file. A Redis that refuses `CONFIG` (a managed one) is asked `INFO persistence`,
   * which tells of the append-only file only; `undefined` when it cannot be told.
   */
  async #persistence(): Promise<boolean | undefined> {
    try {
      const save = await this.#connection.call<string[]>(["CONFIG", "GET", "save"]);
      const aof = await this.#connection.call<string[]>(["CONFIG", "GET", "appendonly"]);
      if (save.length < 2 || aof.length < 2) return undefined;
      return save[1].trim() !== "" || aof[1] === "yes";
    } catch (error) {
      if (!isRefused(error)) throw error;
    }
    try {
      const info = await this.#connection.call<string>(["INFO", "persistence"]);
      return /^aof_enabled:1\b/m.test(info) ? true : undefined;
    } catch (error) {
      if (!isRefused(error)) throw error;
      return undefined;
    }
  }
}
