/**
 * A scripted server for the client's tests: the test plays the server's side of
 * each connection by hand (what it sends, what it reads), while `runClient` runs in
 * this process over in-memory stdin and stdout. No chat, no timing of its own.
 *
 * @module
 */

import type { Lang } from "../../lib/catalog/lang.ts";
import { type ClientOptions, runClient } from "../../lib/client/client.ts";
import { openPlainInput } from "../../lib/client/line_input.ts";
import { writeAll } from "../../lib/util/write_all.ts";
import { LineLog, TextSink, TypedLines } from "../_helpers.ts";
import { EVENT_TIMEOUT_MS, Waiter } from "../fixtures/waiter.ts";

const encoder = new TextEncoder();

/** The server's end of one connection: what the client sent, line by line. */
export class Peer {
  readonly lines = new LineLog();
  readonly #conn: Deno.Conn;
  readonly #pump: Promise<void>;
  #closed = false;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.#pump = this.#read();
  }

  /** Resolves when the client's side ended (its FIN, or our close). */
  get ended(): Promise<void> {
    return this.#pump;
  }

  /** Sends a line (with `\n`), or bytes as they are. */
  async send(text: string | Uint8Array): Promise<void> {
    await writeAll(this.#conn, typeof text === "string" ? encoder.encode(text + "\n") : text);
  }

  /** Closes the connection and waits for its reader. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#conn.close();
    }
    await this.#pump;
  }

  // read() rather than `readable`: the end of `readable` closes the whole
  // connection, and a test must still write after the client's half-close.
  async #read(): Promise<void> {
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(4096);
    let text = "";
    try {
      for (;;) {
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        text += decoder.decode(buffer.subarray(0, n), { stream: true });
        const parts = text.split("\n");
        text = parts.pop()!;
        for (const line of parts) this.lines.push(line);
      }
    } catch {
      // Closed by the test.
    } finally {
      this.lines.end();
    }
  }
}

/** The client's side of a scripted run: its stdin, stdout, stderr and exit status. */
export interface ScriptedClient {
  typed: TypedLines;
  shown: TextSink;
  /** What the client wrote on stderr. */
  errors: TextSink;
  exitCode: Promise<number>;
}

/** One connection scripted by hand (most tests). */
export interface Scripted extends ScriptedClient, AsyncDisposable {
  peer: Peer;
}

/** The options a scripted client may take (the rest are the test's). */
export type ScriptedOptions =
  & Pick<ClientOptions, "nick" | "password" | "accountPassword" | "reconnect">
  & { lang?: Lang };

/**
 * Starts the client against a listener of the test's, and takes its first connection.
 *
 * @param options The client's options.
 * @returns The connection and the client; `await using` ends both.
 */
export async function connectScripted(options: ScriptedOptions): Promise<Scripted> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const client = startClient(listener.addr.port, options);
  const peer = new Peer(await listener.accept());
  listener.close();
  return {
    peer,
    ...client,
    async [Symbol.asyncDispose]() {
      client.typed.end();
      await peer.close();
      await client.exitCode;
    },
  };
}

/**
 * A scripted server that takes any number of connections (a client that
 * reconnects), each handed to the test in order.
 */
export class ScriptedServer implements AsyncDisposable {
  readonly port: number;
  readonly #listener: Deno.TcpListener;
  readonly #peers: Peer[] = [];
  #taken = 0;
  readonly #waiter = new Waiter(() => `${this.#peers.length} connections`);
  readonly #accepting: Promise<void>;

  constructor() {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#accepting = this.#accept();
  }

  /**
   * Starts a client against this server.
   *
   * @param options The client's options.
   * @returns The client's side.
   */
  client(options: ScriptedOptions): ScriptedClient {
    return startClient(this.port, options);
  }

  /**
   * Waits for the next connection.
   *
   * @returns Its peer.
   */
  async nextPeer(timeoutMs = EVENT_TIMEOUT_MS): Promise<Peer> {
    await this.#waiter.until(
      () => this.#peers.length > this.#taken,
      "the client to connect",
      timeoutMs,
    );
    return this.#peers[this.#taken++];
  }

  /** Stops accepting; connections taken stay open. */
  stopListening(): void {
    try {
      this.#listener.close();
    } catch {
      // Closed already.
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.stopListening();
    await this.#accepting;
    await Promise.all(this.#peers.map((peer) => peer.close()));
  }

  async #accept(): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return;
      }
      this.#peers.push(new Peer(conn));
      this.#waiter.notify();
    }
  }
}

function startClient(port: number, options: ScriptedOptions): ScriptedClient {
  const typed = new TypedLines();
  const shown = new TextSink();
  const errors = new TextSink();
  const exitCode = runClient({
    hostname: "127.0.0.1",
    port,
    lang: "ko",
    ...options,
    input: openPlainInput({ readable: typed.readable, writer: shown }),
    stderr: errors,
  });
  return { typed, shown, errors, exitCode };
}
