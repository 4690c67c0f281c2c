/**
 * What a server's inbox stream carries: whispers and kicks for its users, from
 * the other servers.
 *
 * @module
 */

import type { UserEvent } from "../chat/events.ts";
import {
  checkShape,
  type JsonObject,
  MalformedEntryError,
  parseJsonObject,
  type Shape,
} from "./_entry_shape.ts";

/** A whisper, the one user event that travels between servers. */
export type WhisperEvent = Extract<UserEvent, { type: "whisper" }>;

/** What a server's inbox carries. */
export type InboxItem =
  /** A whisper for one of the server's users (`to`: its nickname key). */
  | { kind: "deliver"; to: string; event: WhisperEvent }
  /** An operator's kick of one of the server's users (`banMinutes`: a ban's, see `Removal`). */
  | { kind: "kick"; to: string; by: string; reason: string | null; banMinutes?: number }
  /**
   * A login on another server took the nickname of one of the server's users (its
   * claim's `token`): that user is told why and closed, without leaving its room.
   */
  | { kind: "reclaimed"; to: string; token: string };

const DELIVER: Shape = [["kind", "name"], ["to", "name"], ["event", "object"]];
const RECLAIMED: Shape = [["kind", "name"], ["to", "name"], ["token", "name"]];
const WHISPER: Shape = [["type", "name"], ["from", "name"], ["text", "text"]];
const KICK: Shape = [
  ["kind", "name"],
  ["to", "name"],
  ["by", "name"],
  ["reason", "textOrNull"],
  ["banMinutes", "optionalCount"],
];

/**
 * Parses an inbox item from its stream entry's JSON and checks its shape.
 *
 * @param json The entry's `m` field.
 * @returns The item.
 * @throws {MalformedEntryError} When it is not an inbox item.
 */
export function parseInboxItem(json: string): InboxItem {
  const object = parseJsonObject(json);
  if (object.kind === "kick") {
    checkShape(object, KICK);
  } else if (object.kind === "reclaimed") {
    checkShape(object, RECLAIMED);
  } else if (object.kind === "deliver") {
    checkShape(object, DELIVER);
    const event = object.event as JsonObject;
    if (event.type !== "whisper") throw new MalformedEntryError(`"event" is not a whisper`);
    checkShape(event, WHISPER);
  } else {
    throw new MalformedEntryError(`"kind" is not an inbox item's`);
  }
  return object as unknown as InboxItem;
}
