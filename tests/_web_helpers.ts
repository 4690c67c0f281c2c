/**
 * Test fixtures for the web side: an in-process server with its web port open
 * (port 0), the same with a TCP and a WebSocket member joined, one HTTP request
 * over a raw socket, and a fake chat that serves the real page and lets a test
 * speak the JSON protocol to it by hand.
 *
 * @module
 */

import type { Lang } from "../lib/catalog/lang.ts";
import type { ServeOptions } from "../lib/server/options.ts";
import { WebGate, type WebUpgrade } from "../lib/server/web_gate.ts";
import { REFUSED_LINE } from "../lib/transport/line_splitter.ts";
import { closeFrame, textFrame } from "../lib/transport/websocket_frame.ts";
import { WebSocketDecoder } from "../lib/transport/websocket_decoder.ts";
import { pageHtml } from "../lib/web/page.ts";
import { LineClient, startServer, type TestServer } from "./_server_helpers.ts";
import { acceptEach } from "./fixtures/accept_each.ts";
import { writeAllTo } from "./fixtures/raw_client.ts";
import { WsClient } from "./fixtures/ws_client.ts";
import { concat } from "./fixtures/concat.ts";
import { closeQuietly, SocketReader } from "./fixtures/socket_reader.ts";
import { Waiter } from "./fixtures/waiter.ts";

/** A test server with its web port. */
export interface WebTestServer extends TestServer {
  /** The port of the page and the WebSocket. */
  webPort: number;
}

/**
 * Starts a server on 127.0.0.1 with the web page on another free port.
 *
 * @param options Settings on top of the test defaults; `web` adds origins.
 * @returns The fixture; `await using` shuts it down.
 */
export function startWebServer(options: ServeOptions = {}): WebTestServer {
  const s = startServer({ ...options, web: { port: 0, ...options.web } });
  return { ...s, webPort: s.server.webAddr!.port };
}

/** Who {@linkcode startWebChat} lets in. */
export interface WebChatMembers {
  /** The TCP member's nickname. @default {"alice"} */
  alice?: string;
  /** The WebSocket member's nickname; `null` leaves it at the nickname prompt. @default {"bob"} */
  bob?: string | null;
}

/** A web test server with a TCP member and a WebSocket member in its lobby. */
export interface WebChat extends WebTestServer {
  /** The TCP member (joined first). */
  alice: LineClient;
  /** The WebSocket member (joined second, unless asked to stay at the prompt). */
  bob: WsClient;
}

/**
 * Starts a server with its web page, joins a TCP client, then connects (and
 * joins) a WebSocket client: the set-up of most tests of the two side by side.
 *
 * @param options Server settings on top of the test defaults.
 * @param members The nicknames.
 * @returns The fixture; `await using` closes bob, then alice, then the server.
 */
export async function startWebChat(
  options: ServeOptions = {},
  members: WebChatMembers = {},
): Promise<WebChat> {
  await using stack = new AsyncDisposableStack();
  const s = stack.use(startWebServer(options));
  const alice = stack.use(await LineClient.connect(s.port));
  await alice.join(members.alice ?? "alice");
  const bob = stack.use(await WsClient.connect(s.webPort));
  const bobNick = members.bob === undefined ? "bob" : members.bob;
  if (bobNick !== null) await bob.join(bobNick);
  const owned = stack.move();
  return { ...s, alice, bob, [Symbol.asyncDispose]: () => owned.disposeAsync() };
}

/** An HTTP response as a raw socket saw it. */
export interface RawResponse {
  status: number;
  /** Header values by lower-case name. */
  headers: Map<string, string>;
  /** The header block as sent, for checks on names. */
  head: string;
  body: string;
}

/**
 * Sends raw request bytes and reads the response to the end (the server closes),
 * or, for a `101 Switching Protocols`, up to the end of its head.
 *
 * @param port The web port.
 * @param request The request, head and all.
 * @param options TLS: the certificate to trust.
 * @returns The response.
 */
export async function rawRequest(
  port: number,
  request: string | Uint8Array,
  options: { caCert?: string } = {},
): Promise<RawResponse> {
  const conn = options.caCert === undefined
    ? await Deno.connect({ hostname: "127.0.0.1", port })
    : await Deno.connectTls({ hostname: "127.0.0.1", port, caCerts: [options.caCert] });
  const chunks: Uint8Array[] = [];
  let seen = "";
  const upgraded = () => seen.startsWith("HTTP/1.1 101 ") && seen.includes("\r\n\r\n");
  const waiter = new Waiter(() => JSON.stringify(seen));
  // A reset after the response ends the reading too: what came is what counts.
  const reader = new SocketReader(conn, waiter, {
    onBytes: (chunk) => {
      chunks.push(chunk.slice());
      seen += new TextDecoder().decode(chunk);
      if (upgraded()) reader.stop();
    },
  });
  try {
    await writeAllTo(conn, request);
    await waiter.until(() => waiter.ended || upgraded(), "the server to answer and close");
    const text = new TextDecoder().decode(concat(...chunks));
    const end = text.indexOf("\r\n\r\n");
    const head = end === -1 ? text : text.slice(0, end);
    const [statusLine, ...lines] = head.split("\r\n");
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    }
    return {
      status: Number(statusLine.split(" ")[1]),
      headers,
      head,
      body: end === -1 ? "" : text.slice(end + 4),
    };
  } finally {
    closeQuietly(conn);
    await reader.finished;
  }
}

/**
 * A `GET` request as a browser sends it.
 *
 * @param port The web port (for `Host`).
 * @param path The path.
 * @param headers More header lines.
 * @returns The request text.
 */
export function getRequest(port: number, path: string, headers: string[] = []): string {
  return [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...headers].join("\r\n") +
    "\r\n\r\n";
}

/**
 * One WebSocket of the page, on the fake chat's side: the test sends the events
 * it wants and reads the lines the page sent.
 */
export class FakeSocket {
  readonly #conn: Deno.Conn;
  /** Every line the page sent, in order. */
  readonly lines: string[] = [];
  /** The room the page asked to enter (`/ws?room=…`), if any. */
  readonly room: string | undefined;
  /** The id the page asked to resume after (`/ws?room=…&since=…`), if any. */
  readonly since: string | undefined;
  #cursor = 0;
  readonly #waiter = new Waiter(() => `it sent ${JSON.stringify(this.lines)}`);
  readonly #reader: SocketReader;

  constructor(conn: Deno.Conn, upgrade?: Pick<WebUpgrade, "room" | "since">) {
    this.#conn = conn;
    this.room = upgrade?.room;
    this.since = upgrade?.since;
    const decoder = new WebSocketDecoder();
    this.#reader = new SocketReader(conn, this.#waiter, {
      onBytes: (chunk) => {
        for (const line of decoder.push(chunk)) {
          if (line !== REFUSED_LINE) this.lines.push(line);
        }
      },
    });
  }

  /**
   * Sends one event, as the server's JSON format would.
   *
   * @param event The event.
   */
  async send(event: { type: string } & Record<string, unknown>): Promise<void> {
    await writeAllTo(this.#conn, textFrame(JSON.stringify(event)));
  }

  /**
   * Waits for the next line the page sends, after the last one a wait returned.
   *
   * @param wanted The line.
   * @returns Every line the page sent on the way, the wanted one last.
   */
  async waitForLine(wanted: string): Promise<string[]> {
    const from = this.#cursor;
    await this.#waiter.until(() => {
      const at = this.lines.indexOf(wanted, this.#cursor);
      if (at === -1) return false;
      this.#cursor = at + 1;
      return true;
    }, `the page to send ${JSON.stringify(wanted)}`);
    return this.lines.slice(from, this.#cursor);
  }

  /**
   * Closes as the server does when it ends a session: a close frame with its code and
   * reason, then the connection.
   *
   * @param code The close code.
   * @param reason The reason (`reclaimed`, `accountPassword`…).
   */
  async closeWith(code: number, reason: string): Promise<void> {
    await writeAllTo(this.#conn, closeFrame(code, reason)).catch(() => {});
    await this.close();
  }

  /** Closes the connection and waits for its reader. */
  async close(): Promise<void> {
    closeQuietly(this.#conn);
    await this.#reader.finished;
  }
}

/**
 * A stand-in for the chat: the real page behind the real {@linkcode WebGate}, and
 * behind the socket only what the test sends. For the page's own logic (the
 * events it shows, the lines it sends) without a chat's timing.
 */
export class FakeChat implements AsyncDisposable {
  readonly port: number;
  readonly #listener: Deno.TcpListener;
  readonly #gate: WebGate;
  readonly #sockets: FakeSocket[] = [];
  /** The sockets whose handshake is answered, in order. */
  readonly #answered: FakeSocket[] = [];
  #taken = 0;
  readonly #waiter = new Waiter(() => `${this.#sockets.length} sockets`);
  readonly #accepting: Promise<void>;

  /**
   * Serves the page on 127.0.0.1, on a free port.
   *
   * @param lang The page's language.
   */
  constructor(lang: Lang = "ko") {
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.port = this.#listener.addr.port;
    this.#gate = new WebGate({
      html: pageHtml({ lang, maxLineBytes: 8192 }),
      addr: this.#listener.addr,
    });
    this.#accepting = acceptEach(this.#listener, (conn) => this.#accept(conn));
  }

  /**
   * Waits for the page's next WebSocket.
   *
   * @returns The socket, its handshake answered.
   */
  async nextSocket(): Promise<FakeSocket> {
    await this.#waiter.until(
      () => this.#answered.length > this.#taken,
      "the page to open its WebSocket",
    );
    return this.#answered[this.#taken++];
  }

  /** @inheritdoc */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    await Promise.all(this.#sockets.map((socket) => socket.close()));
    this.#gate.close();
    await this.#gate.finished();
  }

  #accept(conn: Deno.Conn): void {
    this.#gate.accept(conn, (upgraded, upgrade) => {
      const socket = new FakeSocket(upgraded, upgrade);
      this.#sockets.push(socket);
      void writeAllTo(upgraded, upgrade.response).then(() => {
        this.#answered.push(socket);
        this.#waiter.notify();
      }, () => {});
    });
  }
}
