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
import { checkText, entryField } from "./_entry_shape.ts";
import { ENTRY_FIELD, keys } from "./keys.ts";
import type { MalformedLog } from "./malformed_log.ts";
import type { RedisWriter } from "./redis_writer.ts";
import { parseRoomEvent } from "./parse_room_event.ts";
import { type RedisConnection, unavailable } from "./redis_connection.ts";
import type { FollowedStream, StreamEntry, StreamReader } from "./stream_reader.ts";

/** Entries a room's stream keeps (about): far more than any history, and room for a long cut. */
export const ROOM_STREAM_MAXLEN = 10_000;
const ROOM_MAXLEN = String(ROOM_STREAM_MAXLEN);
/** Entries read per page while looking back for a room's history. */
export const HISTORY_PAGE = 200;
/** Pages looked back at most for a history (rooms with many joins and leaves). */
export const HISTORY_MAX_PAGES = 10;

/** A room with members here, and where this server is in its stream. */
class RoomStream implements FollowedStream {
  readonly room: Room;
  readonly stream: string;
  readonly malformed: MalformedLog;
  /** The last id read from the stream; the reader goes on from it. */
  lastId = "0-0";
  /** The last id shown to the room's members here; histories end there. */
  shownId = "0-0";
  /** Newcomers reading history: events wait in `queue` meanwhile. */
  held = 0;
  queue: { id: string; event: RoomEvent }[] = [];

  constructor(room: Room, malformed: MalformedLog) {
    this.room = room;
    this.stream = keys.room(room.key);
    this.malformed = malformed;
  }

  receive(entries: readonly StreamEntry[]): void {
    for (const [id, fields] of entries) {
      this.lastId = id;
      const event = parseEntry(this.stream, id, fields, this.malformed);
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
  #writer: RedisWriter;
  #malformed: MalformedLog;
  #rooms = new Map<string, RoomStream>();

  /**
   * @param connection The link to Redis.
   * @param reader The reader that follows the open rooms' streams.
   * @param writer Sends the events (and again, those a cut caught in flight).
   * @param malformed Where entries of the wrong shape are reported.
   */
  constructor(
    connection: RedisConnection,
    reader: StreamReader,
    writer: RedisWriter,
    malformed: MalformedLog,
  ) {
    this.#connection = connection;
    this.#reader = reader;
    this.#writer = writer;
    this.#malformed = malformed;
  }

  /**
   * Sends an event to a room's stream. One that a cut catches in flight is sent
   * again when Redis is back (once), and its promise settles then.
   *
   * @param room The room's key.
   * @param event The event.
   * @returns `false` while Redis is away (at once), or when it refused the event.
   */
  publish(room: string, event: RoomEvent): boolean | Promise<boolean> {
    if (!this.#connection.ready) return false;
    const sent = this.#writer.append(
      keys.room(room),
      ENTRY_FIELD.event,
      JSON.stringify(event),
      ROOM_MAXLEN,
      this.#rooms.get(room)?.lastId ?? "",
    );
    if (event.type === "topic") this.#writer.command(["HSET", keys.topics, room, event.text]);
    return sent;
  }

  /** @inheritdoc */
  sync(): void {
    // The room's stream is the store: an event is shown only once it came back from it.
  }

  /** @inheritdoc */
  open(room: Room): Promise<void> {
    const state = new RoomStream(room, this.#malformed);
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
        if (topic !== null) {
          try {
            room.restoreTopic(checkText(topic, "the topic"));
          } catch (error) {
            this.#malformed.report(`${keys.topics} ${room.key}`, error);
          }
        }
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
      for (const [id, fields] of entries) {
        const event = parseEntry(stream, id, fields, this.#malformed);
        if (event !== undefined && isHistoryEvent(event)) found.push(event);
        if (found.length === limit) break;
      }
      if (entries.length < HISTORY_PAGE) break;
      end = `(${entries.at(-1)![0]}`;
    }
    return found.reverse();
  }
}

/** A room stream's entry as an event, or `undefined` (reported) when it is not one. */
function parseEntry(
  stream: string,
  id: string,
  fields: readonly string[],
  malformed: MalformedLog,
): RoomEvent | undefined {
  try {
    return parseRoomEvent(entryField(fields, ENTRY_FIELD.event));
  } catch (error) {
    malformed.report(`${stream} ${id}`, error);
    return undefined;
  }
}
