/**
 * A server's link to Redis: two connections (one for commands, one for the
 * blocking `XREAD`), both reconnecting by themselves with back-off, and one state
 * for the pair as the rest of the cluster sees it.
 *
 * ```text
 * connecting ──up, prepared──▶ ready ──error──▶ lost ──up, prepared──▶ ready …
 *      │ (unreachable: told once)                                    any ──stop()──▶ stopped
 * ```
 *
 * Only the command connection decides the state. "Up" is not yet "ready": each
 * time it comes up, {@linkcode ConnectionEvents.prepare} runs first (a heartbeat,
 * the bans, the users' claims, the writes cut off in flight), and only when that
 * succeeded on the same connection does the state become `ready`. The reader's
 * connection has its own readiness (its client id, for `CLIENT UNBLOCK`); the
 * stream reader waits for it.
 *
 * Commands are never queued while Redis is away: they fail at once, so a caller
 * learns it at once.
 *
 * `ready` is also a fence: each heartbeat that succeeds says until when this server
 * may speak for its users ({@linkcode RedisConnection.renewed}). A server stalled
 * past it (SIGSTOP, a long pause) may have been found dead and its users' nicknames
 * taken: the first `ready` asked after waking says no, the state becomes `lost`
 * ({@linkcode ConnectionEvents.stalled}) and the connection is prepared again (the
 * claims taken back) before anything is sent.
 *
 * @module
 */

import { createClient, ErrorReply } from "@redis/client";
import { UnavailableError } from "../util/errors.ts";

/** The longest pause between two reconnection attempts. */
export const RECONNECT_MAX_MS = 5_000;
/** The first pause, and the step by which the pause grows per failed attempt. */
const RECONNECT_STEP_MS = 200;

/** The link's state; see the module's diagram. */
export type ConnectionState = "connecting" | "ready" | "lost" | "stopped";

/** What the link tells its owner. */
export interface ConnectionEvents {
  /**
   * The command connection is up: make Redis right before anyone relies on it.
   * A rejection (cut again) leaves the state as it was; the next "up" retries.
   *
   * @param first Whether the link was never ready before.
   */
  prepare(first: boolean): Promise<void>;
  /**
   * The state became `ready`.
   *
   * @param first Whether it is the first time.
   */
  ready(first: boolean): void;
  /**
   * The state became `lost`, or the first connection failed (said once).
   *
   * @param reason What the connection reported.
   */
  lost(reason: string): void;
  /**
   * The state became `lost` because this server was stalled past its last
   * heartbeat's reach; it is prepared again at once (the connection is up).
   *
   * @param sinceHeartbeatMs How long ago the last heartbeat that succeeded was sent.
   */
  stalled(sinceHeartbeatMs: number): void;
}

/** Options for {@linkcode RedisConnection}. */
export interface RedisConnectionOptions {
  /** `redis://[user:pass@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** The connections' name in `CLIENT LIST` (the reader's gets `-reader`). */
  name: string;
  /** Who is told of the state. */
  events: ConnectionEvents;
}

/**
 * A connection that fails at once while Redis is away rather than queue, reconnects
 * by itself with back-off, and speaks RESP2 (the raw replies the cluster reads are
 * its arrays).
 */
function connectRedis(url: string, name: string) {
  return createClient({
    url,
    name,
    RESP: 2,
    disableOfflineQueue: true,
    socket: {
      reconnectStrategy: (retries) => Math.min((retries + 1) * RECONNECT_STEP_MS, RECONNECT_MAX_MS),
    },
  });
}

type RedisClient = ReturnType<typeof connectRedis>;

/** The two connections to Redis of one server, and their state. */
export class RedisConnection {
  #cmd: RedisClient;
  #reader: RedisClient;
  #events: ConnectionEvents;
  #state: ConnectionState = "connecting";
  /** Counts the command connection's comings up: a preparation counts only for its own. */
  #epoch = 0;
  #toldUnreachable = false;
  #firstReady = Promise.withResolvers<void>();
  /** The reader's client id while its connection is up. */
  #readerId: number | undefined;
  #readerUp = Promise.withResolvers<void>();
  /** When the last heartbeat that succeeded was sent (`performance.now()`). */
  #lastHeartbeat = 0;
  /** Until when (`performance.now()`) this server may speak for its users. */
  #freshUntil = Infinity;

  /**
   * Makes both connections (not yet connected: see {@linkcode RedisConnection.start}).
   *
   * @param options The URL, the name and who is told.
   */
  constructor(options: RedisConnectionOptions) {
    this.#events = options.events;
    this.#cmd = connectRedis(options.url, options.name);
    this.#reader = connectRedis(options.url, `${options.name}-reader`);
    this.#cmd.on("ready", () => void this.#onUp());
    this.#cmd.on("error", (error: Error) => this.#onError(error.message));
    this.#reader.on("ready", () => void this.#onReaderUp());
    this.#reader.on("error", () => this.#onReaderDown());
  }

  /** The state; see the module's diagram. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Whether {@linkcode RedisConnection.stop} was called. */
  get stopped(): boolean {
    return this.#state === "stopped";
  }

  /**
   * Whether commands may be sent now and are expected to succeed. Asked after a
   * stall past the last heartbeat's reach, it finds the stall: it says no, and the
   * link prepares again.
   */
  get ready(): boolean {
    if (this.#state !== "ready") return false;
    if (performance.now() <= this.#freshUntil) return true;
    this.#stalled();
    return false;
  }

  /**
   * A heartbeat succeeded: this server speaks for its users until `until`.
   *
   * @param sentAt When it was sent (`performance.now()`).
   * @param until Until when its claims surely live and nobody counts it as dead.
   */
  renewed(sentAt: number, until: number): void {
    if (sentAt < this.#lastHeartbeat) return;
    this.#lastHeartbeat = sentAt;
    this.#freshUntil = until;
  }

  /**
   * Throws unless the link is ready.
   *
   * @throws {UnavailableError} When it is not.
   */
  mustBeReady(): void {
    if (!this.ready) throw new UnavailableError("Redis is unreachable");
  }

  /** Settles when the link is ready for the first time (or stopped before). */
  get firstReady(): Promise<void> {
    return this.#firstReady.promise;
  }

  /**
   * Connects both (they keep trying on their own).
   *
   * @returns When the first attempts are over, successful or not.
   */
  async start(): Promise<void> {
    await Promise.all([
      this.#cmd.connect().catch(() => {}),
      this.#reader.connect().catch(() => {}),
    ]);
  }

  /**
   * Stops: when ready, `goodbye` runs first and the command connection closes after
   * what is queued has been sent; otherwise both close at once.
   *
   * @param goodbye The last commands (leaving the cluster), sent while still ready.
   * @returns When both connections are closed.
   */
  async stop(goodbye: () => Promise<void>): Promise<void> {
    if (this.#state === "stopped") return;
    const wasReady = this.#state === "ready";
    this.#state = "stopped";
    if (wasReady) {
      await goodbye().catch(() => {});
      // Waits for what is queued (the users' leave notices), then closes.
      await this.#cmd.close().catch(() => {});
    } else if (this.#cmd.isOpen) {
      this.#cmd.destroy();
    }
    if (this.#reader.isOpen) this.#reader.destroy();
    this.#firstReady.resolve();
    this.#readerUp.resolve();
  }

  /**
   * Sends one command on the command connection.
   *
   * @param args The command and its arguments.
   * @returns Its raw RESP2 reply.
   */
  call<T = unknown>(args: string[]): Promise<T> {
    return this.#cmd.sendCommand<T>(args);
  }

  /**
   * Runs a Lua script on the command connection.
   *
   * @param script The script.
   * @param keyNames Its `KEYS`.
   * @param args Its `ARGV`.
   * @returns Its raw reply.
   */
  eval<T = unknown>(script: string, keyNames: string[], args: string[]): Promise<T> {
    return this.call<T>(["EVAL", script, String(keyNames.length), ...keyNames, ...args]);
  }

  /**
   * Sends one command on the reader's connection (the blocking `XREAD`).
   *
   * @param args The command and its arguments.
   * @returns Its raw reply.
   */
  read<T = unknown>(args: string[]): Promise<T> {
    return this.#reader.sendCommand<T>(args);
  }

  /** Whether the reader's connection is up now. */
  get readerUp(): boolean {
    return this.#reader.isReady;
  }

  /** Settles when the reader's connection is up (at once when it is, or when stopped). */
  whenReaderUp(): Promise<void> {
    return this.#readerUp.promise;
  }

  /** Makes the reader's blocked `XREAD` return at once (its streams changed). */
  unblockReader(): void {
    if (this.#readerId === undefined || this.#state !== "ready") return;
    this.call(["CLIENT", "UNBLOCK", String(this.#readerId)]).catch(() => {});
  }

  async #onUp(): Promise<void> {
    const epoch = ++this.#epoch;
    const first = this.#state === "connecting";
    try {
      await this.#events.prepare(first);
    } catch {
      return; // Lost again at once: the next "ready" starts over.
    }
    if (epoch !== this.#epoch || this.#state === "stopped" || !this.#cmd.isReady) return;
    this.#state = "ready";
    if (first) this.#firstReady.resolve();
    this.#events.ready(first);
    this.unblockReader();
  }

  /** Woke past the last heartbeat's reach: lost until prepared again, on the same connection. */
  #stalled(): void {
    this.#state = "lost";
    this.#events.stalled(performance.now() - this.#lastHeartbeat);
    void this.#onUp();
  }

  #onError(reason: string): void {
    if (this.#state === "stopped") return;
    if (this.#state === "connecting") {
      // Not reachable at start: said once, then retried quietly.
      if (this.#toldUnreachable) return;
      this.#toldUnreachable = true;
      this.#events.lost(reason);
      return;
    }
    if (this.#state !== "ready") return;
    this.#state = "lost";
    this.#events.lost(reason);
  }

  async #onReaderUp(): Promise<void> {
    try {
      this.#readerId = Number(await this.#reader.sendCommand(["CLIENT", "ID"]));
      this.#readerUp.resolve();
    } catch {
      // Lost again at once.
    }
  }

  #onReaderDown(): void {
    // The reader re-issues its XREAD itself, from the ids it has seen, once back.
    if (this.#readerId === undefined || this.#state === "stopped") return;
    this.#readerId = undefined;
    this.#readerUp = Promise.withResolvers<void>();
  }
}

/**
 * What a cluster step that failed on Redis throws.
 *
 * @param error What failed.
 * @returns An {@linkcode UnavailableError} (the same one when it is one).
 */
export function unavailable(error: unknown): UnavailableError {
  if (error instanceof UnavailableError) return error;
  return new UnavailableError(error instanceof Error ? error.message : String(error));
}

/**
 * Tells whether a command failed because Redis refused it (an error reply), rather
 * than because the connection went away: sent again, it would be refused again.
 *
 * @param error What the command's promise was rejected with.
 * @returns `true` for an error reply.
 */
export function isRefused(error: unknown): boolean {
  return error instanceof ErrorReply;
}
