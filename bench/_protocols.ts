/**
 * How a generator client talks to each server: the join handshake, how a payload is framed,
 * and whether a sender gets its own lines back.
 *
 * @module
 */

import { isOurs, type PeerName } from "./_types.ts";

const encoder = new TextEncoder();

/** One handshake step: wait until `expect` arrives, then send `reply` (if any). */
export interface HandshakeStep {
  /** Bytes to wait for. */
  expect: Uint8Array;
  /** What to send once they came. */
  reply?: Uint8Array;
}

/** The client side of one server's protocol. */
export interface ClientProtocol {
  /** Whether the server has rooms (a client of a multi-room case can join one). */
  rooms: boolean;
  /**
   * Sent right after connecting, before any step (Redis: SUBSCRIBE).
   *
   * @param room The client's room, or `undefined` in a one-room case.
   */
  greeting(room: string | undefined): Uint8Array | null;
  /**
   * The handshake, in order; the client has joined when the last step is done.
   *
   * @param nick The client's nickname.
   * @param room The client's room, or `undefined` in a one-room case.
   */
  steps(nick: string, room: string | undefined): HandshakeStep[];
  /** Whether the server delivers a line to its sender too. */
  echo: boolean;
  /** Whether senders publish on a second connection (Redis). */
  separatePublisher: boolean;
  /** Bytes before each payload on the wire. */
  framePrefix(payloadBytes: number, room: string | undefined): Uint8Array;
  /** Bytes after each payload on the wire. */
  frameSuffix: Uint8Array;
  /**
   * Masks `buf[from, to)` of a payload that starts at `payloadAt` (WebSocket: a client's frames
   * are masked, with the key that ends its prefix). Absent: the bytes go as they are.
   */
  mask?(buf: Uint8Array, payloadAt: number, from: number, to: number): void;
}

/** The Redis channel of a one-room case. */
const CHANNEL = "c";

/** Our server's line protocol, whatever it does with its data. */
const OURS: ClientProtocol = {
  rooms: true,
  greeting: () => null,
  steps: (nick, room) => [
    { expect: encoder.encode("닉네임을 입력하세요:"), reply: encoder.encode(`${nick}\n`) },
    {
      expect: encoder.encode("서버에 연결되었습니다.\n"),
      reply: room === undefined ? undefined : encoder.encode(`/join ${room}\n`),
    },
    // In a room: joined when its own join notice there comes back (after the welcome).
    ...(room === undefined ? [] : [{ expect: encoder.encode(`${nick}님이 입장하셨습니다.\n`) }]),
  ],
  echo: true,
  separatePublisher: false,
  framePrefix: () => new Uint8Array(0),
  frameSuffix: encoder.encode("\n"),
};

const PROTOCOLS: Record<PeerName, ClientProtocol> = {
  ours: OURS,
  "ours-mem": OURS,
  ncat: {
    // ncat --chat announces every newcomer to everyone, the newcomer first. It has no rooms.
    rooms: false,
    greeting: () => null,
    steps: () => [{ expect: encoder.encode("already connected:") }],
    echo: false,
    separatePublisher: false,
    framePrefix: () => new Uint8Array(0),
    frameSuffix: encoder.encode("\n"),
  },
  redis: {
    // A room is a channel.
    rooms: true,
    greeting: (room = CHANNEL) =>
      encoder.encode(`*2\r\n$9\r\nSUBSCRIBE\r\n$${room.length}\r\n${room}\r\n`),
    steps: (_nick, room = CHANNEL) => [
      { expect: encoder.encode(`subscribe\r\n$${room.length}\r\n${room}\r\n:1\r\n`) },
    ],
    echo: true,
    separatePublisher: true,
    framePrefix: (payloadBytes, room = CHANNEL) =>
      encoder.encode(
        `*3\r\n$7\r\nPUBLISH\r\n$${room.length}\r\n${room}\r\n$${payloadBytes}\r\n`,
      ),
    frameSuffix: encoder.encode("\r\n"),
  },
};

/** Any well-formed key: the server only hashes it into its answer. */
const WEBSOCKET_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** A client's WebSocket frame header for a payload, then a random masking key. */
function maskedHeader(payloadBytes: number): Uint8Array {
  const length = payloadBytes < 126
    ? [0x80 | payloadBytes]
    : [0x80 | 126, payloadBytes >> 8, payloadBytes & 0xff];
  if (payloadBytes > 0xffff) throw new Error("Cannot frame a line over 64 KiB");
  return new Uint8Array([0x81, ...length, ...crypto.getRandomValues(new Uint8Array(4))]);
}

/** XORs `buf[from, to)` with the masking key in the 4 bytes before `payloadAt`. */
function maskPayload(buf: Uint8Array, payloadAt: number, from: number, to: number): void {
  const key = payloadAt - 4;
  for (let i = from; i < to; i++) buf[i] ^= buf[key + ((i - payloadAt) & 3)];
}

/** One masked text frame (a line the client types). */
function clientTextFrame(text: string): Uint8Array {
  const payload = encoder.encode(text);
  const header = maskedHeader(payload.length);
  const frame = new Uint8Array(header.length + payload.length);
  frame.set(header);
  frame.set(payload, header.length);
  maskPayload(frame, header.length, header.length, frame.length);
  return frame;
}

/**
 * Ours over WebSocket (`--web`): the upgrade request, then JSON events in text frames; each
 * line goes as one masked text frame. The markers are found in the JSON as in text lines.
 */
const WEBSOCKET: ClientProtocol = {
  rooms: true,
  greeting: () =>
    encoder.encode(
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Key: ${WEBSOCKET_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ),
  steps: (nick, room) => [
    { expect: encoder.encode("HTTP/1.1 101 ") },
    { expect: encoder.encode(`"prompt":"nickname"`), reply: clientTextFrame(nick) },
    {
      expect: encoder.encode(`{"type":"welcome","nick":"${nick}"}`),
      reply: room === undefined ? undefined : clientTextFrame(`/join ${room}`),
    },
    ...(room === undefined
      ? []
      : [{ expect: encoder.encode(`"type":"joined","room":"${room}","nick":"${nick}"`) }]),
  ],
  echo: true,
  separatePublisher: false,
  framePrefix: (payloadBytes) => maskedHeader(payloadBytes),
  frameSuffix: new Uint8Array(0),
  mask: maskPayload,
};

/**
 * The client protocol of a peer.
 *
 * @param peer The server.
 * @param webSocket Ours over WebSocket instead of TCP lines.
 */
export function protocolOf(peer: PeerName, webSocket = false): ClientProtocol {
  if (webSocket && !isOurs(peer)) throw new Error(`Cannot speak WebSocket to ${peer}`);
  return webSocket ? WEBSOCKET : PROTOCOLS[peer];
}
