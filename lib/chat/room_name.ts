/**
 * Room name rules: what a room may be called, and when two names are the same room.
 *
 * @module
 */

/** The most characters (code points) a room name may have. */
export const MAX_ROOM_NAME_CHARS = 20;

/** The room everyone enters first; it never vanishes. */
export const LOBBY = "lobby";

const ROOM_NAME = /^[\p{L}\p{N}_-]+$/u;

/**
 * Puts a room name as typed into its checked form: trimmed, NFC, without one
 * leading `#` (IRC habit).
 *
 * @param typed The name as typed.
 * @returns The name to check.
 */
export function normalizeRoomName(typed: string): string {
  const name = typed.trim().normalize("NFC");
  return name.startsWith("#") ? name.slice(1) : name;
}

/**
 * Checks a room name: 1 to {@linkcode MAX_ROOM_NAME_CHARS} Unicode letters, digits,
 * `_` or `-`.
 *
 * @param name The name, normalised (see {@linkcode normalizeRoomName}).
 * @returns `true` when it is valid.
 */
export function isValidRoomName(name: string): boolean {
  const chars = [...name].length;
  return chars >= 1 && chars <= MAX_ROOM_NAME_CHARS && ROOM_NAME.test(name);
}

/**
 * The form of a room name used to compare two of them: NFC and lower case.
 *
 * @param name The name.
 * @returns Its comparison key.
 */
export function roomKey(name: string): string {
  return name.normalize("NFC").toLowerCase();
}
