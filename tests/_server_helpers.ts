/**
 * Test fixtures for the server: an in-process server on port 0 and a raw TCP
 * line client. Waits are on specific lines, with a timeout as a safety net.
 *
 * @module
 */

import { ConsoleLog } from "../lib/util/console_log.ts";
import type { ServeOptions } from "../lib/server/options.ts";
import { type ChatServer, serve } from "../lib/server/server.ts";

/** How long a test waits for an expected line before failing. */
export const LINE_TIMEOUT_MS = 5_000;

/** A console that keeps lines in memory, for tests that check the server log. */
export class MemorySink {
  /** Everything written, decoded. */
  text = "";
  #decoder = new TextDecoder();

  /** @inheritdoc */
  write(bytes: Uint8Array): Promise<number> {
    this.text += this.#decoder.decode(bytes);
    return Promise.resolve(bytes.length);
  }
}

/** A server running in this process, shut down by `await using`. */
export interface TestServer extends AsyncDisposable {
  server: ChatServer;
  port: number;
  /** The server console. */
  sink: MemorySink;
}

/**
 * Starts a server on 127.0.0.1, port 0, logging into memory.
 *
 * @param options Settings on top of the test defaults (no flood control unless asked).
 * @returns The fixture.
 */
export function startServer(options: ServeOptions = {}): TestServer {
  const sink = new MemorySink();
  const server = serve({
    hostname: "127.0.0.1",
    port: 0,
    rateLinesPerSecond: 0,
    log: new ConsoleLog({ sink, timestamps: false }),
    onListen: () => {},
    ...options,
  });
  return {
    server,
    port: server.addr.port,
    sink,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** A raw TCP client that reads whole lines, like a person with `nc`. */
export class LineClient implements AsyncDisposable {
  readonly conn: Deno.Conn;
  /** Every line received so far, in order (including those already consumed). */
  readonly received: string[] = [];
  #queue: string[] = [];
  #partial = new Uint8Array(0);
  #decoder = new TextDecoder();
  #encoder = new TextEncoder();
  #waiter: (() => void) | undefined;
  #eof = false;
  #reading: Promise<void>;

  /**
   * @param conn A connected socket; the client owns it.
   */
  constructor(conn: Deno.Conn) {
    this.conn = conn;
    this.#reading = this.#readLoop();
  }

  /**
   * Connects to 127.0.0.1.
   * @param port The server port.
   * @returns The client.
   */
  static async connect(port: number): Promise<LineClient> {
    return new LineClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Whether the server closed the connection. */
  get closed(): boolean {
    return this.#eof;
  }

  /**
   * Sends raw text (add `\n` yourself).
   * @param text The text.
   */
  async write(text: string | Uint8Array): Promise<void> {
    const bytes = typeof text === "string" ? this.#encoder.encode(text) : text;
    let offset = 0;
    while (offset < bytes.length) offset += await this.conn.write(bytes.subarray(offset));
  }

  /**
   * Sends one line.
   * @param line The line, without `\n`.
   */
  async send(line: string): Promise<void> {
    await this.write(line + "\n");
  }

  /**
   * Takes the next line, waiting for it.
   * @param timeoutMs The safety net.
   * @returns The line, or `null` when the connection closed first.
   */
  async nextLine(timeoutMs = LINE_TIMEOUT_MS): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.#queue.length === 0) {
      if (this.#eof) return null;
      await this.#wait(deadline, "a line");
    }
    return this.#queue.shift()!;
  }

  /**
   * Takes lines until one matches, and returns it; lines before it are consumed.
   * @param expected The exact line, or a test.
   * @param timeoutMs The safety net.
   * @returns The matching line.
   * @throws {Error} On timeout or close, listing the lines seen.
   */
  async waitFor(
    expected: string | ((line: string) => boolean),
    timeoutMs = LINE_TIMEOUT_MS,
  ): Promise<string> {
    const test = typeof expected === "string" ? (l: string) => l === expected : expected;
    const deadline = Date.now() + timeoutMs;
    while (true) {
      while (this.#queue.length > 0) {
        const line = this.#queue.shift()!;
        if (test(line)) return line;
      }
      if (this.#eof) {
        throw new Error(
          `Connection closed before ${JSON.stringify(String(expected))}; got ${
            JSON.stringify(this.received.slice(-20))
          }`,
        );
      }
      await this.#wait(deadline, String(expected));
    }
  }

  /**
   * Waits until the server closes the connection.
   * @param timeoutMs The safety net.
   * @returns The lines received but not yet consumed.
   */
  async waitClosed(timeoutMs = LINE_TIMEOUT_MS): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#eof) await this.#wait(deadline, "the server to close the connection");
    return this.#queue.splice(0);
  }

  /**
   * Joins the chat: answers the nickname prompt and waits for the welcome line and
   * the room's members (the last line of entering a room).
   * @param nick The nickname.
   */
  async join(nick: string): Promise<void> {
    await this.waitFor("닉네임을 입력하세요:");
    await this.send(nick);
    await this.waitFor("서버에 연결되었습니다.");
    await this.waitFor(isMembersLine);
  }

  /** Closes the socket and waits for the reader to stop. */
  async close(): Promise<void> {
    try {
      this.conn.close();
    } catch {
      // Closed already.
    }
    await this.#reading;
  }

  /** @inheritdoc */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #wait(deadline: number, what: string): Promise<void> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new Error(
        `Timed out waiting for ${what}; last lines: ${JSON.stringify(this.received.slice(-20))}`,
      );
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.#waiter = resolve;
      timer = setTimeout(resolve, remaining);
    });
    clearTimeout(timer);
    this.#waiter = undefined;
  }

  async #readLoop(): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await this.conn.read(buffer);
        if (n === null) break;
        const data = new Uint8Array(this.#partial.length + n);
        data.set(this.#partial);
        data.set(buffer.subarray(0, n), this.#partial.length);
        let start = 0;
        let lf: number;
        while ((lf = data.indexOf(0x0a, start)) !== -1) {
          const line = this.#decoder.decode(data.subarray(start, lf));
          this.received.push(line);
          this.#queue.push(line);
          start = lf + 1;
        }
        this.#partial = data.slice(start);
        this.#waiter?.();
      }
    } catch {
      // Reset or closed by us: either way the connection is over.
    } finally {
      this.#eof = true;
      this.#waiter?.();
    }
  }
}

/**
 * Tells whether a line is the room's members, as sent on entering a room (and `/who`).
 * @param line A line.
 * @returns `true` for `접속자 N명: …` or `N online: …`.
 */
export function isMembersLine(line: string): boolean {
  return /^접속자 \d+명: /.test(line) || /^\d+ online: /.test(line);
}

/**
 * Connects and joins several clients in order.
 * @param port The server port.
 * @param nicks The nicknames.
 * @returns The clients, joined.
 */
export async function joinAll(port: number, ...nicks: string[]): Promise<LineClient[]> {
  const clients: LineClient[] = [];
  for (const nick of nicks) {
    const client = await LineClient.connect(port);
    await client.join(nick);
    clients.push(client);
  }
  return clients;
}
