/**
 * Runs one benchmark case against one server: start the server, start the generator
 * processes, let them join, measure the phase between `go` and the last result, stop all.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { spawnTracked, stopChild } from "./_children.ts";
import { percentile } from "./_histogram.ts";
import { readStreamLines } from "./_io.ts";
import { readCpuSeconds, readMachineTicks, readMemory } from "./_proc_stats.ts";
import { startOursCluster, startServer } from "./_servers.ts";
import type {
  GoMessage,
  JoinedMessage,
  PeerName,
  ResultMessage,
  WebSocketShare,
  WorkerConfig,
  WorkerMessage,
} from "./_types.ts";

/**
 * Joins in progress at once per worker against ncat: it accepts slowly once its announcements
 * grow, and more pending connects only overflow its listen backlog and wait for SYN retries.
 */
const NCAT_JOIN_CONCURRENCY = 4;
/** Extra time the orchestrator grants a worker beyond its own limits before giving up. */
const WORKER_GRACE_MS = 15_000;

/** The scenarios of issue 5. */
export type ScenarioName = "a" | "b" | "c" | "d" | "e" | "w" | "k" | "j";

/** One measured configuration (a scenario may have several, e.g. one per client count). */
export interface CaseSpec {
  /** Unique id, e.g. `a-100`. */
  id: string;
  scenario: ScenarioName;
  /** Heading of its table. */
  title: string;
  /** Clients that read (all of them join). */
  clients: number;
  /** Clients `[0, senders)` also send. */
  senders: number;
  /** Lines per sender. */
  lines: number;
  /** Bytes per line including `\n`. */
  lineBytes: number;
  /** Own lines in flight per sender (throughput mode). */
  window: number;
  /** Lines per second per sender; 0 = throughput mode. */
  ratePerSec: number;
  /** Add one client that joins and never reads. */
  slowClient: boolean;
  /** Output buffer hard limit given to ours and Redis. */
  maxOutboxBytes: number;
  /** Ours: `--workers N` (server threads); `undefined`: the server's default. */
  serverWorkers?: number;
  /** Generator processes. */
  workers: number;
  /** Joins in progress at once per worker. */
  joinConcurrency: number;
  joinTimeoutMs: number;
  runTimeoutMs: number;
  stallMs: number;
  /** Receive buffer per connection in the generator. */
  readBufferBytes: number;
  /** Rooms the clients are spread over evenly (1: everyone in one room). */
  rooms: number;
  /**
   * Cluster cases: how many servers of ours share one Redis (`--redis`), the clients
   * spread over them; 0: one server alone. Other peers run as usual.
   */
  clusterServers: number;
  /** Which clients speak WebSocket to ours (`--web`) instead of TCP lines. */
  webSockets: WebSocketShare;
}

/** What one peer did in one case. */
export interface PeerResult {
  peer: PeerName;
  status: "ok" | "skipped" | "failed";
  /** Why it was skipped or failed, or a remark (e.g. not every client joined). */
  note?: string;
  clients: number;
  joined: number;
  /** From the first connect to the last join, ms. */
  joinMs: number;
  /** From the first connect to the last join notice delivered (the join storm), ms. */
  settleMs: number;
  /** Server CPU from the first connect until the join notices settled, seconds. */
  joinCpuSec: number;
  deliveries: number;
  lost: number;
  duplicates: number;
  gaps: number;
  /** Reading clients whose connection ended during the measured phase. */
  disconnected: number;
  /** Whether every receiver got everything, or the phase stalled or hit its deadline. */
  ending: string;
  /** Deliveries over the time from the first send to the last delivery. */
  deliveriesPerSec: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  p999Ms: number | null;
  maxMs: number | null;
  /** Server user + system CPU during the measured phase. */
  serverCpuSec: number;
  serverCpuUsPerDelivery: number | null;
  /** Server CPU over the measured wall time, in % of one core. */
  serverCpuPercent: number;
  rssAfterJoinBytes: number;
  peakRssBytes: number;
  /** All generator processes together, measured phase only. */
  generatorCpuSec: number;
  generatorCpuPercent: number;
  /** The busiest generator process, in % of one core. */
  generatorMaxWorkerPercent: number;
  /** The whole machine's busy time over the measured phase, in % of all cores. */
  machineBusyPercent: number;
  /** From `go` until every worker reported, ms. */
  wallMs: number;
  /** Cluster cases: the CPU of the Redis behind our servers, per delivery (null otherwise). */
  redisCpuUsPerDelivery: number | null;
  /** Scenario d: whether the server closed the client that never reads. */
  slowDropped: boolean | null;
  /**
   * Ours with a data file: the history lines the store had written by the end of the
   * measured phase, counted in the file (each room's last sequence number); else null.
   */
  historyLines: number | null;
  /** The same over the measured phase (first send to last delivery), per second. */
  historyLinesPerSec: number | null;
  /**
   * Rows those lines took per second (a row holds one room's lines of one turn): the
   * lines per second over the lines per row of the rows in the file at the end.
   */
  historyRowsPerSec: number | null;
}

/** An empty result for a peer that did not run. */
export function notRun(peer: PeerName, status: "skipped" | "failed", note: string): PeerResult {
  return {
    peer,
    status,
    note,
    clients: 0,
    joined: 0,
    joinMs: 0,
    settleMs: 0,
    joinCpuSec: 0,
    deliveries: 0,
    lost: 0,
    duplicates: 0,
    gaps: 0,
    disconnected: 0,
    ending: "",
    deliveriesPerSec: 0,
    p50Ms: null,
    p90Ms: null,
    p99Ms: null,
    p999Ms: null,
    maxMs: null,
    serverCpuSec: 0,
    serverCpuUsPerDelivery: null,
    serverCpuPercent: 0,
    rssAfterJoinBytes: 0,
    peakRssBytes: 0,
    generatorCpuSec: 0,
    generatorCpuPercent: 0,
    generatorMaxWorkerPercent: 0,
    machineBusyPercent: 0,
    wallMs: 0,
    redisCpuUsPerDelivery: null,
    slowDropped: null,
    historyLines: null,
    historyLinesPerSec: null,
    historyRowsPerSec: null,
  };
}

const WORKER_PATH = new URL("./worker.ts", import.meta.url).pathname;
const encoder = new TextEncoder();

interface Worker {
  child: Deno.ChildProcess;
  stdin: WritableStreamDefaultWriter<Uint8Array>;
  messages: AsyncGenerator<string, void>;
  stderrTail: string[];
}

function startWorker(config: WorkerConfig): Worker {
  const child = spawnTracked(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", WORKER_PATH, JSON.stringify(config)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const stderrTail: string[] = [];
  (async () => {
    for await (const line of readStreamLines(child.stderr)) {
      stderrTail.push(line);
      if (stderrTail.length > 10) stderrTail.shift();
    }
  })();
  const stdin = child.stdin.getWriter();
  return { child, stdin, messages: readStreamLines(child.stdout), stderrTail };
}

async function nextMessage<K extends WorkerMessage["kind"]>(
  worker: Worker,
  kind: K,
  timeoutMs: number,
): Promise<Extract<WorkerMessage, { kind: K }>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) =>
    timer = setTimeout(() => resolve("late"), timeoutMs)
  );
  const next = await Promise.race([worker.messages.next(), late]).finally(() =>
    clearTimeout(timer)
  );
  if (next === "late" || next.done) {
    const why = next === "late" ? `no "${kind}" message in time` : "it exited";
    throw new Error(`Cannot run the generator: ${why}\n${worker.stderrTail.join("\n")}`);
  }
  const message = JSON.parse(next.value) as WorkerMessage;
  if (message.kind !== kind) throw new Error(`Cannot run the generator: got "${message.kind}"`);
  return message as Extract<WorkerMessage, { kind: K }>;
}

function workerConfigs(
  spec: CaseSpec,
  peer: PeerName,
  port: number,
  webPort: number,
  baseMs: number,
  ports: number[] = [],
): WorkerConfig[] {
  const count = Math.max(1, Math.min(spec.workers, spec.clients));
  const configs: WorkerConfig[] = [];
  for (let w = 0; w < count; w++) {
    const first = Math.floor((spec.clients * w) / count);
    const end = Math.floor((spec.clients * (w + 1)) / count);
    configs.push({
      peer,
      port,
      ports,
      firstClient: first,
      clientCount: end - first,
      senderCount: spec.senders,
      lines: spec.lines,
      lineBytes: spec.lineBytes,
      window: spec.window,
      ratePerSec: spec.ratePerSec,
      slowClient: spec.slowClient && w === 0,
      baseMs,
      joinConcurrency: peer === "ncat"
        ? Math.min(spec.joinConcurrency, NCAT_JOIN_CONCURRENCY)
        : spec.joinConcurrency,
      joinTimeoutMs: spec.joinTimeoutMs,
      runTimeoutMs: spec.runTimeoutMs,
      stallMs: spec.stallMs,
      readBufferBytes: spec.readBufferBytes,
      rooms: spec.rooms,
      webSockets: spec.webSockets,
      webPort,
    });
  }
  return configs;
}

/** Adds up a figure over several processes (missing figures count as 0). */
async function sumOf(
  pids: number[],
  read: (pid: number) => Promise<number | undefined>,
): Promise<number> {
  const values = await Promise.all(pids.map(read));
  return values.reduce((sum: number, value) => sum + (value ?? 0), 0);
}

async function cpuOf(pid: number): Promise<number> {
  return (await readCpuSeconds(pid)) ?? 0;
}

/**
 * Runs one case against one peer. Only one server runs at a time; every child started here
 * is stopped before this returns or throws.
 *
 * @param spec The case.
 * @param peer The server.
 * @param program Its executable.
 * @returns The measurements.
 */
export async function runCase(
  spec: CaseSpec,
  peer: PeerName,
  program: string,
): Promise<PeerResult> {
  const connectionsPerClient = peer === "redis" ? 2 : 1;
  const serverOptions = {
    maxClients: Math.min(19_000, (spec.clients + 10) * connectionsPerClient),
    maxOutboxBytes: spec.maxOutboxBytes,
    web: spec.webSockets !== "none",
    serverWorkers: spec.serverWorkers,
  };
  const server = peer === "ours" && spec.clusterServers > 0
    ? await startOursCluster(program, serverOptions, spec.clusterServers)
    : await startServer(peer, program, serverOptions);
  const workers: Worker[] = [];
  try {
    const baseMs = Date.now();
    const joinCpu0 = await sumOf(server.pids, cpuOf);
    const configs = workerConfigs(spec, peer, server.port, server.webPort, baseMs, server.ports);
    for (const config of configs) {
      workers.push(startWorker(config));
    }
    const joinWait = spec.joinTimeoutMs + WORKER_GRACE_MS;
    const joinedMessages: JoinedMessage[] = await Promise.all(
      workers.map((w) => nextMessage(w, "joined", joinWait)),
    );
    const joined = joinedMessages.reduce((sum, m) => sum + m.joined, 0);
    const joinedSenders = joinedMessages.reduce((sum, m) => sum + m.joinedSenders, 0);
    const firstConnect = Math.min(...joinedMessages.map((m) => m.startMs));
    const joinMs = Math.max(...joinedMessages.map((m) => m.endMs)) - firstConnect;
    const settleMs = Math.max(...joinedMessages.map((m) => m.settledMs)) - firstConnect;
    const serverPids = server.pids;
    const rssAfterJoin = await sumOf(serverPids, async (pid) => (await readMemory(pid))?.rssBytes);
    const serverCpu0 = await sumOf(serverPids, cpuOf);
    const joinCpuSec = serverCpu0 - joinCpu0;
    const redisCpu0 = server.redisPid === undefined ? 0 : await cpuOf(server.redisPid);
    const workerCpu0 = await Promise.all(workers.map((w) => cpuOf(w.child.pid)));
    const machine0 = await readMachineTicks();
    const t0 = performance.now();
    const joinedSendersByRoom = new Array<number>(spec.rooms).fill(0);
    for (const m of joinedMessages) {
      m.joinedSendersByRoom.forEach((count, room) => joinedSendersByRoom[room] += count);
    }
    const go: GoMessage = { kind: "go", joinedSenders, joinedSendersByRoom };
    for (const w of workers) {
      await w.stdin.write(encoder.encode(JSON.stringify(go) + "\n"));
    }
    const runWait = spec.runTimeoutMs + WORKER_GRACE_MS;
    const results: ResultMessage[] = await Promise.all(
      workers.map((w) => nextMessage(w, "result", runWait)),
    );
    const wallMs = performance.now() - t0;
    const serverCpu1 = await sumOf(serverPids, cpuOf);
    const redisCpuSec = server.redisPid === undefined
      ? null
      : (await cpuOf(server.redisPid)) - redisCpu0;
    const workerCpu1 = await Promise.all(workers.map((w) => cpuOf(w.child.pid)));
    const serverCpuSec = serverCpu1 - serverCpu0;
    const workerCpu = workerCpu1.map((c, i) => c - workerCpu0[i]);
    const machine1 = await readMachineTicks();
    const peakRss = await sumOf(serverPids, async (pid) => (await readMemory(pid))?.peakRssBytes);

    const histogram = new Array<number>(results[0].histogram.length).fill(0);
    for (const r of results) r.histogram.forEach((count, i) => histogram[i] += count);
    const maxUs = Math.max(...results.map((r) => r.maxUs));
    const sum = (pick: (r: ResultMessage) => number) => results.reduce((s, r) => s + pick(r), 0);
    const deliveries = sum((r) => r.deliveries);
    const firstSend = Math.min(...results.map((r) => r.firstSendMs).filter((t) => t > 0));
    const lastDelivery = Math.max(...results.map((r) => r.lastDeliveryMs));
    const spanSec = (lastDelivery - firstSend) / 1000;
    const toMs = (us: number | null) => us === null ? null : us / 1000;
    const endings = [...new Set(results.map((r) => r.ending))];
    const notes: string[] = [];
    const failed = joinedMessages.reduce((s, m) => s + m.failed, 0);
    if (failed > 0) {
      const error = joinedMessages.find((m) => m.error)?.error;
      notes.push(`${failed} of ${spec.clients} clients did not join${error ? ` (${error})` : ""}`);
    }
    const exitCode = server.exitCode();
    if (exitCode !== null) {
      notes.push(
        `the server exited with code ${exitCode}: ${
          server.outputTail().split("\n").slice(-3).join(" / ")
        }`,
      );
    }
    const generatorCpuSec = workerCpu.reduce((s, c) => s + c, 0);
    const slow = results.find((r) => r.slowDropped !== null);
    const stored = server.dataPath === undefined ? null : storedHistory(server.dataPath);
    const perSec = (n: number) => spanSec > 0 && Number.isFinite(spanSec) ? n / spanSec : null;
    return {
      peer,
      status: "ok",
      note: notes.length > 0 ? notes.join("; ") : undefined,
      clients: spec.clients,
      joined,
      joinMs,
      settleMs,
      joinCpuSec,
      deliveries,
      lost: sum((r) => r.lost),
      duplicates: sum((r) => r.duplicates),
      gaps: sum((r) => r.gaps),
      disconnected: sum((r) => r.disconnected),
      ending: endings.join("+"),
      deliveriesPerSec: spanSec > 0 && Number.isFinite(spanSec) ? deliveries / spanSec : 0,
      p50Ms: toMs(percentile(histogram, 0.5, maxUs)),
      p90Ms: toMs(percentile(histogram, 0.9, maxUs)),
      p99Ms: toMs(percentile(histogram, 0.99, maxUs)),
      p999Ms: toMs(percentile(histogram, 0.999, maxUs)),
      maxMs: deliveries > 0 ? maxUs / 1000 : null,
      serverCpuSec,
      serverCpuUsPerDelivery: deliveries > 0 ? (serverCpuSec * 1e6) / deliveries : null,
      serverCpuPercent: (serverCpuSec / (wallMs / 1000)) * 100,
      rssAfterJoinBytes: rssAfterJoin,
      peakRssBytes: peakRss,
      redisCpuUsPerDelivery: redisCpuSec !== null && deliveries > 0
        ? (redisCpuSec * 1e6) / deliveries
        : null,
      generatorCpuSec,
      generatorCpuPercent: (generatorCpuSec / (wallMs / 1000)) * 100,
      generatorMaxWorkerPercent: (Math.max(...workerCpu) / (wallMs / 1000)) * 100,
      machineBusyPercent: machine0 && machine1 && machine1.total > machine0.total
        ? ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100
        : 0,
      wallMs,
      slowDropped: slow ? slow.slowDropped : null,
      historyLines: stored?.lines ?? null,
      historyLinesPerSec: stored === null ? null : perSec(stored.lines),
      historyRowsPerSec: stored === null || stored.linesPerRow === 0
        ? null
        : perSec(stored.lines / stored.linesPerRow),
    };
  } finally {
    for (const w of workers) {
      try {
        await w.stdin.close();
      } catch {
        // Already closed.
      }
    }
    await Promise.all(workers.map((w) => stopAfter(w.child, 5_000)));
    await server.stop();
  }
}

/**
 * The history a running server of ours has written: the lines (each room's last
 * sequence number, summed: trimming deletes old rows, never the count), in the data
 * file and in its line log (`chat.db-log`, rows not moved into the file yet), and
 * the lines per row of the rows in the file. SQLite's locking lets this reader in
 * beside the server.
 */
function storedHistory(path: string): { lines: number; linesPerRow: number } | null {
  try {
    const last = new Map<string, number>();
    const note = (room: string, seq: number) => last.set(room, Math.max(last.get(room) ?? 0, seq));
    const db = new DatabaseSync(path, { readOnly: true });
    let linesPerRow = 0;
    try {
      const counted = db.prepare(
        "SELECT room, max(last_seq) AS n FROM history GROUP BY room " +
          "UNION ALL SELECT room, last_seq AS n FROM rooms",
      ).all();
      for (const row of counted) note(String(row.room), Number(row.n));
      const rows = db.prepare(
        "SELECT count(*) AS rows, coalesce(sum(last_seq - first_seq + 1), 0) AS lines FROM history",
      ).get();
      const count = Number(rows?.rows ?? 0);
      linesPerRow = count === 0 ? 0 : Number(rows?.lines ?? 0) / count;
    } finally {
      db.close();
    }
    let log = "";
    try {
      log = Deno.readTextFileSync(`${path}-log`);
    } catch {
      // No log: everything is in the file.
    }
    for (const line of log.split("\n").slice(1)) {
      try {
        const row: unknown = JSON.parse(line);
        if (Array.isArray(row) && typeof row[0] === "string") note(row[0], Number(row[2]));
      } catch {
        // The last line may be mid-write.
      }
    }
    let lines = 0;
    for (const seq of last.values()) lines += seq;
    return { lines, linesPerRow };
  } catch {
    return null;
  }
}

/** Waits for a child to exit by itself, and stops it if it has not after `ms`. */
async function stopAfter(child: Deno.ChildProcess, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), ms));
  const outcome = await Promise.race([child.status, late]);
  clearTimeout(timer);
  if (outcome === "late") await stopChild(child);
}
