/**
 * A worker's part of the process, as its server drives it: the two seams of the
 * chat core ({@linkcode WorkerBus}, {@linkcode WorkerDirectory}) over the line to
 * the coordinator, as `RedisCluster` puts them together over Redis. The chat core
 * does not know workers exist: it sees a cluster that is always available.
 *
 * @module
 */

import type { Bans } from "../chat/bans.ts";
import type { HistoryRead } from "../chat/bus.ts";
import type { ServerCluster } from "../chat/cluster.ts";
import type { Members, NicknameBan, TakeOver, UserRef } from "../chat/directory.ts";
import type { Removal, RoomEntry, RoomEvent, UserEvent } from "../chat/events.ts";
import type { PasswordAttempts } from "../chat/password_attempts.ts";
import type { Room } from "../chat/room.ts";
import type { User } from "../chat/user.ts";
import type { BanChange } from "./messages.ts";
import { WorkerBus } from "./worker_bus.ts";
import { WorkerDirectory } from "./worker_directory.ts";
import type { WorkerLink } from "./worker_link.ts";
import { WorkerPasswordAttempts } from "./worker_password_attempts.ts";

/** Options for {@linkcode WorkerCluster}. */
export interface WorkerClusterOptions {
  /** The line to the coordinator. */
  link: WorkerLink;
  /** This worker's number. */
  worker: number;
  /** The store's epoch (event ids). */
  epoch: string;
  /** The messages and actions each room shows newcomers. */
  historyLimit: number;
  /** The bans in force when it starts. */
  bans: readonly BanChange[];
}

/** One worker's bus and directory. */
export class WorkerCluster implements ServerCluster {
  /** @inheritdoc */
  readonly shared = true;
  /** @inheritdoc */
  readonly serverId: string;
  /** The bus. */
  readonly bus: WorkerBus;
  /** The directory. */
  readonly directory: WorkerDirectory;
  #link: WorkerLink;

  /** @param options The line, the worker's number, the epoch, the history and the bans. */
  constructor(options: WorkerClusterOptions) {
    this.#link = options.link;
    this.serverId = `worker-${options.worker}`;
    this.bus = new WorkerBus(options.link, options.epoch, options.historyLimit);
    this.directory = new WorkerDirectory(options.link, options.worker, options.bans);
    options.link.onItem((item) => {
      switch (item.t) {
        case "events":
          this.bus.deliver(item.room, item.events);
          break;
        case "deliver":
          this.directory.deliverHere(item.userId, item.event);
          break;
        case "kick":
          this.directory.kickHere(item.userId, item.removal);
          break;
        case "reclaim":
          this.directory.reclaimHere(item.userId);
          break;
        case "ban":
          this.directory.applyBan(item.change);
          break;
        case "shutdown":
          // The worker's entry handles it (it owns the server).
          break;
      }
    });
  }

  /** @inheritdoc */
  start(): Promise<void> {
    return Promise.resolve();
  }

  /** @inheritdoc */
  stop(): Promise<void> {
    // What the server's last steps queued (its users' leaves) goes now.
    this.#link.flush();
    return Promise.resolve();
  }

  /** @inheritdoc */
  passwordAttempts(): PasswordAttempts {
    return new WorkerPasswordAttempts(this.#link);
  }

  // --- Bus --------------------------------------------------------------------------

  /** @inheritdoc */
  publish(room: string, event: RoomEvent): boolean {
    return this.bus.publish(room, event);
  }

  /** @inheritdoc */
  sync(): void {
    this.bus.sync();
  }

  /** @inheritdoc */
  open(room: Room): Promise<void> {
    return this.bus.open(room);
  }

  /** @inheritdoc */
  close(room: string): void {
    this.bus.close(room);
  }

  /** @inheritdoc */
  history(room: string, limit: number): HistoryRead {
    return this.bus.history(room, limit);
  }

  // --- Directory ----------------------------------------------------------------------

  /** @inheritdoc */
  get bans(): Bans {
    return this.directory.bans;
  }

  /** @inheritdoc */
  get nicknameBans(): Bans<"nickname"> {
    return this.directory.nicknameBans;
  }

  /** @inheritdoc */
  claim(user: User): boolean | Promise<boolean> {
    return this.directory.claim(user);
  }

  /** @inheritdoc */
  takeOver(user: User): TakeOver | Promise<TakeOver> {
    return this.directory.takeOver(user);
  }

  /** @inheritdoc */
  rename(user: User, nickname: string): boolean | Promise<boolean> {
    return this.directory.rename(user, nickname);
  }

  /** @inheritdoc */
  release(user: User): void {
    this.directory.release(user);
  }

  /** @inheritdoc */
  changed(user: User): void {
    this.directory.changed(user);
  }

  /** @inheritdoc */
  find(nickname: string): UserRef | undefined | Promise<UserRef | undefined> {
    return this.directory.find(nickname);
  }

  /** @inheritdoc */
  deliver(to: UserRef, event: UserEvent): boolean {
    return this.directory.deliver(to, event);
  }

  /** @inheritdoc */
  kick(target: UserRef, removal: Removal): boolean {
    return this.directory.kick(target, removal);
  }

  /** @inheritdoc */
  who(room: Room, limit?: number): Promise<Members> {
    return this.directory.who(room, limit);
  }

  /** @inheritdoc */
  rooms(): Promise<RoomEntry[]> {
    return this.directory.rooms();
  }

  /** @inheritdoc */
  ban(address: string, minutes: number): void {
    this.directory.ban(address, minutes);
  }

  /** @inheritdoc */
  unban(address: string): boolean {
    return this.directory.unban(address);
  }

  /** @inheritdoc */
  banNickname(ban: NicknameBan): void {
    this.directory.banNickname(ban);
  }

  /** @inheritdoc */
  unbanNickname(key: string): boolean {
    return this.directory.unbanNickname(key);
  }
}
