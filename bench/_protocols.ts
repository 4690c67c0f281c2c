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
  /** What to send once they came, given the client's nickname. */
  reply?: (nick: string) => Uint8Array;
}

/** The client side of one server's protocol. */
export interface ClientProtocol {
  /** Sent right after connecting, before any step (Redis: SUBSCRIBE). */
  greeting: Uint8Array | null;
  /** Steps in order; the client has joined when the last one is done. */
  steps: HandshakeStep[];
  /** Whether the server delivers a line to its sender too. */
  echo: boolean;
  /** Whether senders publish on a second connection (Redis). */
  separatePublisher: boolean;
  /** Bytes before and after each payload on the wire. */
  framePrefix: (payloadBytes: number) => Uint8Array;
  frameSuffix: Uint8Array;
}

/** The Redis channel every client uses. */
const CHANNEL = "c";

const PROTOCOLS: Record<PeerName, ClientProtocol> = {
  ours: {
    greeting: null,
    steps: [
      {
        expect: encoder.encode("닉네임을 입력하세요:"),
        reply: (nick) => encoder.encode(`${nick}\n`),
      },
      { expect: encoder.encode("서버에 연결되었습니다.\n") },
    ],
    echo: true,
    separatePublisher: false,
    framePrefix: () => new Uint8Array(0),
    frameSuffix: encoder.encode("\n"),
  },
  ncat: {
    // ncat --chat announces every newcomer to everyone, the newcomer first.
    greeting: null,
    steps: [{ expect: encoder.encode("already connected:") }],
    echo: false,
    separatePublisher: false,
    framePrefix: () => new Uint8Array(0),
    frameSuffix: encoder.encode("\n"),
  },
  redis: {
    greeting: encoder.encode(`*2\r\n$9\r\nSUBSCRIBE\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n`),
    steps: [{ expect: encoder.encode(`subscribe\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n:1\r\n`) }],
    echo: true,
    separatePublisher: true,
    framePrefix: (payloadBytes) =>
      encoder.encode(
        `*3\r\n$7\r\nPUBLISH\r\n$${CHANNEL.length}\r\n${CHANNEL}\r\n$${payloadBytes}\r\n`,
      ),
    frameSuffix: encoder.encode("\r\n"),
  },
};

/** The client protocol of a peer. */
export function protocolOf(peer: PeerName): ClientProtocol {
  return PROTOCOLS[peer];
}
