/**
 * The store in one SQLite file (`--data PATH`, `chat.db` by default), through
 * `node:sqlite`. The only module that imports it.
 *
 * - **One server per file.** An exclusive advisory lock (`flock`) on the file is
 *   taken at start and held until the server stops: a second server on the same
 *   file (another process, or a second open in this one) fails at start. SQLite's
 *   own locking stays normal, so `sqlite3 chat.db ".backup copy.db"` can read a
 *   consistent copy while the server runs (SQLite's `locking_mode=EXCLUSIVE` would
 *   refuse every other reader, that backup included).
 * - **WAL, `synchronous=NORMAL`.** A commit is a `write()` to the journal: it
 *   survives `kill -9` of the server (the system still has it), not a power cut.
 * - **History through a line log.** A turn's history is collected during the turn
 *   and written by {@linkcode SqliteStore.commit}, which the bus calls before a room
 *   renders its events (and a microtask calls at the latest): one `write()` of its
 *   rows to the line log beside the file (`chat.db-log`, see `line_log.ts`), so no
 *   client is shown a line that is not on disk. Every {@linkcode FOLD_MS} (or
 *   {@linkcode FOLD_EVENTS} lines) the logged rows go into the database in one
 *   transaction and the log is emptied; a start replays what a killed server left
 *   in it. An SQLite commit costs 60 to 200 µs of CPU (its pages, six `fcntl`
 *   locks, a dozen `pwrite`s), a log write a few: at hundreds of turns a second a
 *   commit per turn was most of the store's cost.
 * - **Other writes** (accounts, bans, topics, held whispers; rare) are committed in
 *   the turn they happen, with whatever history waits.
 * - **One row per room per turn.** A turn's events of one room are one row (a
 *   block: the room, its first and last sequence numbers, the events as one
 *   compact JSON array `[[kind, nick, text, time], …]`, kind 0 a message and 1 an
 *   action; the ids follow from the numbers). A busy turn of a few hundred lines
 *   costs one insert and one `JSON.stringify`, not hundreds (measured: a row and a
 *   `JSON.stringify` per line cost 3 to 5 µs per line, most of the store's cost).
 * - **Schema versions.** The file records its schema version; an older one is
 *   migrated forward at start, a newer one is refused (as are a damaged file and a
 *   database of something else), and in those cases nothing is written to it.
 * - **Faults while running** (a full disk, a folder made read-only): the server
 *   goes on from memory, says so once, keeps what could not be written and retries
 *   with back-off, and says when writing works again.
 *
 * Accounts, bans, topics and held whispers are few: they are read at start and
 * answered from memory (a {@linkcode MemoryStore}), and every change is written
 * through. History is read from the file (a room's last lines when it opens, a
 * catch-up).
 *
 * @module
 */

import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { dirname } from "node:path";
import { eventId, newEpoch, parseEventId } from "../chat/event_id.ts";
import { MemoryStore } from "../chat/memory_store.ts";
import {
  type Account,
  type BanKind,
  DEFAULT_HISTORY_KEEP,
  HELD_WHISPER_TTL_MS,
  type HeldWhisper,
  type HistorySince,
  type LastSeen,
  type RoomHistory,
  type Store,
  type StoredBan,
  type StoredEvent,
  type StoredTopic,
  type StoreFactory,
  type StoreLog,
} from "../chat/store.ts";
import { DataFileError, type DataFileProblem } from "../util/errors.ts";
import { LineLog, lineLogPath, type ReplayedLog, rowLine } from "./line_log.ts";

/**
 * The schema, one migration per version: version N is made by running the first N
 * in order. Append a migration to change it; never edit one that was released.
 */
const MIGRATIONS: readonly string[] = [
  // 1: the first schema.
  `
  CREATE TABLE chat_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  -- A room's count when it has no history rows (--history-keep 0); else its newest row has it.
  CREATE TABLE rooms (room TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE history (
    room TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
    room_name TEXT NOT NULL, events TEXT NOT NULL, PRIMARY KEY (room, first_seq)
  ) WITHOUT ROWID;
  CREATE TABLE topics (
    room TEXT PRIMARY KEY, text TEXT NOT NULL, nick TEXT NOT NULL, time INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE accounts (
    key TEXT PRIMARY KEY, nickname TEXT NOT NULL, password_hash TEXT NOT NULL,
    operator INTEGER NOT NULL, created INTEGER NOT NULL,
    last_room TEXT, last_id TEXT, last_time INTEGER
  ) WITHOUT ROWID;
  CREATE TABLE bans (
    kind TEXT NOT NULL, target TEXT NOT NULL, until INTEGER, by TEXT, reason TEXT,
    UNIQUE (kind, target)
  );
  CREATE TABLE held_whispers (
    id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, sender TEXT NOT NULL,
    text TEXT NOT NULL, time INTEGER NOT NULL
  );
  CREATE INDEX held_whispers_by_recipient ON held_whispers (recipient, id);
  `,
  // 2: a nickname ban keeps the nickname as it was written, for /bans.
  `
  ALTER TABLE bans ADD COLUMN name TEXT;
  `,
];

/** The schema version this program writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Pages the journal (`-wal`) grows by before SQLite copies them into the file (4 KiB
 * each: 32 MiB). Trimmed rooms reuse the same pages, so a longer journal copies each
 * page once for many writes: with SQLite's default of 1000 the slowest 1 % of commits
 * took 4 to 9 ms, with this 1 to 3 ms (measured, 64 and 256 lines a turn).
 */
export const CHECKPOINT_PAGES = 8192;

/** The first pause before writing is tried again after a failure. */
export const FIRST_RETRY_MS = 1_000;
/** The longest pause between two tries: a freed disk is noticed within this. */
export const MAX_RETRY_MS = 30_000;
/**
 * History events kept in memory at most while the file cannot be written (about
 * 300 bytes each): past it the oldest are dropped, and counted.
 */
export const MAX_PENDING_EVENTS = 100_000;

/**
 * How long logged history may wait before it is moved into the database: a copy of
 * the file made while the server runs (`sqlite3 .backup`) lacks at most this much.
 */
export const FOLD_MS = 250;
/** Logged history events that are moved into the database at once, whatever the time. */
export const FOLD_EVENTS = 10_000;

/** Events in one row at most: a huge turn is split, so that no row grows without bound. */
export const MAX_EVENTS_PER_ROW = 1_000;

/** SQLite's primary result codes that tell a start-up problem. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_NOTADB = 26;

/** Options for {@linkcode SqliteStore}. */
export interface SqliteStoreOptions {
  /** The file; made when missing (its folder must exist). */
  path: string;
  /** Messages and actions kept per room. @default {DEFAULT_HISTORY_KEEP} */
  historyKeep?: number;
  /** Where the console is told that writing failed, and works again. @default {nothing} */
  log?: StoreLog;
  /** The first pause before a failed write is tried again. @default {FIRST_RETRY_MS} */
  firstRetryMs?: number;
}

/** A row of history waiting to be written: one room's events of one turn. */
interface Block {
  /** The room's key. */
  room: string;
  /** The room's name as its events carry it. */
  name: string;
  first: number;
  last: number;
  /** The events, until the block is in the line log (then `json` holds them). */
  events: StoredEvent[];
  /**
   * Once the block is in the line log: its events as the row stores them. Only this
   * string is kept until the row is in the database: thousands of event objects
   * kept for a quarter second would outlive V8's young generation, and promoting
   * them cost more garbage collection than the commits they save (measured).
   */
  json?: string;
}

/** An event as a row stores it: `[kind, nick, text, time]`, kind 0 a message, 1 an action. */
type CompactEvent = [0 | 1, string, string, number];

/** What the chat remembers, in an SQLite file. */
export class SqliteStore implements Store {
  /** @inheritdoc */
  readonly epoch: string;
  /** @inheritdoc */
  readonly location: string;
  #db: DatabaseSync;
  /** The file opened once more, only to hold its lock. */
  #lock: Deno.FsFile;
  #keep: number;
  /** Trim a room's rows when its count passes a multiple of this (not on every append). */
  #trimEvery: number;
  #log: StoreLog | undefined;
  #memory: MemoryStore;
  #sql: ReturnType<typeof prepare>;
  // What waits to be written: history blocks in order (this turn's, and earlier ones
  // while writing fails), this turn's block of each room, the number of events in
  // them, and the rarer writes as statements with their values.
  #blocks: Block[] = [];
  #turn = new Map<string, Block>();
  #pendingEvents = 0;
  #writes: [StatementSync, SQLInputValue[]][] = [];
  #lineLog: LineLog;
  /** The blocks at the start of `#blocks` that are in the line log already. */
  #logged = 0;
  /** After a failed write to the line log: history goes straight to the database. */
  #logBroken = false;
  #foldTimer: ReturnType<typeof setTimeout> | undefined;
  #foldTask = () => {
    this.#foldTimer = undefined;
    if (this.#failing === undefined && !this.#closed) this.#write();
  };
  #scheduled = false;
  #commitTask = () => {
    this.#scheduled = false;
    this.commit();
  };
  /** Why writing fails, while it does; `undefined` when it works. */
  #failing: string | undefined;
  #firstRetryMs: number;
  #retryMs = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** History rows dropped while writing failed. */
  #lost = 0;
  #closed = false;

  /**
   * Opens the file, migrates it and takes its lock.
   *
   * @param options The file, how much history to keep, the console.
   * @throws {DataFileError} When the file cannot be used; nothing was written to it.
   */
  constructor(options: SqliteStoreOptions) {
    const path = options.path;
    this.location = path;
    this.#keep = Math.max(0, options.historyKeep ?? DEFAULT_HISTORY_KEEP);
    this.#trimEvery = Math.min(100, Math.max(1, Math.ceil(this.#keep / 10)));
    this.#log = options.log;
    this.#firstRetryMs = options.firstRetryMs ?? FIRST_RETRY_MS;
    this.#lock = lockFile(path);
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path);
      this.epoch = openSchema(db, path);
      this.#sql = prepare(db);
      this.#db = db;
      this.#memory = new MemoryStore({ historyKeep: 0, epoch: this.epoch });
      this.#load(Date.now());
      this.#lineLog = LineLog.open(lineLogPath(path), this.epoch, (log) => this.#replay(log));
    } catch (error) {
      try {
        db?.close();
      } catch {
        // Closing a file that could not be used: nothing more to say.
      }
      this.#lock.close();
      throw error instanceof DataFileError ? error : startProblem(error, path);
    }
  }

  /** Whether writing fails now (the chat goes on from memory). */
  get failing(): boolean {
    return this.#failing !== undefined;
  }

  /** @inheritdoc */
  history(room: string, limit: number): RoomHistory {
    this.commit();
    const lastSeq = this.#lastSeq(room);
    const count = Math.max(0, Math.min(limit, this.#keep));
    return { lastSeq, events: this.#read(room, lastSeq - count, lastSeq, count) };
  }

  /** @inheritdoc */
  historySince(room: string, since: string, limit: number): HistorySince {
    this.commit();
    const parsed = parseEventId(since);
    const lastSeq = this.#lastSeq(room);
    if (parsed === undefined || parsed.epoch !== this.epoch || parsed.seq > lastSeq) {
      return { known: false, events: [], skipped: 0 };
    }
    const after = lastSeq - parsed.seq;
    const count = Math.max(0, Math.min(after, limit, this.#keep));
    const events = this.#read(room, lastSeq - count, lastSeq, count);
    return { known: true, events, skipped: after - events.length };
  }

  /** @inheritdoc */
  appendHistory(room: string, seq: number, event: StoredEvent): void {
    let block = this.#turn.get(room);
    if (
      block === undefined || block.events.length >= MAX_EVENTS_PER_ROW || block.name !== event.room
    ) {
      block = { room, name: event.room, first: seq, last: seq, events: [] };
      this.#turn.set(room, block);
      this.#blocks.push(block);
    }
    block.last = seq;
    // With nothing kept, the block carries only the room's count.
    if (this.#keep > 0) block.events.push(event);
    if (++this.#pendingEvents > MAX_PENDING_EVENTS) this.#dropOldest();
    this.#schedule();
  }

  /** @inheritdoc */
  commit(): void {
    // This turn's blocks are closed: the next turn's events go into new ones.
    this.#turn.clear();
    if (this.#failing !== undefined || this.#closed) return; // the retry timer writes
    if (this.#writes.length > 0 || this.#logBroken) {
      if (this.#blocks.length > 0 || this.#writes.length > 0) this.#write();
      return;
    }
    if (this.#logged < this.#blocks.length) this.#appendToLog();
  }

  /** @inheritdoc */
  topic(room: string): StoredTopic | undefined {
    return this.#memory.topic(room);
  }

  /** @inheritdoc */
  setTopic(room: string, topic: StoredTopic | undefined): void {
    this.#memory.setTopic(room, topic);
    if (topic === undefined) this.#queue(this.#sql.deleteTopic, [room]);
    else this.#queue(this.#sql.putTopic, [room, topic.text, topic.nick, topic.time]);
  }

  /** @inheritdoc */
  account(key: string): Account | undefined {
    return this.#memory.account(key);
  }

  /** @inheritdoc */
  createAccount(account: Account): boolean {
    if (!this.#memory.createAccount(account)) return false;
    const seen = account.lastSeen;
    this.#queue(this.#sql.insertAccount, [
      account.key,
      account.nickname,
      account.passwordHash,
      account.operator ? 1 : 0,
      account.created,
      seen?.room ?? null,
      seen?.id ?? null,
      seen?.time ?? null,
    ]);
    return true;
  }

  /** @inheritdoc */
  setPassword(key: string, passwordHash: string): boolean {
    if (!this.#memory.setPassword(key, passwordHash)) return false;
    this.#queue(this.#sql.setPassword, [passwordHash, key]);
    return true;
  }

  /** @inheritdoc */
  setOperator(key: string, operator: boolean): boolean {
    if (!this.#memory.setOperator(key, operator)) return false;
    this.#queue(this.#sql.setOperator, [operator ? 1 : 0, key]);
    return true;
  }

  /** @inheritdoc */
  setLastSeen(key: string, lastSeen: LastSeen): boolean {
    if (!this.#memory.setLastSeen(key, lastSeen)) return false;
    this.#queue(this.#sql.setLastSeen, [lastSeen.room, lastSeen.id ?? null, lastSeen.time, key]);
    return true;
  }

  /** @inheritdoc */
  deleteAccount(key: string): boolean {
    const deleted = this.#memory.deleteAccount(key);
    this.#queue(this.#sql.takeWhispers, [key]);
    if (deleted) this.#queue(this.#sql.deleteAccount, [key]);
    return deleted;
  }

  /** @inheritdoc */
  bans(now: number = Date.now()): StoredBan[] {
    return this.#memory.bans(now);
  }

  /** @inheritdoc */
  addBan(ban: StoredBan): void {
    this.#memory.addBan(ban);
    this.#queue(this.#sql.putBan, [
      ban.kind,
      ban.target,
      ban.name ?? null,
      ban.until ?? null,
      ban.by ?? null,
      ban.reason ?? null,
    ]);
  }

  /** @inheritdoc */
  removeBan(kind: BanKind, target: string): boolean {
    const removed = this.#memory.removeBan(kind, target);
    if (removed) this.#queue(this.#sql.deleteBan, [kind, target]);
    return removed;
  }

  /** @inheritdoc */
  holdWhisper(to: string, whisper: HeldWhisper): boolean {
    if (!this.#memory.holdWhisper(to, whisper)) return false;
    this.#queue(this.#sql.dropOldWhispers, [to, Date.now() - HELD_WHISPER_TTL_MS]);
    this.#queue(this.#sql.holdWhisper, [to, whisper.from, whisper.text, whisper.time]);
    return true;
  }

  /** @inheritdoc */
  takeWhispers(to: string, now: number = Date.now()): HeldWhisper[] {
    const taken = this.#memory.takeWhispers(to, now);
    this.#queue(this.#sql.takeWhispers, [to]);
    return taken;
  }

  /** @inheritdoc */
  close(): void {
    if (this.#closed) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#closed = true;
    clearTimeout(this.#foldTimer);
    this.#foldTimer = undefined;
    if (this.#blocks.length > 0 || this.#writes.length > 0) this.#write();
    try {
      this.#db.close();
    } catch {
      // What could be written was; the next start recovers the journal.
    }
    try {
      this.#lineLog.close();
    } catch {
      // Rows it still holds are replayed at the next start.
    }
    this.#lock.close();
  }

  /** Reads what the file holds at start: everything but history. */
  #load(now: number): void {
    const memory = this.#memory;
    const db = this.#db;
    db.prepare("DELETE FROM bans WHERE until IS NOT NULL AND until <= ?").run(now);
    db.prepare("DELETE FROM held_whispers WHERE time <= ?").run(now - HELD_WHISPER_TTL_MS);
    for (const row of db.prepare("SELECT room, text, nick, time FROM topics").all()) {
      memory.setTopic(String(row.room), {
        text: String(row.text),
        nick: String(row.nick),
        time: Number(row.time),
      });
    }
    for (const row of db.prepare("SELECT * FROM accounts").all()) {
      memory.createAccount({
        key: String(row.key),
        nickname: String(row.nickname),
        passwordHash: String(row.password_hash),
        operator: row.operator === 1,
        created: Number(row.created),
        lastSeen: row.last_room === null ? undefined : {
          room: String(row.last_room),
          id: row.last_id === null ? undefined : String(row.last_id),
          time: Number(row.last_time),
        },
      });
    }
    for (const row of db.prepare("SELECT * FROM bans ORDER BY rowid").all()) {
      const ban: StoredBan = {
        kind: row.kind === "nickname" ? "nickname" : "address",
        target: String(row.target),
        until: row.until === null ? undefined : Number(row.until),
        by: row.by === null ? undefined : String(row.by),
        reason: row.reason === null ? undefined : String(row.reason),
      };
      if (row.name !== null) ban.name = String(row.name);
      memory.addBan(ban);
    }
    const whispers = db.prepare(
      "SELECT recipient, sender, text, time FROM held_whispers ORDER BY id",
    );
    for (const row of whispers.all()) {
      memory.holdWhisper(String(row.recipient), {
        from: String(row.sender),
        text: String(row.text),
        time: Number(row.time),
      });
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    // Queued before the room's render microtask: it runs first.
    this.#scheduled = true;
    queueMicrotask(this.#commitTask);
  }

  #queue(statement: StatementSync, values: SQLInputValue[]): void {
    if (this.#closed) return;
    this.#writes.push([statement, values]);
    this.#schedule();
  }

  /**
   * Adds the blocks that are not in the line log yet to it, in one write; moves the
   * logged ones into the database when enough wait, else soon. A failed write sends
   * history straight to the database until a transaction empties the log.
   */
  #appendToLog(): void {
    const blocks = this.#blocks;
    let text = "";
    for (let i = this.#logged; i < blocks.length; i++) {
      const block = blocks[i];
      const json = compact(block);
      block.json = json;
      block.events = [];
      text += rowLine(block.room, block.first, block.last, block.name, json);
    }
    try {
      this.#lineLog.append(text);
    } catch {
      this.#logBroken = true;
      this.#write();
      return;
    }
    this.#logged = blocks.length;
    if (this.#pendingEvents >= FOLD_EVENTS) this.#write();
    else if (this.#foldTimer === undefined) this.#foldTimer = setTimeout(this.#foldTask, FOLD_MS);
  }

  /** Stores what a killed server left in the line log (at start; throws when it cannot). */
  #replay({ rows }: ReplayedLog): void {
    if (rows.length === 0) return;
    this.#blocks = rows.map((row) => ({
      ...row,
      events: row.json === "[]" ? [] : expand(this.epoch, row.name, row.first, row.json),
    }));
    try {
      this.#transaction();
    } finally {
      this.#blocks = [];
      this.#writes = [];
    }
  }

  /** Writes everything collected in one transaction; on failure keeps it and retries. */
  #write(): void {
    this.#turn.clear();
    try {
      this.#transaction();
    } catch (error) {
      this.#failed(error);
      return;
    }
    this.#blocks = [];
    this.#logged = 0;
    this.#pendingEvents = 0;
    this.#writes = [];
    clearTimeout(this.#foldTimer);
    this.#foldTimer = undefined;
    try {
      // Everything logged is in the database now.
      this.#lineLog.empty();
      this.#logBroken = false;
    } catch {
      this.#logBroken = true;
    }
    if (this.#failing !== undefined) {
      this.#failing = undefined;
      this.#retryMs = 0;
      this.#log?.writable(this.#lost);
      this.#lost = 0;
    }
  }

  /**
   * The blocks and the other writes waiting, in one transaction.
   *
   * @throws When it fails; it was rolled back.
   */
  #transaction(): void {
    const sql = this.#sql;
    try {
      sql.begin.run();
      // Each room's count before and after these blocks: it is stored, and the room is
      // trimmed when the count passes a multiple of trimEvery.
      const rooms = new Map<string, { before: number; last: number; inRow: boolean }>();
      for (const block of this.#blocks) {
        const json = block.json ?? (block.events.length > 0 ? compact(block) : "[]");
        const inRow = json !== "[]";
        if (inRow) sql.insertBlock.run(block.room, block.first, block.last, block.name, json);
        const room = rooms.get(block.room);
        if (room === undefined) {
          rooms.set(block.room, { before: block.first - 1, last: block.last, inRow });
        } else {
          room.last = block.last;
          room.inRow = inRow;
        }
      }
      const every = this.#trimEvery;
      for (const [room, { before, last, inRow }] of rooms) {
        // A room's newest row is never trimmed and carries its count; when its newest
        // lines have no row (`--history-keep 0`, or dropped) the count has a row of its own.
        if (!inRow) sql.putRoom.run(room, last);
        if (Math.floor(last / every) !== Math.floor(before / every)) {
          sql.trim.run(room, last - this.#keep);
        }
      }
      for (const [statement, values] of this.#writes) statement.run(...values);
      sql.commit.run();
    } catch (error) {
      try {
        sql.rollback.run();
      } catch {
        // SQLite rolled back by itself.
      }
      throw error;
    }
  }

  #failed(error: unknown): void {
    if (this.#failing === undefined) {
      this.#failing = systemWords(error);
      this.#log?.unwritable(this.#failing);
    }
    if (this.#closed) return;
    this.#retryMs = this.#retryMs === 0
      ? this.#firstRetryMs
      : Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#write();
    }, this.#retryMs);
  }

  /**
   * Forgets the oldest waiting events (writing has failed for long): a tenth of what
   * is kept at a time, so that this does not happen on every append. Each room's
   * count is still written, from the blocks that stay (or an empty one).
   */
  #dropOldest(): void {
    let dropped = 0;
    const target = Math.ceil(MAX_PENDING_EVENTS / 10);
    for (const block of this.#blocks) {
      if (dropped >= target) break;
      if (this.#turn.get(block.room) === block) continue; // still being filled
      if (block.json !== undefined) continue; // its string is all there is of it
      dropped += block.events.length;
      this.#lost += block.events.length;
      this.#pendingEvents -= block.events.length;
      block.events = [];
    }
  }

  /** A room's last sequence number: what the file says, or what waits to be written. */
  #lastSeq(room: string): number {
    let waiting = 0;
    for (let i = this.#blocks.length - 1; i >= 0; i--) {
      if (this.#blocks[i].room === room) {
        waiting = this.#blocks[i].last;
        break;
      }
    }
    let stored = 0;
    try {
      const row = this.#sql.lastSeq.get(room);
      if (row !== undefined) stored = Number(row.last_seq);
    } catch {
      // Unreadable for now: what is in memory is all there is.
    }
    return Math.max(stored, waiting);
  }

  /** The events of a room with `after < seq <= last`, at most `count` (the newest), oldest first. */
  #read(room: string, after: number, last: number, count: number): StoredEvent[] {
    if (count <= 0) return [];
    const events: StoredEvent[] = [];
    let newest = after;
    const take = (first: number, block: readonly StoredEvent[]) => {
      for (let i = 0; i < block.length; i++) {
        const seq = first + i;
        if (seq > newest && seq <= last) {
          events.push(block[i]);
          newest = seq;
        }
      }
    };
    try {
      // The blocks that reach past `after`, newest first until enough are read.
      const rows = this.#sql.readHistory.all(room, after, last, MAX_EVENTS_PER_ROW);
      let found = 0;
      let from = rows.length;
      while (from > 0 && found < count) {
        from--;
        found += Number(rows[from].last_seq) - Math.max(Number(rows[from].first_seq) - 1, after);
      }
      for (let i = from; i < rows.length; i++) {
        const first = Number(rows[i].first_seq);
        take(first, expand(this.epoch, String(rows[i].room_name), first, String(rows[i].events)));
      }
    } catch {
      // Unreadable for now: what waits in memory is all there is.
    }
    // Blocks not written yet (this turn, or writing fails): newer than any in the file.
    for (const block of this.#blocks) {
      if (block.room !== room) continue;
      if (block.json !== undefined) {
        if (block.json !== "[]") {
          take(block.first, expand(this.epoch, block.name, block.first, block.json));
        }
      } else if (block.events.length > 0) take(block.first, block.events);
    }
    return events.length > count ? events.slice(events.length - count) : events;
  }
}

/**
 * Makes the store option of `serve()`: the file is opened when the server starts.
 *
 * @param path The file.
 * @returns The factory.
 *
 * @example
 * ```ts
 * await using server = serve({ port: 0, store: sqliteStore("chat.db") });
 * ```
 */
export function sqliteStore(path: string): StoreFactory {
  return ({ log, historyKeep }) => new SqliteStore({ path, historyKeep, log });
}

/** A block's events as its row stores them. */
function compact(block: Block): string {
  const events = block.events;
  const rows = new Array<CompactEvent>(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    rows[i] = [event.type === "action" ? 1 : 0, event.nick, event.text, event.time];
  }
  return JSON.stringify(rows);
}

/** A row's events as the chat has them, ids made from the epoch and the numbers. */
function expand(epoch: string, name: string, first: number, json: string): StoredEvent[] {
  const rows: CompactEvent[] = JSON.parse(json);
  return rows.map(([kind, nick, text, time], i) => ({
    type: kind === 1 ? "action" : "message",
    room: name,
    nick,
    text,
    time,
    id: eventId(epoch, first + i),
  }));
}

/** The statements used while running, prepared once. */
function prepare(db: DatabaseSync) {
  return {
    begin: db.prepare("BEGIN"),
    commit: db.prepare("COMMIT"),
    rollback: db.prepare("ROLLBACK"),
    insertBlock: db.prepare(
      "INSERT OR IGNORE INTO history (room, first_seq, last_seq, room_name, events) " +
        "VALUES (?, ?, ?, ?, ?)",
    ),
    putRoom: db.prepare(
      "INSERT INTO rooms (room, last_seq) VALUES (?1, ?2) " +
        "ON CONFLICT (room) DO UPDATE SET last_seq = max(last_seq, ?2)",
    ),
    trim: db.prepare("DELETE FROM history WHERE room = ? AND last_seq <= ?"),
    lastSeq: db.prepare(
      "SELECT max(coalesce((SELECT last_seq FROM rooms WHERE room = ?1), 0), " +
        "coalesce((SELECT max(last_seq) FROM history WHERE room = ?1), 0)) AS last_seq",
    ),
    readHistory: db.prepare(
      // A block holds at most MAX_EVENTS_PER_ROW events: the key's range bounds the scan.
      "SELECT first_seq, last_seq, room_name, events FROM history WHERE room = ?1 " +
        "AND first_seq > ?2 - ?4 AND first_seq <= ?3 AND last_seq > ?2 ORDER BY first_seq",
    ),
    putTopic: db.prepare(
      "INSERT OR REPLACE INTO topics (room, text, nick, time) VALUES (?, ?, ?, ?)",
    ),
    deleteTopic: db.prepare("DELETE FROM topics WHERE room = ?"),
    insertAccount: db.prepare(
      "INSERT INTO accounts (key, nickname, password_hash, operator, created, last_room, " +
        "last_id, last_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    setPassword: db.prepare("UPDATE accounts SET password_hash = ? WHERE key = ?"),
    setOperator: db.prepare("UPDATE accounts SET operator = ? WHERE key = ?"),
    setLastSeen: db.prepare(
      "UPDATE accounts SET last_room = ?, last_id = ?, last_time = ? WHERE key = ?",
    ),
    deleteAccount: db.prepare("DELETE FROM accounts WHERE key = ?"),
    putBan: db.prepare(
      "INSERT OR REPLACE INTO bans (kind, target, name, until, by, reason) " +
        "VALUES (?, ?, ?, ?, ?, ?)",
    ),
    deleteBan: db.prepare("DELETE FROM bans WHERE kind = ? AND target = ?"),
    holdWhisper: db.prepare(
      "INSERT INTO held_whispers (recipient, sender, text, time) VALUES (?, ?, ?, ?)",
    ),
    dropOldWhispers: db.prepare("DELETE FROM held_whispers WHERE recipient = ? AND time <= ?"),
    takeWhispers: db.prepare("DELETE FROM held_whispers WHERE recipient = ?"),
  };
}

/**
 * Opens the file (made when missing) and takes its lock, held until it is closed.
 *
 * @returns The open file, locked.
 * @throws {DataFileError} When it cannot be opened for writing, or another server holds it.
 */
function lockFile(path: string): Deno.FsFile {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true, write: true, create: true });
  } catch (error) {
    throw startProblem(error, path);
  }
  let locked = false;
  try {
    locked = file.tryLockSync(true);
  } catch {
    // A file system without locks: SQLite's own locking is all there is.
    locked = true;
  }
  if (!locked) {
    file.close();
    throw new DataFileError("locked", path);
  }
  return file;
}

/**
 * Checks the file, makes or migrates its schema and proves that it can be written.
 * Nothing is written before the file is known to be ours and not newer.
 *
 * @returns The file's epoch.
 * @throws {DataFileError} When it cannot be used.
 */
function openSchema(db: DatabaseSync, path: string): string {
  db.exec("BEGIN");
  let version: number;
  try {
    version = schemaVersion(db, path);
  } finally {
    if (db.isTransaction) db.exec("ROLLBACK");
  }
  if (version > SCHEMA_VERSION) {
    throw new DataFileError("newer", path, `${version} > ${SCHEMA_VERSION}`);
  }
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec(`PRAGMA wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  db.exec("BEGIN IMMEDIATE");
  try {
    for (let next = version + 1; next <= SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next - 1]);
    const meta = db.prepare("INSERT OR REPLACE INTO chat_meta (key, value) VALUES (?, ?)");
    if (version < SCHEMA_VERSION) meta.run("schema_version", String(SCHEMA_VERSION));
    if (version === 0) {
      meta.run("epoch", newEpoch());
      meta.run("created", String(Date.now()));
    }
    // A write at every start: a file that cannot be written is found now, not later.
    meta.run("opened", String(Date.now()));
    const epoch = db.prepare("SELECT value FROM chat_meta WHERE key = 'epoch'").get()?.value;
    if (typeof epoch !== "string" || !/^[0-9a-z]+$/.test(epoch)) {
      throw new DataFileError("corrupt", path);
    }
    db.exec("COMMIT");
    return epoch;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

/** The file's schema version: 0 for an empty file. */
function schemaVersion(db: DatabaseSync, path: string): number {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
    .map((row) => String(row.name));
  if (!tables.includes("chat_meta")) {
    if (tables.length > 0) throw new DataFileError("foreign", path);
    return 0;
  }
  const row = db.prepare("SELECT value FROM chat_meta WHERE key = 'schema_version'").get();
  const version = Number(row?.value);
  if (!Number.isSafeInteger(version) || version < 1) throw new DataFileError("corrupt", path);
  return version;
}

/** What the system said, in one line without the runtime's details. */
function systemWords(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].replace(/ \(os error \d+\).*$/, "");
}

/** Why the file cannot be used at start, found from what failed and from the file system. */
function startProblem(error: unknown, path: string): DataFileError {
  if (error instanceof Deno.errors.NotCapable) {
    const flag = /--allow-[a-z-]+/.exec(systemWords(error));
    return new DataFileError("notAllowed", path, flag?.[0] ?? "--allow-write");
  }
  const code = sqliteCode(error);
  if (code === SQLITE_BUSY || code === SQLITE_LOCKED) return new DataFileError("locked", path);
  if (code === SQLITE_NOTADB || code === SQLITE_CORRUPT) return new DataFileError("corrupt", path);
  if (code === SQLITE_FULL) return new DataFileError("full", path);
  const problem = fileSystemProblem(path);
  return new DataFileError(problem, path, problem === "other" ? systemWords(error) : "");
}

/**
 * SQLite's words for its result codes (`sqlite3_errstr`): `exec()` reports only
 * these, without the code.
 */
const SQLITE_WORDS: readonly [RegExp, number][] = [
  [/^database is locked/, SQLITE_BUSY],
  [/^database table is locked/, SQLITE_LOCKED],
  [/^file is not a database/, SQLITE_NOTADB],
  [/^database disk image is malformed/, SQLITE_CORRUPT],
  [/^database or disk is full/, SQLITE_FULL],
];

/** SQLite's primary result code of an error, if it is one. */
function sqliteCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  if ("errcode" in error && typeof error.errcode === "number") return error.errcode & 0xff;
  const message = error instanceof Error ? error.message : "";
  return SQLITE_WORDS.find(([words]) => words.test(message))?.[1];
}

/** What the file system says of a file that SQLite could not open or write. */
function fileSystemProblem(path: string): DataFileProblem {
  const folder = dirname(path);
  try {
    if (!Deno.statSync(folder).isDirectory) return "noFolder";
  } catch {
    return "noFolder";
  }
  try {
    if (Deno.statSync(path).isDirectory) return "isFolder";
  } catch {
    // Not there: it would be made.
  }
  try {
    Deno.openSync(path, { read: true, write: true }).close();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) return "readOnly";
  }
  try {
    const probe = Deno.makeTempFileSync({ dir: folder, prefix: ".chat-write-test-" });
    Deno.removeSync(probe);
  } catch {
    return "folderReadOnly";
  }
  return "other";
}
