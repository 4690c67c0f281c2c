/**
 * Nickname rules: what a nickname may be, and when two are the same.
 *
 * @module
 */

import { isSafeName } from "./safe_name.ts";
import { skeleton } from "./skeleton.ts";

/** The most characters (code points) a nickname may have. */
export const MAX_NICKNAME_CHARS = 20;

/**
 * The most terminal columns a nickname may take: twenty wide letters (Hangul, CJK), so
 * that a name and its `> ` stay within half of an 80-column row.
 */
export const MAX_NICKNAME_COLUMNS = 40;

/**
 * Puts a nickname as typed into the form it is checked and registered in:
 * trimmed and NFC-normalised.
 *
 * @param typed The nickname as typed.
 * @returns The nickname to check.
 */
export function normalizeNickname(typed: string): string {
  return typed.trim().normalize("NFC");
}

/**
 * Checks a nickname against the rules: 1 to {@linkcode MAX_NICKNAME_CHARS}
 * characters and at most {@linkcode MAX_NICKNAME_COLUMNS} columns, each a Unicode
 * letter or digit, `_` or `-` (so Korean names work); nothing invisible, no letters of
 * historic scripts, no mix of scripts made to deceive (see `isSafeName`).
 *
 * @param nickname The nickname, normalised (see {@linkcode normalizeNickname}).
 * @returns `true` when it is valid.
 */
export function isValidNickname(nickname: string): boolean {
  return isSafeName(nickname, MAX_NICKNAME_CHARS, MAX_NICKNAME_COLUMNS);
}

/**
 * The form of a nickname used to compare two of them: its look-alike skeleton (see
 * `skeleton`), so that `Alice`, `аlice` (Cyrillic а) and `ａｌｉｃｅ` cannot be online
 * beside `alice`. Every directory keys its users by it.
 *
 * @param nickname The nickname.
 * @returns Its comparison key (not meant to be shown).
 */
export function nicknameKey(nickname: string): string {
  return skeleton(nickname);
}
