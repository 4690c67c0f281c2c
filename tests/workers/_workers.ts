/**
 * Fixtures for servers with workers: a coordinator in this process with real
 * workers on port 0, and clients that are known to have landed on a given worker
 * (the kernel spreads connections over the workers' listeners: a test opens
 * connections until each worker it needs has one).
 *
 * @module
 */

import type { ServeOptions } from "../../lib/server/options.ts";
import { ConsoleLog } from "../../lib/util/console_log.ts";
import { type Coordinator, startWorkers } from "../../lib/workers/coordinator.ts";
import { LineClient, MemorySink } from "../_server_helpers.ts";

/** Connections opened at most to find one on each worker: the kernel's spread is a hash, not a turn. */
const MAX_TRIES = 60;

/** A server with workers in this process, shut down by `await using`. */
export interface WorkerServer extends AsyncDisposable {
  coordinator: Coordinator;
  port: number;
  /** The console. */
  sink: MemorySink;
}

/**
 * Starts a server with workers on 127.0.0.1, port 0, logging into memory.
 *
 * @param workers How many workers.
 * @param options Settings on top of the test defaults (no flood control).
 * @param workerUrl The worker's entry point. @default {the real one}
 * @returns The fixture.
 */
export async function startWorkerServer(
  workers = 2,
  options: ServeOptions = {},
  workerUrl?: URL,
): Promise<WorkerServer> {
  const sink = new MemorySink();
  const coordinator = await startWorkers({
    hostname: "127.0.0.1",
    port: 0,
    rateLinesPerSecond: 0,
    log: new ConsoleLog({ sink, timestamps: false }),
    onListen: () => {},
    workers,
    workerUrl,
    ...options,
  });
  return {
    coordinator,
    port: coordinator.addr.port,
    sink,
    [Symbol.asyncDispose]: async () => {
      await coordinator.shutdown();
    },
  };
}

/** Joined clients by the worker they landed on; `await using` closes them all. */
export interface Spread extends AsyncDisposable {
  /** `byWorker[w]`: the clients on worker `w`, in the order they joined. */
  byWorker: LineClient[][];
  /** Every client, with its nickname. */
  all: { client: LineClient; nick: string; worker: number }[];
}

/**
 * Joins clients named `prefix0`, `prefix1`… until every worker has at least
 * `perWorker` of them (extra ones stay joined).
 *
 * @param s The server.
 * @param prefix The nicknames' prefix.
 * @param perWorker How many each worker needs.
 * @param workers How many workers the server has.
 * @returns The clients by worker.
 */
export async function joinOnEveryWorker(
  s: WorkerServer,
  prefix: string,
  perWorker = 1,
  workers = 2,
): Promise<Spread> {
  const byWorker: LineClient[][] = Array.from({ length: workers }, () => []);
  const all: Spread["all"] = [];
  const spread: Spread = {
    byWorker,
    all,
    [Symbol.asyncDispose]: async () => {
      await Promise.all(all.map(({ client }) => client.close()));
    },
  };
  try {
    for (let i = 0; byWorker.some((clients) => clients.length < perWorker); i++) {
      if (i >= MAX_TRIES) throw new Error(`No spread over ${workers} workers in ${i} connections`);
      const nick = `${prefix}${i}`;
      const client = await LineClient.connect(s.port);
      await client.join(nick);
      const worker = s.coordinator.workerOf(nick)!;
      byWorker[worker].push(client);
      all.push({ client, nick, worker });
    }
  } catch (error) {
    await spread[Symbol.asyncDispose]();
    throw error;
  }
  return spread;
}

/**
 * Joins one client that lands on the given worker (others opened on the way are
 * closed, and their nickname freed before the next try).
 *
 * @param s The server.
 * @param worker The worker.
 * @param nick The nickname it joins with (to learn its worker).
 * @returns The joined client.
 */
export async function joinOnWorker(
  s: WorkerServer,
  worker: number,
  nick: string,
): Promise<LineClient> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const client = await LineClient.connect(s.port);
    await client.join(nick);
    if (s.coordinator.workerOf(nick) === worker) return client;
    await client.close();
    // Its nickname is free once the worker saw it leave.
    await waitUntil(() => s.coordinator.workerOf(nick) === undefined);
  }
  throw new Error(`No connection landed on worker ${worker}`);
}

/**
 * Waits until a condition holds (polling the coordinator's state, a safety net of 5 s).
 *
 * @param condition What must hold.
 */
export async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("Timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
