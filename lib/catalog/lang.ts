/**
 * The languages the catalogs speak.
 *
 * @module
 */

/** A language of the catalogs. */
export type Lang = "ko" | "en";

/** Every language, for flag validation. */
export const LANGS: readonly Lang[] = ["ko", "en"];

/**
 * Tells whether a text names a language of the catalogs.
 *
 * @param text The text (`ko`, `en`).
 * @returns `true` when it does.
 */
export function isLang(text: string): text is Lang {
  return (LANGS as readonly string[]).includes(text);
}
