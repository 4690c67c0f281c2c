/**
 * The cases of issue 5's scenarios, sized for a full run (a few minutes) or a quick one.
 *
 * @module
 */

import type { CaseSpec, ScenarioName } from "./_run_case.ts";

/** Every scenario, in run order. */
export const SCENARIOS: readonly ScenarioName[] = ["a", "b", "c", "d", "e", "w", "k", "j"];

/** Knobs of a benchmark run (the command-line flags). */
export interface BenchOptions {
  /** Smaller cases (about a third of the time). @default {false} */
  quick: boolean;
  /** Scenarios to run. @default {all} */
  only: ScenarioName[];
  /** Client counts of scenario a. @default {[10, 100, 1000]} */
  throughputClients: number[];
  /** Idle clients of scenario c. @default {10000} */
  idleClients: number;
  /** Bytes per line including `\n`. @default {64} */
  lineBytes: number;
  /** Own lines in flight per sender in throughput cases. @default {8} */
  window: number;
  /** Generator processes. @default {2} */
  workers: number;
  /** Output buffer limit of ours and Redis in a, b, c. @default {4 MiB} */
  maxOutboxBytes: number;
  /** Ours: `--workers N` (server threads); `undefined`: the server's default. */
  serverWorkers?: number;
  /** Output buffer limit of ours and Redis in d, small enough for the drop to happen. @default {256 KiB} */
  slowOutboxBytes: number;
}

/**
 * Deliveries a throughput case aims at per client (capped below), so that the measured phase
 * lasts a few seconds: long enough for CPU times counted in 10 ms ticks.
 */
const THROUGHPUT_DELIVERIES_PER_CLIENT = 200_000;
const THROUGHPUT_DELIVERIES_CAP = 15_000_000;
/** Quick runs do a third of that. */
const QUICK_DIVISOR = 3;
/** Lines per sender in scenario d: enough to fill the never-reading client's socket buffers and its output limit. */
const SLOW_LINES = 1_000;
const QUICK_SLOW_LINES = 700;
/** Seconds of paced sending in scenario b. */
const PACED_SECONDS = 3;
const QUICK_PACED_SECONDS = 2;
/** Lines per second per sender in scenario b. */
const PACED_RATE = 10;
/** Scenario w: the clients of a-100, over WebSocket (all, then half of them). */
const WEBSOCKET_CLIENTS = 100;
/** Scenario j: clients joining at once. */
const JOIN_STORM_CLIENTS = 1000;
/** Scenario k: clients, and the servers of ours a cluster has. */
const CLUSTER_CLIENTS = 100;
const CLUSTER_SIZES = [1, 3];
/** A cluster case moves every line through Redis: a quarter of a-100's lines keeps it short. */
const CLUSTER_DIVISOR = 4;
/** Scenario e: rooms, and clients in each. */
const ROOMS = 10;
const CLIENTS_PER_ROOM = 100;

/**
 * The cases to run.
 *
 * @param options The run's flags.
 * @returns Cases in run order.
 */
export function buildCases(options: BenchOptions): CaseSpec[] {
  const quick = options.quick;
  const base = {
    lineBytes: options.lineBytes,
    window: options.window,
    ratePerSec: 0,
    slowClient: false,
    maxOutboxBytes: options.maxOutboxBytes,
    serverWorkers: options.serverWorkers,
    workers: options.workers,
    joinConcurrency: 50,
    joinTimeoutMs: quick ? 10_000 : 20_000,
    runTimeoutMs: quick ? 10_000 : 15_000,
    stallMs: 3_000,
    readBufferBytes: 64 * 1024,
    rooms: 1,
    webSockets: "none" as const,
    clusterServers: 0,
  };
  const cases: CaseSpec[] = [];
  const wanted = new Set(options.only);
  if (wanted.has("a")) {
    for (const n of options.throughputClients) {
      const target = Math.min(THROUGHPUT_DELIVERIES_CAP, THROUGHPUT_DELIVERIES_PER_CLIENT * n) /
        (quick ? QUICK_DIVISOR : 1);
      const lines = Math.max(1, Math.round(target / (n * n)));
      cases.push({
        ...base,
        id: `a-${n}`,
        scenario: "a",
        title: `a: throughput, ${n} clients each sending ${lines} lines, window ${options.window}`,
        clients: n,
        senders: n,
        lines,
        readBufferBytes: n >= 1000 ? 32 * 1024 : 64 * 1024,
      });
    }
  }
  if (wanted.has("b")) {
    const lines = (quick ? QUICK_PACED_SECONDS : PACED_SECONDS) * PACED_RATE;
    cases.push({
      ...base,
      id: "b-1000x10",
      scenario: "b",
      title: `b: latency, 1000 receivers, 10 senders × ${PACED_RATE} lines/s × ${lines} lines`,
      clients: 1000,
      senders: 10,
      lines,
      window: 0,
      ratePerSec: PACED_RATE,
      readBufferBytes: 16 * 1024,
    });
    cases.push({
      ...base,
      id: "b-100",
      scenario: "b",
      title: `b: latency, 100 clients each sending ${PACED_RATE} lines/s × ${lines} lines`,
      clients: 100,
      senders: 100,
      lines,
      window: 0,
      ratePerSec: PACED_RATE,
      readBufferBytes: 16 * 1024,
    });
  }
  if (wanted.has("c")) {
    const n = options.idleClients;
    cases.push({
      ...base,
      id: `c-${n}`,
      scenario: "c",
      title: `c: ${n} idle clients join, then one line reaches all of them`,
      clients: n,
      senders: 1,
      lines: 1,
      window: 1,
      joinConcurrency: 100,
      joinTimeoutMs: quick ? 20_000 : 30_000,
      readBufferBytes: 8 * 1024,
    });
  }
  if (wanted.has("d")) {
    const lines = quick ? QUICK_SLOW_LINES : SLOW_LINES;
    const d = {
      ...base,
      scenario: "d" as const,
      clients: 100,
      senders: 100,
      lines,
      maxOutboxBytes: options.slowOutboxBytes,
    };
    cases.push({
      ...d,
      id: "d-base",
      title: `d: baseline, 100 clients each sending ${lines} lines, window ${options.window}`,
    });
    cases.push({
      ...d,
      id: "d-slow",
      title: `d: the same plus one joined client that never reads`,
      slowClient: true,
    });
  }
  if (wanted.has("e")) {
    // Every client talks, each line reaches the 100 of its room: the deliveries of a-1000
    // spread over rooms, so the same cap on the case's size applies.
    const rooms = ROOMS;
    const perRoom = CLIENTS_PER_ROOM;
    const target = THROUGHPUT_DELIVERIES_CAP / (quick ? QUICK_DIVISOR : 1);
    const lines = Math.max(1, Math.round(target / (rooms * perRoom * perRoom)));
    cases.push({
      ...base,
      id: `e-${rooms}x${perRoom}`,
      scenario: "e",
      title:
        `e: ${rooms} rooms of ${perRoom} clients, everyone sending ${lines} lines to their room at once, window ${options.window}`,
      clients: rooms * perRoom,
      senders: rooms * perRoom,
      lines,
      rooms,
      readBufferBytes: 32 * 1024,
    });
  }
  if (wanted.has("w")) {
    // a-100's fan-out with WebSocket members: the same log, the same outboxes, JSON frames.
    const n = WEBSOCKET_CLIENTS;
    const target = Math.min(THROUGHPUT_DELIVERIES_CAP, THROUGHPUT_DELIVERIES_PER_CLIENT * n) /
      (quick ? QUICK_DIVISOR : 1);
    const lines = Math.max(1, Math.round(target / (n * n)));
    const w = { ...base, scenario: "w" as const, clients: n, senders: n, lines };
    cases.push({
      ...w,
      id: `w-${n}`,
      title:
        `w: WebSocket, ${n} clients each sending ${lines} lines, window ${options.window} (a-${n} over WebSocket)`,
      webSockets: "all",
    });
    cases.push({
      ...w,
      id: `w-${n / 2}+${n / 2}`,
      title: `w: ${n / 2} TCP + ${
        n / 2
      } WebSocket clients in one room, each sending ${lines} lines, window ${options.window}`,
      webSockets: "half",
    });
  }
  if (wanted.has("j")) {
    // The join storm: every newcomer is announced to everyone (ours and ncat; Redis sends
    // nothing), so N joins deliver N²/2 notices. Measured: time until they are all
    // delivered, and the server's CPU meanwhile.
    const n = JOIN_STORM_CLIENTS;
    cases.push({
      ...base,
      id: `j-${n}`,
      scenario: "j",
      title:
        `j: join storm, ${n} clients join one room (each announced to everyone), then one line`,
      clients: n,
      senders: 1,
      lines: 1,
      window: 1,
      readBufferBytes: 16 * 1024,
    });
  }
  if (wanted.has("k")) {
    // a-100's fan-out, with ours as a cluster: 1 or 3 servers behind one Redis, the clients
    // spread over them. Redis pub/sub alone is the peer.
    const n = CLUSTER_CLIENTS;
    const target = Math.min(THROUGHPUT_DELIVERIES_CAP, THROUGHPUT_DELIVERIES_PER_CLIENT * n) /
      (quick ? QUICK_DIVISOR : 1) / CLUSTER_DIVISOR;
    const lines = Math.max(1, Math.round(target / (n * n)));
    for (const servers of CLUSTER_SIZES) {
      cases.push({
        ...base,
        id: `k${servers}-${n}`,
        scenario: "k",
        title:
          `k: cluster of ${servers} (ours behind one Redis), ${n} clients each sending ${lines} lines, window ${options.window}`,
        clients: n,
        senders: n,
        lines,
        clusterServers: servers,
      });
    }
    const paced = (quick ? QUICK_PACED_SECONDS : PACED_SECONDS) * PACED_RATE;
    cases.push({
      ...base,
      id: `k3-b${n}`,
      scenario: "k",
      title:
        `k: latency, cluster of 3, ${n} clients each sending ${PACED_RATE} lines/s × ${paced} lines`,
      clients: n,
      senders: n,
      lines: paced,
      window: 0,
      ratePerSec: PACED_RATE,
      readBufferBytes: 16 * 1024,
      clusterServers: 3,
    });
  }
  return cases;
}
