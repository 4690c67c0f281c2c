/**
 * The client's one writer to its server: it alone writes to and closes the
 * connection.
 *
 * @module
 */

import { isDisconnectError } from "../util/errors.ts";
import { Mutex } from "../util/mutex.ts";
import { writeAll } from "../util/write_all.ts";

/**
 * The pause after each message to a server that frames nothing, in milliseconds.
 * The Python original reads each `recv(1024)` as one message: two writes closer
 * together could arrive in one read and be taken as one message.
 */
export const UNFRAMED_MESSAGE_GAP_MS = 100;

/** Writes lines to the server, each whole, and closes the connection once. */
export class ServerWriter {
  readonly #conn: Deno.Conn;
  readonly #onError: (error: unknown) => void;
  readonly #encoder = new TextEncoder();
  // Typed lines and automatic answers come from two tasks; two write loops on one
  // socket would interleave their bytes, so each line is written whole under the lock.
  readonly #lock = new Mutex();
  #closed = false;

  /**
   * @param conn The connection; the writer closes it.
   * @param onError Told of a write error that is not a disconnect (one line for the
   *   user); a disconnect is the reader's news.
   */
  constructor(conn: Deno.Conn, onError: (error: unknown) => void) {
    this.#conn = conn;
    this.#onError = onError;
  }

  /** Whether {@linkcode close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends one line: with `\n`, or (`framed` false, for the Python original) as one
   * write of its own, followed by a pause ({@linkcode UNFRAMED_MESSAGE_GAP_MS})
   * before the next; an empty unframed line sends nothing, as the original's own
   * client sends no empty message.
   *
   * @param text The line, without its ending.
   * @param framed Whether lines end in `\n` on this server.
   * @returns `false` when the connection is gone.
   */
  async send(text: string, framed: boolean): Promise<boolean> {
    using _held = await this.#lock.acquire();
    if (this.#closed) return false;
    try {
      if (framed) {
        await writeAll(this.#conn, this.#encoder.encode(text + "\n"));
      } else if (text !== "") {
        await writeAll(this.#conn, this.#encoder.encode(text));
        await new Promise((resolve) => setTimeout(resolve, UNFRAMED_MESSAGE_GAP_MS));
      }
      return true;
    } catch (error) {
      if (!isDisconnectError(error)) this.#onError(error);
      return false;
    }
  }

  /** Half-close: the server sees our end of input, and can still answer. */
  async shutdownWrite(): Promise<void> {
    using _held = await this.#lock.acquire();
    if (this.#closed) return;
    try {
      await this.#conn.closeWrite();
    } catch {
      // Already gone: the read side will tell.
    }
  }

  /** Closes the connection (both ways), at once. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Closed already (BadResource): nothing to release.
    }
  }
}
