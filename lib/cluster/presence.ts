/**
 * A user's presence as every server reads it from the `chat:users` hash: who,
 * where, on which server, since when.
 *
 * @module
 */

import {
  checkShape,
  type FieldKind,
  type JsonObject,
  parseJsonObject,
  type Shape,
} from "./_entry_shape.ts";

/** A user's presence, as every server reads it. */
export interface Presence {
  /** The nickname as registered. */
  nick: string;
  /** The room's name (`""` between rooms). */
  room: string;
  /** The room's key (`""` between rooms). */
  roomKey: string;
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
  room: "text",
  roomKey: "text",
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
  return object as unknown as Presence;
}
