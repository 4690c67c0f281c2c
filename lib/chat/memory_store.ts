/**
 * The store in memory: `--data none`, and tests. Everything is answered at once
 * and nothing survives the process; within it, a room's history outlives the room
 * (a user who comes back to an empty room still catches up).
 *
 * @module
 */

import { newEpoch, parseEventId } from "./event_id.ts";
import {
  type Account,
  type BanKind,
  DEFAULT_HISTORY_KEEP,
  HELD_WHISPER_TTL_MS,
  type HeldWhisper,
  type HistorySince,
  type LastSeen,
  MAX_HELD_WHISPERS,
  type RoomHistory,
  type Store,
  type StoredBan,
  type StoredEvent,
  type StoredTopic,
} from "./store.ts";

/**
 * Rooms whose history a store in memory keeps by default: rooms made in a loop
 * must not grow memory without bound (the one written to longest ago goes first,
 * and ids of its events are unknown from then on).
 */
export const DEFAULT_MEMORY_ROOMS = 1000;

/** Options for {@linkcode MemoryStore}. */
export interface MemoryStoreOptions {
  /** Messages and actions kept per room. @default {DEFAULT_HISTORY_KEEP} */
  historyKeep?: number;
  /** Rooms whose history is kept. @default {DEFAULT_MEMORY_ROOMS} */
  maxRooms?: number;
  /** The epoch. @default {a new random one} */
  epoch?: string;
}

interface RoomLog {
  /** The first sequence number of this log (later than any of a forgotten log's). */
  firstSeq: number;
  /** The room's last sequence number. */
  lastSeq: number;
  /** The newest events, contiguous, ending at `lastSeq` (may hold a few more than kept). */
  events: StoredEvent[];
  /** When it was last written to, in appends: the least recent room goes first. */
  touched: number;
}

/** What the chat remembers, in this process's memory. */
export class MemoryStore implements Store {
  /** @inheritdoc */
  readonly epoch: string;
  /** @inheritdoc */
  readonly location = undefined;
  #keep: number;
  #maxRooms: number;
  #rooms = new Map<string, RoomLog>();
  #appends = 0;
  /** The highest sequence number of a forgotten room: new rooms count on from it. */
  #ceiling = 0;
  #topics = new Map<string, StoredTopic>();
  #accounts = new Map<string, Account>();
  #bans = new Map<string, StoredBan>();
  #whispers = new Map<string, HeldWhisper[]>();

  /**
   * @param options How much history it keeps, and its epoch.
   */
  constructor(options: MemoryStoreOptions = {}) {
    this.#keep = Math.max(0, options.historyKeep ?? DEFAULT_HISTORY_KEEP);
    this.#maxRooms = Math.max(1, options.maxRooms ?? DEFAULT_MEMORY_ROOMS);
    this.epoch = options.epoch ?? newEpoch();
  }

  /** @inheritdoc */
  history(room: string, limit: number): RoomHistory {
    const log = this.#rooms.get(room);
    if (log === undefined) return { lastSeq: this.#ceiling, events: [] };
    const count = Math.max(0, Math.min(limit, this.#keep, log.events.length));
    return { lastSeq: log.lastSeq, events: log.events.slice(log.events.length - count) };
  }

  /** @inheritdoc */
  historySince(room: string, since: string, limit: number): HistorySince {
    const parsed = parseEventId(since);
    const log = this.#rooms.get(room);
    if (
      log === undefined || parsed === undefined || parsed.epoch !== this.epoch ||
      parsed.seq > log.lastSeq || parsed.seq < log.firstSeq - 1
    ) {
      return { known: false, events: [], skipped: 0 };
    }
    const after = log.lastSeq - parsed.seq;
    const kept = Math.min(after, this.#keep, log.events.length, Math.max(0, limit));
    const events = log.events.slice(log.events.length - kept);
    return { known: true, events, skipped: after - kept };
  }

  /** @inheritdoc */
  appendHistory(room: string, seq: number, event: StoredEvent): void {
    let log = this.#rooms.get(room);
    if (log === undefined) {
      if (this.#rooms.size >= this.#maxRooms) this.#forgetLeastRecentRoom();
      log = { firstSeq: seq, lastSeq: seq - 1, events: [], touched: 0 };
      this.#rooms.set(room, log);
    }
    if (seq <= log.lastSeq) return; // already kept
    // The kept events stay contiguous: after a gap only the new one is known.
    if (seq !== log.lastSeq + 1) {
      log.events = [];
      log.firstSeq = seq;
    }
    log.lastSeq = seq;
    log.touched = ++this.#appends;
    if (this.#keep === 0) return;
    log.events.push(event);
    // Trimmed in steps, not on every append.
    if (log.events.length > this.#keep + Math.ceil(this.#keep / 4)) {
      log.events.splice(0, log.events.length - this.#keep);
    }
  }

  /** @inheritdoc */
  commit(): void {
    // Memory is all there is.
  }

  /** @inheritdoc */
  topic(room: string): StoredTopic | undefined {
    const topic = this.#topics.get(room);
    return topic && { ...topic };
  }

  /** @inheritdoc */
  setTopic(room: string, topic: StoredTopic | undefined): void {
    if (topic === undefined) this.#topics.delete(room);
    else this.#topics.set(room, { ...topic });
  }

  /** @inheritdoc */
  account(key: string): Account | undefined {
    const account = this.#accounts.get(key);
    return account && copyAccount(account);
  }

  /** @inheritdoc */
  createAccount(account: Account): boolean {
    if (this.#accounts.has(account.key)) return false;
    this.#accounts.set(account.key, copyAccount(account));
    return true;
  }

  /** @inheritdoc */
  setPassword(key: string, passwordHash: string): boolean {
    const account = this.#accounts.get(key);
    if (account === undefined) return false;
    account.passwordHash = passwordHash;
    return true;
  }

  /** @inheritdoc */
  setOperator(key: string, operator: boolean): boolean {
    const account = this.#accounts.get(key);
    if (account === undefined) return false;
    account.operator = operator;
    return true;
  }

  /** @inheritdoc */
  setLastSeen(key: string, lastSeen: LastSeen): boolean {
    const account = this.#accounts.get(key);
    if (account === undefined) return false;
    account.lastSeen = { ...lastSeen };
    return true;
  }

  /** @inheritdoc */
  deleteAccount(key: string): boolean {
    this.#whispers.delete(key);
    return this.#accounts.delete(key);
  }

  /** @inheritdoc */
  bans(now: number = Date.now()): StoredBan[] {
    const out: StoredBan[] = [];
    for (const [slot, ban] of [...this.#bans]) {
      if (ban.until !== undefined && ban.until <= now) this.#bans.delete(slot);
      else out.push({ ...ban });
    }
    return out;
  }

  /** @inheritdoc */
  addBan(ban: StoredBan): void {
    const slot = banSlot(ban.kind, ban.target);
    // A new ban on the same target replaces the old one and counts as made now.
    this.#bans.delete(slot);
    this.#bans.set(slot, { ...ban });
  }

  /** @inheritdoc */
  removeBan(kind: BanKind, target: string): boolean {
    return this.#bans.delete(banSlot(kind, target));
  }

  /** @inheritdoc */
  holdWhisper(to: string, whisper: HeldWhisper): boolean {
    const held = fresh(this.#whispers.get(to) ?? [], Date.now());
    if (held.length >= MAX_HELD_WHISPERS) {
      this.#whispers.set(to, held);
      return false;
    }
    held.push({ ...whisper });
    this.#whispers.set(to, held);
    return true;
  }

  /** @inheritdoc */
  takeWhispers(to: string, now: number = Date.now()): HeldWhisper[] {
    const held = this.#whispers.get(to);
    this.#whispers.delete(to);
    return held === undefined ? [] : fresh(held, now);
  }

  /** @inheritdoc */
  close(): void {
    // Nothing to release.
  }

  #forgetLeastRecentRoom(): void {
    let oldest: string | undefined;
    let touched = Infinity;
    for (const [room, log] of this.#rooms) {
      if (log.touched < touched) {
        touched = log.touched;
        oldest = room;
      }
    }
    if (oldest === undefined) return;
    this.#ceiling = Math.max(this.#ceiling, this.#rooms.get(oldest)!.lastSeq);
    this.#rooms.delete(oldest);
  }
}

/** The map key of a ban: a nickname key and an address never collide. */
function banSlot(kind: BanKind, target: string): string {
  return `${kind} ${target}`;
}

/** The whispers younger than their time to live. */
function fresh(held: HeldWhisper[], now: number): HeldWhisper[] {
  return held.filter((whisper) => now - whisper.time < HELD_WHISPER_TTL_MS);
}

function copyAccount(account: Account): Account {
  return { ...account, lastSeen: account.lastSeen && { ...account.lastSeen } };
}
