/**
 * The server side of a WebSocket's input (RFC 6455): frames in, lines out.
 *
 * Each text (or binary) message is taken as typed input: it is split on `\n`, so
 * a pasted paragraph is several lines, as it would be over TCP. Fragmented
 * messages are joined, masks removed, pings answered with pongs, and a close
 * frame ends the input (the connection answers it with its own close frame, see
 * {@linkcode WebSocketDecoder.farewell}). A message over the line cap is refused
 * (`REFUSED_LINE`) and its bytes dropped as they come, never buffered; a message
 * that goes on past {@linkcode MAX_REFUSED_LINE_BYTES} cuts the connection off
 * (close code 1009). A frame that breaks the protocol (unmasked, reserved bits,
 * an unknown opcode, a control frame too long or fragmented, a continuation with
 * no message) ends it with close code 1002.
 *
 * @module
 */

import type { CloseCode as CloseCodeName, TransportReason } from "../util/close_reason.ts";
import { LineTooLongError } from "../util/errors.ts";
import type { Decoder } from "./decoder.ts";
import {
  DEFAULT_MAX_LINE_BYTES,
  MAX_REFUSED_LINE_BYTES,
  REFUSED_LINE,
  type SplitLine,
} from "./line_splitter.ts";
import {
  CloseCode,
  closeFrame,
  encodeFrame,
  MAX_CONTROL_PAYLOAD_BYTES,
  OPCODE_BINARY,
  OPCODE_CLOSE,
  OPCODE_CONTINUATION,
  OPCODE_PING,
  OPCODE_PONG,
} from "./websocket_frame.ts";

/** Decoding without `stream` keeps no state, so every decoder can share one. */
const DECODER = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Options for {@linkcode WebSocketDecoder}. */
export interface WebSocketDecoderOptions {
  /**
   * The most bytes one message may take (all its fragments). Checked on the
   * frame headers, so a longer message is never buffered.
   * @default {8192}
   */
  maxLineBytes?: number;
}

/** Splits a WebSocket client's byte stream into lines. */
export class WebSocketDecoder implements Decoder {
  #maxLineBytes: number;
  /** The bytes of an unfinished frame, copied out of the caller's buffer. */
  #partial: Uint8Array | undefined;
  /** Payload bytes of a refused frame still to drop. */
  #skip = 0;
  /** Whether that frame ends its message. */
  #skipFin = false;
  /** Inside a fragmented message (a frame without FIN came). */
  #inMessage = false;
  /** The message in progress is over the cap: its bytes are dropped. */
  #refusing = false;
  #messageBytes = 0;
  /** The unmasked fragments of the message in progress. */
  #fragments: Uint8Array[] = [];
  #replies: Uint8Array[] | undefined;
  #endedBy: TransportReason | undefined;
  /** The code of the peer's close frame, or of the protocol error we found. */
  #closeCode: number | undefined;
  #farewellSent = false;

  /**
   * @param options The message cap.
   */
  constructor(options: WebSocketDecoderOptions = {}) {
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** The cap on one message, in bytes. */
  get maxLineBytes(): number {
    return this.#maxLineBytes;
  }

  /** Always `true`: a WebSocket frames every message. */
  get framed(): boolean {
    return true;
  }

  /** The bytes of an unfinished frame or message held between calls. */
  get bufferedBytes(): number {
    return (this.#partial?.length ?? 0) + (this.#refusing ? 0 : this.#messageBytes);
  }

  /** Why the input ended (a close frame: `"eof"`; a broken frame: `"protocolError"`). */
  get endedBy(): TransportReason | undefined {
    return this.#endedBy;
  }

  /**
   * Takes the next chunk of bytes and returns the lines of the messages it
   * completes, in order; a message over the cap is returned as
   * {@linkcode REFUSED_LINE} once. After a close frame or a broken frame nothing
   * more is read (see {@linkcode WebSocketDecoder.endedBy}).
   *
   * @param chunk The bytes just read; the caller may reuse it afterwards.
   * @returns The lines, in order (possibly none).
   * @throws {LineTooLongError} When a frame or message passes
   *   {@linkcode MAX_REFUSED_LINE_BYTES}.
   */
  push(chunk: Uint8Array): SplitLine[] {
    const out: SplitLine[] = [];
    if (this.#endedBy !== undefined) return out;
    let data = chunk;
    let offset = 0;
    if (this.#skip > 0) {
      offset = Math.min(this.#skip, data.length);
      this.#skip -= offset;
      if (this.#skip > 0) return out;
      if (this.#skipFin) this.#endMessage();
    }
    if (this.#partial !== undefined) {
      const partial = this.#partial;
      const rest = data.subarray(offset);
      data = new Uint8Array(partial.length + rest.length);
      data.set(partial);
      data.set(rest, partial.length);
      offset = 0;
      this.#partial = undefined;
    }
    while (offset < data.length && this.#endedBy === undefined) {
      const used = this.#frame(data, offset, out);
      if (used === 0) break;
      offset += used;
    }
    if (offset < data.length && this.#endedBy === undefined) {
      this.#partial = data.slice(offset);
    }
    return out;
  }

  /** @returns Always `undefined`: a WebSocket message is never cut by a pause. */
  takePartial(): string | undefined {
    return undefined;
  }

  /**
   * The pongs owed to the peer's pings.
   *
   * @returns The frames, or `undefined` when none is owed.
   */
  takeReplies(): Uint8Array[] | undefined {
    const replies = this.#replies;
    this.#replies = undefined;
    return replies;
  }

  /**
   * The close frame to send before closing: the peer's code echoed when it
   * closed first, else `code` (1001 going away, 1008 a broken rule, 1009 a
   * message too big...) with `text` as its reason. Once only.
   *
   * @param code How the connection closes.
   * @param text The close frame's reason (the page reads it: `kicked`, `quit`...).
   * @returns The close frame, or `undefined` when one was already sent.
   */
  farewell(code: CloseCodeName, text: string): Uint8Array | undefined {
    if (this.#farewellSent) return undefined;
    this.#farewellSent = true;
    if (this.#closeCode !== undefined) {
      return closeFrame(this.#closeCode, this.#closeCode === CloseCode.protocolError ? text : "");
    }
    return closeFrame(CloseCode[code], text);
  }

  /**
   * Reads one frame at `offset`.
   *
   * @returns The bytes used; `0` when the frame is not complete yet.
   */
  #frame(data: Uint8Array, offset: number, out: SplitLine[]): number {
    const available = data.length - offset;
    if (available < 2) return 0;
    const b0 = data[offset];
    const b1 = data[offset + 1];
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    // No extension was agreed, so the reserved bits must be clear; a client must mask.
    if ((b0 & 0x70) !== 0 || (b1 & 0x80) === 0) return this.#protocolError();
    let length = b1 & 0x7f;
    let head = 2;
    if (length === 126) {
      if (available < 4) return 0;
      length = (data[offset + 2] << 8) | data[offset + 3];
      head = 4;
    } else if (length === 127) {
      if (available < 10) return 0;
      const view = new DataView(data.buffer, data.byteOffset + offset + 2, 8);
      // Anything past 2^53 is far past every cap: the exact value does not matter.
      length = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
      head = 10;
    }
    const maskAt = offset + head;
    head += 4;
    if (available < head) return 0;

    if (opcode >= OPCODE_CLOSE) {
      if (!fin || length > MAX_CONTROL_PAYLOAD_BYTES) return this.#protocolError();
      if (available < head + length) return 0;
      const payload = unmask(data, offset + head, length, maskAt);
      if (opcode === OPCODE_PING) {
        (this.#replies ??= []).push(encodeFrame(OPCODE_PONG, payload));
      } else if (opcode === OPCODE_CLOSE) {
        this.#peerClosed(payload);
      } else if (opcode !== OPCODE_PONG) {
        return this.#protocolError();
      }
      return head + length;
    }

    if (opcode > OPCODE_BINARY) return this.#protocolError();
    // A continuation needs a message to continue; a new message needs the last one ended.
    if ((opcode === OPCODE_CONTINUATION) !== this.#inMessage) return this.#protocolError();
    const starting = opcode !== OPCODE_CONTINUATION;
    const total = (starting ? 0 : this.#messageBytes) + length;
    if (total > MAX_REFUSED_LINE_BYTES) throw new LineTooLongError(this.#maxLineBytes);
    const refused = (!starting && this.#refusing) || total > this.#maxLineBytes;
    // A frame that is kept is read whole, so nothing changes until all of it is here.
    if (!refused && available < head + length) return 0;
    if (starting) {
      this.#inMessage = true;
      this.#refusing = false;
      this.#fragments = [];
    }
    this.#messageBytes = total;
    if (refused) {
      // Over the cap: refused once, and its bytes dropped as they come.
      if (!this.#refusing) {
        this.#refusing = true;
        this.#fragments = [];
        out.push(REFUSED_LINE);
      }
      const taken = Math.min(length, available - head);
      if (taken < length) {
        this.#skip = length - taken;
        this.#skipFin = fin;
      } else if (fin) {
        this.#endMessage();
      }
      return head + taken;
    }
    const payload = unmask(data, offset + head, length, maskAt);
    if (fin && this.#fragments.length === 0) {
      addLines(payload, out);
    } else {
      this.#fragments.push(payload);
      if (fin) addLines(concat(this.#fragments, total), out);
    }
    if (fin) this.#endMessage();
    return head + length;
  }

  #endMessage(): void {
    this.#inMessage = false;
    this.#refusing = false;
    this.#messageBytes = 0;
    this.#fragments = [];
  }

  #peerClosed(payload: Uint8Array): void {
    if (payload.length === 1) {
      this.#protocolError();
      return;
    }
    const code = payload.length === 0 ? CloseCode.normal : (payload[0] << 8) | payload[1];
    // Echo a code a peer may send; anything else is a broken close frame.
    this.#closeCode = isValidCloseCode(code) ? code : CloseCode.protocolError;
    this.#endedBy = this.#closeCode === CloseCode.protocolError ? "protocolError" : "eof";
  }

  #protocolError(): number {
    this.#closeCode = CloseCode.protocolError;
    this.#endedBy = "protocolError";
    return 0;
  }
}

/** Whether a peer may send this close code (RFC 6455, 7.4.1 and 7.4.2). */
function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) ||
    (code >= 3000 && code <= 4999);
}

/** Copies a payload out of `data`, removing its mask. */
function unmask(data: Uint8Array, start: number, length: number, maskAt: number): Uint8Array {
  const out = new Uint8Array(length);
  const m0 = data[maskAt];
  const m1 = data[maskAt + 1];
  const m2 = data[maskAt + 2];
  const m3 = data[maskAt + 3];
  let i = 0;
  for (; i + 3 < length; i += 4) {
    out[i] = data[start + i] ^ m0;
    out[i + 1] = data[start + i + 1] ^ m1;
    out[i + 2] = data[start + i + 2] ^ m2;
    out[i + 3] = data[start + i + 3] ^ m3;
  }
  for (; i < length; i++) out[i] = data[start + i] ^ data[maskAt + (i & 3)];
  return out;
}

function concat(pieces: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

/** A message's lines: split on `\n` (a final `\n` ends the last line), `\r\n` accepted. */
function addLines(message: Uint8Array, out: SplitLine[]): void {
  const text = DECODER.decode(message);
  if (!text.includes("\n")) {
    out.push(text.endsWith("\r") ? text.slice(0, -1) : text);
    return;
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) out.push(line.endsWith("\r") ? line.slice(0, -1) : line);
}
