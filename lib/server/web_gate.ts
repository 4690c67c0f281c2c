/**
 * The web port's front door: each connection carries one HTTP request. A request
 * addressed to a name that is not the server's (its `Host`, see
 * {@linkcode WebHosts}) is refused first, whatever it asks for. `GET /` gets the
 * page; `GET /ws` with a valid upgrade from an allowed origin becomes a WebSocket
 * and is handed to the server (it joins the chat like a TCP client); anything
 * else gets a status and a one-line body, and is closed. A bad request never
 * reaches the chat and never throws.
 *
 * @module
 */

import {
  HttpError,
  httpResponse,
  readRequestHead,
  REQUEST_HEAD_TIMEOUT_MS,
  type RequestHead,
} from "../transport/http_head.ts";
import type { WebRefusal } from "../catalog/console_text.ts";
import { formatAddr, hostOf } from "../transport/address.ts";
import { checkUpgrade, upgradeResponse } from "../transport/websocket_handshake.ts";
import { PAGE_CSP } from "../web/page.ts";
import { WebHosts } from "./web_hosts.ts";

/** The path of the page. */
export const PAGE_PATH = "/";
/** The path of the WebSocket. */
export const WEBSOCKET_PATH = "/ws";
/** What browsers ask for by themselves: answered with nothing, not with an error. */
const FAVICON_PATH = "/favicon.ico";
/**
 * How long a refused request's connection is kept open after the response, reading
 * and discarding, so that unread request bytes do not turn our close into a reset
 * that eats the response.
 */
export const LINGER_MS = 1_000;
/** How much a refused request's connection reads and discards before closing. */
const LINGER_BYTES = 64 * 1024;
/**
 * At most one console line per address in this time for refused requests (a
 * wrong name or origin): the operator learns of the problem, a flood writes no
 * more than one line per address.
 */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;
/** The most addresses remembered for {@linkcode REFUSAL_LOG_INTERVAL_MS}: bounds the memory. */
const REFUSAL_LOG_ADDRESSES = 1024;

/** Headers on every response: no sniffing, no referrer, never cached. */
const COMMON_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
} as const;

/** A WebSocket request that was accepted. */
export interface WebUpgrade {
  /** The `101 Switching Protocols` response, to send before anything else. */
  response: Uint8Array;
  /** Bytes the client sent after its request (its first frames, if it did not wait). */
  rest: Uint8Array;
  /**
   * The room to enter once the nickname is accepted (`/ws?room=math`), instead of
   * the lobby: a page that reconnects goes straight back to its room.
   */
  room: string | undefined;
  /**
   * The id of the last message the page showed in `room` (`/ws?room=math&since=ID`):
   * it catches up from there, no line twice and none missing.
   */
  since: string | undefined;
}

/** Options for {@linkcode WebGate}. */
export interface WebGateOptions {
  /** The page's HTML. */
  html: string;
  /** The web listener's address: the server's own names are checked against it. */
  addr: Deno.NetAddr;
  /** The name the listener was asked to bind, when it is a name (`--web-host`). @default {undefined} */
  hostname?: string;
  /**
   * More hosts a request may be addressed to, besides the server's own names and
   * addresses (a reverse proxy's name): `name` (any port) or `name:port`. A page
   * served from one of them may open the WebSocket too.
   * @default {[]}
   */
  hosts?: readonly string[];
  /**
   * Other origins whose pages may open the WebSocket (`https://example.org`), or
   * `*` for any. The page's own origin always may; a client that sends no
   * `Origin` (not a browser: a bot) always may.
   * @default {[]}
   */
  origins?: readonly string[];
  /** Whether the port serves TLS (the page's origin is then `https://`). @default {false} */
  tls?: boolean;
  /** How long a connection may take to send its request head. @default {10000} */
  headTimeoutMs?: number;
  /**
   * Told of a request refused for its `Host` or its `Origin`: the peer
   * (`host:port`), what was wrong, and the offending value (quoted, at most 100
   * characters). At most once per address every {@linkcode REFUSAL_LOG_INTERVAL_MS}.
   * @default {undefined}
   */
  onRefused?: (peer: string, refusal: WebRefusal, value: string) => void;
}

/** Serves the web port's requests and hands accepted WebSockets on. */
export class WebGate {
  readonly #page: Uint8Array;
  readonly #pageHead: Uint8Array;
  readonly #noContent: Uint8Array = httpResponse(204, COMMON_HEADERS);
  readonly #origins: ReadonlySet<string>;
  readonly #anyOrigin: boolean;
  readonly #hosts: WebHosts;
  readonly #headTimeoutMs: number;
  readonly #onRefused: WebGateOptions["onRefused"];
  /** When each address last had a refusal told, for the log's bound. */
  readonly #refusalsTold = new Map<string, number>();
  /** Connections whose request is being read or answered, oldest first. */
  readonly #open = new Set<Deno.Conn>();
  /** What to call when a connection of `#open` is closed without being handed on. */
  readonly #onClosed = new Map<Deno.Conn, () => void>();
  /** Connections refused at once (full, stopping): answered, not counted as clients. */
  readonly #refused = new Set<Deno.Conn>();
  readonly #tasks = new Set<Promise<void>>();

  /**
   * @param options The page, the address, the allowed hosts and origins, TLS.
   * @throws {TypeError} When an allowed host is malformed.
   */
  constructor(options: WebGateOptions) {
    const headers = {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": PAGE_CSP,
      "X-Frame-Options": "DENY",
      ...COMMON_HEADERS,
    };
    this.#page = httpResponse(200, headers, options.html);
    this.#pageHead = httpResponse(200, headers, options.html, false);
    const origins = options.origins ?? [];
    this.#anyOrigin = origins.includes("*");
    this.#origins = new Set(origins.filter((o) => o !== "*").map((o) => o.toLowerCase()));
    this.#hosts = new WebHosts({
      addr: options.addr,
      hostname: options.hostname,
      allowed: options.hosts,
      tls: options.tls,
    });
    this.#headTimeoutMs = options.headTimeoutMs ?? REQUEST_HEAD_TIMEOUT_MS;
    this.#onRefused = options.onRefused;
  }

  /** The connections whose request is still being read or answered (refused ones aside). */
  get pending(): number {
    return this.#open.size;
  }

  /**
   * Serves a connection's request, without waiting.
   *
   * @param conn The accepted connection; the gate owns it until it hands it on.
   * @param upgraded Called with the connection and its upgrade when it is an
   *   accepted WebSocket; the callee owns the connection from then on.
   * @param closed Called once when the gate closes the connection instead (answered,
   *   refused, gone, dropped). @default {nothing}
   */
  accept(
    conn: Deno.Conn,
    upgraded: (conn: Deno.Conn, upgrade: WebUpgrade) => void,
    closed?: () => void,
  ): void {
    this.#open.add(conn);
    if (closed !== undefined) this.#onClosed.set(conn, closed);
    this.#track(this.#serve(conn, upgraded));
  }

  /**
   * Closes the oldest connection whose request is still being read or answered:
   * the server is full and a newcomer needs its place.
   *
   * @returns Whether there was one.
   */
  dropOldest(): boolean {
    const oldest = this.#open.values().next();
    if (oldest.done === true) return false;
    this.#forget(oldest.value);
    return true;
  }

  /**
   * Answers a connection with a status and a one-line body, and closes it (the
   * server is full or stopping).
   *
   * @param conn The accepted connection.
   * @param status The HTTP status.
   * @param line The body.
   */
  refuse(conn: Deno.Conn, status: number, line: string): void {
    this.#refused.add(conn);
    this.#track(this.#respond(conn, errorResponse(status, line)));
  }

  /** Closes every connection whose request is still being read or answered (shutdown). */
  close(): void {
    for (const conn of [...this.#open, ...this.#refused]) this.#forget(conn);
  }

  /** @returns When every request being served has finished. */
  async finished(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.all(this.#tasks);
  }

  /**
   * Tells whether a browser page from `origin` may open the WebSocket: a page of
   * this server (one of its own names or allowed hosts, never merely the `Host`
   * the request names), a listed origin, or any with `*`. No `Origin` header:
   * not a browser, allowed.
   *
   * @param origin The `Origin` header.
   * @returns `true` when allowed.
   */
  allows(origin: string | undefined): boolean {
    if (origin === undefined || this.#anyOrigin) return true;
    return this.#origins.has(origin.toLowerCase()) || this.#hosts.allowsOrigin(origin);
  }

  #track(task: Promise<void>): void {
    const done = task.finally(() => this.#tasks.delete(done));
    this.#tasks.add(done);
  }

  async #serve(
    conn: Deno.Conn,
    upgraded: (conn: Deno.Conn, upgrade: WebUpgrade) => void,
  ): Promise<void> {
    let response: Uint8Array;
    try {
      const request = await readRequestHead(conn, { timeoutMs: this.#headTimeoutMs });
      // Closed by close() (shutdown) while reading, or by the peer.
      if (!this.#open.has(conn) || request === undefined) {
        this.#forget(conn);
        return;
      }
      const route = this.#route(request.head, conn);
      if (typeof route === "string") {
        // From here on the connection is the server's.
        this.#open.delete(conn);
        this.#onClosed.delete(conn);
        upgraded(conn, {
          response: upgradeResponse(route),
          rest: request.rest,
          room: request.head.query.get("room") || undefined,
          since: request.head.query.get("since") || undefined,
        });
        return;
      }
      response = route;
    } catch (error) {
      // A disconnect or another socket error, or close() at shutdown: nothing to answer.
      if (!(error instanceof HttpError) || !this.#open.has(conn)) {
        this.#forget(conn);
        return;
      }
      // A request too slow to finish its head: its read is still pending, so no lingering read.
      if (error.status === 408) {
        await this.#respond(conn, errorResponse(error.status, error.message), false);
        return;
      }
      response = errorResponse(error.status, error.message);
    }
    await this.#respond(conn, response);
  }

  /** What a request gets: the page's response, or the WebSocket key of an accepted upgrade. */
  #route(head: RequestHead, conn: Deno.Conn): Uint8Array | string {
    // One check of the name, for the page and the socket alike (DNS rebinding).
    const host = head.headers.get("host");
    if (host === undefined || host === "") {
      this.#tellRefusal(conn, "noHost", "");
      throw new HttpError(400, "Cannot serve a request without a Host header");
    }
    if (!this.#hosts.allowsHost(host)) {
      const quoted = quote(host);
      this.#tellRefusal(conn, "host", quoted);
      throw new HttpError(
        403,
        `Cannot serve host ${quoted}: not a name of this server (see --web-host-allow)`,
      );
    }
    if (head.path === WEBSOCKET_PATH) {
      const key = checkUpgrade(head);
      const origin = head.headers.get("origin");
      if (!this.allows(origin)) {
        const quoted = quote(origin ?? "");
        this.#tellRefusal(conn, "origin", quoted);
        throw new HttpError(
          403,
          `Cannot open the chat from ${quoted}: origin not allowed (see --web-origin)`,
        );
      }
      return key;
    }
    if (head.path === PAGE_PATH) {
      if (head.method === "GET") return this.#page;
      if (head.method === "HEAD") return this.#pageHead;
      throw new HttpError(405, `Cannot ${head.method} the page: use GET`);
    }
    if (head.path === FAVICON_PATH) return this.#noContent;
    throw new HttpError(404, `Not found: ${JSON.stringify(head.path.slice(0, 100))}`);
  }

  /** Writes a response, then half-closes and (unless told not to) lingers before closing. */
  async #respond(conn: Deno.Conn, response: Uint8Array, linger = true): Promise<void> {
    try {
      let offset = 0;
      while (offset < response.length) offset += await conn.write(response.subarray(offset));
      await conn.closeWrite();
      if (linger) await this.#linger(conn);
    } catch {
      // The peer is gone, or close() closed the connection: nothing left to do.
    } finally {
      this.#forget(conn);
    }
  }

  /** Reads and discards until the peer closes, or for a bounded time and size. */
  async #linger(conn: Deno.Conn): Promise<void> {
    const timer = setTimeout(() => this.#forget(conn), LINGER_MS);
    try {
      const buffer = new Uint8Array(4096);
      let read = 0;
      while (read < LINGER_BYTES) {
        const n = await conn.read(buffer);
        if (n === null) break;
        read += n;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Tells of a refusal, unless this address had one told a moment ago. */
  #tellRefusal(conn: Deno.Conn, refusal: WebRefusal, value: string): void {
    if (this.#onRefused === undefined) return;
    const address = hostOf(conn.remoteAddr);
    const now = Date.now();
    const told = this.#refusalsTold.get(address);
    if (told !== undefined && now - told < REFUSAL_LOG_INTERVAL_MS) return;
    if (this.#refusalsTold.size >= REFUSAL_LOG_ADDRESSES) {
      for (const [old, at] of this.#refusalsTold) {
        if (now - at >= REFUSAL_LOG_INTERVAL_MS) this.#refusalsTold.delete(old);
      }
      // Still full: that many addresses in a moment is a flood, and is not told.
      if (this.#refusalsTold.size >= REFUSAL_LOG_ADDRESSES) return;
    }
    this.#refusalsTold.set(address, now);
    this.#onRefused(formatAddr(conn.remoteAddr), refusal, value);
  }

  #forget(conn: Deno.Conn): void {
    if (this.#open.delete(conn) || this.#refused.delete(conn)) closeQuietly(conn);
    const closed = this.#onClosed.get(conn);
    if (closed === undefined) return;
    this.#onClosed.delete(conn);
    closed();
  }
}

/** A status with a one-line plain-text body (no user input is ever echoed as HTML). */
function errorResponse(status: number, line: string): Uint8Array {
  const headers: Record<string, string> = {
    "Content-Type": "text/plain; charset=utf-8",
    ...COMMON_HEADERS,
  };
  if (status === 405) headers["Allow"] = "GET, HEAD";
  if (status === 426) headers["Sec-WebSocket-Version"] = "13";
  return httpResponse(status, headers, line + "\n");
}

/** A header's value as a console line or a response may show it: quoted, escaped, cut. */
function quote(value: string): string {
  return JSON.stringify(value.slice(0, 100));
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Closed already.
  }
}
