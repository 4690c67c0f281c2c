/**
 * Who is alive in a cluster: each server says so by a heartbeat that also renews
 * its users' nickname claims; each looks for servers that stopped saying so and
 * announces their users as gone (exactly one server gets each dead one); and a
 * server that was cut off claims its users back when it returns.
 *
 * @module
 */

import type { ClusterLog } from "../chat/cluster.ts";
import type { RoomEvent } from "../chat/events.ts";
import { KEY_PREFIX, keys } from "./keys.ts";
import type { MalformedLog } from "./malformed_log.ts";
import { parsePresence, type Presence } from "./presence.ts";
import type { RedisBus } from "./redis_bus.ts";
import type { RedisConnection } from "./redis_connection.ts";
import { type LocalUser, NICK_TTL_MS, type RedisDirectory } from "./redis_directory.ts";
import { HEARTBEAT, REAP, RECLAIM } from "./scripts.ts";

/** How often a server renews its claims and says it is alive. */
export const HEARTBEAT_MS = 2_000;
/** A server whose heartbeat is this old is dead: its users are announced as gone. */
export const DEAD_AFTER_MS = 10_000;
/** How often a server looks for dead ones. */
export const REAP_CHECK_MS = 2_000;
/** Nickname claims renewed per heartbeat script call: one script stays short. */
const HEARTBEAT_BATCH = 500;

/** How a cluster's liveness is timed (the same on every server; tests shorten it). */
export interface ClusterTiming {
  /** How often a server renews its claims and says it is alive. @default {2000} */
  heartbeatMs: number;
  /** A server whose heartbeat is this old is dead. @default {10000} */
  deadAfterMs: number;
  /** How often a server looks for dead ones. @default {2000} */
  reapCheckMs: number;
  /** How long a nickname claim lives without renewal. @default {10000} */
  nickTtlMs: number;
}

/** The timing of a real cluster. */
export const DEFAULT_TIMING: Readonly<ClusterTiming> = {
  heartbeatMs: HEARTBEAT_MS,
  deadAfterMs: DEAD_AFTER_MS,
  reapCheckMs: REAP_CHECK_MS,
  nickTtlMs: NICK_TTL_MS,
};

/**
 * How long after a heartbeat was sent this server may still speak for its users:
 * past it the others may have found it dead, and its claims may have expired. Two
 * heartbeats short of the first of those, so that one late heartbeat is no stall.
 *
 * @param timing The cluster's timing.
 * @returns Milliseconds after the heartbeat was sent.
 */
export function freshForMs(timing: ClusterTiming): number {
  return Math.min(timing.deadAfterMs, timing.nickTtlMs) - 2 * timing.heartbeatMs;
}

/** What {@linkcode Liveness.reclaim} found. */
export interface Reclaimed {
  /** Users whose nickname is theirs again but whose presence was gone (reaped): they are back. */
  back: LocalUser[];
  /** Users whose nickname someone else holds now. */
  taken: LocalUser[];
}

/** What {@linkcode Liveness} works with. */
export interface LivenessParts {
  /** This server's id. */
  serverId: string;
  /** The link to Redis. */
  connection: RedisConnection;
  /** This server's users and their claims. */
  directory: RedisDirectory;
  /** Where the dead servers' users' leaves are published. */
  bus: RedisBus;
  /** The console. */
  log: ClusterLog | undefined;
  /** Where entries of the wrong shape are reported. */
  malformed: MalformedLog;
  /** The cluster's timing. */
  timing: Readonly<ClusterTiming>;
}

/**
 * The heartbeat, the reaping of dead servers, and the reclaim after a cut. Each
 * heartbeat that succeeds tells the link until when this server may speak for its
 * users ({@linkcode freshForMs}): a server that was stalled past it (SIGSTOP, a
 * long pause) finds so on waking, before it sends anything, and claims again.
 */
export class Liveness {
  #parts: LivenessParts;
  #timers: ReturnType<typeof setInterval>[] = [];
  /** When the link was last ready: a server that was cut off waits before it reaps. */
  #readySince = 0;

  /**
   * @param parts The server's id, the link, the directory, the bus and the console.
   */
  constructor(parts: LivenessParts) {
    this.#parts = parts;
  }

  /** Starts the heartbeat and the search for dead servers. */
  start(): void {
    const { heartbeatMs, reapCheckMs } = this.#parts.timing;
    this.#timers.push(
      setInterval(() => void this.heartbeat(), heartbeatMs),
      setInterval(() => void this.#reap(), reapCheckMs),
    );
  }

  /** Stops both. */
  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }

  /** The link is ready (again): the wait before reaping starts now. */
  ready(): void {
    this.#readySince = Date.now();
  }

  /**
   * Says this server is alive and renews its users' claims.
   *
   * @param force Also while not ready (when preparing a connection); a failure then
   *   rejects.
   * @returns When done.
   */
  async heartbeat(force = false): Promise<void> {
    const { connection, directory, serverId, timing } = this.#parts;
    // Asking whether the link is ready is what finds a stall: nothing is sent then.
    if ((!connection.ready && !force) || connection.stopped) return;
    const sentAt = performance.now();
    const locals = [...directory.locals()];
    let renewed = true;
    let first = true;
    for (let i = 0; first || i < locals.length; i += HEARTBEAT_BATCH) {
      first = false;
      const batch = locals.slice(i, i + HEARTBEAT_BATCH);
      await connection.eval(
        HEARTBEAT,
        [keys.servers, ...batch.map((local) => keys.nick(local.user.key))],
        [serverId, String(timing.nickTtlMs), ...batch.map((local) => local.token)],
      ).catch((error) => {
        if (force) throw error;
        renewed = false;
      });
    }
    // Redis ran it after it was sent: the claims live at least that long from then.
    if (renewed) connection.renewed(sentAt, sentAt + freshForMs(timing));
  }

  /**
   * After a cut or a stall: claims and presence back as they are here (Redis may
   * have lost them, or they expired), and the users who left meanwhile taken out.
   *
   * @returns The users who are back after being announced as gone, and those whose
   *   nickname someone else took meanwhile (not claimed: the caller renames them).
   */
  async reclaim(): Promise<Reclaimed> {
    const { connection, directory, serverId, timing } = this.#parts;
    const mine = new Set<string>();
    const reclaimed: Reclaimed = { back: [], taken: [] };
    for (const local of directory.locals()) {
      const user = local.user;
      mine.add(user.key);
      const result = await connection.eval(
        RECLAIM,
        [keys.nick(user.key), keys.users, keys.serverUsers(serverId)],
        [
          local.token,
          String(timing.nickTtlMs),
          user.key,
          JSON.stringify(directory.presenceOf(local)),
        ],
      );
      if (result === 0) reclaimed.taken.push(local);
      else if (result === 2) reclaimed.back.push(local);
    }
    await directory.forgetGone(mine);
    return reclaimed;
  }

  /** Finds dead servers and tells their users' rooms they left (once: the script picks one reaper). */
  async #reap(): Promise<void> {
    const { connection, bus, log, malformed } = this.#parts;
    // A server that was cut off itself must first give the others time to come back.
    const { deadAfterMs } = this.#parts.timing;
    if (!connection.ready || Date.now() - this.#readySince < deadAfterMs) return;
    let gone: string[];
    try {
      gone = await connection.eval<string[]>(
        REAP,
        [keys.servers],
        [String(deadAfterMs), KEY_PREFIX],
      );
    } catch {
      return;
    }
    const byServer = new Map<string, number>();
    for (const json of gone) {
      let entry: Presence;
      try {
        entry = parsePresence(json);
      } catch (error) {
        malformed.report(`${keys.users} (a reaped user)`, error);
        continue;
      }
      byServer.set(entry.server, (byServer.get(entry.server) ?? 0) + 1);
      // The user leaves every room it was in; a connection in several is shown it once.
      const time = Date.now();
      const rooms = entry.roomKeys.length > 1 ? entry.roomKeys : undefined;
      entry.roomKeys.forEach((key, i) => {
        const left: RoomEvent = { type: "left", room: entry.rooms[i], nick: entry.nick, time };
        if (rooms !== undefined) left.rooms = rooms;
        void bus.publish(key, left);
      });
    }
    for (const [server, count] of byServer) log?.reaped(server, count);
  }
}
