/**
 * The seam of a chat shared by several servers: what a server drives of its part
 * of a cluster (its bus and directory, connected and left), and what the cluster
 * tells the server's console. The Redis cluster (`lib/cluster/`) implements it;
 * the chat and the server know only this.
 *
 * @module
 */

import type { MaybePromise } from "../util/maybe_async.ts";
import type { Bus } from "./bus.ts";
import type { Directory } from "./directory.ts";
import type { AttemptsObserver, PasswordAttempts } from "./password_attempts.ts";
import type { Store } from "./store.ts";

/** A server's part of a cluster, as the server drives it. */
export interface ServerCluster extends Bus, Directory {
  /** This server's id in the cluster. */
  readonly serverId: string;
  /**
   * Whether the shared store can be used now (asking may find that this server was
   * stalled). @default {absent: always}
   */
  readonly available?: boolean;
  /**
   * What the chat remembers, shared by every server (accounts, held whispers, bans,
   * catch-up). @default {absent: each server keeps its own, in memory}
   */
  readonly store?: Store;
  /** Connects (and keeps reconnecting). */
  start(): Promise<void>;
  /** Leaves the cluster after what is queued was sent. */
  stop(): Promise<void>;
  /**
   * Makes the counts of wrong password answers that every server shares, so that
   * guesses spread over the servers count together.
   *
   * @param observer The console.
   * @returns The counts. @default {absent: each server counts its own}
   */
  passwordAttempts?(observer: AttemptsObserver): PasswordAttempts;
  /**
   * Tells the cluster which nicknames only a login may give (registered or banned on
   * this server, where the accounts are): a user it renames because its nickname
   * was taken meanwhile gets none of them.
   *
   * @param reserved Whether a nickname's key is reserved.
   */
  reserveNicknames?(reserved: (key: string) => MaybePromise<boolean>): void;
}

/** What the cluster tells the server console. */
export interface ClusterLog {
  /**
   * The first connection is made: this server is part of the cluster.
   *
   * @param label The shared store's address, without its password.
   * @param serverId This server's id.
   */
  joined(label: string, serverId: string): void;
  /** The shared store cannot be reached; the servers keep their connections and retry. */
  unreachable(reason: string): void;
  /** The shared store is back. */
  restored(): void;
  /** A server was found dead; its users were announced as gone. */
  reaped(serverId: string, users: number): void;
  /**
   * The shared store keeps nothing on disk (said at start): a restart of it loses
   * the accounts, the bans, the history and the topics.
   */
  noPersistence(): void;
  /**
   * The shared store lost its data while this server was away from it (a restart
   * without persistence): the bans this server knows (of addresses and nicknames)
   * were published again.
   *
   * @param bans How many.
   */
  dataLost(bans: number): void;
  /**
   * This server was stalled past its last heartbeat's reach (the others may have
   * counted it as dead): it is unavailable until its users' claims are back.
   *
   * @param ms How long since its last heartbeat.
   */
  stalled(ms: number): void;
  /**
   * A user's nickname was taken while this server could not speak for it.
   *
   * @param from The nickname it had.
   * @param to The one it has now, or `undefined`: none was free, it is disconnected.
   */
  nicknameLost(from: string, to: string | undefined): void;
  /**
   * An entry of the shared store had the wrong shape: it was skipped (told once per entry).
   *
   * @param what Where it is (a key, and a field or an entry id).
   * @param detail What is wrong with it.
   */
  malformed(what: string, detail: string): void;
}

/** Makes this server's part of a cluster, given its console. */
export type ClusterFactory = (log: ClusterLog) => ServerCluster;
