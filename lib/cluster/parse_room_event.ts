/**
 * A room's event as read back from the room's stream, checked before any member
 * sees it.
 *
 * @module
 */

import type { RoomEvent } from "../chat/events.ts";
import {
  checkShape,
  type FieldKind,
  MalformedEntryError,
  parseJsonObject,
  type Shape,
} from "./_entry_shape.ts";

type RoomEventType = RoomEvent["type"];

/**
 * Every field of every room event, and what it must be. Typed from
 * {@linkcode RoomEvent}: an event or a field added there must be added here.
 */
const FIELDS: {
  readonly [T in RoomEventType]: {
    readonly [F in keyof Extract<RoomEvent, { type: T }>]-?: FieldKind;
  };
} = {
  message: {
    type: "name",
    room: "text",
    nick: "name",
    text: "text",
    time: "time",
    id: "optionalText",
  },
  action: {
    type: "name",
    room: "text",
    nick: "name",
    text: "text",
    time: "time",
    id: "optionalText",
  },
  joined: { type: "name", room: "text", nick: "name", time: "time" },
  left: { type: "name", room: "text", nick: "name", time: "time", rooms: "optionalNames" },
  moved: { type: "name", room: "text", nick: "name", to: "text", time: "time" },
  parted: {
    type: "name",
    room: "text",
    nick: "name",
    reason: "optionalText",
    time: "time",
  },
  renamed: {
    type: "name",
    room: "text",
    from: "name",
    to: "name",
    time: "time",
    rooms: "optionalNames",
  },
  topic: { type: "name", room: "text", nick: "name", text: "text", time: "time" },
  kicked: {
    type: "name",
    room: "text",
    nick: "name",
    by: "name",
    reason: "optionalText",
    banMinutes: "optionalCount",
    time: "time",
  },
};

const SHAPES = new Map<string, Shape>(
  Object.entries(FIELDS).map(([type, fields]) => [type, Object.entries(fields)]),
);

/**
 * Parses a room event from its stream entry's JSON and checks its shape.
 *
 * @param json The entry's `e` field.
 * @returns The event (the parsed object itself: it has exactly the event's fields).
 * @throws {MalformedEntryError} When it is not a room event.
 */
export function parseRoomEvent(json: string): RoomEvent {
  const object = parseJsonObject(json);
  const shape = typeof object.type === "string" ? SHAPES.get(object.type) : undefined;
  if (shape === undefined) throw new MalformedEntryError(`"type" is not a room event's`);
  checkShape(object, shape);
  return object as unknown as RoomEvent;
}
