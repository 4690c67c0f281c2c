/**
 * The {@linkcode Bus} of a cluster: each room's events go through the room's Redis
 * Stream. A server shows its own users' lines only when they come back from the
 * stream, so every client on every server sees one order.
 *
 * @module
 */

import type { Bus, HistoryRead } from "../chat/bus.ts";
import { type HistoryEvent, isHistoryEvent, type RoomEvent } from "../chat/events.ts";
import type { Room } from "../chat/room.ts";
import { keys } from "./keys.ts";
import { type RedisConnection, unavailable } from "./redis_connection.ts";
import type { FollowedStream, StreamEntry, StreamReader } from "./stream_reader.ts";

/** Entries a room's stream keeps (about): far more than any history, and room for a long cut. */
export const ROOM_STREAM_MAXLEN = 10_000;
/** Entries read per page while looking back for a room's history. */
export const HISTORY_PAGE = 200;
/** Pages looked back at most for a history (rooms with many joins and leaves). */
export const HISTORY_MAX_PAGES = 10;

/** A room with members here, and where this server is in its stream. */
class RoomStream implements FollowedStream {
  readonly room: Room;
  readonly stream: string;
  /** The last id read from the stream; the reader goes on from it. */
  lastId = "0-0";
  /** The last id shown to the room's members here; histories end there. */
  shownId = "0-0";
  /** Newcomers reading history: events wait in `queue` meanwhile. */
  held = 0;
  queue: { id: string; event: RoomEvent }[] = [];

  constructor(room: Room) {
    this.room = room;
    this.stream = keys.room(room.key);
  }

  receive(entries: readonly StreamEntry[]): void {
    for (const [id, fields] of entries) {
      this.lastId = id;
      const event = parseEvent(fields);
      if (event === undefined) continue;
      if (this.held > 0) {
        this.queue.push({ id, event });
      } else {
        this.shownId = id;
        this.room.deliver(event);
      }
    }
  }

  /** Shows what waited while newcomers read their history. */
  showQueued(): void {
    const queued = this.queue;
    this.queue = [];
    for (const { id, event } of queued) {
      this.shownId = id;
      this.room.deliver(event);
    }
  }
}

/** The rooms' streams, as this server publishes to them and follows them. */
export class RedisBus implements Bus {
  /** @inheritdoc */
  readonly shared = true;
  #connection: RedisConnection;
  #reader: StreamReader;
  #rooms = new Map<string, RoomStream>();

  /**
   * @param connection The link to Redis.
   * @param reader The reader that follows the open rooms' streams.
   */
  constructor(connection: RedisConnection, reader: StreamReader) {
    this.#connection = connection;
    this.#reader = reader;
  }

  /** @inheritdoc */
  publish(room: string, event: RoomEvent): boolean | Promise<boolean> {
    if (!this.#connection.ready) return false;
    const sent = this.#connection.call([
      "XADD",
      keys.room(room),
      "MAXLEN",
      "~",
      String(ROOM_STREAM_MAXLEN),
      "*",
      "e",
      JSON.stringify(event),
    ]);
    if (event.type === "topic") {
      this.#connection.call(["HSET", keys.topics, room, event.text]).catch(() => {});
    }
    return sent.then(() => true, () => false);
  }

  /** @inheritdoc */
  open(room: Room): Promise<void> {
    const state = new RoomStream(room);
    this.#rooms.set(room.key, state);
    return (async () => {
      try {
        this.#connection.mustBeReady();
        const [last] = await this.#connection.call<StreamEntry[]>([
          "XREVRANGE",
          state.stream,
          "+",
          "-",
          "COUNT",
          "1",
        ]);
        const topic = await this.#connection.call<string | null>(["HGET", keys.topics, room.key]);
        if (topic !== null) room.restoreTopic(topic);
        state.lastId = state.shownId = last?.[0] ?? "0-0";
        // Closed meanwhile: not followed.
        if (this.#rooms.get(room.key) === state) this.#reader.follow(state);
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
    this.#reader.unfollow(state.stream);
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
      if (state.held === 0) state.showQueued();
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

  /** The messages and actions of a stream up to `upTo`, newest `limit` of them, oldest first. */
  async #readHistory(stream: string, upTo: string, limit: number): Promise<HistoryEvent[]> {
    if (upTo === "0-0") return [];
    const found: HistoryEvent[] = [];
    let end = upTo;
    for (let page = 0; page < HISTORY_MAX_PAGES && found.length < limit; page++) {
      const entries = await this.#connection.call<StreamEntry[]>([
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
}

function parseEvent(fields: string[]): RoomEvent | undefined {
  const json = fields[1];
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as RoomEvent;
  } catch {
    return undefined;
  }
}
