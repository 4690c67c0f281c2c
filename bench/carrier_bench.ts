/**
 * How a room's ordered batch reaches the workers (issue 18): one `postMessage` per
 * batch per worker carrying the events (what `--workers` does), or one
 * `SharedArrayBuffer` log that the coordinator writes the rendered bytes into once
 * and every worker reads through its own cursor, woken by `Atomics.waitAsync`.
 *
 * The main thread publishes `BATCHES` batches of `BATCH_LINES` chat lines to
 * `WORKERS` workers, as fast as it can (throughput), then one batch every
 * millisecond (latency: publish to receipt). A message worker gets event objects,
 * and renders each once (as a worker's room does); a log worker gets the bytes
 * already rendered by the coordinator, and copies them out (as it would into its
 * room's log).
 *
 * Run: `deno run --allow-read bench/carrier_bench.ts [WORKERS]`
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { TextFormat } from "../lib/server/text_format.ts";
import type { RoomEvent } from "../lib/chat/events.ts";

/** Lines per batch: a busy room's turn holds a few hundred; a paced one, one to ten. */
const BATCH_LINES = [1, 10, 100];
/** Lines carried per throughput run. */
const TOTAL_LINES = 200_000;
/** Batches in a latency run (one per millisecond). */
const LATENCY_BATCHES = 2_000;
/** The shared log's size: every byte of a run fits, so no ring is needed here. */
const LOG_BYTES = 64 * 1024 * 1024;

const FORMAT = new TextFormat("en");

type Carrier = "message" | "sab";

interface Start {
  carrier: Carrier;
  log: SharedArrayBuffer;
  expectLines: number;
}

function line(i: number): RoomEvent {
  return {
    type: "message",
    room: "lobby",
    nick: `user${i % 100}`,
    text: `hello everyone, line ${i} of the run, all green here`,
    time: 1_765_000_000_000 + i,
    id: `e.${i}`,
  };
}

/** Renders events as a worker's room would: once per format, into bytes. */
function render(events: readonly RoomEvent[]): number {
  let bytes = 0;
  for (const event of events) bytes += FORMAT.roomLine(event).length + 1;
  return bytes;
}

// --- worker side -------------------------------------------------------------------

function runWorker(): void {
  const decoder = new TextDecoder();
  self.onmessage = (event: MessageEvent<Start | { sent: number; events: RoomEvent[] }>) => {
    const data = event.data;
    if ("carrier" in data) {
      if (data.carrier === "sab") void followLog(data, decoder);
      else followMessages(data);
    }
  };
}

function followMessages(start: Start): void {
  let lines = 0;
  const latencies: number[] = [];
  self.onmessage = (event: MessageEvent<{ sent: number; events: RoomEvent[] }>) => {
    const { sent, events } = event.data;
    render(events);
    latencies.push(performance.timeOrigin + performance.now() - sent);
    lines += events.length;
    if (lines >= start.expectLines) self.postMessage({ done: true, latencies });
  };
}

async function followLog(start: Start, _decoder: TextDecoder): Promise<void> {
  // Header: [0] bytes written, [1] batches written; batch send times follow the header.
  const header = new Int32Array(start.log, 0, 2);
  const times = new Float64Array(start.log, 8, LATENCY_BATCHES + TOTAL_LINES);
  const bytes = new Uint8Array(start.log, 8 + times.byteLength);
  let read = 0;
  let batches = 0;
  let lines = 0;
  const latencies: number[] = [];
  while (lines < start.expectLines) {
    const written = Atomics.load(header, 0);
    if (written === read) {
      const wait = Atomics.waitAsync(header, 0, read);
      if (wait.async) await wait.value;
      continue;
    }
    // The worker's own copy of the new bytes (what it appends to its room's log).
    const copy = bytes.slice(read, written);
    for (let i = 0; i < copy.length; i++) if (copy[i] === 10) lines++;
    read = written;
    const now = performance.timeOrigin + performance.now();
    const done = Atomics.load(header, 1);
    while (batches < done) latencies.push(now - times[batches++]);
  }
  self.postMessage({ done: true, latencies });
}

// --- main side ---------------------------------------------------------------------

async function run(
  carrier: Carrier,
  workers: number,
  batchLines: number,
  batches: number,
  paceMs: number,
): Promise<{ ms: number; p50: number; p99: number }> {
  const log = new SharedArrayBuffer(LOG_BYTES);
  const header = new Int32Array(log, 0, 2);
  const times = new Float64Array(log, 8, LATENCY_BATCHES + TOTAL_LINES);
  const bytes = new Uint8Array(log, 8 + times.byteLength);
  const encoder = new TextEncoder();
  const expectLines = batchLines * batches;
  const pool = Array.from(
    { length: workers },
    () => new Worker(`${import.meta.url}?worker`, { type: "module" }),
  );
  const done = pool.map((worker) =>
    new Promise<number[]>((resolve) => {
      worker.onmessage = (e: MessageEvent<{ latencies: number[] }>) => resolve(e.data.latencies);
    })
  );
  for (const worker of pool) worker.postMessage({ carrier, log, expectLines } satisfies Start);
  // Let the workers load before the clock starts.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const t0 = performance.now();
  let written = 0;
  let next = 0;
  for (let b = 0; b < batches; b++) {
    const events: RoomEvent[] = [];
    for (let i = 0; i < batchLines; i++) events.push(line(next++));
    const sent = performance.timeOrigin + performance.now();
    if (carrier === "message") {
      for (const worker of pool) worker.postMessage({ sent, events });
    } else {
      // Rendered once by the coordinator, for every worker.
      let text = "";
      for (const event of events) text += FORMAT.roomLine(event) + "\n";
      written += encoder.encodeInto(text, bytes.subarray(written)).written;
      times[b] = sent;
      Atomics.store(header, 1, b + 1);
      Atomics.store(header, 0, written);
      Atomics.notify(header, 0);
    }
    if (paceMs > 0) await new Promise((resolve) => setTimeout(resolve, paceMs));
  }
  const latencies = (await Promise.all(done)).flat().sort((a, b) => a - b);
  const ms = performance.now() - t0;
  for (const worker of pool) worker.terminate();
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { ms, p50: at(0.5), p99: at(0.99) };
}

async function main(): Promise<void> {
  const workers = Number(Deno.args[0] ?? 2);
  console.log(`carrier micro-benchmark: ${workers} workers, ${TOTAL_LINES} lines per run`);
  console.log(
    "| carrier | lines per batch | lines/s (throughput) | paced 1 batch/ms: p50 ms | p99 ms |",
  );
  console.log("| --- | --- | --- | --- | --- |");
  for (const batchLines of BATCH_LINES) {
    for (const carrier of ["message", "sab"] as const) {
      const fast = await run(carrier, workers, batchLines, TOTAL_LINES / batchLines, 0);
      const paced = await run(carrier, workers, batchLines, LATENCY_BATCHES, 1);
      const rate = (TOTAL_LINES / fast.ms * 1000 / 1e3).toFixed(0);
      console.log(
        `| ${
          carrier === "message" ? "postMessage per batch per worker" : "SharedArrayBuffer log"
        } | ${batchLines} | ${rate} k | ${paced.p50.toFixed(3)} | ${paced.p99.toFixed(3)} |`,
      );
    }
  }
}

if (new URL(import.meta.url).search === "?worker") runWorker();
else await main();
