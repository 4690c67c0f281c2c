/**
 * Room name rules: what a room may be called, and when two names are the same room.
 *
 * @module
 */

import { isSafeName } from "./safe_name.ts";
import { skeleton } from "./skeleton.ts";

/** The most characters (code points) a room name may have. */
export const MAX_ROOM_NAME_CHARS = 20;

/** The most terminal columns a room name may take: twenty wide letters, as a nickname. */
export const MAX_ROOM_NAME_COLUMNS = 40;

/** The room everyone enters first; it never vanishes. */
export const LOBBY = "lobby";

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
 * `_` or `-`, at most {@linkcode MAX_ROOM_NAME_COLUMNS} columns, under the rules a
 * nickname follows (nothing invisible, no historic scripts, no deceptive mix).
 *
 * @param name The name, normalised (see {@linkcode normalizeRoomName}).
 * @returns `true` when it is valid.
 */
export function isValidRoomName(name: string): boolean {
  return isSafeName(name, MAX_ROOM_NAME_CHARS, MAX_ROOM_NAME_COLUMNS);
}

/**
 * The form of a room name used to compare two of them: its look-alike skeleton, so
 * `Math`, `ｍａｔｈ` and `math` are one room.
 *
 * @param name The name.
 * @returns Its comparison key (`lobby` for {@linkcode LOBBY}).
 */
export function roomKey(name: string): string {
  return skeleton(name);
}
