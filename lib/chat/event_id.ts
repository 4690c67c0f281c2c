/**
 * History event ids: `"<epoch>.<seq>"`. The epoch is random per database (per
 * process in memory), so an id from a store started afresh is recognised as
 * unknown; the sequence counts a room's events from 1 without gaps, so the number
 * of events between two ids is a subtraction. `"<epoch>.0"` names the start of a
 * room (no event has it): a user who left a room where nothing was said yet
 * catches up from there. Clients treat ids as opaque.
 *
 * @module
 */

/** An epoch's length in hex digits: 48 random bits, so two fresh stores never share one. */
const EPOCH_HEX_DIGITS = 12;

const ID = /^([0-9a-z]+)\.(0|[1-9][0-9]{0,15})$/;

/**
 * A new random epoch.
 *
 * @returns Hex digits.
 */
export function newEpoch(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(EPOCH_HEX_DIGITS / 2));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Makes an event's id.
 *
 * @param epoch The store's epoch.
 * @param seq The event's number in its room, from 1 (`0`: the room's start).
 * @returns The id.
 */
export function eventId(epoch: string, seq: number): string {
  return `${epoch}.${seq}`;
}

/**
 * Reads an event's id.
 *
 * @param id The id, as a client sent it back.
 * @returns Its epoch and sequence number, or `undefined` when it is not an id.
 */
export function parseEventId(id: string): { epoch: string; seq: number } | undefined {
  const match = ID.exec(id);
  if (match === null) return undefined;
  const seq = Number(match[2]);
  return Number.isSafeInteger(seq) ? { epoch: match[1], seq } : undefined;
}
