/**
 * Starting and stopping the servers under test: ours (`main.ts server`), `ncat --chat` and
 * `redis-server`. Each runs alone, on a fresh loopback port, with its output drained.
 *
 * @module
 */

import { spawnTracked, stopChild } from "./_children.ts";
import { readStreamLines } from "./_io.ts";
import { readCommandLine } from "./_proc_stats.ts";
import { isOurs, type PeerName } from "./_types.ts";

/** How long a server may take to accept connections. */
const STARTUP_TIMEOUT_MS = 20_000;
/** Lines of server output kept for error reports. */
const OUTPUT_TAIL_LINES = 20;

/** Settings that every server gets in its own terms. */
export interface ServerOptions {
  /** Connections the server must accept. */
  maxClients: number;
  /** Per-client output buffer hard limit (ours: `--max-outbox-bytes`, Redis: pubsub limit). */
  maxOutboxBytes: number;
  /** Ours: also serve the web page and its WebSocket (`--web 0`). @default {false} */
  web?: boolean;
  /** Ours: join the cluster on this Redis (`--redis URL`). @default {undefined} */
  redisUrl?: string;
  /** Ours: `--workers N`; `undefined`: the server's default. @default {undefined} */
  serverWorkers?: number;
}

/** The data file ours writes in a case: a fresh one each time, removed when it stops. */
const DATA_FILE = "chat.db";

/** A started server. */
export interface RunningServer {
  /** The process that serves (the first one of a cluster). */
  pid: number;
  /** Every process that serves (one, or each server of ours in a cluster): measured together. */
  pids: number[];
  /** Its port on 127.0.0.1. */
  port: number;
  /** A cluster: the port of each server of ours; else empty. */
  ports: number[];
  /** A cluster: the Redis behind it (its CPU is reported apart); else undefined. */
  redisPid?: number;
  /** Ours with `web`: the port of its WebSocket; else 0. */
  webPort: number;
  /** Ours with its data in a file: the file (readable while it runs); else undefined. */
  dataPath?: string;
  /** The last lines it printed. */
  outputTail(): string;
  /** Its exit code if it has exited by itself, else `null`. */
  exitCode(): number | null;
  /** Stops it and waits for its exit. */
  stop(): Promise<void>;
}

const PROJECT_ROOT = new URL("../", import.meta.url).pathname;

/**
 * Where a peer's program is, or why it cannot run.
 *
 * @returns The executable path, or `null` when it is not installed.
 */
export function findPeer(peer: PeerName): string | null {
  if (isOurs(peer)) {
    try {
      Deno.statSync(`${PROJECT_ROOT}main.ts`);
      return Deno.execPath();
    } catch {
      return null;
    }
  }
  const program = peer === "ncat" ? "ncat" : "redis-server";
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    try {
      const info = Deno.statSync(`${dir}/${program}`);
      if (info.isFile && ((info.mode ?? 0) & 0o111) !== 0) return `${dir}/${program}`;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function waitForPort(port: number, child: Deno.ChildProcess): Promise<void> {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = performance.now() + STARTUP_TIMEOUT_MS;
  while (performance.now() < deadline && !exited) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(exited ? "it exited" : `port ${port} did not open in time`);
}

/** Environment of a server: ours must not find a chat password and ask for it. */
/**
 * The arguments of `deno task server` after the word `deno`, read from deno.json, so
 * the benchmark measures the server as users start it.
 */
function shippedServerCommand(): string[] {
  const config = JSON.parse(Deno.readTextFileSync(`${PROJECT_ROOT}deno.json`)) as {
    tasks: { server: { command: string } };
  };
  const words = config.tasks.server.command.split(/\s+/).filter((word) => word !== "");
  if (words[0] !== "deno" || !words.includes("main.ts")) {
    throw new Error(`Unexpected server task in deno.json: ${config.tasks.server.command}`);
  }
  return words.slice(1);
}

function serverEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.CHAT_PASSWORD;
  delete env.CHAT_OP_PASSWORD;
  return env;
}

/**
 * Starts a peer and waits until it accepts connections.
 *
 * @param peer Which server.
 * @param program Its executable (from {@linkcode findPeer}).
 * @param options Client cap and output buffer limit.
 * @throws When it exits or does not listen in time (with its last output).
 */
export async function startServer(
  peer: PeerName,
  program: string,
  options: ServerOptions,
): Promise<RunningServer> {
  let args: string[];
  let port = 0;
  // Ours keeps its data as users do by default, in a fresh file outside the project (none
  // in a cluster, whose data is in Redis); ours-mem keeps it in memory.
  const dataDir = peer === "ours" && options.redisUrl === undefined
    ? await Deno.makeTempDir({ prefix: "chat-bench-" })
    : undefined;
  const dataPath = dataDir === undefined ? undefined : `${dataDir}/${DATA_FILE}`;
  if (isOurs(peer)) {
    // Ours runs exactly as `deno task server` runs it (same Deno flags), plus the
    // documented flags the benchmark needs.
    args = [
      ...shippedServerCommand(),
      "--port",
      "0",
      "--rate",
      "0",
      "--max-outbox-bytes",
      String(options.maxOutboxBytes),
      "--max-clients",
      String(options.maxClients),
      // Every generated client comes from 127.0.0.1.
      "--max-per-address",
      String(options.maxClients),
      "--nick-timeout",
      "60",
      "--quiet",
      "--data",
      dataPath ?? "none",
      ...(options.web === true ? ["--web", "0"] : []),
      ...(options.redisUrl === undefined ? [] : ["--redis", options.redisUrl]),
      // A cluster member runs on one thread.
      ...(options.serverWorkers === undefined || options.redisUrl !== undefined
        ? []
        : ["--workers", String(options.serverWorkers)]),
    ];
  } else if (peer === "ncat") {
    port = freePort();
    args = ["-l", "--chat", "-m", String(options.maxClients), "127.0.0.1", String(port)];
  } else {
    port = freePort();
    args = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--maxclients",
      String(options.maxClients),
      "--client-output-buffer-limit",
      `pubsub ${options.maxOutboxBytes} 0 0`,
      "--loglevel",
      "warning",
    ];
  }
  const child = spawnTracked(program, {
    args,
    cwd: PROJECT_ROOT,
    env: serverEnv(),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
  };
  const announced = Promise.withResolvers<number>();
  const webAnnounced = Promise.withResolvers<number>();
  const clusterJoined = Promise.withResolvers<void>();
  (async () => {
    for await (const line of readStreamLines(child.stdout)) {
      keep(line);
      // The web page's line ("웹 페이지: http://127.0.0.1:PORT/") comes after the chat's.
      // "클러스터: redis://…": joined its cluster.
      if (/ 클러스터: redis/.test(line)) clusterJoined.resolve();
      const web = line.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (web) webAnnounced.resolve(Number(web[1]));
      const match = line.includes("127.0.0.1:") ? line.match(/:(\d+)/) : null;
      if (match) announced.resolve(Number(match[1]));
    }
    announced.reject(new Error("its output ended before it announced a port"));
    clusterJoined.reject(new Error("its output ended before it joined its cluster"));
    webAnnounced.reject(new Error("its output ended before it announced its web page"));
  })();
  (async () => {
    for await (const line of readStreamLines(child.stderr)) {
      keep(line);
    }
  })();
  announced.promise.catch(() => {});
  clusterJoined.promise.catch(() => {});
  webAnnounced.promise.catch(() => {});
  const stop = async () => {
    await stopChild(child);
    if (dataDir !== undefined) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  };
  let webPort = 0;
  try {
    if (isOurs(peer)) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("it did not announce a port")),
          STARTUP_TIMEOUT_MS,
        );
      });
      try {
        port = await Promise.race([announced.promise, late]);
        // Bound before it is announced, like the chat's port.
        if (options.web === true) webPort = await Promise.race([webAnnounced.promise, late]);
        if (options.redisUrl !== undefined) await Promise.race([clusterJoined.promise, late]);
      } finally {
        clearTimeout(timer);
      }
    }
    await waitForPort(port, child);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot start ${peer}: ${reason}\n${tail.join("\n")}`);
  }
  const command = await readCommandLine(child.pid);
  if (isOurs(peer) && !command.includes("main.ts")) {
    await stop();
    throw new Error(`Cannot measure ours: pid ${child.pid} runs ${command.join(" ")}`);
  }
  let exitCode: number | null = null;
  child.status.then((status) => exitCode = status.code);
  return {
    pid: child.pid,
    pids: [child.pid],
    port,
    ports: [],
    webPort,
    dataPath,
    outputTail: () => tail.join("\n"),
    exitCode: () => exitCode,
    stop,
  };
}

/**
 * Starts a cluster: a fresh Redis, then `count` servers of ours on it, each started as
 * `deno task server` starts it, plus `--redis`.
 *
 * @param program Deno (from {@linkcode findPeer}).
 * @param options As for {@linkcode startServer}.
 * @param count Servers of ours.
 * @returns One server made of them all: every pid measured, every port given to clients.
 * @throws When Redis is not installed, or a server does not start.
 */
export async function startOursCluster(
  program: string,
  options: ServerOptions,
  count: number,
): Promise<RunningServer> {
  const redisProgram = findPeer("redis");
  if (redisProgram === null) {
    throw new Error("Cannot start a cluster: redis-server is not installed");
  }
  // Each server holds two connections to Redis.
  const redis = await startServer("redis", redisProgram, {
    ...options,
    maxClients: 10 * count + 10,
  });
  const ours: RunningServer[] = [];
  const stop = async () => {
    await Promise.all(ours.map((s) => s.stop()));
    await redis.stop();
  };
  try {
    for (let i = 0; i < count; i++) {
      ours.push(
        await startServer("ours", program, {
          ...options,
          redisUrl: `redis://127.0.0.1:${redis.port}`,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    pid: ours[0].pid,
    pids: ours.map((s) => s.pid),
    port: ours[0].port,
    ports: ours.map((s) => s.port),
    redisPid: redis.pid,
    webPort: 0,
    outputTail: () => ours.map((s) => s.outputTail()).join("\n"),
    exitCode: () => ours.map((s) => s.exitCode()).find((code) => code !== null) ?? null,
    stop,
  };
}
