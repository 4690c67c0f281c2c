/**
 * The {@linkcode Store} of a cluster: what the chat remembers, in the Redis every
 * server shares. Accounts (with their operator flag and where they were last),
 * held whispers and bans are read from Redis when they are needed, so a change
 * made on one server holds on every other at once. A room's history is its stream
 * (the bus writes it); catch-up reads it from there ({@linkcode RedisStore.historySince}).
 *
 * A write that must wait for its answer (an account, a held whisper) is refused
 * at once while Redis cannot be reached ({@linkcode UnavailableError}): the user's
 * line waits and runs again when it is back, as every step of a cluster does.
 *
 * @module
 */

import {
  type Account,
  type BanKind,
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
} from "../chat/store.ts";
import { checkText } from "./_entry_shape.ts";
import {
  ACCOUNT_FIELD,
  accountFields,
  lastSeenFields,
  parseAccount,
  parseHeldWhisper,
} from "./account_entry.ts";
import { type NicknameBanEntry, parseBanEnd, parseNicknameBan } from "./control_item.ts";
import { keys } from "./keys.ts";
import type { MalformedLog } from "./malformed_log.ts";
import { type RedisConnection, unavailable } from "./redis_connection.ts";
import {
  CREATE_ACCOUNT,
  DELETE_ACCOUNT,
  HOLD_WHISPER,
  TAKE_WHISPERS,
  UPDATE_ACCOUNT,
} from "./scripts.ts";

/** Where a cluster's catch-up reads a room's lines after an id (the room's stream). */
export interface CatchUpSource {
  /**
   * The messages and actions of a room after an id, up to what this server has
   * shown of the room (so that nothing is sent twice when the room's held events
   * are shown).
   *
   * @param room The room's key.
   * @param since The id the reader had.
   * @param limit The most to return (the newest).
   * @returns The events, or `known: false`.
   */
  historySince(room: string, since: string, limit: number): Promise<HistorySince>;
}

/** What the chat remembers, in the cluster's Redis. */
export class RedisStore implements Store {
  /** @inheritdoc */
  readonly location = undefined;
  #connection: RedisConnection;
  #malformed: MalformedLog;
  #epoch: () => string;
  #history: CatchUpSource;

  /**
   * @param connection The link to Redis (the cluster's: it opens and closes it).
   * @param malformed Where entries of the wrong shape are reported.
   * @param epoch The epoch of history ids, as this server last read it from Redis.
   * @param history Where catch-up reads a room's lines (the bus).
   */
  constructor(
    connection: RedisConnection,
    malformed: MalformedLog,
    epoch: () => string,
    history: CatchUpSource,
  ) {
    this.#connection = connection;
    this.#malformed = malformed;
    this.#epoch = epoch;
    this.#history = history;
  }

  /** @inheritdoc */
  get epoch(): string {
    return this.#epoch();
  }

  // --- History: the rooms' streams, which the bus writes and reads ---

  /** A cluster's newcomers read the room's stream through the bus: nothing is kept here. */
  history(_room: string, _limit: number): RoomHistory {
    return { lastSeq: 0, events: [] };
  }

  /** @inheritdoc */
  historySince(room: string, since: string, limit: number): Promise<HistorySince> {
    return this.#history.historySince(room, since, limit);
  }

  /** The bus's stream is the history: nothing to append. */
  appendHistory(_room: string, _seq: number, _event: StoredEvent): void {}

  /** A line is shown only once it came back from its stream: nothing to commit. */
  commit(): void {}

  // --- Topics: the `chat:topics` hash, which the bus keeps with each topic event ---

  /** @inheritdoc */
  async topic(room: string): Promise<StoredTopic | undefined> {
    const text = await this.#read<string | null>(["HGET", keys.topics, room]);
    if (text === null) return undefined;
    try {
      return { text: checkText(text, "the topic"), nick: "", time: 0 };
    } catch (error) {
      this.#malformed.report(`${keys.topics} ${room}`, error);
      return undefined;
    }
  }

  /** @inheritdoc */
  async setTopic(room: string, topic: StoredTopic | undefined): Promise<void> {
    await this.#write(
      topic === undefined ? ["HDEL", keys.topics, room] : ["HSET", keys.topics, room, topic.text],
    );
  }

  // --- Accounts ---

  /** @inheritdoc */
  async account(key: string): Promise<Account | undefined> {
    const flat = await this.#read<string[]>(["HGETALL", keys.account(key)]);
    try {
      return parseAccount(key, flat);
    } catch (error) {
      // Unreadable: as if unregistered (told once on the console), never a crash.
      this.#malformed.report(keys.account(key), error);
      return undefined;
    }
  }

  /** @inheritdoc */
  async createAccount(account: Account): Promise<boolean> {
    const created = await this.#script(
      CREATE_ACCOUNT,
      [keys.account(account.key)],
      accountFields(account),
    );
    return created === 1;
  }

  /** @inheritdoc */
  setPassword(key: string, passwordHash: string): Promise<boolean> {
    return this.#update(key, [ACCOUNT_FIELD.passwordHash, passwordHash], []);
  }

  /** @inheritdoc */
  setOperator(key: string, operator: boolean): Promise<boolean> {
    return this.#update(key, [ACCOUNT_FIELD.operator, operator ? "1" : "0"], []);
  }

  /** @inheritdoc */
  setLastSeen(key: string, lastSeen: LastSeen): Promise<boolean> {
    return this.#update(
      key,
      lastSeenFields(lastSeen),
      lastSeen.id === undefined ? [ACCOUNT_FIELD.seenId] : [],
    );
  }

  /** @inheritdoc */
  async deleteAccount(key: string): Promise<boolean> {
    return await this.#script(DELETE_ACCOUNT, [keys.account(key), keys.held(key)], []) === 1;
  }

  // --- Bans: the directory keeps them (hashes and the control stream); read here too ---

  /** @inheritdoc */
  async bans(now: number = Date.now()): Promise<StoredBan[]> {
    const out: StoredBan[] = [];
    const addresses = await this.#read<string[]>(["HGETALL", keys.bans]);
    for (let i = 0; i + 1 < addresses.length; i += 2) {
      try {
        const until = parseBanEnd(addresses[i + 1]);
        if (until !== undefined && until <= now) continue;
        const target = checkText(addresses[i], "the address");
        out.push({ kind: "address", target, until, by: undefined, reason: undefined });
      } catch (error) {
        this.#malformed.report(`${keys.bans} ${addresses[i]}`, error);
      }
    }
    const nicknames = await this.#read<string[]>(["HGETALL", keys.nickBans]);
    for (let i = 0; i + 1 < nicknames.length; i += 2) {
      try {
        const ban = parseNicknameBan(nicknames[i + 1]);
        if (ban.until !== 0 && ban.until <= now) continue;
        out.push({
          kind: "nickname",
          target: checkText(nicknames[i], "the nickname key"),
          name: ban.name,
          until: ban.until === 0 ? undefined : ban.until,
          by: ban.by ?? undefined,
          reason: ban.reason ?? undefined,
        });
      } catch (error) {
        this.#malformed.report(`${keys.nickBans} ${nicknames[i]}`, error);
      }
    }
    return out;
  }

  /** @inheritdoc */
  async addBan(ban: StoredBan): Promise<void> {
    const until = ban.until ?? 0;
    if (ban.kind === "address") {
      await this.#write(["HSET", keys.bans, ban.target, String(until)]);
      return;
    }
    const entry: NicknameBanEntry = {
      name: ban.name ?? ban.target,
      until,
      by: ban.by ?? null,
      reason: ban.reason ?? null,
    };
    await this.#write(["HSET", keys.nickBans, ban.target, JSON.stringify(entry)]);
  }

  /** @inheritdoc */
  async removeBan(kind: BanKind, target: string): Promise<boolean> {
    const hash = kind === "address" ? keys.bans : keys.nickBans;
    return await this.#write<number>(["HDEL", hash, target]) === 1;
  }

  // --- Held whispers ---

  /** @inheritdoc */
  async holdWhisper(to: string, whisper: HeldWhisper): Promise<boolean> {
    const held = await this.#script(HOLD_WHISPER, [keys.held(to)], [
      JSON.stringify({ from: whisper.from, text: whisper.text, time: whisper.time }),
      String(MAX_HELD_WHISPERS),
      String(HELD_WHISPER_TTL_MS),
      String(Date.now()),
    ]);
    return held === 1;
  }

  /** @inheritdoc */
  async takeWhispers(to: string, now: number = Date.now()): Promise<HeldWhisper[]> {
    const items = await this.#script<string[]>(TAKE_WHISPERS, [keys.held(to)], []);
    const out: HeldWhisper[] = [];
    for (const [i, json] of items.entries()) {
      try {
        const whisper = parseHeldWhisper(json);
        if (now - whisper.time < HELD_WHISPER_TTL_MS) out.push(whisper);
      } catch (error) {
        this.#malformed.report(`${keys.held(to)} ${i}`, error);
      }
    }
    return out;
  }

  /** The cluster closes the connection, after what is queued (the users' last seen) was sent. */
  close(): void {}

  /** Changes an account's fields if it exists. */
  async #update(key: string, set: string[], remove: string[]): Promise<boolean> {
    const args = [String(set.length / 2), ...set, ...remove];
    return await this.#script(UPDATE_ACCOUNT, [keys.account(key)], args) === 1;
  }

  /** A read: tried whenever the connection is up (a server that prepares reads too). */
  #read<T>(args: string[]): Promise<T> {
    return this.#connection.call<T>(args).catch((error) => {
      throw unavailable(error);
    });
  }

  /** A write: only while ready (a server that was stalled must claim its users first). */
  #write<T = unknown>(args: string[]): Promise<T> {
    if (!this.#connection.ready) return Promise.reject(unavailable("Redis is unreachable"));
    return this.#read<T>(args);
  }

  /** A script that writes: only while ready, as {@linkcode RedisStore.#write}. */
  #script<T = number>(script: string, keyNames: string[], args: string[]): Promise<T> {
    if (!this.#connection.ready) return Promise.reject(unavailable("Redis is unreachable"));
    return this.#connection.eval<T>(script, keyNames, args).catch((error) => {
      throw unavailable(error);
    });
  }
}
