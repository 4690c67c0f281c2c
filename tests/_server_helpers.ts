/**
 * Test fixtures for the server: a chat server in this process on port 0
 * (`startServer`; a `main.ts` child is `startServerProcess` in `_helpers.ts`),
 * and a raw TCP line client that reads through the shared `SocketReader` and
 * waits through `LineLog` (a specific line, with a timeout as a safety net).
 *
 * @module
 */

import { ConsoleLog } from "../lib/util/console_log.ts";
import type { ServeOptions } from "../lib/server/options.ts";
import { type ChatServer, serve } from "../lib/server/server.ts";
import { joinEach, type Joined } from "./fixtures/join_each.ts";
import { LineLog } from "./fixtures/line_log.ts";
import { writeAllTo } from "./fixtures/raw_client.ts";
import { closeQuietly, SocketReader } from "./fixtures/socket_reader.ts";
import { EVENT_TIMEOUT_MS, Waiter } from "./fixtures/waiter.ts";

/** How long a test waits for an expected line from a socket before failing, in milliseconds. */
export const LINE_TIMEOUT_MS = EVENT_TIMEOUT_MS;

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
 * Starts a chat server in this process on 127.0.0.1, port 0, logging into memory
 * (a `main.ts server` child process is `startServerProcess` in `_helpers.ts`).
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

/** Options for {@linkcode LineClient}. */
export interface LineClientOptions {
  /** The size of one read, in bytes. @default {65536} */
  readBytes?: number;
  /**
   * Turns one read into the lines it completes, in place of splitting the bytes
   * at `\n` (for a client that decodes each read alone). When it throws, the
   * client dies as such a client would: it reads no more, and its waits fail
   * with the error's message ({@linkcode LineClient.died}).
   * @default {undefined}
   */
  linesOf?: (chunk: Uint8Array) => string[];
}

/** A raw TCP client that reads whole lines, like a person with `nc`. */
export class LineClient implements AsyncDisposable {
  readonly conn: Deno.Conn;
  /** Every line received so far, in order (including those already consumed). */
  readonly received: string[];
  readonly #waiter: Waiter;
  readonly #log: LineLog;
  readonly #reader: SocketReader;
  #died: string | undefined;

  /**
   * @param conn A connected socket; the client owns it.
   * @param options How it reads.
   */
  constructor(conn: Deno.Conn, options: LineClientOptions = {}) {
    this.conn = conn;
    this.#waiter = new Waiter(() =>
      JSON.stringify(this.received.slice(-20)) +
      (this.#died === undefined ? "" : `; the client died: ${this.#died}`)
    );
    this.#log = new LineLog(undefined, { waiter: this.#waiter, timeoutMs: LINE_TIMEOUT_MS });
    this.received = this.#log.lines;
    const { linesOf } = options;
    const decoder = new TextDecoder();
    this.#reader = new SocketReader(conn, this.#waiter, {
      bufferBytes: options.readBytes,
      onLine: linesOf === undefined ? (line) => this.#log.add(decoder.decode(line)) : undefined,
      onBytes: linesOf === undefined ? undefined : (chunk) => this.#readLines(linesOf, chunk),
    });
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
    return this.#waiter.ended;
  }

  /**
   * Sends raw text (add `\n` yourself).
   * @param text The text.
   */
  async write(text: string | Uint8Array): Promise<void> {
    await writeAllTo(this.conn, text);
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
  nextLine(timeoutMs = LINE_TIMEOUT_MS): Promise<string | null> {
    return this.#log.next(timeoutMs);
  }

  /**
   * Takes lines until one matches, and returns it; lines before it are consumed.
   * @param expected The exact line, or a test.
   * @param timeoutMs The safety net.
   * @returns The matching line.
   * @throws {Error} On timeout or close, listing the lines seen.
   */
  waitFor(
    expected: string | ((line: string) => boolean),
    timeoutMs = LINE_TIMEOUT_MS,
  ): Promise<string> {
    return this.#log.waitFor(expected, timeoutMs);
  }

  /**
   * Waits until the server closes the connection.
   * @param timeoutMs The safety net.
   * @returns The lines received but not yet consumed.
   */
  waitClosed(timeoutMs = LINE_TIMEOUT_MS): Promise<string[]> {
    return this.#log.waitEnded("the server to close the connection", timeoutMs);
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

  /**
   * Becomes an operator: sends `/op` with the password and waits for the granted line.
   * @param password The operator password.
   * @param timeoutMs The safety net (a cluster's answer may take longer).
   */
  async becomeOp(password: string, timeoutMs: number = LINE_TIMEOUT_MS): Promise<void> {
    await this.send(`/op ${password}`);
    await this.waitFor("운영자가 되었습니다.", timeoutMs);
  }

  /** Closes the socket and waits for the reader to stop. */
  async close(): Promise<void> {
    closeQuietly(this.conn);
    await this.#reader.finished;
  }

  /** Why the client died (see {@linkcode LineClientOptions.linesOf}), or `undefined`. */
  get died(): string | undefined {
    return this.#died;
  }

  /** @inheritdoc */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #readLines(linesOf: (chunk: Uint8Array) => string[], chunk: Uint8Array): void {
    try {
      for (const line of linesOf(chunk)) this.#log.add(line);
    } catch (error) {
      this.#died = error instanceof Error ? error.message : String(error);
      this.#reader.stop();
      this.#waiter.end();
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

/** Clients that `await using` closes together. */
export type JoinedClients = Joined<LineClient>;

/**
 * Connects and joins several clients in order.
 * @param port The server port.
 * @param nicks The nicknames.
 * @returns The clients, joined; `await using` closes them all.
 */
export function joinAll(port: number, ...nicks: string[]): Promise<JoinedClients> {
  return joinEach(nicks.map((nick) => [() => LineClient.connect(port), nick] as const));
}
