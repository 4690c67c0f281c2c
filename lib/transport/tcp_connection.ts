/**
 * One TCP (or TLS) connection carrying lines: its read loop, its single writer,
 * and its close. It knows nothing of chat: its {@linkcode Decoder} turns bytes
 * into lines (text lines by default, or WebSocket messages), it hands them to a
 * {@linkcode ConnectionHandler}, and it writes what is queued in its
 * {@linkcode Outbox}.
 *
 * Only the writer touches the socket for writing, and it writes whatever is
 * queued in one go. The read loop never waits on anyone else's socket. Cleanup
 * happens once, in the `finally` of {@linkcode TcpConnection.run}.
 *
 * It knows only its own reasons to end ({@linkcode TransportReason}) and a few
 * close codes; its owner ends it with a code of its choice and a word for the
 * peer. An unexpected throw (a bug in a decoder or a handler) ends the connection
 * and is kept, with its stack, for the owner to log ({@linkcode TcpConnection.failure}).
 *
 * @module
 */

import { Outbox } from "../fanout/outbox.ts";
import type { CloseCode, TransportReason } from "../util/close_reason.ts";
import { isDisconnectError, LineTooLongError } from "../util/errors.ts";
import { formatAddr, hostOf } from "./address.ts";
import type { Decoder } from "./decoder.ts";
import { LineSplitter, REFUSED_LINE, type SplitLine } from "./line_splitter.ts";

/** The first read buffer of a connection: small, since 10,000 idle clients each hold one. */
export const READ_BUFFER_BYTES = 512;
/**
 * The read buffer of a busy connection: a read that fills the small buffer
 * switches to this one, so a sender of many lines needs few reads.
 */
export const BUSY_READ_BUFFER_BYTES = 16 * 1024;
/** How long a closing connection may take to flush its output and see the peer close. */
export const CLOSE_TIMEOUT_MS = 2_000;
/**
 * How much a closing connection reads and discards while its last lines go out:
 * enough for what a well-behaved peer had in flight, not a stream.
 */
export const MAX_DISCARD_BYTES = 1024 * 1024;
/**
 * How long a peer that has never sent a `\n` may pause before its pending bytes
 * are taken as one message: the Python original's client sends each message as
 * one write with no newline, and its server took each read as a message.
 */
export const UNFRAMED_PAUSE_MS = 300;
/**
 * The most bytes of one write to a peer that does not frame its lines (the Python
 * original's client): it reads with `recv(1024)` and decodes each read alone, so
 * each of its reads must end on a character.
 */
export const ORIGINAL_READ_BYTES = 1024;
/**
 * The pause after each write to a peer that does not frame its lines, before the
 * next: two writes that reach its receive buffer before it reads would be cut at
 * byte 1024, maybe inside a character. Its reads cannot be seen; this is the gap
 * our client leaves between messages to the original server, ample for a reader
 * waiting in `recv`, and it caps what that peer gets at 10 KiB/s.
 */
export const ORIGINAL_WRITE_GAP_MS = 100;

const LF = 0x0a;

/** How the peer is told the connection closes when the transport ends it itself. */
const TRANSPORT_CLOSE_CODES: Record<TransportReason, CloseCode> = {
  eof: "normal",
  reset: "normal",
  writeError: "internalError",
  outboxFull: "policyViolation",
  serverFull: "tryAgainLater",
  tooManyFromAddress: "tryAgainLater",
  error: "internalError",
  protocolError: "protocolError",
  lineTooLong: "messageTooBig",
};

/**
 * What a connection tells its owner. Calls never overlap. A throw is a bug: the
 * connection ends for `"error"` and keeps it (see {@linkcode TcpConnection.failure}).
 */
export interface ConnectionHandler {
  /**
   * Complete lines, in order, without their line endings (not sanitized).
   *
   * @param lines The lines of one read.
   * @param now `performance.now()` when they were read.
   */
  lines(lines: string[], now: number): void;
  /**
   * A line passed the cap and was dropped; the connection goes on with the next
   * line, unless the peer kept streaming without a `\n` (then it is ending).
   *
   * @param maxBytes The cap.
   * @param closing Whether the connection is being cut off for it.
   */
  lineTooLong(maxBytes: number, closing: boolean): void;
  /**
   * The connection is ending, for whatever reason; called once. Output already
   * queued may still be flushed.
   *
   * @param reason Why, as the transport saw it; `undefined` when its owner ended
   *   it (the owner knows why).
   */
  ended(reason: TransportReason | undefined): void;
}

/** Options for {@linkcode TcpConnection}. */
export interface TcpConnectionOptions {
  /** The most bytes one line may take. */
  maxLineBytes: number;
  /** The most bytes that may wait to be sent. */
  maxOutboxBytes: number;
  /** How the bytes read become lines. @default {a LineSplitter with the line cap} */
  decoder?: Decoder;
  /**
   * Bytes already read from the connection (what followed an HTTP upgrade
   * request), handled as the first read. @default {undefined}
   */
  pending?: Uint8Array;
}

const encoder = new TextEncoder();

/** A line-based connection over TCP or TLS (text lines, or WebSocket messages). */
export class TcpConnection {
  /** Bytes waiting to be sent: the room's log through a cursor, and lines of its own. */
  readonly outbox: Outbox;
  #conn: Deno.Conn;
  #decoder: Decoder;
  #pending: Uint8Array | undefined;
  #handler: ConnectionHandler | undefined;
  #peer: string | undefined;
  #address: string | undefined;
  #discardedBytes = 0;
  /** Set once the connection is on its way out: input is read and discarded. */
  #ending = false;
  #endedTold = false;
  #closed = false;
  #reason: TransportReason = "eof";
  /** Set when its owner ended it (its reason is the owner's). */
  #endedByOwner = false;
  #failure: { readonly error: unknown } | undefined;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Ends the message of a peer that does not frame its lines (see {@linkcode UNFRAMED_PAUSE_MS}). */
  #pauseTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bytes taken from the outbox and not yet written. */
  #unwritten: Uint8Array | undefined;
  /**
   * Set once a pause ended a message of a peer that never sent `\n` (the Python
   * original), while it frames nothing: it gets one piece at a time.
   */
  #original = false;
  /** Bytes of the piece being written to the original that are not written yet. */
  #pieceLeft = 0;
  /** The pause after a piece to the original (see {@linkcode ORIGINAL_WRITE_GAP_MS}). */
  #gapTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set once the writer has stopped; `#onWriterDone` is who waits for that. */
  #writerDone = false;
  #onWriterDone: (() => void) | undefined;

  /**
   * @param conn The accepted connection; this object owns and closes it.
   * @param options The line cap, the output limit and the protocol.
   */
  constructor(conn: Deno.Conn, options: TcpConnectionOptions) {
    this.#conn = conn;
    this.outbox = new Outbox(options.maxOutboxBytes);
    this.#decoder = options.decoder ?? new LineSplitter({ maxLineBytes: options.maxLineBytes });
    this.#pending = options.pending;
  }

  /** The peer, `host:port`, for the console. */
  get peer(): string {
    return this.#peer ??= formatAddr(this.#conn.remoteAddr);
  }

  /** The peer's IP address, as bans compare it. */
  get address(): string {
    return this.#address ??= hostOf(this.#conn.remoteAddr);
  }

  /** Whether the connection is ending (see {@linkcode TcpConnection.end}). */
  get ending(): boolean {
    return this.#ending;
  }

  /** Why the connection ended (or is ending), or `undefined` when its owner ended it. */
  get reason(): TransportReason | undefined {
    return this.#endedByOwner ? undefined : this.#reason;
  }

  /**
   * The unexpected error that ended the connection (a bug in a decoder or a
   * handler, or a write that failed for another reason than the peer being
   * gone), with its stack, for the owner's log; `undefined` when none did.
   */
  get failure(): { readonly error: unknown } | undefined {
    return this.#failure;
  }

  /**
   * Queues text for this connection alone, after everything queued before.
   *
   * @param text Lines, each ending in `\n`.
   * @returns `false` when the outbox is closed or full; nothing is queued then.
   */
  sendText(text: string): boolean {
    return this.outbox.trySend(encoder.encode(text));
  }

  /**
   * Serves the connection until it ends; never rejects.
   *
   * @param handler Who gets the lines.
   * @returns When the connection is closed and cleaned up.
   */
  async run(handler: ConnectionHandler): Promise<void> {
    this.#handler = handler;
    this.#pump();
    try {
      const pending = this.#pending;
      this.#pending = undefined;
      if (pending !== undefined && pending.length > 0) this.#consume(pending);
      // The read loop: bytes into one reused buffer, lines out.
      let buffer = new Uint8Array(READ_BUFFER_BYTES);
      while (true) {
        let n: number | null;
        try {
          n = await this.#conn.read(buffer);
        } catch (error) {
          if (!isDisconnectError(error)) throw error;
          if (!this.#ending) this.#reason = "reset";
          break;
        }
        if (n === null) break;
        const chunk = buffer.subarray(0, n);
        if (n === buffer.length && n < BUSY_READ_BUFFER_BYTES) {
          // The chunk keeps the old buffer alive until it is split below.
          buffer = new Uint8Array(BUSY_READ_BUFFER_BYTES);
        }
        this.#consume(chunk);
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#ending = true;
      this.#tellEnded();
      this.outbox.close();
      // Output still queued gets a bounded time to reach the peer.
      if (!this.#closed) this.#closeTimer ??= setTimeout(() => this.#close(), CLOSE_TIMEOUT_MS);
      if (!this.#writerDone) await new Promise<void>((resolve) => this.#onWriterDone = resolve);
      clearTimeout(this.#closeTimer);
      clearTimeout(this.#pauseTimer);
      this.#close();
    }
  }

  /** Handles the bytes of one read: lines to the handler, the protocol's replies out. */
  #consume(chunk: Uint8Array): void {
    // A closing connection keeps reading (and discarding) so that the peer's
    // last bytes do not turn our close into a reset that eats our last line.
    if (this.#ending) {
      // ...but not without end: a peer that keeps streaming is cut off.
      this.#discardedBytes += chunk.length;
      if (this.#discardedBytes > MAX_DISCARD_BYTES) this.#close();
      return;
    }
    const decoder = this.#decoder;
    let lines: SplitLine[];
    try {
      lines = decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof LineTooLongError)) throw error;
      this.#handler!.lineTooLong(error.maxBytes, true);
      this.#endFor("lineTooLong");
      return;
    }
    if (lines.length > 0) this.#deliver(lines);
    const replies = decoder.takeReplies?.();
    if (replies !== undefined) {
      for (const reply of replies) {
        if (!this.#ending && !this.outbox.trySend(reply)) this.drop("outboxFull");
      }
    }
    const endedBy = decoder.endedBy;
    if (endedBy !== undefined) this.#endFor(endedBy);
    else if (!decoder.framed) this.#armPause();
    else if (this.#original) this.#original = false;
  }

  /** Hands lines to the handler in order, a refused line as its notice. */
  #deliver(lines: SplitLine[]): void {
    const handler = this.#handler!;
    const now = performance.now();
    if (!lines.includes(REFUSED_LINE)) {
      handler.lines(lines as string[], now);
      return;
    }
    let run: string[] = [];
    for (const line of lines) {
      if (this.#ending) return;
      if (line !== REFUSED_LINE) {
        run.push(line);
        continue;
      }
      if (run.length > 0) handler.lines(run, now);
      run = [];
      handler.lineTooLong(this.#decoder.maxLineBytes, false);
    }
    if (run.length > 0 && !this.#ending) handler.lines(run, now);
  }

  /**
   * A peer that has never sent a `\n` and pauses has its pending bytes taken as
   * one message. A peer that frames its lines is never cut by a pause.
   */
  #armPause(): void {
    clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    if (this.#decoder.bufferedBytes === 0 || this.#ending) return;
    this.#pauseTimer = setTimeout(() => {
      this.#pauseTimer = undefined;
      if (this.#ending || this.#decoder.framed) return;
      try {
        const line = this.#decoder.takePartial();
        if (line === undefined) return;
        // Only the Python original's client sends messages without `\n`: from now on
        // it gets what it can read (see ORIGINAL_READ_BYTES), the replies to this one too.
        this.#original = true;
        this.#handler!.lines([line], performance.now());
      } catch (error) {
        this.#fail(error);
      }
    }, UNFRAMED_PAUSE_MS);
  }

  /**
   * Ends the connection in order: the handler is told, what is queued is flushed
   * (then the protocol's last word, a WebSocket close frame), our side is
   * half-closed, and the socket closes once the peer closes too or
   * {@linkcode CLOSE_TIMEOUT_MS} passes. Later lines are read and discarded.
   *
   * @param code How it closes, as the protocol tells the peer. @default {"normal"}
   * @param text A word for the peer: a WebSocket close frame's reason (the web
   *   page reads it: `kicked`, `quit`...). @default {""}
   */
  end(code: CloseCode = "normal", text = ""): void {
    if (this.#ending) return;
    this.#endedByOwner = true;
    this.#finish(code, text);
  }

  /**
   * Closes the connection at once, without flushing.
   *
   * @param reason Why: a client that stopped reading (`"outboxFull"`).
   */
  drop(reason: TransportReason): void {
    if (!this.#ending) this.#reason = reason;
    this.#ending = true;
    this.#tellEnded();
    this.#close();
  }

  /** Ends the connection in order for a reason of the transport's own. */
  #endFor(reason: TransportReason): void {
    if (this.#ending) return;
    this.#reason = reason;
    this.#finish(TRANSPORT_CLOSE_CODES[reason], reason);
  }

  #finish(code: CloseCode, text: string): void {
    this.#ending = true;
    this.#tellEnded();
    const last = this.#decoder.farewell?.(code, text);
    if (last !== undefined) this.outbox.trySend(last);
    this.outbox.close();
    this.#closeTimer ??= setTimeout(() => this.#close(), CLOSE_TIMEOUT_MS);
  }

  /** An unexpected throw: kept for the owner's log, and the connection ends. */
  #fail(error: unknown): void {
    this.#failure ??= { error };
    this.#endFor("error");
  }

  #tellEnded(): void {
    if (this.#endedTold) return;
    this.#endedTold = true;
    const handler = this.#handler;
    if (handler === undefined) return;
    const reason = this.#endedByOwner ? undefined : this.#reason;
    try {
      handler.ended(reason);
    } catch (error) {
      this.#failure ??= { error };
    }
  }

  /**
   * The writer: the only code that writes to the socket. It is a callback chain
   * rather than an async loop, so that waking it costs no promise of its own: a
   * connection in a busy room is woken many times a second.
   */
  #pump = (): void => {
    if (this.#closed) return this.#stopWriter();
    const bytes = this.#unwritten ?? this.outbox.takeNow();
    if (bytes === undefined) {
      if (this.outbox.closed) {
        // Everything is sent: tell the peer with a FIN, and let it close its side.
        this.#conn.closeWrite().then(this.#stopWriter, this.#onWriteError);
      } else {
        this.outbox.onReady(this.#pump);
      }
      return;
    }
    this.#unwritten = bytes;
    let piece = bytes;
    if (this.#original) {
      if (this.#pieceLeft === 0) this.#pieceLeft = pieceForOriginal(bytes);
      piece = bytes.subarray(0, this.#pieceLeft);
    }
    this.#conn.write(piece).then(this.#onWritten, this.#onWriteError);
  };

  #onWritten = (written: number): void => {
    const bytes = this.#unwritten!;
    // A write may take only part of the bytes.
    this.#unwritten = written < bytes.length ? bytes.subarray(written) : undefined;
    if (this.#pieceLeft > 0) {
      this.#pieceLeft = Math.max(0, this.#pieceLeft - written);
      if (this.#pieceLeft === 0 && this.#original) {
        this.#gapTimer = setTimeout(this.#afterGap, ORIGINAL_WRITE_GAP_MS);
        return;
      }
    }
    this.#pump();
  };

  #afterGap = (): void => {
    this.#gapTimer = undefined;
    this.#pump();
  };

  #onWriteError = (error: unknown): void => {
    const gone = isDisconnectError(error);
    if (!gone) this.#failure ??= { error };
    if (!this.#ending) this.#reason = gone ? "reset" : "writeError";
    this.#close();
    this.#stopWriter();
  };

  #stopWriter = (): void => {
    this.#writerDone = true;
    this.#onWriterDone?.();
  };

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#gapTimer !== undefined) {
      // The writer was pausing between pieces: it stops here.
      clearTimeout(this.#gapTimer);
      this.#gapTimer = undefined;
      this.#stopWriter();
    }
    try {
      this.#conn.close();
    } catch {
      // Already closed by the runtime: nothing left to release.
    }
  }
}

/**
 * Where the next piece for the Python original's client ends: after the last whole
 * line that fits in {@linkcode ORIGINAL_READ_BYTES}, or, for a longer line, at the
 * last character boundary that fits.
 */
function pieceForOriginal(bytes: Uint8Array): number {
  if (bytes.length <= ORIGINAL_READ_BYTES) return bytes.length;
  const lf = bytes.lastIndexOf(LF, ORIGINAL_READ_BYTES - 1);
  if (lf !== -1) return lf + 1;
  // The next piece must not start with a UTF-8 continuation byte (10xxxxxx).
  let end = ORIGINAL_READ_BYTES;
  while (end > ORIGINAL_READ_BYTES - 4 && (bytes[end] & 0xc0) === 0x80) end--;
  return end;
}
