/**
 * Stress-test fixtures: the memory of a process (a `main.ts server` child from
 * `startServerProcess`) read from `/proc/<pid>/status`, and a raw chat client
 * that counts what it receives without keeping it.
 *
 * @module
 */

import { writeAllTo } from "../fixtures/raw_client.ts";
import { closeQuietly, SocketReader } from "../fixtures/socket_reader.ts";
import { Waiter } from "../fixtures/waiter.ts";

const encoder = new TextEncoder();

/** Memory of a process, from `/proc/<pid>/status`, in KiB. */
export interface Memory {
  /** Resident set size now (`VmRSS`). */
  rssKiB: number;
  /** The highest resident set size so far (`VmHWM`). */
  peakKiB: number;
}

/**
 * Reads a process's resident memory. Deno lets only `--allow-all` read another
 * process's `/proc` files, so `cat` reads it (`--allow-run`).
 * @param pid The process.
 * @returns `VmRSS` and `VmHWM`.
 */
export function readMemory(pid: number): Memory {
  const result = new Deno.Command("cat", { args: [`/proc/${pid}/status`], stderr: "inherit" })
    .outputSync();
  if (!result.success) throw new Error(`Cannot read /proc/${pid}/status`);
  const status = new TextDecoder().decode(result.stdout);
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)![1]);
  return { rssKiB: field("VmRSS"), peakKiB: field("VmHWM") };
}

/** Formats KiB as MiB with one decimal. */
export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

/**
 * A raw chat client that reads everything as fast as it can and counts the
 * lines from one sender, without keeping them.
 */
export class CountingClient implements AsyncDisposable {
  readonly conn: Deno.Conn;
  /** Lines that start with the watched prefix. */
  watchedLines = 0;
  /** Bytes received since counting started. */
  bytes = 0;
  /** Other lines (notices), kept. */
  readonly notices: string[] = [];
  readonly #waiter = new Waiter(() => `notices ${this.notices}`);
  readonly #reader: SocketReader;

  private constructor(conn: Deno.Conn, prefix: string) {
    this.conn = conn;
    const watched = encoder.encode(prefix);
    const decoder = new TextDecoder();
    this.#reader = new SocketReader(conn, this.#waiter, {
      bufferBytes: 256 * 1024,
      onBytes: (chunk) => this.bytes += chunk.length,
      onLine: (line) => {
        if (startsWith(line, watched)) this.watchedLines++;
        else this.notices.push(decoder.decode(line));
      },
    });
  }

  /**
   * Connects, joins as `nick`, and starts counting the lines that start with `prefix`.
   * @param port The server port.
   * @param nick The nickname.
   * @param prefix The start of a counted line, e.g. `"alice> "`.
   * @returns The client.
   */
  static async join(port: number, nick: string, prefix: string): Promise<CountingClient> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await writeAllTo(conn, nick + "\n");
    const client = new CountingClient(conn, prefix);
    await client.until(() => client.notices.includes("서버에 연결되었습니다."), `${nick} to join`);
    return client;
  }

  /** Whether the server closed the connection. */
  get ended(): boolean {
    return this.#waiter.ended;
  }

  /**
   * Sends bytes.
   * @param bytes What to send.
   */
  async write(bytes: Uint8Array): Promise<void> {
    await writeAllTo(this.conn, bytes);
  }

  /**
   * Waits until a condition on this client holds.
   * @param done The condition, checked after every read.
   * @param what Said on timeout.
   * @param timeoutMs The safety net.
   */
  async until(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    await this.#waiter.until(done, what, timeoutMs);
  }

  /** Registers a callback called after every read (for flow control). */
  onProgress(callback: () => void): void {
    this.#waiter.onChange(callback);
  }

  /** @inheritdoc */
  async [Symbol.asyncDispose](): Promise<void> {
    closeQuietly(this.conn);
    await this.#reader.finished;
  }
}

function startsWith(line: Uint8Array, prefix: Uint8Array): boolean {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (line[i] !== prefix[i]) return false;
  return true;
}
