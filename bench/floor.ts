/**
 * The runtime's floor under the chat server (issue 12): what N idle TCP connections cost a bare
 * Deno process, and how long writing one 64-byte line to each of them takes, with `Deno.listen`
 * and with Node's `net` module inside Deno. No chat code runs: these are the figures no server
 * written on this runtime can beat, next to which the c-10000 and b-1000x10 cases are read.
 *
 * ```sh
 * deno task bench:floor              # 1000 and 10000 connections, both APIs
 * deno task bench:floor 5000         # other counts
 * ```
 *
 * The parent starts one child per API and count (`floor.ts serve deno|node`), opens the
 * connections from its own process, each with a read loop, and the child reports its resident
 * memory (`Deno.memoryUsage().rss`) before and after accepting them and, for three rounds, the
 * wall time and the CPU time (`process.cpuUsage()`, all threads) of one write to every
 * connection, all issued at once and awaited together.
 *
 * @module
 */

import * as net from "node:net";
import process from "node:process";

const LINE = new TextEncoder().encode("x".repeat(63) + "\n");
const ROUNDS = 3;
const SETTLE_MS = 500;
const READ_BUFFER_BYTES = 512;

type Api = "deno" | "node";

/** What a child reports, one JSON object per line on stdout. */
type Report =
  | { kind: "listening"; port: number; rssMiB: number }
  | { kind: "accepted"; count: number; rssMiB: number }
  | { kind: "round"; ms: number; cpuMs: number }
  | { kind: "done" };

const mib = (bytes: number) => bytes / 1024 / 1024;
const rssMiB = () => mib(Deno.memoryUsage().rss);
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const report = (r: Report) => console.log(JSON.stringify(r));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads lines from the parent's stdin; `go` starts the write rounds. */
async function waitForGo(): Promise<void> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of Deno.stdin.readable) {
    text += decoder.decode(chunk, { stream: true });
    if (text.includes("go\n")) return;
  }
  throw new Error("stdin closed before go");
}

/** The child: accepts `count` connections with `api`, then writes one line to all, ROUNDS times. */
async function serve(api: Api, count: number): Promise<void> {
  let writeAll: () => Promise<unknown>;
  if (api === "deno") {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    report({ kind: "listening", port: listener.addr.port, rssMiB: rssMiB() });
    const conns: Deno.Conn[] = [];
    while (conns.length < count) {
      const conn = await listener.accept();
      conn.setNoDelay(true);
      conns.push(conn);
      (async () => {
        const buffer = new Uint8Array(READ_BUFFER_BYTES);
        try {
          while ((await conn.read(buffer)) !== null) { /* drain */ }
        } catch { /* closed */ }
      })();
    }
    listener.close();
    writeAll = () => Promise.all(conns.map((conn) => conn.write(LINE)));
  } else {
    const sockets: net.Socket[] = [];
    const server = net.createServer((socket) => {
      socket.setNoDelay(true);
      socket.on("data", () => {});
      socket.on("error", () => {});
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address() as net.AddressInfo;
    report({ kind: "listening", port: address.port, rssMiB: rssMiB() });
    while (sockets.length < count) await pause(20);
    server.close();
    writeAll = () =>
      Promise.all(
        sockets.map((s) => new Promise<void>((resolve) => s.write(LINE, () => resolve()))),
      );
  }
  await pause(SETTLE_MS);
  report({ kind: "accepted", count, rssMiB: rssMiB() });
  await waitForGo();
  for (let round = 0; round < ROUNDS; round++) {
    const cpu0 = cpuMs();
    const t0 = performance.now();
    await writeAll();
    report({ kind: "round", ms: performance.now() - t0, cpuMs: cpuMs() - cpu0 });
    await pause(SETTLE_MS);
  }
  report({ kind: "done" });
  Deno.exit(0);
}

/** One child: returns its reports, with the parent's clients connected and draining. */
async function measure(api: Api, count: number): Promise<Report[]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", import.meta.filename!, "serve", api, String(count)],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reports: Report[] = [];
  const conns: Deno.Conn[] = [];
  const writer = child.stdin.getWriter();
  try {
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).values();
    let pending = "";
    const next = async (): Promise<Report> => {
      while (!pending.includes("\n")) {
        const { value, done } = await lines.next();
        if (done) throw new Error(`the ${api} child ended early`);
        pending += value;
      }
      const at = pending.indexOf("\n");
      const line = pending.slice(0, at);
      pending = pending.slice(at + 1);
      const r = JSON.parse(line) as Report;
      reports.push(r);
      return r;
    };
    const listening = await next();
    if (listening.kind !== "listening") throw new Error(`unexpected ${listening.kind}`);
    for (let i = 0; i < count; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: listening.port });
      conns.push(conn);
      (async () => {
        const buffer = new Uint8Array(4096);
        try {
          while ((await conn.read(buffer)) !== null) { /* drain */ }
        } catch { /* closed */ }
      })();
    }
    await next(); // accepted
    await writer.write(new TextEncoder().encode("go\n"));
    while ((await next()).kind !== "done") { /* rounds */ }
  } finally {
    for (const conn of conns) {
      try {
        conn.close();
      } catch { /* already closed */ }
    }
    await writer.close().catch(() => {});
    await child.status;
  }
  return reports;
}

async function main(args: string[]): Promise<void> {
  if (args[0] === "serve") return serve(args[1] as Api, Number(args[2]));
  const counts = args.length > 0 ? args.map(Number) : [1000, 10000];
  if (counts.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error("Usage: deno task bench:floor [COUNT...]");
    Deno.exit(2);
  }
  console.log(
    `Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores, one 64-byte line`,
  );
  console.log(
    "| API | connections | RSS idle, MiB | RSS with them, MiB | per connection, KiB | one write to each: ms (CPU ms), 3 rounds |",
  );
  console.log("|---|---:|---:|---:|---:|---|");
  for (const count of counts) {
    for (const api of ["deno", "node"] as const) {
      const reports = await measure(api, count);
      let idle = 0, loaded = 0;
      const rounds: string[] = [];
      for (const r of reports) {
        if (r.kind === "listening") idle = r.rssMiB;
        if (r.kind === "accepted") loaded = r.rssMiB;
        if (r.kind === "round") rounds.push(`${r.ms.toFixed(1)} (${r.cpuMs.toFixed(0)})`);
      }
      const perConnKiB = ((loaded - idle) * 1024) / count;
      const name = api === "deno" ? "Deno.listen" : "node:net";
      console.log(
        `| ${name} | ${count} | ${idle.toFixed(1)} | ${loaded.toFixed(1)} | ${
          perConnKiB.toFixed(1)
        } | ${rounds.join(", ")} |`,
      );
    }
  }
}

if (import.meta.main) await main(Deno.args);
