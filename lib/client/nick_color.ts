/**
 * A nickname's colour: the same nickname gets the same colour in every run and on
 * every machine, so people are recognised at a glance, as in weechat.
 *
 * @module
 */

import { nicknameKey } from "../chat/nickname.ts";

/**
 * Colours of the 256-colour palette, mid-tones that read on dark and on light
 * backgrounds (no near-white yellow, no near-black blue), ordered so that
 * neighbours differ in hue.
 */
export const NICK_PALETTE: readonly number[] = [
  160, // red
  34, // green
  32, // blue
  172, // orange
  127, // magenta
  30, // teal
  136, // ochre
  62, // slate blue
  168, // pink
  70, // leaf green
  97, // purple
  166, // dark orange
  37, // cyan
  131, // brick
  67, // steel blue
  133, // orchid
];

/**
 * Picks a nickname's colour: a hash (FNV-1a) of its comparison key into
 * {@linkcode NICK_PALETTE}, so `Alice` and `alice`, one person for the server,
 * get one colour.
 *
 * @param nick The nickname.
 * @returns A colour number of the 256-colour palette (`ESC[38;5;{n}m`).
 */
export function nickColor(nick: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(nicknameKey(nick))) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return NICK_PALETTE[hash % NICK_PALETTE.length];
}
