/**
 * What a connection needs of its wire protocol's input side: bytes in, lines
 * out. Text lines ({@linkcode LineSplitter}) and WebSocket messages
 * (`WebSocketDecoder`) both fit, so one connection class serves both.
 *
 * @module
 */

import type { CloseCode, TransportReason } from "../util/close_reason.ts";
import type { SplitLine } from "./line_splitter.ts";

/** Turns a stream of byte chunks into lines, and speaks the protocol's own replies. */
export interface Decoder {
  /** The most bytes one line (or message) may take. */
  readonly maxLineBytes: number;
  /**
   * Whether the peer frames its input. A peer that does not (it never sent a `\n`)
   * has its pending bytes taken as one line after a pause.
   */
  readonly framed: boolean;
  /** The bytes of an unfinished line held between calls. */
  readonly bufferedBytes: number;
  /**
   * Takes the next chunk and returns the lines it completes, in order, a refused
   * line as `REFUSED_LINE`. The chunk may be reused by the caller afterwards.
   *
   * @param chunk The bytes just read.
   * @returns The completed lines (possibly none).
   * @throws {LineTooLongError} When the peer goes on far past the cap; the
   *   connection is then cut off.
   */
  push(chunk: Uint8Array): SplitLine[];
  /**
   * Takes the unfinished line as a whole line (see {@linkcode Decoder.framed}).
   *
   * @returns The line, or `undefined` when nothing is pending.
   */
  takePartial(): string | undefined;
  /**
   * Bytes the protocol must send back (a WebSocket pong), taken after each push.
   *
   * @returns The replies in order, or `undefined` when there are none.
   */
  takeReplies?(): Uint8Array[] | undefined;
  /**
   * Set once the peer has ended the stream in the protocol (a WebSocket close
   * frame) or broken it: why. Bytes after that are ignored.
   */
  readonly endedBy?: TransportReason | undefined;
  /**
   * The protocol's last bytes before the connection closes (a WebSocket close
   * frame).
   *
   * @param code How it closes.
   * @param text A word for the peer (a close frame's reason: `kicked`, `quit`...).
   * @returns The bytes, or `undefined` when the protocol has none.
   */
  farewell?(code: CloseCode, text: string): Uint8Array | undefined;
}
