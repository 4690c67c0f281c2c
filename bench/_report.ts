/**
 * The markdown report: the targets of issue 5 checked against the measurements, then one table
 * per case with ours, each peer, and the ratio ours ÷ peer side by side.
 *
 * @module
 */

import type { CaseSpec, PeerResult } from "./_run_case.ts";
import type { BenchOptions } from "./_scenarios.ts";
import { PEER_NAMES, type PeerName, RIVALS } from "./_types.ts";

/** Everything one run produced; also the JSON file. */
export interface BenchReport {
  /** ISO time the run started. */
  date: string;
  durationSec: number;
  command: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; deno: string };
  peers: { peer: PeerName; program: string | null; selected: boolean }[];
  options: BenchOptions;
  cases: { spec: CaseSpec; results: Partial<Record<PeerName, PeerResult>> }[];
}

const OTHERS: PeerName[] = PEER_NAMES.filter((p) => p !== "ours");

function fixed(value: number, digits: number): string {
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function rate(value: number): string {
  if (value >= 1e6) return `${fixed(value / 1e6, 2)} M`;
  if (value >= 1e3) return `${fixed(value / 1e3, 1)} k`;
  return fixed(value, 0);
}

function ms(value: number | null): string {
  if (value === null) return "–";
  return value >= 100 ? fixed(value, 0) : value >= 10 ? fixed(value, 1) : fixed(value, 2);
}

function mib(bytes: number): string {
  return bytes > 0 ? fixed(bytes / 2 ** 20, 1) : "–";
}

function ratio(ours: number | null, peer: number | null): string {
  if (ours === null || peer === null || peer === 0 || !Number.isFinite(ours / peer)) return "–";
  return `${fixed(ours / peer, 2)}×`;
}

interface Row {
  label: string;
  value: (r: PeerResult) => number | null;
  format: (r: PeerResult) => string;
  /** Whether a ratio column makes sense for this row. */
  ratio: boolean;
}

const num = (
  label: string,
  value: (r: PeerResult) => number | null,
  format: (v: number | null) => string,
): Row => ({
  label,
  value,
  format: (r) => format(value(r)),
  ratio: true,
});

const text = (label: string, format: (r: PeerResult) => string): Row => ({
  label,
  value: () => null,
  format,
  ratio: false,
});

function rowsFor(spec: CaseSpec): Row[] {
  const rows: Row[] = [
    text("clients joined", (r) => `${r.joined} / ${r.clients}`),
    num("time to join all, s", (r) => r.joinMs / 1000, (v) => v === null ? "–" : fixed(v, 2)),
    num(
      "join notices all delivered after, s",
      (r) => r.settleMs / 1000,
      (v) => v === null ? "–" : fixed(v, 2),
    ),
    num(
      "server CPU while joining, s",
      (r) => r.joinCpuSec,
      (v) => v === null ? "–" : fixed(v, 2),
    ),
  ];
  if (spec.scenario === "c") {
    rows.push(
      num("server RSS after the joins, MiB", (r) => r.rssAfterJoinBytes, (v) => mib(v ?? 0)),
      num("broadcast reached the last client, ms", (r) => r.maxMs, ms),
      text("clients reached", (r) => String(r.deliveries)),
    );
  } else {
    rows.push(
      num("deliveries/s", (r) => r.deliveriesPerSec, (v) => rate(v ?? 0)),
      text("deliveries", (r) => String(r.deliveries)),
      num("latency p50, ms", (r) => r.p50Ms, ms),
      num("latency p90, ms", (r) => r.p90Ms, ms),
      num("latency p99, ms", (r) => r.p99Ms, ms),
      num("latency p99.9, ms", (r) => r.p999Ms, ms),
      num("latency max, ms", (r) => r.maxMs, ms),
    );
  }
  rows.push(
    text(
      "lost / duplicated",
      (r) =>
        `${r.lost}${
          r.ending.includes("deadline") && r.lost > 0 ? " (deadline)" : ""
        } / ${r.duplicates}`,
    ),
    text("disconnected readers", (r) => String(r.disconnected)),
    num(
      "server CPU per delivery, µs",
      (r) => r.serverCpuUsPerDelivery,
      (v) => v === null ? "–" : fixed(v, 3),
    ),
    num("server CPU, % of a core", (r) => r.serverCpuPercent, (v) => fixed(v ?? 0, 0)),
    num("server peak RSS, MiB", (r) => r.peakRssBytes, (v) => mib(v ?? 0)),
    text(
      "history lines stored/s (in rows/s)",
      (r) =>
        r.historyLinesPerSec === null
          ? "–"
          : `${rate(r.historyLinesPerSec)} (${
            r.historyRowsPerSec === null ? "–" : rate(r.historyRowsPerSec)
          })`,
    ),
  );
  if (spec.clusterServers > 0) {
    rows.push(
      num(
        "Redis behind ours: CPU per delivery, µs",
        (r) => r.redisCpuUsPerDelivery,
        (v) => v === null ? "–" : fixed(v, 3),
      ),
    );
  }
  rows.push(
    text(
      "generator CPU, % of a core (busiest process)",
      (r) => `${fixed(r.generatorCpuPercent, 0)} (${fixed(r.generatorMaxWorkerPercent, 0)})`,
    ),
    text("machine CPU busy, % of all cores", (r) => fixed(r.machineBusyPercent, 0)),
    text("phase ended", (r) => r.ending),
  );
  if (spec.slowClient) {
    rows.push(
      text(
        "never-reading client dropped",
        (r) => r.slowDropped === null ? "–" : r.slowDropped ? "yes" : "NO",
      ),
    );
  }
  return rows;
}

function caseTable(spec: CaseSpec, results: Partial<Record<PeerName, PeerResult>>): string {
  const ours = results.ours;
  const shown = OTHERS.filter((p) => results[p]?.status === "ok");
  const header = ["", "ours", ...shown.flatMap((p) => [p, `ours ÷ ${p}`])];
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => i === 0 ? "---" : "---:").join("|")}|`,
  ];
  const ok = (r: PeerResult | undefined) => r !== undefined && r.status === "ok";
  for (const row of rowsFor(spec)) {
    const cells = [row.label, ok(ours) ? row.format(ours!) : "–"];
    for (const p of shown) {
      const peer = results[p]!;
      cells.push(row.format(peer));
      cells.push(row.ratio && ok(ours) ? ratio(row.value(ours!), row.value(peer)) : "");
    }
    lines.push(`| ${cells.join(" | ")} |`);
  }
  const notes = PEER_NAMES.flatMap((p) => {
    const r = results[p];
    if (r === undefined || r.note === undefined) return [];
    if (r.status === "skipped" && r.note.startsWith("not selected")) return [];
    return [`- ${p}: ${r.status === "ok" ? "" : `${r.status}: `}${r.note.split("\n")[0]}`];
  });
  return [`### ${spec.title}`, "", ...lines, ...(notes.length > 0 ? ["", ...notes] : [])].join(
    "\n",
  );
}

function find(report: BenchReport, id: string): Partial<Record<PeerName, PeerResult>> | null {
  return report.cases.find((c) => c.spec.id === id)?.results ?? null;
}

function okResult(r: PeerResult | undefined): PeerResult | null {
  return r !== undefined && r.status === "ok" ? r : null;
}

function targets(report: BenchReport): string[] {
  const rows: string[] = [];
  const add = (target: string, measured: string, pass: boolean | null) =>
    rows.push(
      `| ${target} | ${measured} | ${pass === null ? "n/a" : pass ? "pass" : "**FAIL**"} |`,
    );
  for (
    const id of report.cases.filter((c) =>
      (c.spec.scenario === "a" && c.spec.clients >= 100) || c.spec.scenario === "e"
    ).map((c) => c.spec.id)
  ) {
    const results = find(report, id)!;
    const ours = okResult(results.ours);
    const peers = RIVALS.map((p) => okResult(results[p])).filter((r): r is PeerResult =>
      r !== null
    );
    if (ours === null || peers.length === 0) {
      add(`${id}: deliveries/s ≥ 1.5 × faster peer`, "ours or every peer missing", null);
      continue;
    }
    const fastest = peers.reduce((a, b) => a.deliveriesPerSec >= b.deliveriesPerSec ? a : b);
    add(
      `${id}: deliveries/s ≥ 1.5 × faster peer`,
      `${rate(ours.deliveriesPerSec)} vs ${fastest.peer} ${rate(fastest.deliveriesPerSec)} (${
        ratio(ours.deliveriesPerSec, fastest.deliveriesPerSec)
      })`,
      ours.deliveriesPerSec >= 1.5 * fastest.deliveriesPerSec,
    );
    const withCpu = peers.filter((p) => p.serverCpuUsPerDelivery !== null);
    if (withCpu.length > 0 && ours.serverCpuUsPerDelivery !== null) {
      const leanest = withCpu.reduce((a, b) =>
        a.serverCpuUsPerDelivery! <= b.serverCpuUsPerDelivery! ? a : b
      );
      add(
        `${id}: server CPU/delivery ≤ 2/3 of leaner peer`,
        `${fixed(ours.serverCpuUsPerDelivery, 3)} µs vs ${leanest.peer} ${
          fixed(leanest.serverCpuUsPerDelivery!, 3)
        } µs (${ratio(ours.serverCpuUsPerDelivery, leanest.serverCpuUsPerDelivery)})`,
        ours.serverCpuUsPerDelivery <= (2 / 3) * leanest.serverCpuUsPerDelivery!,
      );
    }
  }
  // What keeping the data costs: ours (an SQLite file) against itself with --data none.
  for (
    const c of report.cases.filter((c) =>
      (c.spec.scenario === "a" && c.spec.clients >= 100) || c.spec.scenario === "e"
    )
  ) {
    const ours = okResult(c.results.ours);
    const memory = okResult(c.results["ours-mem"]);
    if (ours === null || memory === null) continue;
    add(
      `${c.spec.id}: deliveries/s with the data file ≥ 0.9 × --data none`,
      `${rate(ours.deliveriesPerSec)} vs ${rate(memory.deliveriesPerSec)} (${
        ratio(ours.deliveriesPerSec, memory.deliveriesPerSec)
      }); ${
        ours.historyLinesPerSec === null ? "–" : rate(ours.historyLinesPerSec)
      } lines/s stored in ${
        ours.historyRowsPerSec === null ? "–" : rate(ours.historyRowsPerSec)
      } rows/s`,
      ours.deliveriesPerSec >= 0.9 * memory.deliveriesPerSec,
    );
  }
  const latency = (id: string, label: string) => {
    const results = find(report, id);
    if (results === null) return;
    const ours = okResult(results.ours);
    const redis = okResult(results.redis);
    const tail = (r: PeerResult) =>
      `p99 ${ms(r.p99Ms)} ms (p99.9 ${ms(r.p999Ms)}, max ${ms(r.maxMs)})`;
    add(
      label,
      ours === null || redis === null
        ? "ours or Redis missing"
        : `${tail(ours)} vs Redis ${tail(redis)}`,
      ours?.p99Ms == null || redis?.p99Ms == null ? null : ours.p99Ms <= redis.p99Ms,
    );
  };
  latency("b-1000x10", "b: p99 ≤ Redis's, 1000 receivers, 10 senders × 10/s");
  latency("b-100", "b: p99 ≤ Redis's, 100 clients × 10/s");
  for (const c of report.cases.filter((c) => c.spec.scenario === "c")) {
    const ours = okResult(c.results.ours);
    const redis = okResult(c.results.redis);
    add(
      `c: ${c.spec.clients} idle clients: RSS ≤ Redis's`,
      ours === null || redis === null
        ? "ours or Redis missing"
        : `${mib(ours.rssAfterJoinBytes)} MiB vs ${mib(redis.rssAfterJoinBytes)} MiB`,
      ours === null || redis === null ? null : ours.rssAfterJoinBytes <= redis.rssAfterJoinBytes,
    );
    add(
      `c: one line reaches all ${c.spec.clients} no slower than Redis`,
      ours === null || redis === null
        ? "ours or Redis missing"
        : `${ms(ours.maxMs)} ms vs ${ms(redis.maxMs)} ms to ${ours.deliveries}`,
      ours?.maxMs == null || redis?.maxMs == null
        ? null
        : ours.deliveries === c.spec.clients && ours.maxMs <= redis.maxMs,
    );
  }
  const base = okResult(find(report, "d-base")?.ours);
  const slow = okResult(find(report, "d-slow")?.ours);
  if (find(report, "d-slow") !== null) {
    add(
      "d: never-reading client dropped, others at full speed, no loss",
      slow === null || base === null
        ? "not measured"
        : `dropped: ${slow.slowDropped ? "yes" : "no"}, ${rate(slow.deliveriesPerSec)}/s vs ${
          rate(base.deliveriesPerSec)
        }/s without (${ratio(slow.deliveriesPerSec, base.deliveriesPerSec)}), lost ${slow.lost}`,
      slow === null || base === null ? null : slow.slowDropped === true && slow.lost === 0 &&
        slow.deliveriesPerSec >= 0.8 * base.deliveriesPerSec,
    );
  }
  const ours = report.cases.map((c) => okResult(c.results.ours)).filter((r): r is PeerResult =>
    r !== null
  );
  if (ours.length > 0) {
    const lost = ours.reduce((s, r) => s + r.lost, 0);
    const dup = ours.reduce((s, r) => s + r.duplicates, 0);
    add(
      "no loss, no duplication (ours, every case)",
      `lost ${lost}, duplicated ${dup}`,
      lost === 0 && dup === 0,
    );
  }
  if (rows.length === 0) return [];
  return [
    "## Targets (ours, issue 12)",
    "",
    "| target | measured | result |",
    "|---|---|---|",
    ...rows,
    "",
  ];
}

/** Scenario w beside a-100: the same fan-out over TCP, WebSocket, and both (ours only). */
function webSocketComparison(report: BenchReport): string[] {
  const shown = report.cases.filter((c) =>
    c.spec.scenario === "w" || (c.spec.scenario === "a" && c.spec.clients === 100)
  );
  if (!shown.some((c) => c.spec.scenario === "w")) return [];
  const rows = shown.map((c) => {
    const r = okResult(c.results.ours);
    const clients = c.spec.webSockets === "all"
      ? "WebSocket"
      : c.spec.webSockets === "half"
      ? "half TCP, half WebSocket"
      : "TCP";
    return r === null
      ? `| ${c.spec.id} | ${clients} | – | – | – | – |`
      : `| ${c.spec.id} | ${clients} | ${rate(r.deliveriesPerSec)} | ${ms(r.p99Ms)} | ${
        r.serverCpuUsPerDelivery === null ? "–" : fixed(r.serverCpuUsPerDelivery, 3)
      } | ${r.lost} / ${r.duplicates} |`;
  });
  return [
    "## WebSocket and TCP clients (ours, 100 clients all sending)",
    "",
    "| case | clients | deliveries/s | p99, ms | server CPU per delivery, µs | lost / duplicated |",
    "|---|---|---:|---:|---:|---:|",
    ...rows,
    "",
  ];
}

/**
 * Renders the report as markdown.
 *
 * @param report A finished run.
 * @returns The document, ending with a newline.
 */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const peerLines = report.peers.map((p) =>
    `${p.peer}: ${
      !p.selected ? "not selected" : p.program === null ? "skipped (not installed)" : p.program
    }`
  );
  const out = [
    "# Chat server benchmark",
    "",
    `- Date: ${report.date} (run took ${fixed(report.durationSec, 0)} s)`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Deno ${m.deno}`,
    `- Command: \`${report.command}\``,
    `- Peers: ${peerLines.join("; ")}`,
    `- Lines of ${report.options.lineBytes} bytes; generator in ${report.options.workers} process(es) ` +
    "sharing the cores with the server; loopback only.",
    "- Ratios are ours ÷ peer: above 1× is better for deliveries/s, below 1× for latency, CPU, memory.",
    "",
    ...targets(report),
    ...webSocketComparison(report),
    "## Cases",
    "",
  ];
  for (const c of report.cases) {
    out.push(caseTable(c.spec, c.results), "");
  }
  return out.join("\n");
}
