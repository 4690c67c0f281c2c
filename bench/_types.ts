/**
 * Messages and settings shared by the orchestrator (`main.ts`) and the load generator
 * processes (`worker.ts`). Everything here crosses a process boundary as JSON.
 *
 * @module
 */

/**
 * The servers the benchmark knows how to start and talk to. `ours` keeps its data as
 * users do by default (an SQLite file, here a fresh one in a temporary folder);
 * `ours-mem` is the same server with `--data none`, to show what the store costs.
 */
export type PeerName = "ours" | "ours-mem" | "ncat" | "redis";

/** Every peer, in the order they appear in tables. */
export const PEER_NAMES: readonly PeerName[] = ["ours", "ours-mem", "ncat", "redis"];

/** The other servers: the targets compare ours with these. */
export const RIVALS: readonly PeerName[] = ["ncat", "redis"];

/**
 * Tells whether a peer is our server (with its data in a file or in memory).
 *
 * @param peer The peer.
 * @returns `true` for `ours` and `ours-mem`.
 */
export function isOurs(peer: PeerName): boolean {
  return peer === "ours" || peer === "ours-mem";
}

/** What one generator process does: which clients it owns and how they send. */
export interface WorkerConfig {
  /** Which server protocol to speak. */
  peer: PeerName;
  /** Server port on 127.0.0.1. */
  port: number;
  /** Cluster cases: the ports of our servers; client `i` uses `ports[i % ports.length]`. */
  ports: number[];
  /** Global index of this worker's first client; its clients are `[first, first + count)`. */
  firstClient: number;
  /** Number of clients this worker owns (not counting the slow client). */
  clientCount: number;
  /** Clients `[0, senderCount)` (global indices) send; the others only receive. */
  senderCount: number;
  /** Lines each sender sends. */
  lines: number;
  /** Bytes per line, the line ending included (Redis: the published payload is one less). */
  lineBytes: number;
  /** At most this many of a sender's own lines unacknowledged; used when `ratePerSec` is 0. */
  window: number;
  /** Lines per second per sender (open loop); 0 = as fast as the window allows. */
  ratePerSec: number;
  /** Add one joined client (in this worker) that never reads after it has joined. */
  slowClient: boolean;
  /** Epoch milliseconds that marker times count from (shared by all processes of a run). */
  baseMs: number;
  /** Connections being opened and joined at the same time by this worker. */
  joinConcurrency: number;
  /** The whole join phase of this worker gives up after this long. */
  joinTimeoutMs: number;
  /** The measured phase ends after this long even if lines are missing. */
  runTimeoutMs: number;
  /** The measured phase ends when no line has arrived for this long. */
  stallMs: number;
  /** Receive buffer per connection. */
  readBufferBytes: number;
  /** Rooms the clients are spread over (client `i` is in room `i % rooms`); 1: one room. */
  rooms: number;
  /**
   * Which clients speak WebSocket to ours (`--web`) instead of TCP lines: none, all, or half
   * (client `i` when `i` is odd).
   */
  webSockets: WebSocketShare;
  /** The web port of ours for those clients; 0 when the server has none. */
  webPort: number;
}

/** Which clients of a case use WebSocket. */
export type WebSocketShare = "none" | "all" | "half";

/** First message of a worker: its join phase is over. */
export interface JoinedMessage {
  kind: "joined";
  /** Clients that completed the join handshake (the slow client not included). */
  joined: number;
  /** Of those, how many are senders. */
  joinedSenders: number;
  /** Joined senders per room (index = room). */
  joinedSendersByRoom: number[];
  /** Clients that failed or timed out (their sockets are closed). */
  failed: number;
  /** Epoch ms when this worker started connecting and when its last client joined. */
  startMs: number;
  endMs: number;
  /** Epoch ms of the last bytes received before the load began (the join notices settled). */
  settledMs: number;
  /** First failure seen, for the report. */
  error?: string;
}

/** The orchestrator's go signal (one line of JSON on the worker's stdin). */
export interface GoMessage {
  kind: "go";
  /** Joined senders over all workers: what every receiver expects lines from. */
  joinedSenders: number;
  /** Joined senders per room over all workers: what a receiver in that room expects. */
  joinedSendersByRoom: number[];
}

/** Second message of a worker: the measured phase is over. */
export interface ResultMessage {
  kind: "result";
  /** Distinct lines received, over all of this worker's receivers. */
  deliveries: number;
  /** Lines expected but not received (by receivers that read). */
  lost: number;
  /** Lines received again (sequence below the next expected one). */
  duplicates: number;
  /** Times a sequence jumped ahead (reordering or loss). */
  gaps: number;
  /** Lines sent by this worker's senders. */
  sent: number;
  /** Latency histogram counts (see `_histogram.ts`) and the exact maximum, µs. */
  histogram: number[];
  maxUs: number;
  /** Epoch ms of the first send and of the last delivery seen by this worker (0 if none). */
  firstSendMs: number;
  lastDeliveryMs: number;
  /** Reading clients whose connection ended during the measured phase. */
  disconnected: number;
  /** Why the phase ended: everything arrived, nothing arrived for a while, or the deadline. */
  ending: "complete" | "stalled" | "deadline";
  /** For the slow client: whether the server closed its connection (null: no slow client). */
  slowDropped: boolean | null;
  /** Bytes the slow client had waiting in its socket when it was drained. */
  slowBufferedBytes: number;
}

/** Anything a worker prints on stdout (one JSON object per line). */
export type WorkerMessage = JoinedMessage | ResultMessage;
