/**
 * The {@linkcode Bus} of a cluster: each room's events go through the room's Redis
 * Stream. A server shows its own users' lines only when they come back from the
 * stream, so every client on every server sees one order. A message or an action
 * gets its id from its entry (`<epoch>.<stream id>`, see `stream_event_id.ts`), the
 * same on every server, and catch-up reads the stream after such an id.
 *
 * @module
 */

import type { Bus, HistoryRead } from "../chat/bus.ts";
import { type HistoryEvent, isHistoryEvent, type RoomEvent } from "../chat/events.ts";
import type { Room } from "../chat/room.ts";
import type { HistorySince } from "../chat/store.ts";
import { checkText, entryField } from "./_entry_shape.ts";
import { ENTRY_FIELD, keys } from "./keys.ts";
import type { MalformedLog } from "./malformed_log.ts";
import type { RedisWriter } from "./redis_writer.ts";
import { parseRoomEvent } from "./parse_room_event.ts";
import { isRefused, type RedisConnection, unavailable } from "./redis_connection.ts";
import type { FollowedStream, StreamEntry, StreamReader } from "./stream_reader.ts";
import { compareStreamIds, parseStreamEventId, streamEventId } from "./stream_event_id.ts";

/** Entries a room's stream keeps (about): far more than any history, and room for a long cut. */
export const ROOM_STREAM_MAXLEN = 10_000;
const ROOM_MAXLEN = String(ROOM_STREAM_MAXLEN);
/** Entries read per page while looking back for a room's history. */
export const HISTORY_PAGE = 200;
/** Pages looked back at most for a history (rooms with many joins and leaves). */
export const HISTORY_MAX_PAGES = 10;
/** Entries read per page of a catch-up (it may read the whole stream, once per login). */
const CATCH_UP_PAGE = 1_000;

const UNKNOWN: HistorySince = { known: false, events: [], skipped: 0 };

/** A room with members here, and where this server is in its stream. */
class RoomStream implements FollowedStream {
  readonly room: Room;
  readonly stream: string;
  readonly malformed: MalformedLog;
  readonly epoch: () => string;
  /** The last id read from the stream; the reader goes on from it. */
  lastId = "0-0";
  /** The last id shown to the room's members here; histories end there. */
  shownId = "0-0";
  /** Newcomers reading history: events wait in `queue` meanwhile. */
  held = 0;
  queue: { id: string; event: RoomEvent }[] = [];

  constructor(room: Room, malformed: MalformedLog, epoch: () => string) {
    this.room = room;
    this.stream = keys.room(room.key);
    this.malformed = malformed;
    this.epoch = epoch;
  }

  receive(entries: readonly StreamEntry[]): void {
    for (const [id, fields] of entries) {
      this.lastId = id;
      const event = parseEntry(this.stream, id, fields, this.malformed, this.epoch());
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
  #epoch: () => string;
  #rooms = new Map<string, RoomStream>();

  /**
   * @param connection The link to Redis.
   * @param reader The reader that follows the open rooms' streams.
   * @param writer Sends the events (and again, those a cut caught in flight).
   * @param malformed Where entries of the wrong shape are reported.
   * @param epoch The epoch of history ids, as this server last read it from Redis.
   */
  constructor(
    connection: RedisConnection,
    reader: StreamReader,
    writer: RedisWriter,
    malformed: MalformedLog,
    epoch: () => string,
  ) {
    this.#connection = connection;
    this.#reader = reader;
    this.#writer = writer;
    this.#malformed = malformed;
    this.#epoch = epoch;
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
    const state = new RoomStream(room, this.#malformed, this.#epoch);
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
        // Where a member who leaves before anything is said catches up from.
        room.lastId = streamEventId(this.#epoch(), state.shownId);
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

  /**
   * The messages and actions of a room after an id (a login's, or a client's
   * `/resume`), up to what this server has shown of the room: the room's later
   * events are held meanwhile (see {@linkcode RedisBus.history}), so none is sent
   * twice. An id of another epoch (Redis lost its data since), or one after which
   * the stream was trimmed (some lines are gone, how many cannot be told), is
   * unknown: its holder is a newcomer.
   *
   * @param room The room's key.
   * @param since The id the reader had.
   * @param limit The most to return (the newest; the rest are counted as skipped).
   * @returns The events, or `known: false`.
   */
  async historySince(room: string, since: string, limit: number): Promise<HistorySince> {
    const parsed = parseStreamEventId(since);
    const epoch = this.#epoch();
    if (parsed === undefined || parsed.epoch !== epoch) return UNKNOWN;
    const stream = keys.room(room);
    const upTo = this.#rooms.get(room)?.shownId ?? "+";
    try {
      if (upTo !== "+" && compareStreamIds(parsed.streamId, upTo) >= 0) {
        return { known: true, events: [], skipped: 0 };
      }
      if (await this.#trimmedAfter(stream, parsed.streamId)) return UNKNOWN;
      const found: HistoryEvent[] = [];
      let after = parsed.streamId;
      while (true) {
        const entries = await this.#connection.call<StreamEntry[]>([
          "XRANGE",
          stream,
          `(${after}`,
          upTo,
          "COUNT",
          String(CATCH_UP_PAGE),
        ]);
        for (const [id, fields] of entries) {
          const event = parseEntry(stream, id, fields, this.#malformed, epoch);
          if (event !== undefined && isHistoryEvent(event)) found.push(event);
        }
        if (entries.length < CATCH_UP_PAGE) break;
        after = entries.at(-1)![0];
      }
      const kept = Math.max(0, Math.min(limit, found.length));
      return {
        known: true,
        events: found.slice(found.length - kept) as HistorySince["events"],
        skipped: found.length - kept,
      };
    } catch (error) {
      throw unavailable(error);
    }
  }

  /**
   * Whether entries after `id` may have been trimmed from the stream. Trimming
   * takes the oldest first, so while the entry `id` itself is there, nothing after
   * it is gone; once it is gone, what followed it may be too (counted as gone).
   * The room's start (`0-0`, no entry) holds while nothing was ever trimmed, which
   * Redis 7 tells (`entries-added` against `length`); an older one cannot.
   */
  async #trimmedAfter(stream: string, id: string): Promise<boolean> {
    if (id !== "0-0") {
      const [entry] = await this.#connection.call<StreamEntry[]>(["XRANGE", stream, id, id]);
      return entry === undefined;
    }
    let info: unknown[];
    try {
      info = await this.#connection.call<unknown[]>(["XINFO", "STREAM", stream]);
    } catch (error) {
      if (isRefused(error)) return false; // No such stream: nothing was ever trimmed.
      throw error;
    }
    const field = (name: string): unknown => {
      const at = info.indexOf(name);
      return at < 0 ? undefined : info[at + 1];
    };
    const added = field("entries-added");
    const length = field("length");
    return typeof added !== "number" || typeof length !== "number" || added > length;
  }

  /** The messages and actions of a stream up to `upTo`, newest `limit` of them, oldest first. */
  async #readHistory(stream: string, upTo: string, limit: number): Promise<HistoryEvent[]> {
    if (upTo === "0-0") return [];
    const epoch = this.#epoch();
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
        const event = parseEntry(stream, id, fields, this.#malformed, epoch);
        if (event !== undefined && isHistoryEvent(event)) found.push(event);
        if (found.length === limit) break;
      }
      if (entries.length < HISTORY_PAGE) break;
      end = `(${entries.at(-1)![0]}`;
    }
    return found.reverse();
  }
}

/**
 * A room stream's entry as an event, a message or an action with its id, or
 * `undefined` (reported) when it is not one.
 */
function parseEntry(
  stream: string,
  id: string,
  fields: readonly string[],
  malformed: MalformedLog,
  epoch: string,
): RoomEvent | undefined {
  try {
    const event = parseRoomEvent(entryField(fields, ENTRY_FIELD.event));
    if (event.type === "message" || event.type === "action") event.id = streamEventId(epoch, id);
    return event;
  } catch (error) {
    malformed.report(`${stream} ${id}`, error);
    return undefined;
  }
}
