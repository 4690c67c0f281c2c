/**
 * What the control stream carries: bans and unbans (of addresses and of nicknames),
 * for every server; and how a nickname ban is kept in its hash.
 *
 * @module
 */

import { checkShape, MalformedEntryError, parseJsonObject, type Shape } from "./_entry_shape.ts";

/** What the control stream carries. */
export type ControlItem =
  /** A ban of an address until `until` (`Date.now()` time; `0`: until lifted). */
  | { kind: "ban"; address: string; until: number }
  /** A ban lifted. */
  | { kind: "unban"; address: string }
  /** A ban of a registered nickname (`key`; `name` as written) until `until` (`0`: until lifted). */
  | { kind: "nickBan"; key: string; name: string; until: number }
  /** A nickname's ban lifted. */
  | { kind: "nickUnban"; key: string };

/** A nickname ban as the `chat:nick-bans` hash keeps it (by the nickname's key). */
export interface NicknameBanEntry {
  /** The nickname as written, for `/bans`. */
  name: string;
  /** When it ends (`Date.now()` time), `0` until lifted. */
  until: number;
  /** The operator who made it. */
  by: string | null;
  /** The reason given. */
  reason: string | null;
}

const BAN: Shape = [["kind", "name"], ["address", "name"], ["until", "time"]];
const UNBAN: Shape = [["kind", "name"], ["address", "name"]];
const NICK_BAN: Shape = [["kind", "name"], ["key", "name"], ["name", "name"], ["until", "time"]];
const NICK_UNBAN: Shape = [["kind", "name"], ["key", "name"]];
const NICK_BAN_ENTRY: Shape = [
  ["name", "name"],
  ["until", "time"],
  ["by", "textOrNull"],
  ["reason", "textOrNull"],
];

/**
 * Parses a control item from its stream entry's JSON and checks its shape.
 *
 * @param json The entry's `m` field.
 * @returns The item.
 * @throws {MalformedEntryError} When it is not a control item.
 */
export function parseControlItem(json: string): ControlItem {
  const object = parseJsonObject(json);
  if (object.kind === "ban" || object.kind === "nickBan") {
    checkShape(object, object.kind === "ban" ? BAN : NICK_BAN);
    if ((object.until as number) < 0) throw new MalformedEntryError(`"until" is negative`);
  } else if (object.kind === "unban") {
    checkShape(object, UNBAN);
  } else if (object.kind === "nickUnban") {
    checkShape(object, NICK_UNBAN);
  } else {
    throw new MalformedEntryError(`"kind" is not a control item's`);
  }
  return object as unknown as ControlItem;
}

/**
 * Parses the end of a ban from the `chat:bans` hash.
 *
 * @param value The hash's value: milliseconds since the epoch, `0` until lifted.
 * @returns The end, or `undefined` until lifted.
 * @throws {MalformedEntryError} When it is not a whole number.
 */
export function parseBanEnd(value: string): number | undefined {
  if (!/^\d{1,16}$/.test(value)) throw new MalformedEntryError("the end is not a whole number");
  const end = Number(value);
  return end === 0 ? undefined : end;
}

/**
 * Parses a nickname ban from the `chat:nick-bans` hash.
 *
 * @param json The hash's value.
 * @returns The ban.
 * @throws {MalformedEntryError} When it is not one.
 */
export function parseNicknameBan(json: string): NicknameBanEntry {
  const object = parseJsonObject(json);
  checkShape(object, NICK_BAN_ENTRY);
  if ((object.until as number) < 0) throw new MalformedEntryError(`"until" is negative`);
  return object as unknown as NicknameBanEntry;
}
