/**
 * The seam between the chat and what it remembers: each room's history (by id),
 * topics, accounts, bans and held whispers.
 *
 * Three implementations stand behind it: the {@linkcode MemoryStore} (`--data none`,
 * and tests: nothing survives the process), the SQLite file (`lib/store/`, the
 * default: everything survives a restart, `kill -9` included) and, in a cluster,
 * Redis (shared by every server). The chat core knows only this interface.
 *
 * Results that a shared store would wait for are {@linkcode MaybePromise}s: the
 * stores in this process answer at once, and the caller acts on a result only
 * through `whenReady` (`lib/util/maybe_async.ts`), never by testing it.
 *
 * Durability: a write is kept once {@linkcode Store.commit} returned (the bus calls
 * it before a room renders its events, so no client is shown a line that a crash
 * could lose). A store that cannot write for a while (a full disk) keeps its writes
 * in memory, serves from there, and writes them once it can.
 *
 * @module
 */

import type { MaybePromise } from "../util/maybe_async.ts";
import type { HistoryEvent } from "./events.ts";

/** A history event with its id (`"<epoch>.<seq>"`, see `event_id.ts`). */
export type StoredEvent = HistoryEvent & { id: string };

/** A room's history as a newcomer reads it: the last events and where the room's count is. */
export interface RoomHistory {
  /**
   * The room's last sequence number (`0` for a room that never had an event). The
   * next event is `lastSeq + 1`, also when the events themselves were trimmed.
   */
  lastSeq: number;
  /** The last events kept, oldest first. */
  events: StoredEvent[];
}

/** A room's history after a given event (catch-up). */
export interface HistorySince {
  /**
   * Whether the id was one of this store's (same epoch, not ahead of the room).
   * `false`: the reader is a newcomer (the store was started afresh); `events`
   * and `skipped` are then empty.
   */
  known: boolean;
  /** The events after it that are kept, at most `limit`: the newest ones. Oldest first. */
  events: StoredEvent[];
  /** How many events after it are not in `events` (trimmed, or over `limit`). */
  skipped: number;
}

/** A room's topic as it was last set. */
export interface StoredTopic {
  /** The topic. */
  text: string;
  /** Who set it. */
  nick: string;
  /** When (`Date.now()` time). */
  time: number;
}

/** Where an account's user was last: the room it was in and the last event it was sent. */
export interface LastSeen {
  /** The room's name as it was created (its key is `roomKey(room)`). */
  room: string;
  /** The id of the last history event of that room sent to the user, if any. */
  id: string | undefined;
  /** When the user left (`Date.now()` time). */
  time: number;
}

/** A registered nickname. */
export interface Account {
  /** The nickname's comparison key (`nicknameKey()`): a look-alike is the same account. */
  key: string;
  /** The nickname as registered. */
  nickname: string;
  /**
   * The salted password hash with its parameters, encoded by the accounts layer
   * (for instance `scrypt$N$r$p$salt$hash`). Opaque to the store; never logged.
   */
  passwordHash: string;
  /** Whether the account is an operator at login (`/op` while logged in, until `/deop`). */
  operator: boolean;
  /** When it was registered (`Date.now()` time). */
  created: number;
  /** Where the user was when it last left, for catch-up; `undefined` before that. */
  lastSeen: LastSeen | undefined;
}

/** What a ban refuses: an IP address, or a registered nickname (by its account key). */
export type BanKind = "address" | "nickname";

/** A ban as the store keeps it. */
export interface StoredBan {
  /** What it refuses. */
  kind: BanKind;
  /** The IP address (as `normalizeAddress` writes it), or the nickname's key. */
  target: string;
  /**
   * For a nickname ban: the nickname as it was written, for `/bans` (the key is
   * not meant to be shown). @default {undefined}
   */
  name?: string;
  /** When it ends (`Date.now()` time), or `undefined` until lifted. */
  until: number | undefined;
  /** The operator who made it. */
  by: string | undefined;
  /** The reason given. */
  reason: string | undefined;
}

/** A whisper held for a registered user who was offline. */
export interface HeldWhisper {
  /** The sender's nickname. */
  from: string;
  /** What it said. */
  text: string;
  /** When it was sent (`Date.now()` time). */
  time: number;
}

/** The most whispers held for one recipient: a sender cannot fill the store. */
export const MAX_HELD_WHISPERS = 50;

/** How long a held whisper is kept, in milliseconds (7 days): older ones are dropped. */
export const HELD_WHISPER_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Messages and actions each room keeps by default (`--history-keep`). */
export const DEFAULT_HISTORY_KEEP = 1000;

/** What a store tells the server console about its file. */
export interface StoreLog {
  /**
   * Writing failed (a full disk, a read-only directory): the chat goes on from
   * memory and the store retries. Said once until writing works again.
   *
   * @param reason What the system said.
   */
  unwritable(reason: string): void;
  /**
   * Writing works again: everything kept meanwhile was written, except `lost`
   * history lines (the oldest, when more were waiting than memory keeps).
   *
   * @param lost History lines that could not be kept.
   */
  writable(lost: number): void;
}

/** What a server gives the store it opens. */
export interface StoreSetup {
  /** Where the store tells the console that writing failed, and works again. */
  log: StoreLog;
  /** Messages and actions to keep per room (`--history-keep`, at least `--history`). */
  historyKeep: number;
}

/** Opens a server's store when it starts (the server closes it when it stops). */
export type StoreFactory = (setup: StoreSetup) => Store;

/** What the chat remembers. */
export interface Store {
  /**
   * Random per database (per process for a store in memory): an event id from
   * another epoch is unknown here (the data was started afresh).
   */
  readonly epoch: string;
  /** Where the data lives, for the console (a path), or `undefined` in memory. */
  readonly location: string | undefined;

  // --- History (the bus of this process writes it; a cluster's lives in its streams) ---

  /**
   * A room's last events and its last sequence number, read when the room opens.
   *
   * @param room The room's key.
   * @param limit The most events to return.
   * @returns The events, oldest first, and the room's last sequence number.
   */
  history(room: string, limit: number): MaybePromise<RoomHistory>;
  /**
   * The events of a room after a given one (catch-up).
   *
   * @param room The room's key.
   * @param since The id of the last event the reader had.
   * @param limit The most events to return (the newest; the rest are counted in `skipped`).
   * @returns The events, or `known: false` for an id from another epoch.
   */
  historySince(room: string, since: string, limit: number): MaybePromise<HistorySince>;
  /**
   * Appends a room's event, numbered by the bus (`seq` is the room's last plus
   * one). Kept once {@linkcode Store.commit} returns; the oldest events past the
   * store's `historyKeep` are forgotten.
   *
   * @param room The room's key.
   * @param seq The event's sequence number in its room.
   * @param event The event, its `id` set.
   */
  appendHistory(room: string, seq: number, event: StoredEvent): void;
  /**
   * Makes every write so far durable (ends this turn's transaction). Cheap when
   * there is nothing to write. Never throws: a store that cannot write keeps the
   * writes in memory and retries.
   */
  commit(): void;

  // --- Topics ---

  /**
   * A room's topic.
   *
   * @param room The room's key.
   * @returns The topic, or `undefined`.
   */
  topic(room: string): MaybePromise<StoredTopic | undefined>;
  /**
   * Sets or clears a room's topic.
   *
   * @param room The room's key.
   * @param topic The topic, or `undefined` to clear it.
   * @returns When it is kept.
   */
  setTopic(room: string, topic: StoredTopic | undefined): MaybePromise<void>;

  // --- Accounts ---

  /**
   * Finds an account.
   *
   * @param key The nickname's key (`nicknameKey()`).
   * @returns The account, or `undefined`.
   */
  account(key: string): MaybePromise<Account | undefined>;
  /**
   * Registers an account, unless its key is registered.
   *
   * @param account The account.
   * @returns `false` when the key is taken.
   */
  createAccount(account: Account): MaybePromise<boolean>;
  /**
   * Changes an account's password.
   *
   * @param key The nickname's key.
   * @param passwordHash The new hash, encoded with its parameters.
   * @returns `false` when there is no such account.
   */
  setPassword(key: string, passwordHash: string): MaybePromise<boolean>;
  /**
   * Makes an account an operator at login, or no more.
   *
   * @param key The nickname's key.
   * @param operator Whether it is one.
   * @returns `false` when there is no such account.
   */
  setOperator(key: string, operator: boolean): MaybePromise<boolean>;
  /**
   * Records where an account's user was when it left (catch-up starts there).
   *
   * @param key The nickname's key.
   * @param lastSeen The room and the last event sent to the user.
   * @returns `false` when there is no such account.
   */
  setLastSeen(key: string, lastSeen: LastSeen): MaybePromise<boolean>;
  /**
   * Deletes an account and the whispers held for it (its nickname bans stay).
   *
   * @param key The nickname's key.
   * @returns `false` when there was no such account.
   */
  deleteAccount(key: string): MaybePromise<boolean>;

  // --- Bans ---

  /**
   * The bans in force (expired ones are forgotten), read at start.
   *
   * @param now The current time. @default {Date.now()}
   * @returns The bans, in the order they were made.
   */
  bans(now?: number): MaybePromise<StoredBan[]>;
  /**
   * Adds a ban, or replaces the one on the same target.
   *
   * @param ban The ban.
   * @returns When it is kept.
   */
  addBan(ban: StoredBan): MaybePromise<void>;
  /**
   * Lifts a ban.
   *
   * @param kind What it refuses.
   * @param target The address or the nickname's key.
   * @returns `false` when there was none.
   */
  removeBan(kind: BanKind, target: string): MaybePromise<boolean>;

  // --- Held whispers ---

  /**
   * Holds a whisper for a registered user who is offline.
   *
   * @param to The recipient's nickname key.
   * @param whisper The whisper.
   * @returns `false` when {@linkcode MAX_HELD_WHISPERS} are held for it already
   *   (the whisper is not kept).
   */
  holdWhisper(to: string, whisper: HeldWhisper): MaybePromise<boolean>;
  /**
   * Takes the whispers held for a user (it logged in): they are removed.
   *
   * @param to The recipient's nickname key.
   * @param now The current time. @default {Date.now()}
   * @returns The whispers younger than {@linkcode HELD_WHISPER_TTL_MS}, oldest first.
   */
  takeWhispers(to: string, now?: number): MaybePromise<HeldWhisper[]>;

  /**
   * Writes what is waiting and releases the data (the server stops).
   *
   * @returns When it is closed.
   */
  close(): MaybePromise<void>;
}
