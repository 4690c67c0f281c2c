/**
 * A worker's store: the data file is opened once, by the coordinator, and every
 * worker asks it (accounts, bans, topics, held whispers, catch-up). History is
 * not written here: the coordinator orders each room's events and stores them
 * before it sends them back (see {@linkcode WorkerBus}).
 *
 * @module
 */

import type {
  Account,
  BanKind,
  HeldWhisper,
  HistorySince,
  LastSeen,
  RoomHistory,
  Store,
  StoredBan,
  StoredTopic,
} from "../chat/store.ts";
import type { StoreMethod } from "./messages.ts";
import type { WorkerLink } from "./worker_link.ts";

/** The coordinator's store, as a worker asks it. */
export class WorkerStore implements Store {
  /** @inheritdoc */
  readonly epoch: string;
  /** @inheritdoc */
  readonly location: string | undefined;
  #link: WorkerLink;

  /**
   * @param link The line to the coordinator.
   * @param epoch The store's epoch.
   * @param location Where the data is.
   */
  constructor(link: WorkerLink, epoch: string, location: string | undefined) {
    this.#link = link;
    this.epoch = epoch;
    this.location = location;
  }

  /** @inheritdoc */
  history(_room: string, _limit: number): RoomHistory {
    // The worker's bus gets a room's history when it opens it (from the coordinator).
    return { lastSeq: 0, events: [] };
  }

  /** @inheritdoc */
  historySince(room: string, since: string, limit: number): Promise<HistorySince> {
    return this.#ask("historySince", [room, since, limit]);
  }

  /** @inheritdoc */
  appendHistory(): void {
    // The coordinator appends what it orders.
  }

  /** @inheritdoc */
  commit(): void {
    // The coordinator commits a batch before it sends it.
  }

  /** @inheritdoc */
  topic(room: string): Promise<StoredTopic | undefined> {
    return this.#ask("topic", [room]);
  }

  /** @inheritdoc */
  setTopic(room: string, topic: StoredTopic | undefined): Promise<void> {
    return this.#ask("setTopic", [room, topic]);
  }

  /** @inheritdoc */
  account(key: string): Promise<Account | undefined> {
    return this.#ask("account", [key]);
  }

  /** @inheritdoc */
  createAccount(account: Account): Promise<boolean> {
    return this.#ask("createAccount", [account]);
  }

  /** @inheritdoc */
  setPassword(key: string, passwordHash: string): Promise<boolean> {
    return this.#ask("setPassword", [key, passwordHash]);
  }

  /** @inheritdoc */
  setOperator(key: string, operator: boolean): Promise<boolean> {
    return this.#ask("setOperator", [key, operator]);
  }

  /** @inheritdoc */
  setLastSeen(key: string, lastSeen: LastSeen): Promise<boolean> {
    return this.#ask("setLastSeen", [key, lastSeen]);
  }

  /** @inheritdoc */
  deleteAccount(key: string): Promise<boolean> {
    return this.#ask("deleteAccount", [key]);
  }

  /** @inheritdoc */
  bans(now?: number): Promise<StoredBan[]> {
    return this.#ask("bans", [now]);
  }

  /** @inheritdoc */
  addBan(ban: StoredBan): Promise<void> {
    return this.#ask("addBan", [ban]);
  }

  /** @inheritdoc */
  removeBan(kind: BanKind, target: string): Promise<boolean> {
    return this.#ask("removeBan", [kind, target]);
  }

  /** @inheritdoc */
  holdWhisper(to: string, whisper: HeldWhisper): Promise<boolean> {
    return this.#ask("holdWhisper", [to, whisper]);
  }

  /** @inheritdoc */
  takeWhispers(to: string, now?: number): Promise<HeldWhisper[]> {
    return this.#ask("takeWhispers", [to, now]);
  }

  /** @inheritdoc */
  close(): void {
    // The coordinator closes the file, after every worker stopped.
  }

  #ask<T>(method: StoreMethod, args: unknown[]): Promise<T> {
    return this.#link.ask<T>((id) => ({ op: "store", id, method, args }));
  }
}
