/**
 * Loads cluster mode on demand: the Redis client is a large module graph (about
 * 19 MiB of resident memory once compiled), so a server alone never loads it.
 *
 * @module
 */

import type { ClusterFactory } from "../chat/cluster.ts";

/**
 * Loads the cluster code and returns what makes this server's part of a cluster.
 *
 * @param url The Redis URL (checked with `checkRedisUrl`).
 * @returns A factory for `serve({ cluster })`.
 */
export async function loadCluster(url: string): Promise<ClusterFactory> {
  const { RedisCluster } = await import("./redis_cluster.ts");
  return (log) => new RedisCluster({ url, log });
}
