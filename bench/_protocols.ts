/**
 * How a generator client talks to each server: the join handshake, how a payload is framed,
 * and whether a sender gets its own lines back.
 *
 * @module
 */

import type { PeerName } from "./_types.ts";

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
}

/** The Redis channel of a one-room case. */
const CHANNEL = "c";

const PROTOCOLS: Record<PeerName, ClientProtocol> = {
  ours: {
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
  },
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

/** The client protocol of a peer. */
export function protocolOf(peer: PeerName): ClientProtocol {
  return PROTOCOLS[peer];
}
