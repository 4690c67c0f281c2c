/**
 * The server: the accept loop and the lifecycle (listen, serve, shut down).
 *
 * The accept loop never waits on a client: each connection gets its own task
 * ({@linkcode Session.run}), and the loop goes straight back to `accept()`.
 *
 * @module
 */

import { type Lang, messagesFor } from "../catalog/catalog.ts";
import { ConsoleLog } from "../util/console_log.ts";
import { Hub } from "../chat/hub.ts";
import { PasswordCheck } from "../util/password.ts";
import { formatAddr, type ServerMode, Session } from "./session.ts";

/** The address the server binds by default: this machine only. */
export const DEFAULT_HOSTNAME = "127.0.0.1";
/** The port of the original `main.py`. */
export const DEFAULT_PORT = 12345;
/** Longest line a client may send, in bytes: bounds the memory of a line without `\n`. */
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024;
/**
 * Bytes that may wait for one slow client before it is dropped: bounds memory per
 * client. Room for a full burst of the longest lines (40 × 8 KiB) from one sender.
 */
export const DEFAULT_MAX_OUTBOX_BYTES = 512 * 1024;
/** Connections at once: bounds file descriptors and memory. */
export const DEFAULT_MAX_CLIENTS = 1000;
/** Time to send the password and a valid nickname: frees slots held by silent connections. */
export const DEFAULT_NICKNAME_TIMEOUT_MS = 60_000;
/** Lines per second a client may send on average. */
export const DEFAULT_RATE_LINES_PER_SECOND = 20;
/** Lines a client may send at once after a quiet spell. */
export const DEFAULT_RATE_BURST = 40;
/** The pause after `accept()` failed for want of file descriptors or memory. */
export const ACCEPT_BACKOFF_MS = 50;

/** Options for {@linkcode serve}. Every field is optional. */
export interface ServeOptions {
  /** The address to bind. @default {"127.0.0.1"} */
  hostname?: string;
  /** The port to bind; `0` picks a free one. @default {12345} */
  port?: number;
  /** Chat (the Python original), or echo to the sender / to everyone (the C original). @default {"chat"} */
  mode?: ServerMode;
  /** The language of every line sent and logged. @default {"ko"} */
  lang?: Lang;
  /** The most bytes one line may take. @default {8192} */
  maxLineBytes?: number;
  /** The most bytes that may wait for one client before it is dropped. @default {524288} */
  maxOutboxBytes?: number;
  /** The most connections at once. @default {1000} */
  maxClients?: number;
  /** Milliseconds to send the password and a valid nickname; `0` waits forever. @default {60000} */
  nicknameTimeoutMs?: number;
  /** Lines per second per client; `0` turns flood control off. @default {20} */
  rateLinesPerSecond?: number;
  /** Lines at once per client. @default {40} */
  rateBurst?: number;
  /** The room password; clients must send it before their nickname. @default {undefined} */
  password?: string;
  /** PEM certificate chain and key: serve TLS instead of plain TCP. @default {undefined} */
  tls?: { cert: string; key: string };
  /** Log only start and shutdown, not each connection and message. @default {false} */
  quiet?: boolean;
  /** The console. @default {a ConsoleLog on Deno.stdout} */
  log?: ConsoleLog;
  /** Aborting it shuts the server down. @default {undefined} */
  signal?: AbortSignal;
  /**
   * Called once listening. The default logs the two startup lines of the original.
   * @default {undefined}
   */
  onListen?: (addr: Deno.NetAddr) => void;
}

type ResolvedOptions = Required<
  Omit<ServeOptions, "password" | "tls" | "log" | "signal" | "onListen">
>;

/** A running chat server. */
export class ChatServer implements AsyncDisposable {
  /** The address the server listens on (the real port when `0` was asked for). */
  readonly addr: Deno.NetAddr;
  /** Settles when the server has stopped and every connection is closed. */
  readonly finished: Promise<void>;
  #listener: Deno.Listener;
  #log: ConsoleLog;
  #hub: Hub;
  #sessions = new Set<Session>();
  /** Resolved when the last session closes after shutdown began. */
  #allClosed = Promise.withResolvers<void>();
  #rejections = new Set<Promise<void>>();
  #options: ResolvedOptions;
  #password: PasswordCheck | undefined;
  #closing = false;
  #backoff: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | undefined;
  #signal: AbortSignal | undefined;
  #onAbort = () => void this.shutdown();

  /**
   * Prefer {@linkcode serve}.
   *
   * @param options The settings.
   */
  constructor(options: ServeOptions = {}) {
    const o = {
      hostname: options.hostname ?? DEFAULT_HOSTNAME,
      port: options.port ?? DEFAULT_PORT,
      mode: options.mode ?? "chat",
      lang: options.lang ?? "ko",
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      maxOutboxBytes: options.maxOutboxBytes ?? DEFAULT_MAX_OUTBOX_BYTES,
      maxClients: options.maxClients ?? DEFAULT_MAX_CLIENTS,
      nicknameTimeoutMs: options.nicknameTimeoutMs ?? DEFAULT_NICKNAME_TIMEOUT_MS,
      rateLinesPerSecond: options.rateLinesPerSecond ?? DEFAULT_RATE_LINES_PER_SECOND,
      rateBurst: options.rateBurst ?? DEFAULT_RATE_BURST,
      quiet: options.quiet ?? false,
    };
    this.#options = o;
    const messages = messagesFor(o.lang);
    this.#log = options.log ?? new ConsoleLog();
    this.#password = options.password === undefined
      ? undefined
      : new PasswordCheck(options.password);
    // A client dropped for a full outbox is logged by its session, with the reason.
    this.#hub = new Hub({ messages });
    this.#listener = options.tls === undefined
      ? Deno.listen({ hostname: o.hostname, port: o.port })
      : Deno.listenTls({ hostname: o.hostname, port: o.port, ...options.tls });
    this.addr = this.#listener.addr as Deno.NetAddr;
    if (options.onListen !== undefined) {
      options.onListen(this.addr);
    } else {
      this.#log.plain(messages.listening(this.addr.hostname, this.addr.port));
      this.#log.plain(messages.waiting);
    }
    this.#signal = options.signal;
    this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
    this.finished = this.#serve();
    if (this.#signal?.aborted) void this.shutdown();
  }

  /** The number of open connections. */
  get connections(): number {
    return this.#sessions.size;
  }

  /**
   * Stops accepting, tells every client the server is shutting down, flushes
   * their output (bounded), and closes every connection.
   *
   * @returns When everything is closed (the same as {@linkcode ChatServer.finished}).
   */
  shutdown(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      this.#log.plain(messagesFor(this.#options.lang).logShutdown);
      try {
        this.#listener.close();
      } catch {
        // Already closed.
      }
      if (this.#backoff !== undefined) {
        clearTimeout(this.#backoff.timer);
        this.#backoff.resolve();
      }
      for (const session of this.#sessions) session.shutdown();
    }
    return this.finished;
  }

  /** Shuts the server down. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  async #serve(): Promise<void> {
    await this.#acceptLoop();
    if (this.#sessions.size > 0) await this.#allClosed.promise;
    await Promise.all(this.#rejections);
    this.#signal?.removeEventListener("abort", this.#onAbort);
    await this.#log.flushed();
  }

  async #acceptLoop(): Promise<void> {
    const messages = messagesFor(this.#options.lang);
    let lastError = "";
    while (!this.#closing) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        if (this.#closing || error instanceof Deno.errors.BadResource) break;
        // A peer that reset before accept, or no file descriptors left: log once
        // per kind and keep serving everyone else. Only exhaustion waits a little
        // (retrying at once would spin); a reset concerns that peer alone.
        const text = error instanceof Error ? error.message : String(error);
        if (text !== lastError) this.#log.info(messages.logAcceptError(text));
        lastError = text;
        if (isResourceExhaustion(error)) await this.#pause(ACCEPT_BACKOFF_MS);
        continue;
      }
      lastError = "";
      if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(true);
      if (this.#sessions.size >= this.#options.maxClients) {
        this.#reject(conn, messages.serverFull(this.#options.maxClients));
        continue;
      }
      const session = new Session(conn, {
        hub: this.#hub,
        mode: this.#options.mode,
        messages,
        log: this.#options.quiet ? undefined : this.#log,
        maxLineBytes: this.#options.maxLineBytes,
        maxOutboxBytes: this.#options.maxOutboxBytes,
        nicknameTimeoutMs: this.#options.nicknameTimeoutMs,
        rateLinesPerSecond: this.#options.rateLinesPerSecond,
        rateBurst: this.#options.rateBurst,
        password: this.#password,
      });
      this.#sessions.add(session);
      // Not awaited: the loop goes straight back to accept(). run() never rejects.
      void session.run().then(() => this.#closed(session));
    }
  }

  #closed(session: Session): void {
    this.#sessions.delete(session);
    if (this.#closing && this.#sessions.size === 0) this.#allClosed.resolve();
  }

  /** Sends one line to a connection over the limit and closes it, without waiting. */
  #reject(conn: Deno.Conn, line: string): void {
    const done = (async () => {
      try {
        await conn.write(new TextEncoder().encode(line + "\n"));
      } catch {
        // The peer is gone already.
      } finally {
        try {
          conn.close();
        } catch {
          // Already closed.
        }
      }
    })().finally(() => this.#rejections.delete(done));
    this.#rejections.add(done);
    if (!this.#options.quiet) {
      this.#log.info(
        messagesFor(this.#options.lang).logDisconnected(
          formatAddr(conn.remoteAddr),
          undefined,
          "server full",
        ),
      );
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
function isResourceExhaustion(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && ["EMFILE", "ENFILE", "ENOBUFS", "ENOMEM"].includes(code)) {
    return true;
  }
  return error instanceof Error &&
    /too many open files|no buffer space|out of memory/i.test(error.message);
}

/**
 * Starts a chat server, like `Deno.serve` starts an HTTP server.
 *
 * @param options The settings.
 * @returns The running server.
 * @throws {Deno.errors.AddrInUse} When the port is taken.
 *
 * @example
 * ```ts
 * await using server = serve({ port: 0, onListen: () => {} });
 * console.log(server.addr.port);
 * ```
 */
export function serve(options: ServeOptions = {}): ChatServer {
  return new ChatServer(options);
}
