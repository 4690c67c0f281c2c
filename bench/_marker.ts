/**
 * The marker every payload carries: `@` then the sender (3 digits), the sequence (5 digits)
 * and the send time in µs since the run's base time (7 digits), in base 64 with the digits
 * `0-9A-Za-z-_` (plain ASCII, none of them special to any server; fewer digits to parse than
 * decimal, which was a fifth of the receiver's CPU). Receivers find it
 * by scanning raw bytes for `@`, so any prefix or framing a server adds (`nick> `,
 * `<user3> `, a RESP array) is ignored without decoding text.
 *
 * @module
 */

/**
 * Where the marker sits in a payload: after one letter, because a line starting with `@` or
 * `/` is a command to our server (whisper, `/quit`).
 */
const MARKER_OFFSET = 1;
const LEAD = 0x6d; // "m"
/** The byte that starts a marker (`@`); no server prefix or notice of the peers contains it. */
export const MARKER_START = 0x40;
const SENDER_DIGITS = 3;
const SEQUENCE_DIGITS = 5;
const TIME_DIGITS = 7;
const BASE = 64;
const ALPHABET = new TextEncoder().encode(
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_",
);
/** The value of each byte as a digit, or -1. */
const DIGIT_VALUE = new Int8Array(256).fill(-1);
ALPHABET.forEach((byte, value) => DIGIT_VALUE[byte] = value);
/** Length of a marker in bytes. */
export const MARKER_BYTES = 1 + SENDER_DIGITS + SEQUENCE_DIGITS + TIME_DIGITS;
/** Largest sender index a marker can hold. */
export const MAX_SENDER = BASE ** SENDER_DIGITS - 1;
const PAD = 0x2e; // "."

function writeDigits(buf: Uint8Array, offset: number, width: number, value: number): void {
  let v = value;
  for (let i = offset + width - 1; i >= offset; i--) {
    const q = Math.floor(v / BASE);
    buf[i] = ALPHABET[v - q * BASE];
    v = q;
  }
}

/** Where the marker's digits (what {@linkcode stampMarker} writes) start in a payload. */
export const MARKER_DIGITS_OFFSET = MARKER_OFFSET + 1;
/** How many bytes {@linkcode stampMarker} writes. */
export const MARKER_DIGITS_BYTES = MARKER_BYTES - 1;

/** Smallest payload that holds a marker. */
export const MIN_PAYLOAD_BYTES = MARKER_OFFSET + MARKER_BYTES;

/**
 * Fills a payload with `m`, a marker and `.` padding.
 *
 * @param buf Where the payload goes.
 * @param offset Position of the payload in `buf`.
 * @param length Payload length in bytes (at least {@linkcode MIN_PAYLOAD_BYTES}).
 */
export function writePayload(buf: Uint8Array, offset: number, length: number): void {
  buf[offset] = LEAD;
  buf[offset + MARKER_OFFSET] = MARKER_START;
  buf.fill(PAD, offset + MIN_PAYLOAD_BYTES, offset + length);
}

/**
 * Writes the marker fields into a payload prepared by {@linkcode writePayload}.
 *
 * @param buf The buffer holding the payload.
 * @param offset Position of the payload.
 * @param sender Global index of the sending client.
 * @param sequence Line number of this sender, from 0.
 * @param timeUs Send time in µs since the run's base time.
 */
export function stampMarker(
  buf: Uint8Array,
  offset: number,
  sender: number,
  sequence: number,
  timeUs: number,
): void {
  let at = offset + MARKER_OFFSET + 1;
  writeDigits(buf, at, SENDER_DIGITS, sender);
  at += SENDER_DIGITS;
  writeDigits(buf, at, SEQUENCE_DIGITS, sequence);
  at += SEQUENCE_DIGITS;
  writeDigits(buf, at, TIME_DIGITS, timeUs);
}

function readDigits(buf: Uint8Array, offset: number, width: number): number {
  let v = 0;
  const end = offset + width;
  for (let i = offset; i < end; i++) {
    const d = DIGIT_VALUE[buf[i]];
    if (d < 0) return -1;
    v = v * BASE + d;
  }
  return v;
}

/**
 * Reads the marker that starts at `offset` (its `@`), which must be complete in `buf`.
 *
 * @param buf Received bytes.
 * @param offset Position of the `@`.
 * @param out Receives sender, sequence and send time (µs) in that order.
 * @returns `false` when the bytes after `@` are not a marker.
 */
export function readMarker(buf: Uint8Array, offset: number, out: Float64Array): boolean {
  let at = offset + 1;
  const sender = readDigits(buf, at, SENDER_DIGITS);
  at += SENDER_DIGITS;
  const sequence = readDigits(buf, at, SEQUENCE_DIGITS);
  at += SEQUENCE_DIGITS;
  const time = readDigits(buf, at, TIME_DIGITS);
  if (sender < 0 || sequence < 0 || time < 0) return false;
  out[0] = sender;
  out[1] = sequence;
  out[2] = time;
  return true;
}

/**
 * Finds `pattern` in `buf[from, end)`.
 *
 * @returns The position of its first byte, or -1.
 */
export function indexOfBytes(buf: Uint8Array, end: number, pattern: Uint8Array, from = 0): number {
  const first = pattern[0];
  const last = end - pattern.length;
  let i = from;
  while (i <= last) {
    i = buf.indexOf(first, i);
    if (i < 0 || i > last) return -1;
    let j = 1;
    while (j < pattern.length && buf[i + j] === pattern[j]) j++;
    if (j === pattern.length) return i;
    i++;
  }
  return -1;
}
