/**
 * A user's presence as every server reads it from the `chat:users` hash: who,
 * in which rooms, on which server, since when.
 *
 * @module
 */

import {
  checkShape,
  type FieldKind,
  type JsonObject,
  MalformedEntryError,
  parseJsonObject,
  type Shape,
} from "./_entry_shape.ts";

/** A user's presence, as every server reads it. */
export interface Presence {
  /** The nickname as registered. */
  nick: string;
  /** The names of the rooms the user is in, in the order it entered them (none between rooms). */
  rooms: string[];
  /** Their keys, in the same order. */
  roomKeys: string[];
  /** The away reason (`""` without one), or `null` when present. */
  away: string | null;
  /** The user's IP address. */
  address: string;
  /** The id of the server the user is on. */
  server: string;
  /** The owner's token of the nickname's claim. */
  token: string;
  /** When the user came (`Date.now()`), for `/who` order. */
  since: number;
}

/** Every field of a presence, and what it must be (typed: a field added above is added here). */
const FIELDS: { readonly [F in keyof Presence]-?: FieldKind } = {
  nick: "name",
  rooms: "names",
  roomKeys: "names",
  away: "textOrNull",
  address: "name",
  server: "name",
  token: "name",
  since: "time",
};
const SHAPE: Shape = Object.entries(FIELDS);

/**
 * Parses a presence from the `chat:users` hash and checks its shape.
 *
 * @param json The hash's value.
 * @returns The presence.
 * @throws {MalformedEntryError} When it is not a presence.
 */
export function parsePresence(json: string): Presence {
  const object: JsonObject = parseJsonObject(json);
  checkShape(object, SHAPE);
  const presence = object as unknown as Presence;
  if (presence.rooms.length !== presence.roomKeys.length) {
    throw new MalformedEntryError(`"rooms" and "roomKeys" differ in length`);
  }
  return presence;
}
