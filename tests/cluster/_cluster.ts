/**
 * Fixtures of the cluster tests: servers of ours (`main.ts server --redis`) as
 * child processes on port 0, each ready once it says it joined the cluster.
 *
 * @module
 */

import { type Child, spawnMain, startServerProcess } from "../_helpers.ts";
import { LineClient } from "../_server_helpers.ts";
import { joinEach, type Joined } from "../fixtures/join_each.ts";

/** A server of ours in a cluster. */
export interface ClusterServer extends AsyncDisposable {
  child: Child;
  port: number;
}

/** How long a test may wait for a cluster event (a dead server is noticed within ~12 s). */
export const CLUSTER_TIMEOUT_MS = 20_000;

/**
 * Starts a server of ours on the given Redis and waits until it has joined.
 *
 * @param redisUrl The Redis URL.
 * @param args More flags.
 * @returns The server.
 */
export async function startClusterServer(
  redisUrl: string,
  ...args: string[]
): Promise<ClusterServer> {
  const { child, port } = await startServerProcess(["--redis", redisUrl, "--quiet", ...args]);
  try {
    await child.stdout.waitFor(/ 클러스터: redis:\/\//);
  } catch (error) {
    await child[Symbol.asyncDispose]();
    throw error;
  }
  return { child, port, [Symbol.asyncDispose]: () => child[Symbol.asyncDispose]() };
}

/**
 * Starts a server of ours whose liveness is timed in fractions of a second
 * (`tests/fixtures/quick_cluster_server.ts`), and waits until it has joined.
 *
 * @param redisUrl The Redis URL.
 * @param args More flags (`--op-password PW`).
 * @returns The server.
 */
export async function startQuickClusterServer(
  redisUrl: string,
  ...args: string[]
): Promise<ClusterServer> {
  // startServerProcess reads the port from the start-up line; the fixture takes no
  // "server --port 0".
  const { child, port } = await startServerProcess(
    args,
    (serverArgs) =>
      spawnMain([redisUrl, ...serverArgs.slice(3)], "tests/fixtures/quick_cluster_server.ts"),
  );
  try {
    await child.stdout.waitFor(/ 클러스터: redis:\/\//);
  } catch (error) {
    await child[Symbol.asyncDispose]();
    throw error;
  }
  return { child, port, [Symbol.asyncDispose]: () => child[Symbol.asyncDispose]() };
}

/**
 * Starts several servers on one Redis.
 *
 * @param redisUrl The Redis URL.
 * @param count How many.
 * @returns The servers, and one disposable that stops them all.
 */
export async function startCluster(
  redisUrl: string,
  count: number,
): Promise<ClusterServer[] & AsyncDisposable> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => startClusterServer(redisUrl)),
  );
  return Object.assign(servers, {
    [Symbol.asyncDispose]: async () => {
      await Promise.all(servers.map((s) => s[Symbol.asyncDispose]()));
    },
  });
}

/**
 * Joins one client per nickname, each on the server given.
 *
 * @param joins `[port, nick]` pairs, joined in order.
 * @returns The clients, and one disposable that closes them all.
 */
export function joinOn(...joins: [number, string][]): Promise<Joined<LineClient>> {
  return joinEach(joins.map(([port, nick]) => [() => LineClient.connect(port), nick] as const));
}
