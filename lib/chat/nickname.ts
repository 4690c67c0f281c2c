/**
 * Nickname rules: what a nickname may be, and when two are the same.
 *
 * @module
 */

import { hasControlCharacters } from "../util/sanitize.ts";

/** The most characters (code points) a nickname may have. */
export const MAX_NICKNAME_CHARS = 20;

const NICKNAME = /^[\p{L}\p{N}_-]+$/u;

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
 * characters, each a Unicode letter or digit, `_` or `-` (so Korean names work),
 * no control characters.
 *
 * @param nickname The nickname, normalised (see {@linkcode normalizeNickname}).
 * @returns `true` when it is valid.
 */
export function isValidNickname(nickname: string): boolean {
  const chars = [...nickname].length;
  return chars >= 1 && chars <= MAX_NICKNAME_CHARS && NICKNAME.test(nickname) &&
    !hasControlCharacters(nickname);
}

/**
 * The form of a nickname used to compare two of them: NFC and lower case, so that
 * `Alice` and `alice` cannot both be online.
 *
 * @param nickname The nickname.
 * @returns Its comparison key.
 */
export function nicknameKey(nickname: string): string {
  return nickname.normalize("NFC").toLowerCase();
}
