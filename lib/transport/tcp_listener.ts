/**
 * The accept loop: a `Deno.listen` (or `Deno.listenTls`) listener that hands each
 * connection to its owner and goes straight back to `accept()`.
 *
 * `for await (const conn of listener)` ends for good the first time `accept()`
 * fails (a peer that reset before it was accepted, no file descriptors left), so
 * the loop catches each failure, reports it once per kind, pauses only when the
 * process is out of a resource, and stops only when the listener is closed.
 *
 * @module
 */

/** The pause after `accept()` failed for want of file descriptors or memory. */
export const ACCEPT_BACKOFF_MS = 50;

/** Options for {@linkcode TcpListener}. */
export interface TcpListenerOptions {
  /** The address to bind. */
  hostname: string;
  /** The port to bind; `0` picks a free one. */
  port: number;
  /** PEM certificate chain and key: accept TLS instead of plain TCP. @default {undefined} */
  tls?: { cert: string; key: string };
  /**
   * Share the port with other listeners that ask for it too (`SO_REUSEPORT`: the
   * kernel spreads connections over them; workers use it). @default {false}
   */
  reusePort?: boolean;
  /**
   * Called with each accepted connection (Nagle already off), synchronously; it
   * must not wait on the connection.
   */
  onConnection(conn: Deno.Conn): void;
  /**
   * Called when `accept()` fails, once per kind of failure in a row.
   * @default {undefined}
   */
  onAcceptError?(message: string): void;
}

/** A listener with its accept loop running. */
export class TcpListener {
  /** The address it listens on (the real port when `0` was asked for). */
  readonly addr: Deno.NetAddr;
  /** Settles when the accept loop has stopped (after {@linkcode TcpListener.close}). */
  readonly finished: Promise<void>;
  #listener: Deno.Listener;
  #options: TcpListenerOptions;
  #closing = false;
  #backoff: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | undefined;

  /**
   * Binds and starts accepting.
   *
   * @param options Where to listen and who gets the connections.
   * @throws {Deno.errors.AddrInUse} When the port is taken.
   */
  constructor(options: TcpListenerOptions) {
    this.#options = options;
    const { hostname, port, tls } = options;
    // Asked for only when wanted: it needs `--unstable-net` (deno.json has it).
    const shared = options.reusePort === true ? { reusePort: true } : {};
    this.#listener = tls === undefined
      ? Deno.listen({ hostname, port, ...shared })
      : Deno.listenTls({ hostname, port, ...tls, ...shared });
    this.addr = this.#listener.addr as Deno.NetAddr;
    this.finished = this.#acceptLoop();
  }

  /** Stops accepting; connections already accepted are not touched. Idempotent. */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    try {
      this.#listener.close();
    } catch {
      // Already closed.
    }
    if (this.#backoff !== undefined) {
      clearTimeout(this.#backoff.timer);
      this.#backoff.resolve();
    }
  }

  async #acceptLoop(): Promise<void> {
    let lastError = "";
    while (!this.#closing) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        if (this.#closing || error instanceof Deno.errors.BadResource) break;
        // A peer that reset before accept, or no file descriptors left: report once
        // per kind and keep serving everyone else. Only exhaustion waits a little
        // (retrying at once would spin); a reset concerns that peer alone.
        const text = error instanceof Error ? error.message : String(error);
        if (text !== lastError) this.#options.onAcceptError?.(text);
        lastError = text;
        if (isResourceExhaustion(error)) await this.#pause(ACCEPT_BACKOFF_MS);
        continue;
      }
      lastError = "";
      // Lines are small and interactive: do not let Nagle hold them back.
      if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(true);
      this.#options.onConnection(conn);
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#backoff = undefined;
        resolve();
      }, ms);
      this.#backoff = { timer, resolve };
    });
  }
}

/**
 * Tells whether an `accept()` error means the process is out of a resource (file
 * descriptors, memory), which retrying at once cannot fix. Deno reports these as a
 * plain `Error` with an errno `code`.
 *
 * @param error What `accept()` threw.
 * @returns `true` for EMFILE, ENFILE, ENOBUFS and ENOMEM.
 */
export function isResourceExhaustion(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && ["EMFILE", "ENFILE", "ENOBUFS", "ENOMEM"].includes(code)) {
    return true;
  }
  return error instanceof Error &&
    /too many open files|no buffer space|out of memory/i.test(error.message);
}
