/**
 * The server's options. The settings that come from the command line as they are
 * (`hostname`, `port`, the limits…) are the rows of the option table marked
 * `serve`: their types and defaults are derived from the table
 * (`lib/config/option_table.ts`), so a new one needs no line here.
 *
 * @module
 */

import type { ClusterFactory } from "../chat/cluster.ts";
import type { StoreFactory } from "../chat/store.ts";
import type { AttemptsObserver, PasswordAttempts } from "../chat/password_attempts.ts";
import { type SettingsOf, withDefaults } from "../config/option_row.ts";
import { MAX_MOTD_LINES, SERVER_OPTIONS, type ServerRow } from "../config/option_table.ts";
import { DEFAULT_MAX_LINE_BYTES } from "../transport/line_splitter.ts";
import type { ConsoleLog } from "../util/console_log.ts";

/** The most lines of a message of the day that are sent. */
export { MAX_MOTD_LINES };
/** Longest line a client may send, in bytes (the transport layer's default). */
export { DEFAULT_MAX_LINE_BYTES };

/** A row of the option table that `serve()` takes as it is. */
type ServedRow = Extract<ServerRow, { serve: true }>;

const SERVED_ROWS: readonly ServedRow[] = SERVER_OPTIONS.filter((row): row is ServedRow =>
  "serve" in row && row.serve
);

/**
 * The settings `serve()` takes from the command line as they are: one field per
 * row of the option table marked `serve` (the row says what it does, how it is
 * checked and its default).
 */
export type ServedSettings = SettingsOf<ServedRow>;

/** Every served setting at its default (the option table's). */
export const SERVED_DEFAULTS: Readonly<ServedSettings> = withDefaults(SERVED_ROWS, {});

/**
 * Picks the served settings out of a larger object (the parsed command line).
 *
 * @param settings An object that holds every served setting, and maybe more.
 * @returns The served settings alone.
 */
export function servedSettings(settings: ServedSettings): ServedSettings {
  return withDefaults(SERVED_ROWS, settings);
}

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
  /**
   * More names the page may be reached at, besides the server's own names and
   * addresses (a reverse proxy's): `name` (any port) or `name:port`. @default {[]}
   */
  hosts?: readonly string[];
}

/** The IRC port (`--irc`). */
export interface IrcOptions {
  /** The port IRC clients connect to; `0` picks a free one. */
  port: number;
  /** The address to bind. @default {the chat's hostname} */
  hostname?: string;
  /** The server's name, the source of its numerics. @default {"tcp-chat.server"} */
  name?: string;
  /**
   * Silence before the server sends a PING, and how long it waits for an answer
   * before closing (tests shorten them). @default {90 s and 60 s}
   */
  ping?: { intervalMs: number; timeoutMs: number };
}

/** How the server treats lines: the Python chat, or the C echo server. */
export type ServerMode = "chat" | "echo" | "echo-broadcast";

/**
 * Options for `serve`. Every field is optional: the served settings default as the
 * option table says; the others are below.
 */
export interface ServeOptions extends Partial<ServedSettings> {
  /** Chat (the Python original), or echo to the sender / to everyone (the C original). @default {"chat"} */
  mode?: ServerMode;
  /** Lines sent to each user after the welcome line (the first `MAX_MOTD_LINES`). @default {[]} */
  motd?: readonly string[];
  /** PEM certificate chain and key: serve TLS instead of plain TCP. @default {undefined} */
  tls?: { cert: string; key: string };
  /**
   * Also serve the web page at `/` and its WebSocket at `/ws` on another port
   * (chat mode only), over HTTPS/WSS when `tls` is set. @default {undefined}
   */
  web?: WebOptions;
  /**
   * Also serve IRC clients on another port (chat mode only), over TLS when `tls`
   * is set. @default {undefined}
   */
  irc?: IrcOptions;
  /**
   * Join a cluster: makes this server's part of it (see `loadCluster`, which loads
   * the Redis client only when a cluster is asked for). Rooms, nicknames and
   * presence are then shared with every server on the same Redis.
   * @default {undefined} (this server alone)
   */
  cluster?: ClusterFactory;
  /**
   * What the chat remembers (chat mode): makes the store given the console, when
   * the server starts; the server closes it when it stops. A store that cannot be
   * opened (`DataFileError`) stops the start before anything listens. See
   * `sqliteStore` (`lib/store/sqlite_store.ts`).
   * @default {a MemoryStore: nothing survives the process}
   */
  store?: StoreFactory;
  /** The console. @default {a ConsoleLog on Deno.stdout} */
  log?: ConsoleLog;
  /**
   * Makes the counts of wrong password answers per address, given the console
   * (tests give a clock of their own).
   * @default {a cluster's shared counts, or this server's own in memory}
   */
  passwordAttempts?: (observer: AttemptsObserver) => PasswordAttempts;
  /** Aborting it shuts the server down. @default {undefined} */
  signal?: AbortSignal;
  /**
   * Share the chat port and the web port with other servers of this process that
   * ask for it too (workers: the kernel spreads the connections). @default {false}
   */
  reusePort?: boolean;
  /**
   * The open connections per address and in all, when several servers of this
   * process count together (workers: `maxClients` and `maxPerAddress` are for the
   * whole process). @default {this server's own counts}
   */
  counts?: ConnectionCounts;
  /**
   * Whether the console shows each room event; `false` where another part of the
   * process shows them once (workers: the coordinator). @default {true}
   */
  logRoomEvents?: boolean;
  /**
   * Called once listening. The default logs the two startup lines of the original.
   * @default {undefined}
   */
  onListen?: (addr: Deno.NetAddr) => void;
}

/** Open connections per address and in all (TCP, WebSocket, web requests). */
export interface ConnectionCounts {
  /**
   * @param address The IP address.
   * @returns Its open connections.
   */
  count(address: string): number;
  /** @returns Every open connection. */
  total(): number;
  /**
   * A connection from the address was accepted.
   *
   * @param address The IP address.
   */
  add(address: string): void;
  /**
   * A connection from the address closed.
   *
   * @param address The IP address.
   */
  remove(address: string): void;
}

/** The options with every default filled in. */
export type ResolvedServeOptions =
  & ServedSettings
  & Required<Pick<ServeOptions, "mode" | "motd">>
  & Pick<
    ServeOptions,
    | "tls"
    | "cluster"
    | "store"
    | "web"
    | "irc"
    | "signal"
    | "onListen"
    | "passwordAttempts"
    | "reusePort"
    | "counts"
    | "logRoomEvents"
  >;

/**
 * Fills in every default.
 *
 * @param options The options given.
 * @returns The options to run with.
 */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  return {
    ...withDefaults(SERVED_ROWS, options),
    mode: options.mode ?? "chat",
    motd: (options.motd ?? []).slice(0, MAX_MOTD_LINES),
    tls: options.tls,
    cluster: options.cluster,
    store: options.store,
    web: options.web,
    irc: options.irc,
    signal: options.signal,
    onListen: options.onListen,
    passwordAttempts: options.passwordAttempts,
    reusePort: options.reusePort,
    counts: options.counts,
    logRoomEvents: options.logRoomEvents,
  };
}
