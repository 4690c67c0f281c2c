/**
 * WebSocket frames (RFC 6455, section 5) as bytes: the server's frames (never
 * masked, so one frame is the same bytes for every recipient and a room's frames
 * go into its broadcast log once), a client's masked frames (for tests and the
 * benchmark's generator), and the close codes this server uses.
 *
 * @module
 */

/** A frame that continues a fragmented message. */
export const OPCODE_CONTINUATION = 0x0;
/** A text message (UTF-8). */
export const OPCODE_TEXT = 0x1;
/** A binary message. */
export const OPCODE_BINARY = 0x2;
/** The closing handshake. */
export const OPCODE_CLOSE = 0x8;
/** A ping; the answer is a pong with the same payload. */
export const OPCODE_PING = 0x9;
/** A pong. */
export const OPCODE_PONG = 0xa;

/** The most payload bytes of a control frame (close, ping, pong), by the RFC. */
export const MAX_CONTROL_PAYLOAD_BYTES = 125;
/** The most bytes of a server frame's header: 2, plus 8 for a 64-bit length. */
export const MAX_HEADER_BYTES = 10;

import type { CloseCode as CloseCodeName } from "../util/close_reason.ts";

/** Close codes (RFC 6455, section 7.4.1) this server sends, by name. */
export const CloseCode = {
  /** The purpose is fulfilled (`/quit`, or the peer closed first). */
  normal: 1000,
  /** The server is going away (shutdown). */
  goingAway: 1001,
  /** The peer broke the protocol (an unmasked frame, a bad opcode...). */
  protocolError: 1002,
  /** The peer broke a rule of the chat (kicked, banned, flooding...). */
  policyViolation: 1008,
  /** A message far larger than the line cap. */
  messageTooBig: 1009,
  /** The server failed. */
  internalError: 1011,
  /** The server is full, or the chat is unavailable for now. */
  tryAgainLater: 1013,
} as const satisfies Record<CloseCodeName, number>;

const encoder = new TextEncoder();

/**
 * Writes a server frame's header (final fragment, not masked) into `target`.
 *
 * @param target Where to write; needs room for {@linkcode MAX_HEADER_BYTES}.
 * @param offset Where the header starts.
 * @param opcode The frame's opcode.
 * @param payloadBytes The payload's length.
 * @returns The header's length: 2, 4 or 10 bytes.
 */
export function writeFrameHeader(
  target: Uint8Array,
  offset: number,
  opcode: number,
  payloadBytes: number,
): number {
  target[offset] = 0x80 | opcode;
  if (payloadBytes < 126) {
    target[offset + 1] = payloadBytes;
    return 2;
  }
  if (payloadBytes <= 0xffff) {
    target[offset + 1] = 126;
    target[offset + 2] = payloadBytes >>> 8;
    target[offset + 3] = payloadBytes & 0xff;
    return 4;
  }
  target[offset + 1] = 127;
  const high = Math.floor(payloadBytes / 2 ** 32);
  const low = payloadBytes >>> 0;
  const view = new DataView(target.buffer, target.byteOffset + offset + 2, 8);
  view.setUint32(0, high);
  view.setUint32(4, low);
  return 10;
}

/**
 * Makes a server frame: header and payload in one buffer.
 *
 * @param opcode The frame's opcode.
 * @param payload The payload.
 * @returns The frame's bytes.
 */
export function encodeFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const header = new Uint8Array(MAX_HEADER_BYTES);
  const headerBytes = writeFrameHeader(header, 0, opcode, payload.length);
  const frame = new Uint8Array(headerBytes + payload.length);
  frame.set(header.subarray(0, headerBytes));
  frame.set(payload, headerBytes);
  return frame;
}

/**
 * Makes a server text frame.
 *
 * @param text The message.
 * @returns The frame's bytes.
 */
export function textFrame(text: string): Uint8Array {
  return encodeFrame(OPCODE_TEXT, encoder.encode(text));
}

/**
 * Makes a server close frame.
 *
 * @param code The close code.
 * @param reason A short reason (ASCII is safest); cut to fit a control frame.
 * @returns The frame's bytes.
 */
export function closeFrame(code: number, reason = ""): Uint8Array {
  const text = encoder.encode(reason).subarray(0, MAX_CONTROL_PAYLOAD_BYTES - 2);
  const payload = new Uint8Array(2 + text.length);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(text, 2);
  return encodeFrame(OPCODE_CLOSE, payload);
}

/**
 * Makes a client frame: masked, as a browser sends it.
 *
 * @param opcode The frame's opcode.
 * @param payload The payload (text is encoded as UTF-8).
 * @param options `fin: false` for a fragment that more will follow; the masking
 *   key (random by default).
 * @returns The frame's bytes.
 */
export function encodeClientFrame(
  opcode: number,
  payload: Uint8Array | string,
  options: { fin?: boolean; mask?: Uint8Array } = {},
): Uint8Array {
  const bytes = typeof payload === "string" ? encoder.encode(payload) : payload;
  const mask = options.mask ?? crypto.getRandomValues(new Uint8Array(4));
  const header = new Uint8Array(MAX_HEADER_BYTES);
  const headerBytes = writeFrameHeader(header, 0, opcode, bytes.length);
  if (options.fin === false) header[0] &= 0x7f;
  header[1] |= 0x80;
  const frame = new Uint8Array(headerBytes + 4 + bytes.length);
  frame.set(header.subarray(0, headerBytes));
  frame.set(mask, headerBytes);
  const start = headerBytes + 4;
  for (let i = 0; i < bytes.length; i++) frame[start + i] = bytes[i] ^ mask[i & 3];
  return frame;
}
