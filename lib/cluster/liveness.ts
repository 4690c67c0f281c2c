/**
 * Who is alive in a cluster: each server says so by a heartbeat that also renews
 * its users' nickname claims; each looks for servers that stopped saying so and
 * announces their users as gone (exactly one server gets each dead one); and a
 * server that was cut off claims its users back when it returns.
 *
 * @module
 */

import type { ClusterLog } from "../chat/cluster.ts";
import { KEY_PREFIX, keys } from "./keys.ts";
import type { MalformedLog } from "./malformed_log.ts";
import { parsePresence, type Presence } from "./presence.ts";
import type { RedisBus } from "./redis_bus.ts";
import type { RedisConnection } from "./redis_connection.ts";
import { NICK_TTL_MS, type RedisDirectory } from "./redis_directory.ts";
import { HEARTBEAT, REAP, RECLAIM } from "./scripts.ts";

/** How often a server renews its claims and says it is alive. */
export const HEARTBEAT_MS = 2_000;
/** A server whose heartbeat is this old is dead: its users are announced as gone. */
export const DEAD_AFTER_MS = 10_000;
/** How often a server looks for dead ones. */
export const REAP_CHECK_MS = 2_000;
/** Nickname claims renewed per heartbeat script call: one script stays short. */
const HEARTBEAT_BATCH = 500;

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
}

/** The heartbeat, the reaping of dead servers, and the reclaim after a cut. */
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
    this.#timers.push(
      setInterval(() => void this.heartbeat(), HEARTBEAT_MS),
      setInterval(() => void this.#reap(), REAP_CHECK_MS),
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
    const { connection, directory, serverId } = this.#parts;
    if ((!connection.ready && !force) || connection.stopped) return;
    const locals = [...directory.locals()];
    let first = true;
    for (let i = 0; first || i < locals.length; i += HEARTBEAT_BATCH) {
      first = false;
      const batch = locals.slice(i, i + HEARTBEAT_BATCH);
      await connection.eval(
        HEARTBEAT,
        [keys.servers, ...batch.map((local) => keys.nick(local.user.key))],
        [serverId, String(NICK_TTL_MS), ...batch.map((local) => local.token)],
      ).catch((error) => {
        if (force) throw error;
      });
    }
  }

  /**
   * After a cut: claims and presence back as they are here (Redis may have lost
   * them), and the users who left meanwhile taken out.
   *
   * @returns When done.
   */
  async reclaim(): Promise<void> {
    const { connection, directory, serverId } = this.#parts;
    const mine = new Set<string>();
    for (const local of directory.locals()) {
      const user = local.user;
      mine.add(user.key);
      await connection.eval(
        RECLAIM,
        [keys.nick(user.key), keys.users, keys.serverUsers(serverId)],
        [
          local.token,
          String(NICK_TTL_MS),
          user.key,
          JSON.stringify(directory.presenceOf(local)),
        ],
      );
    }
    await directory.forgetGone(mine);
  }

  /** Finds dead servers and tells their users' rooms they left (once: the script picks one reaper). */
  async #reap(): Promise<void> {
    const { connection, bus, log, malformed } = this.#parts;
    // A server that was cut off itself must first give the others time to come back.
    if (!connection.ready || Date.now() - this.#readySince < DEAD_AFTER_MS) return;
    let gone: string[];
    try {
      gone = await connection.eval<string[]>(
        REAP,
        [keys.servers],
        [String(DEAD_AFTER_MS), KEY_PREFIX],
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
      if (entry.roomKey === "") continue;
      void bus.publish(entry.roomKey, {
        type: "left",
        room: entry.room,
        nick: entry.nick,
        time: Date.now(),
      });
    }
    for (const [server, count] of byServer) log?.reaped(server, count);
  }
}
