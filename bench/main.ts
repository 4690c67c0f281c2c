/**
 * `deno task bench`: runs issue 5's scenarios against our server, `ncat --chat` and Redis
 * pub/sub with the same load generator, one server at a time, and writes the tables
 * (stdout and `bench/results/latest.md`), the raw numbers (`latest.json`) and a chart
 * (`latest.svg`).
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { killAllChildren } from "./_children.ts";
import { renderChart } from "./_chart.ts";
import { type BenchReport, renderMarkdown } from "./_report.ts";
import { type CaseSpec, notRun, type PeerResult, runCase, type ScenarioName } from "./_run_case.ts";
import { type BenchOptions, buildCases, SCENARIOS } from "./_scenarios.ts";
import { readProcText } from "./_proc_stats.ts";
import { protocolOf } from "./_protocols.ts";
import { findPeer } from "./_servers.ts";
import { isOurs, PEER_NAMES, type PeerName } from "./_types.ts";

const USAGE = `Usage: deno task bench [options]

  --quick               smaller cases (about a third of the time)
  --only a,b,c,d,e,w,k,j
                        scenarios to run (default: all; w: WebSocket, ours only;
                        k: ours as a cluster of 1 and 3 behind one Redis; j: join storm)
  --peers ours,ours-mem,ncat,redis
                        servers to run (default: all; missing ones are listed as skipped);
                        ours keeps its data in a fresh SQLite file as users do by default,
                        ours-mem is the same server with --data none (the store's cost)
  --clients 10,100,1000 client counts of scenario a
  --idle-clients N      idle clients of scenario c (default 10000)
  --line-bytes N        bytes per line including the newline (default 64)
  --window N            own lines in flight per sender (default 8)
  --workers N           load generator processes (default 2)
  --server-workers N    ours with --workers N (server threads; default: the server's own)
  --out DIR             where latest.md, latest.json and latest.svg go (default bench/results)
  --help                this text`;

const RESULTS_DIR = new URL("./results/", import.meta.url).pathname;

function list(value: unknown, fallback: string): string[] {
  return String(value ?? fallback).split(",").map((s) => s.trim()).filter((s) => s !== "");
}

function positive(name: string, value: unknown, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`Cannot run the benchmark: --${name} must be a positive integer, got ${value}`);
  }
  return n;
}

function parseOptions(args: string[]): { options: BenchOptions; peers: PeerName[]; out: string } {
  const flags = parseArgs(args, {
    boolean: ["quick", "help"],
    string: [
      "only",
      "peers",
      "clients",
      "idle-clients",
      "line-bytes",
      "window",
      "workers",
      "server-workers",
      "out",
    ],
    unknown: (arg: string) => {
      throw new Error(`Cannot run the benchmark: unknown argument ${arg}\n\n${USAGE}`);
    },
  });
  if (flags.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const only = list(flags.only, SCENARIOS.join(","));
  for (const s of only) {
    if (!SCENARIOS.includes(s as ScenarioName)) {
      throw new Error(`Cannot run the benchmark: unknown scenario "${s}" (use a, b, c, d, e, w)`);
    }
  }
  const peers = list(flags.peers, PEER_NAMES.join(","));
  for (const p of peers) {
    if (!PEER_NAMES.includes(p as PeerName)) {
      throw new Error(
        `Cannot run the benchmark: unknown peer "${p}" (use ${PEER_NAMES.join(", ")})`,
      );
    }
  }
  const lineBytes = positive("line-bytes", flags["line-bytes"], 64);
  if (lineBytes < 32) throw new Error("Cannot run the benchmark: --line-bytes must be at least 32");
  const options: BenchOptions = {
    quick: flags.quick === true,
    only: only as ScenarioName[],
    throughputClients: list(flags.clients, "10,100,1000").map((c) => positive("clients", c, 0)),
    idleClients: positive("idle-clients", flags["idle-clients"], 10_000),
    lineBytes,
    window: positive("window", flags.window, 8),
    workers: positive("workers", flags.workers, 2),
    serverWorkers: flags["server-workers"] === undefined
      ? undefined
      : positive("server-workers", flags["server-workers"], 1),
    maxOutboxBytes: 4 * 1024 * 1024,
    slowOutboxBytes: 256 * 1024,
  };
  const out = typeof flags.out === "string" ? flags.out.replace(/\/?$/, "/") : RESULTS_DIR;
  return { options, peers: peers as PeerName[], out };
}

function progress(spec: CaseSpec, result: PeerResult): void {
  const rate = result.deliveriesPerSec >= 1e3
    ? `${(result.deliveriesPerSec / 1e6).toFixed(3)} M/s`
    : "-";
  const p99 = result.p99Ms === null ? "-" : `${result.p99Ms.toFixed(2)} ms`;
  const rows = result.historyLinesPerSec === null
    ? ""
    : `, stored ${result.historyLinesPerSec.toFixed(0)} lines/s in ${
      result.historyRowsPerSec?.toFixed(0) ?? "-"
    } rows/s`;
  const detail = result.status === "ok"
    ? `${result.joined}/${result.clients} joined, ${rate}, p99 ${p99}, lost ${result.lost}${rows}, ` +
      `dup ${result.duplicates}, server ${
        result.serverCpuUsPerDelivery?.toFixed(3) ?? "-"
      } µs/delivery, ` +
      `generator ${result.generatorCpuPercent.toFixed(0)}% (${result.ending})`
    : result.note ?? "";
  console.error(`[${spec.id}] ${result.peer}: ${result.status} ${detail}`);
}

async function main(): Promise<void> {
  // `deno task bench -- --quick` passes the `--` along: skip it.
  const args = Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args;
  const { options, peers, out } = parseOptions(args);
  const stop = () => {
    killAllChildren();
    console.error("Benchmark interrupted: every child process was killed");
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);

  const programs = new Map<PeerName, string | null>(PEER_NAMES.map((p) => [p, findPeer(p)]));
  const cases = buildCases(options);
  const started = new Date();
  const results: Record<string, Partial<Record<PeerName, PeerResult>>> = {};
  try {
    for (const spec of cases) {
      results[spec.id] = {};
      for (const peer of PEER_NAMES) {
        const program = programs.get(peer) ?? null;
        let result: PeerResult;
        if (!peers.includes(peer)) result = notRun(peer, "skipped", "not selected (--peers)");
        else if (program === null) result = notRun(peer, "skipped", "not installed");
        else if (spec.rooms > 1 && !protocolOf(peer).rooms) {
          result = notRun(peer, "skipped", "no rooms");
        } else if (spec.clusterServers > 0 && peer === "ncat") {
          result = notRun(peer, "skipped", "no cluster mode");
        } else if (spec.clusterServers > 0 && peer === "ours-mem") {
          result = notRun(peer, "skipped", "a cluster keeps its data in Redis: see ours");
        } else if (spec.webSockets !== "none" && !isOurs(peer)) {
          result = notRun(peer, "skipped", "no WebSocket");
        } else if (spec.webSockets !== "none" && peer === "ours-mem") {
          result = notRun(peer, "skipped", "the store's cost is shown by a, b, c, d, e");
        } else {
          try {
            result = await runCase(spec, peer, program);
          } catch (error) {
            result = notRun(peer, "failed", error instanceof Error ? error.message : String(error));
          }
        }
        results[spec.id][peer] = result;
        if (peers.includes(peer)) progress(spec, result);
      }
    }
  } finally {
    killAllChildren();
  }
  const report: BenchReport = {
    date: started.toISOString(),
    durationSec: (Date.now() - started.getTime()) / 1000,
    command: `deno task bench${args.length > 0 ? " " + args.join(" ") : ""}`,
    machine: await machineInfo(),
    peers: PEER_NAMES.map((p) => ({
      peer: p,
      program: programs.get(p) ?? null,
      selected: peers.includes(p),
    })),
    options,
    cases: cases.map((spec) => ({ spec, results: results[spec.id] })),
  };
  const markdown = renderMarkdown(report);
  console.log(markdown);
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(`${out}latest.md`, markdown);
  await Deno.writeTextFile(`${out}latest.json`, JSON.stringify(report, null, 2) + "\n");
  await Deno.writeTextFile(`${out}latest.svg`, renderChart(report));
  console.error(`Wrote ${out}latest.md, latest.json and latest.svg`);
}

async function machineInfo(): Promise<BenchReport["machine"]> {
  const match = (await readProcText("/proc/cpuinfo"))?.match(/^model name\s*:\s*(.+)$/m);
  const cpu = match ? match[1].trim() : "unknown CPU";
  let memoryGiB = 0;
  try {
    memoryGiB = Math.round(Deno.systemMemoryInfo().total / 2 ** 30);
  } catch {
    // Without --allow-sys.
  }
  return {
    cpu,
    cores: navigator.hardwareConcurrency,
    memoryGiB,
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
  };
}

if (import.meta.main) {
  main().catch((error) => {
    killAllChildren();
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  });
}
