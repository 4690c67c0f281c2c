/**
 * The server's options and their defaults: the one place a default is written
 * (the command line's help takes them from here).
 *
 * @module
 */

import type { Lang } from "../catalog/lang.ts";
import type { ClusterFactory } from "../chat/cluster.ts";
import { DEFAULT_MAX_LINE_BYTES } from "../transport/line_splitter.ts";
import type { ConsoleLog } from "../util/console_log.ts";

/** The address the server binds by default: this machine only. */
export const DEFAULT_HOSTNAME = "127.0.0.1";
/** The port of the original `main.py`. */
export const DEFAULT_PORT = 12345;
/** Longest line a client may send, in bytes: bounds the memory of a line without `\n`. */
export { DEFAULT_MAX_LINE_BYTES };
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
/** Messages and actions each room keeps for newcomers. */
export const DEFAULT_HISTORY = 50;
/** Rooms at once, the lobby included: bounds memory against a user who makes rooms in a loop. */
export const DEFAULT_MAX_ROOMS = 100;
/** The most lines of a message of the day that are sent. */
export const MAX_MOTD_LINES = 20;

/** The web page and its WebSocket (`--web`). */
export interface WebOptions {
  /** The port of the page and the WebSocket; `0` picks a free one. */
  port: number;
  /** The address to bind. @default {the chat's hostname} */
  hostname?: string;
  /**
   * Other origins whose pages may open the WebSocket (`https://example.org`), or
   * `*` for any; the page's own origin always may. @default {[]}
   */
  origins?: readonly string[];
}

/** How the server treats lines: the Python chat, or the C echo server. */
export type ServerMode = "chat" | "echo" | "echo-broadcast";

/** Options for `serve`. Every field is optional. */
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
  /** Messages and actions each room keeps and shows to newcomers; `0`: none. @default {50} */
  historyLimit?: number;
  /** The most rooms at once, the lobby included. @default {100} */
  maxRooms?: number;
  /** The server password; clients must send it before their nickname. @default {undefined} */
  password?: string;
  /** The operator password (`/op`); without it nobody is an operator. @default {undefined} */
  opPassword?: string;
  /** Lines sent to each user after the welcome line (at most 20, sanitized). @default {[]} */
  motd?: readonly string[];
  /** PEM certificate chain and key: serve TLS instead of plain TCP. @default {undefined} */
  tls?: { cert: string; key: string };
  /**
   * Also serve the web page at `/` and its WebSocket at `/ws` on another port
   * (chat mode only), over HTTPS/WSS when `tls` is set. @default {undefined}
   */
  web?: WebOptions;
  /**
   * Join a cluster: makes this server's part of it (see `loadCluster`, which loads
   * the Redis client only when a cluster is asked for). Rooms, nicknames and
   * presence are then shared with every server on the same Redis.
   * @default {undefined} (this server alone)
   */
  cluster?: ClusterFactory;
  /** Log only start and shutdown, not each connection and message. @default {false} */
  quiet?: boolean;
  /** Log what whispers say, not only that they were sent. @default {false} */
  logWhispers?: boolean;
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

/** The options with every default filled in. */
export type ResolvedServeOptions =
  & Required<
    Omit<
      ServeOptions,
      "password" | "opPassword" | "tls" | "cluster" | "web" | "log" | "signal" | "onListen"
    >
  >
  & Pick<
    ServeOptions,
    "password" | "opPassword" | "tls" | "cluster" | "web" | "signal" | "onListen"
  >;

/**
 * Fills in every default.
 *
 * @param options The options given.
 * @returns The options to run with.
 */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  return {
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
    historyLimit: options.historyLimit ?? DEFAULT_HISTORY,
    maxRooms: options.maxRooms ?? DEFAULT_MAX_ROOMS,
    motd: (options.motd ?? []).slice(0, MAX_MOTD_LINES),
    quiet: options.quiet ?? false,
    logWhispers: options.logWhispers ?? false,
    password: options.password,
    opPassword: options.opPassword,
    tls: options.tls,
    cluster: options.cluster,
    web: options.web,
    signal: options.signal,
    onListen: options.onListen,
  };
}
