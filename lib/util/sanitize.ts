/**
 * Removes what another person's terminal would obey: C0 and C1 control
 * characters (ESC, BEL, CSI, OSC…), DEL, and bidirectional overrides.
 *
 * @module
 */

// C0 controls but tab, DEL, C1 controls, and the bidi embeddings/overrides/isolates.
// deno-lint-ignore no-control-regex
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
// deno-lint-ignore no-control-regex
const UNSAFE_TEST = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const REPLACEMENT = "\uFFFD";

/**
 * Makes a line of text safe to show on a terminal: tabs become spaces, every
 * other control character becomes U+FFFD, so an escape sequence arrives as
 * inert text.
 *
 * @param text One line, without its line ending.
 * @returns The text, unchanged when it held nothing unsafe.
 */
export function sanitizeText(text: string): string {
  if (!UNSAFE_TEST.test(text)) return text;
  return text.replaceAll("\t", " ").replace(UNSAFE, REPLACEMENT);
}

/**
 * Tells whether a text holds a control character that {@linkcode sanitizeText}
 * would replace (tabs included).
 *
 * @param text The text to test.
 * @returns `true` when it holds one.
 */
export function hasControlCharacters(text: string): boolean {
  return UNSAFE_TEST.test(text);
}
