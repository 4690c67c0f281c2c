/**
 * One load generator process. It opens and joins its share of the clients, prints a `joined`
 * message, waits for `go` on stdin, runs the measured phase, prints a `result` message, then
 * waits for stdin to close and exits. Run by `main.ts`; the configuration is the JSON argument.
 *
 * Hot path rules: one `conn.read()` loop per connection into a reused buffer, markers found by
 * `indexOf` on bytes (no text decoding), one clock read per received chunk, one writer per
 * connection sending every line the window allows in one write.
 *
 * @module
 */

import { bucketOf, HISTOGRAM_BUCKETS } from "./_histogram.ts";
import {
  indexOfBytes,
  MARKER_BYTES,
  MARKER_DIGITS_BYTES,
  MARKER_DIGITS_OFFSET,
  MARKER_START,
  MIN_PAYLOAD_BYTES,
  readMarker,
  stampMarker,
  writePayload,
} from "./_marker.ts";
import { type ClientProtocol, type HandshakeStep, protocolOf } from "./_protocols.ts";
import type {
  GoMessage,
  JoinedMessage,
  ResultMessage,
  WorkerConfig,
  WorkerMessage,
} from "./_types.ts";
import { readLines, writeAll } from "./_io.ts";

/** Extra time past the phase limits after which the worker exits on its own. */
const LIFETIME_MARGIN_MS = 60_000;
/** How often the measured phase checks for a stall or the deadline. */
const CHECK_INTERVAL_MS = 50;
/** The slow client's socket is drained for at most this long to see whether it was closed. */
const SLOW_DRAIN_LIMIT_MS = 5_000;
/** A drain read that waits this long means the socket is open and empty. */
const SLOW_IDLE_MS = 1_000;
/**
 * After the joins, the load starts once nothing has arrived for this long: the join
 * notices (ours and ncat announce every newcomer to everyone) have all been delivered,
 * so every case measures an idle server.
 */
const SETTLE_QUIET_MS = 300;

class Client {
  readonly index: number;
  readonly nick: string;
  readonly isSender: boolean;
  readonly slow: boolean;
  /** Its room: `index % rooms`. */
  readonly room: number;
  /** The room's name on the wire, or `undefined` in a one-room case. */
  readonly roomName: string | undefined;
  /** How it talks: TCP lines, or (ours with `--web`) WebSocket. */
  readonly protocol: ClientProtocol;
  /** The port it connects to: the web port for a WebSocket client. */
  readonly port: number;
  readonly steps: HandshakeStep[];
  /** What goes before each of its payloads (Redis names the channel). */
  readonly prefix: Uint8Array;
  readonly frameBytes: number;
  conn: Deno.TcpConn | null = null;
  /** Redis: the connection that publishes; otherwise the same as `conn`. */
  out: Deno.TcpConn | null = null;
  joined = false;
  /** Did not join within the join phase: connected, but neither sends nor counts. */
  late = false;
  closed = false;
  /** Next expected sequence per sender. */
  next: Int32Array | null = null;
  received = 0;
  /** Set by `go`; -1 until then (lines may arrive before this worker has read `go`). */
  expected = -1;
  inflight = 0;
  nextSequence = 0;
  writing = false;
  sendBuffer: Uint8Array | null = null;
  readonly joinedSignal = Promise.withResolvers<void>();

  constructor(index: number, nick: string, isSender: boolean, slow: boolean) {
    this.index = index;
    this.nick = nick;
    this.isSender = isSender;
    this.slow = slow;
    const rooms = config!.rooms;
    this.room = rooms > 1 ? Math.max(0, index) % rooms : 0;
    this.roomName = rooms > 1 ? `r${this.room}` : undefined;
    const webSocket = config!.webSockets === "all" ||
      (config!.webSockets === "half" && index % 2 === 1);
    this.protocol = protocolOf(config!.peer, webSocket);
    const ports = config!.ports;
    this.port = webSocket
      ? config!.webPort
      : ports.length > 0
      ? ports[Math.max(0, index) % ports.length]
      : config!.port;
    this.steps = this.protocol.steps(nick, this.roomName);
    this.prefix = this.protocol.framePrefix(payloadBytes, this.roomName);
    this.frameBytes = this.prefix.length + payloadBytes + this.protocol.frameSuffix.length;
  }
}

type Phase = "joining" | "waiting" | "running" | "done";

const config = JSON.parse(Deno.args[0] ?? "null") as WorkerConfig | null;
if (config === null) {
  console.error("Cannot start the worker: pass its configuration as a JSON argument");
  Deno.exit(2);
}
/** The payload is the line without its `\n` (Redis frames it instead of ending it). */
const payloadBytes = config.lineBytes - 1;
/** From a marker's `@` to the end of its payload, which holds no other `@`. */
const skipAfterMarker = payloadBytes - (MIN_PAYLOAD_BYTES - MARKER_BYTES);
const encoder = new TextEncoder();

let phase: Phase = "joining";
let deliveries = 0;
let duplicates = 0;
let gaps = 0;
let sent = 0;
let maxUs = 0;
let firstSendUs = 0;
let lastDeliveryUs = 0;
let disconnected = 0;
let readersJoined = 0;
/** `performance.now()` of the last bytes any client of this process received. */
let lastBytesAt = 0;
let completeReceivers = 0;
const histogram = new Float64Array(HISTOGRAM_BUCKETS);
const fields = new Float64Array(3);
const discard = new Uint8Array(64 * 1024);
const runEnded = Promise.withResolvers<ResultMessage["ending"]>();

const clients: Client[] = [];
for (let i = 0; i < config.clientCount; i++) {
  const index = config.firstClient + i;
  clients.push(new Client(index, `c${index}`, index < config.senderCount, false));
}
const slowClient = config.slowClient
  ? new Client(-1, `slow${config.firstClient}`, false, true)
  : null;
const allClients = slowClient ? [...clients, slowClient] : clients;
/** ncat does not echo: the first joined reader acknowledges everyone's lines, the second its. */
let observer: Client | null = null;
let backupObserver: Client | null = null;

function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now() - config!.baseMs) * 1000);
}

function usToEpochMs(us: number): number {
  return us === 0 ? 0 : config!.baseMs + us / 1000;
}

function send(message: WorkerMessage): void {
  Deno.stdout.writeSync(encoder.encode(JSON.stringify(message) + "\n"));
}

function closeQuietly(conn: Deno.TcpConn | null): void {
  try {
    conn?.close();
  } catch {
    // Already closed.
  }
}

function localSender(index: number): Client | null {
  const i = index - config!.firstClient;
  return i >= 0 && i < clients.length && clients[i].isSender ? clients[i] : null;
}

function acknowledge(c: Client): void {
  c.inflight--;
  pump(c);
}

/** Masks the marker just stamped, for a protocol that masks (WebSocket): 15 bytes, not the line. */
function maskMarker(c: Client, buffer: Uint8Array, payloadAt: number): void {
  const from = payloadAt + MARKER_DIGITS_OFFSET;
  c.protocol.mask?.(buffer, payloadAt, from, from + MARKER_DIGITS_BYTES);
}

/** Sends as many lines as the window allows, in one write; only this function writes. */
function pump(c: Client): void {
  if (c.writing || phase !== "running" || c.out === null) return;
  const count = Math.min(config!.window - c.inflight, config!.lines - c.nextSequence);
  if (count <= 0) return;
  const buffer = c.sendBuffer!;
  const now = nowUs();
  if (firstSendUs === 0) firstSendUs = now;
  for (let j = 0; j < count; j++) {
    const payloadAt = j * c.frameBytes + c.prefix.length;
    stampMarker(buffer, payloadAt, c.index, c.nextSequence + j, now);
    maskMarker(c, buffer, payloadAt);
  }
  c.nextSequence += count;
  c.inflight += count;
  sent += count;
  c.writing = true;
  writeAll(c.out, buffer.subarray(0, count * c.frameBytes)).then(
    () => {
      c.writing = false;
      pump(c);
    },
    () => {
      c.writing = false;
    },
  );
}

function deliver(c: Client, sender: number, sequence: number, timeUs: number, now: number): void {
  const next = c.next;
  if (phase === "done" || next === null || sender >= config!.senderCount) return;
  const expected = next[sender];
  if (sequence < expected) {
    duplicates++;
    return;
  }
  if (sequence > expected) gaps++;
  next[sender] = sequence + 1;
  deliveries++;
  const latency = now - timeUs;
  histogram[bucketOf(latency)]++;
  if (latency > maxUs) maxUs = latency;
  lastDeliveryUs = now;
  if (++c.received === c.expected && ++completeReceivers === readersJoined) {
    runEnded.resolve("complete");
  }
  if (config!.ratePerSec > 0) return;
  if (c.protocol.echo) {
    if (sender === c.index) acknowledge(c);
  } else if (c === observer) {
    const owner = localSender(sender);
    if (owner !== null && owner !== c) acknowledge(owner);
  } else if (c === backupObserver && observer !== null && sender === observer.index) {
    acknowledge(observer);
  }
}

/** How far past a payload the next marker is looked for byte by byte (a server's prefix). */
const NEAR_SCAN_BYTES = 24;

/** Finds the markers in `buf[0, end)`; returns how many trailing bytes were kept. */
function scan(c: Client, buf: Uint8Array, end: number): number {
  let now = -1;
  let pos = 0;
  while (true) {
    // The next marker is usually a short prefix away: a plain loop beats a call there.
    let i = -1;
    const near = Math.min(end, pos + NEAR_SCAN_BYTES);
    for (let k = pos; k < near; k++) {
      if (buf[k] === MARKER_START) {
        i = k;
        break;
      }
    }
    if (i < 0 && near < end) {
      i = buf.indexOf(MARKER_START, near);
      if (i >= end) i = -1;
    }
    if (i < 0) return 0;
    if (i + MARKER_BYTES > end) {
      buf.copyWithin(0, i, end);
      return end - i;
    }
    if (!readMarker(buf, i, fields)) {
      pos = i + 1;
      continue;
    }
    if (now < 0) now = nowUs();
    deliver(c, fields[0], fields[1], fields[2], now);
    // The rest of this payload is padding: the next marker starts after it.
    pos = i + skipAfterMarker;
  }
}

async function readLoop(c: Client, conn: Deno.TcpConn): Promise<void> {
  const buf = new Uint8Array(config!.readBufferBytes);
  let carry = 0;
  let step = 0;
  try {
    while (!c.joined) {
      const n = await conn.read(buf.subarray(carry));
      if (n === null) throw new Error("the server closed the connection before the join");
      lastBytesAt = performance.now();
      const end = carry + n;
      let from = 0;
      while (step < c.steps.length) {
        const { expect, reply } = c.steps[step];
        const at = indexOfBytes(buf, end, expect, from);
        if (at < 0) break;
        from = at + expect.length;
        step++;
        if (reply) await writeAll(conn, reply);
      }
      if (step === c.steps.length) {
        c.joined = true;
        c.joinedSignal.resolve();
        break;
      }
      const keep = Math.min(end - from, c.steps[step].expect.length - 1);
      buf.copyWithin(0, end - keep, end);
      carry = keep;
    }
    if (c.slow) return; // Never reads again; drainSlowClient() looks at it at the end.
    carry = 0;
    while (true) {
      const n = await conn.read(buf.subarray(carry));
      if (n === null) break;
      if (phase !== "running") lastBytesAt = performance.now();
      carry = scan(c, buf, carry + n);
    }
  } catch (error) {
    if (!c.joined) c.joinedSignal.reject(error);
  } finally {
    if (!c.slow || !c.joined) {
      if (!c.joined) c.joinedSignal.reject(new Error("the connection ended before the join"));
      if (c.next !== null && phase === "running" && !c.closed) disconnected++;
      c.closed = true;
    }
  }
}

async function drainPublisher(conn: Deno.TcpConn): Promise<void> {
  try {
    while ((await conn.read(discard)) !== null) {
      // PUBLISH replies (`:N\r\n`) carry nothing we count.
    }
  } catch {
    // Closed.
  }
}

function timeout(ms: number): { promise: Promise<"timeout">; cancel: () => void } {
  let id: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<"timeout">((resolve) => {
    id = setTimeout(() => resolve("timeout"), ms);
  });
  return { promise, cancel: () => clearTimeout(id) };
}

async function joinClient(c: Client, deadline: number): Promise<void> {
  const connect = (async () => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: c.port });
    conn.setNoDelay(true);
    c.conn = conn;
    if (phase !== "joining" || performance.now() > deadline) throw new Error("join timed out");
    if (c.isSender && c.protocol.separatePublisher) {
      const pub = await Deno.connect({ hostname: "127.0.0.1", port: c.port });
      pub.setNoDelay(true);
      c.out = pub;
      drainPublisher(pub);
    } else {
      c.out = conn;
    }
    readLoop(c, conn);
    const greeting = c.protocol.greeting(c.roomName);
    if (greeting !== null) await writeAll(conn, greeting);
    await c.joinedSignal.promise;
  })();
  connect.catch(() => {});
  const limit = timeout(Math.max(0, deadline - performance.now()));
  try {
    const outcome = await Promise.race([connect, limit.promise]);
    if (outcome === "timeout") throw new Error("join timed out");
  } finally {
    limit.cancel();
  }
}

async function joinAll(): Promise<JoinedMessage> {
  const startMs = Date.now();
  const deadline = performance.now() + config!.joinTimeoutMs;
  let nextIndex = 0;
  let error: string | undefined;
  const joiner = async () => {
    while (nextIndex < allClients.length && performance.now() < deadline) {
      const c = allClients[nextIndex++];
      try {
        await joinClient(c, deadline);
      } catch (e) {
        error ??= `${c.nick}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
  };
  const runners = [];
  for (let i = 0; i < Math.min(config!.joinConcurrency, allClients.length); i++) {
    runners.push(joiner());
  }
  await Promise.all(runners);
  const endMs = Date.now();
  let joined = 0;
  let joinedSenders = 0;
  const joinedSendersByRoom = new Array<number>(config!.rooms).fill(0);
  for (const c of allClients) {
    // A late client stays connected but takes no part: closing a connection that ncat has not
    // accepted yet makes ncat quit ("getpeername ... failed").
    if (!c.joined) {
      c.late = true;
      continue;
    }
    if (c.slow) continue;
    c.next = new Int32Array(config!.senderCount);
    joined++;
    if (c.isSender) {
      joinedSenders++;
      joinedSendersByRoom[c.room]++;
    }
    if (observer === null) observer = c;
    else if (backupObserver === null) backupObserver = c;
  }
  const settledMs = await settle(deadline);
  const failed = allClients.length - joined - (slowClient?.joined ? 1 : 0);
  if (slowClient && !slowClient.joined) error ??= "the slow client did not join";
  return {
    kind: "joined",
    joined,
    joinedSenders,
    joinedSendersByRoom,
    failed,
    startMs,
    endMs,
    settledMs,
    error,
  };
}

/** Waits until nothing has arrived for {@linkcode SETTLE_QUIET_MS} (or the deadline); its epoch ms. */
async function settle(deadline: number): Promise<number> {
  while (performance.now() < deadline) {
    const quietFor = performance.now() - lastBytesAt;
    if (quietFor >= SETTLE_QUIET_MS) break;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_QUIET_MS - quietFor));
  }
  return Math.round(performance.timeOrigin + lastBytesAt);
}

async function pacedSender(c: Client): Promise<void> {
  const periodMs = 1000 / config!.ratePerSec;
  const startMs = performance.now() + (c.index / config!.senderCount) * periodMs;
  const buffer = c.sendBuffer!;
  for (let k = 0; k < config!.lines && phase === "running" && c.out !== null; k++) {
    const wait = startMs + k * periodMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (phase !== "running") return;
    const now = nowUs();
    if (firstSendUs === 0 || now < firstSendUs) firstSendUs = now;
    stampMarker(buffer, c.prefix.length, c.index, k, now);
    maskMarker(c, buffer, c.prefix.length);
    sent++;
    try {
      await writeAll(c.out, buffer.subarray(0, c.frameBytes));
    } catch {
      return;
    }
  }
}

async function run(go: GoMessage): Promise<ResultMessage["ending"]> {
  const lines = config!.lines;
  for (const c of clients) {
    if (c.next === null) continue;
    const own = c.isSender && !c.protocol.echo ? lines : 0;
    c.expected = go.joinedSendersByRoom[c.room] * lines - own;
    readersJoined++;
    if (c.received >= c.expected) completeReceivers++;
    if (c.isSender) {
      const slots = config!.ratePerSec > 0 ? 1 : config!.window;
      c.sendBuffer = new Uint8Array(slots * c.frameBytes);
      for (let j = 0; j < slots; j++) {
        const at = j * c.frameBytes;
        c.sendBuffer.set(c.prefix, at);
        const payloadAt = at + c.prefix.length;
        writePayload(c.sendBuffer, payloadAt, payloadBytes);
        c.protocol.mask?.(c.sendBuffer, payloadAt, payloadAt, payloadAt + payloadBytes);
        c.sendBuffer.set(c.protocol.frameSuffix, payloadAt + payloadBytes);
      }
    }
  }
  phase = "running";
  if (completeReceivers === readersJoined) runEnded.resolve("complete");
  for (const c of clients) {
    if (c.next === null || !c.isSender) continue;
    if (config!.ratePerSec > 0) pacedSender(c);
    else pump(c);
  }
  const started = performance.now();
  let lastCount = -1;
  let lastProgress = started;
  const checker = setInterval(() => {
    const now = performance.now();
    if (deliveries !== lastCount) {
      lastCount = deliveries;
      lastProgress = now;
    } else if (now - lastProgress > config!.stallMs) {
      runEnded.resolve("stalled");
    }
    if (now - started > config!.runTimeoutMs) runEnded.resolve("deadline");
  }, CHECK_INTERVAL_MS);
  const ending = await runEnded.promise;
  clearInterval(checker);
  phase = "done";
  return ending;
}

/** Reads what the slow client has waiting to learn whether the server closed it. */
async function drainSlowClient(c: Client): Promise<{ dropped: boolean; bytes: number }> {
  if (c.conn === null) return { dropped: false, bytes: 0 };
  const conn = c.conn;
  const stopAt = performance.now() + SLOW_DRAIN_LIMIT_MS;
  let bytes = 0;
  while (performance.now() < stopAt) {
    const read = conn.read(discard).catch(() => null);
    const idle = timeout(SLOW_IDLE_MS);
    const n = await Promise.race([read, idle.promise]);
    idle.cancel();
    if (n === "timeout") return { dropped: false, bytes };
    if (n === null) return { dropped: true, bytes };
    bytes += n;
  }
  return { dropped: false, bytes };
}

async function main(): Promise<void> {
  const lifetime = setTimeout(() => {
    console.error("Cannot finish the worker: it outlived its time limits");
    Deno.exit(3);
  }, config!.joinTimeoutMs + config!.runTimeoutMs + LIFETIME_MARGIN_MS);
  const commands = readLines(Deno.stdin);
  send(await joinAll());
  phase = "waiting";
  const first = await commands.next();
  if (first.done) Deno.exit(0);
  const go = JSON.parse(first.value) as GoMessage;
  const ending = await run(go);
  let lost = 0;
  for (const c of clients) {
    if (c.next !== null) lost += Math.max(0, c.expected - c.received);
  }
  const slow = slowClient && slowClient.joined ? await drainSlowClient(slowClient) : null;
  send({
    kind: "result",
    deliveries,
    lost,
    duplicates,
    gaps,
    sent,
    histogram: Array.from(histogram),
    maxUs,
    firstSendMs: usToEpochMs(firstSendUs),
    lastDeliveryMs: usToEpochMs(lastDeliveryUs),
    disconnected,
    ending,
    slowDropped: slow === null ? null : slow.dropped,
    slowBufferedBytes: slow?.bytes ?? 0,
  });
  // Stay connected until every worker is done: leaving would make the server announce it.
  while (!(await commands.next()).done) {
    // Any further line is ignored; end of stdin means quit.
  }
  clearTimeout(lifetime);
  for (const c of allClients) {
    closeQuietly(c.conn);
    if (c.out !== c.conn) closeQuietly(c.out);
  }
  Deno.exit(0);
}

main().catch((error) => {
  console.error(`Cannot run the worker: ${error instanceof Error ? error.message : error}`);
  Deno.exit(1);
});
