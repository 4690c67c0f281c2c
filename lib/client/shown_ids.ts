/**
 * Where a reconnection resumes: the id of the last message or action the client
 * showed in its room. Our server tags them for a client that asks (`/client ids`
 * before the nickname): `@{id} alice> hi`, `@{id} [12:00] alice> hi` in a history
 * or catch-up block, and names the room each entry leads to, `@room math`, after
 * that room's block. The client strips the tags from what it shows and, on
 * reconnecting, says `/resume ROOM ID` before the nickname: the server sends
 * exactly the lines after that one.
 *
 * @module
 */

import { roomKey } from "../chat/room_name.ts";

/**
 * The line a client sends before the nickname to get ids (the server's
 * `CLIENT_IDS_LINE`).
 */
export const CLIENT_IDS_LINE = "/client ids";

/**
 * What a reconnection sends as the id when it showed no line of its room: an id
 * the server does not know, which makes it a newcomer to the room (its history:
 * every line of it is new to a client that showed none).
 */
export const UNKNOWN_ID = "none";

/** `@room ROOM`: the room the connection enters now. */
const ROOM_LINE = /^@room (\S+)$/u;
/** `@{id} ` in front of a message, an action, or a history line. */
const TAGGED_LINE = /^@(\S+) ([^]*)$/u;

/** A tagged line, split. */
export type TaggedLine =
  /** The room the connection enters (after the room's history or catch-up). */
  | { room: string; id?: undefined; rest?: undefined }
  /** A line with its id in front (a message or action, or a history line): the rest is shown. */
  | { room?: undefined; id: string; rest: string };

/**
 * Splits a line of a connection that asked for ids.
 *
 * @param line The line (sanitized).
 * @returns The room line, or the id and the rest; `undefined` for an untagged line.
 */
export function splitTagged(line: string): TaggedLine | undefined {
  if (line.charCodeAt(0) !== 0x40 /* @ */) return undefined;
  const room = ROOM_LINE.exec(line);
  if (room !== null) return { room: room[1] };
  const tagged = TAGGED_LINE.exec(line);
  return tagged === null ? undefined : { id: tagged[1], rest: tagged[2] };
}

/** The last id shown, per room, and the block of a room being entered. */
export class ShownIds {
  readonly #byRoom = new Map<string, string>();
  /** The last id of the history or catch-up block shown before its `@room` line. */
  #block: string | undefined;

  /**
   * A line of a history or catch-up block was shown: its room is told after the block.
   *
   * @param id Its id.
   */
  blockLine(id: string): void {
    this.#block = id;
  }

  /**
   * A live message or action was shown in a room.
   *
   * @param room The room we are in.
   * @param id Its id.
   */
  liveLine(room: string, id: string): void {
    this.#byRoom.set(roomKey(room), id);
  }

  /**
   * The connection entered a room, after its block (if it had one): the block's
   * last line is the last one shown there; without a block, none is.
   *
   * @param room The room.
   */
  entered(room: string): void {
    const key = roomKey(room);
    if (this.#block === undefined) this.#byRoom.delete(key);
    else this.#byRoom.set(key, this.#block);
    this.#block = undefined;
  }

  /**
   * The last id shown in a room.
   *
   * @param room The room.
   * @returns The id, or `undefined` when no line of it was shown.
   */
  lastIn(room: string): string | undefined {
    return this.#byRoom.get(roomKey(room));
  }

  /**
   * What a reconnection sends before the nickname to come back to its room with
   * what it missed: `/resume ROOM ID`.
   *
   * @param room The room the client was in.
   * @returns The line.
   */
  resumeLine(room: string): string {
    return `/resume ${room} ${this.lastIn(room) ?? UNKNOWN_ID}`;
  }
}
