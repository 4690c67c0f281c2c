/**
 * What the control stream carries: bans and unbans, for every server.
 *
 * @module
 */

import { checkShape, MalformedEntryError, parseJsonObject, type Shape } from "./_entry_shape.ts";

/** What the control stream carries. */
export type ControlItem =
  /** A ban of an address until `until` (`Date.now()` time; `0`: until lifted). */
  | { kind: "ban"; address: string; until: number }
  /** A ban lifted. */
  | { kind: "unban"; address: string };

const BAN: Shape = [["kind", "name"], ["address", "name"], ["until", "time"]];
const UNBAN: Shape = [["kind", "name"], ["address", "name"]];

/**
 * Parses a control item from its stream entry's JSON and checks its shape.
 *
 * @param json The entry's `m` field.
 * @returns The item.
 * @throws {MalformedEntryError} When it is not a control item.
 */
export function parseControlItem(json: string): ControlItem {
  const object = parseJsonObject(json);
  if (object.kind === "ban") {
    checkShape(object, BAN);
    if ((object.until as number) < 0) throw new MalformedEntryError(`"until" is negative`);
  } else if (object.kind === "unban") {
    checkShape(object, UNBAN);
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
