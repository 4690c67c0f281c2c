/**
 * Test fixtures for the web side: an in-process server with its web port open
 * (port 0), and one HTTP request over a raw socket.
 *
 * @module
 */

import type { ServeOptions } from "../lib/server/options.ts";
import { startServer, type TestServer } from "./_server_helpers.ts";
import { EVENT_TIMEOUT_MS, within, writeAllTo } from "./fixtures/raw_client.ts";

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
  try {
    await writeAllTo(conn, request);
    const chunks: Uint8Array[] = [];
    await within(
      (async () => {
        const buffer = new Uint8Array(64 * 1024);
        try {
          let seen = "";
          while (true) {
            const n = await conn.read(buffer);
            if (n === null) return;
            chunks.push(buffer.slice(0, n));
            seen += new TextDecoder().decode(buffer.subarray(0, n));
            if (seen.startsWith("HTTP/1.1 101 ") && seen.includes("\r\n\r\n")) return;
          }
        } catch {
          // A reset after the response: what came is what counts.
        }
      })(),
      "the server to answer and close",
      EVENT_TIMEOUT_MS,
    );
    const text = new TextDecoder().decode(
      chunks.reduce((all, c) => {
        const out = new Uint8Array(all.length + c.length);
        out.set(all);
        out.set(c, all.length);
        return out;
      }, new Uint8Array(0)),
    );
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
    try {
      conn.close();
    } catch {
      // Closed already.
    }
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
