/**
 * Just enough HTTP/1.1 for one page and one WebSocket upgrade: read a request's
 * head with a byte cap and a time limit, parse it strictly, and write a response
 * head. No bodies are read, no keep-alive: each connection carries one request.
 *
 * @module
 */

/** The most bytes of a request head: a browser's is under 2 KiB. */
export const MAX_REQUEST_HEAD_BYTES = 8 * 1024;
/** How long a connection may take to send its request head: frees slots held by silent peers. */
export const REQUEST_HEAD_TIMEOUT_MS = 10_000;

/** A request line and its headers. */
export interface RequestHead {
  /** `GET`, `HEAD`... */
  method: string;
  /** The path, without the query. */
  path: string;
  /** The query's parameters (`?room=math`), decoded; empty without a query. */
  query: URLSearchParams;
  /** The version, `1.1`. */
  version: string;
  /** Header values by lower-case name; repeated headers joined with `, `. */
  headers: Map<string, string>;
}

/** A request this server cannot serve; `status` is the HTTP status to answer with. */
export class HttpError extends Error {
  override name = "HttpError";
  /** The HTTP status (400, 404, 408...). */
  readonly status: number;

  /**
   * @param status The HTTP status.
   * @param message What was wrong, in one line.
   */
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The reason phrases of the statuses this server sends. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  101: "Switching Protocols",
  200: "OK",
  204: "No Content",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  426: "Upgrade Required",
  431: "Request Header Fields Too Large",
  503: "Service Unavailable",
};

const LF = 0x0a;
const CR = 0x0d;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/(\d\.\d)$/;
const encoder = new TextEncoder();
const latin1 = new TextDecoder("latin1");

/**
 * Reads a request head from a connection: bytes up to the blank line.
 *
 * @param conn The connection; nothing past the head is lost (see `rest`).
 * @param options The byte cap and the time limit.
 * @returns The head and the bytes that came after it (a client's first frames),
 *   or `undefined` when the peer closed before finishing the head.
 * @throws {HttpError} 431 over the cap, 408 past the time limit, 400 for a
 *   malformed head. A socket error other than a disconnect is thrown as it is.
 */
export async function readRequestHead(
  conn: Deno.Conn,
  options: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<{ head: RequestHead; rest: Uint8Array } | undefined> {
  const maxBytes = options.maxBytes ?? MAX_REQUEST_HEAD_BYTES;
  const buffer = new Uint8Array(maxBytes + 1);
  let filled = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), options.timeoutMs ?? REQUEST_HEAD_TIMEOUT_MS);
  });
  try {
    while (true) {
      const read = conn.read(buffer.subarray(filled));
      const n = await Promise.race([read, timeout]);
      if (n === "timeout") {
        // The read stays pending until the caller closes the connection.
        read.catch(() => {});
        throw new HttpError(408, "Cannot read the request: no complete head in time");
      }
      if (n === null) return undefined;
      const from = Math.max(0, filled - 3);
      filled += n;
      const end = headEnd(buffer, from, filled);
      if (end !== -1) {
        const head = parseRequestHead(latin1.decode(buffer.subarray(0, end)));
        return { head, rest: buffer.slice(end, filled) };
      }
      if (filled > maxBytes) {
        throw new HttpError(431, `Cannot read the request: its head is over ${maxBytes} bytes`);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Where the head ends: after the first empty line (`\r\n\r\n`, or `\n\n`).
 *
 * @returns The index after the empty line, or `-1`.
 */
function headEnd(bytes: Uint8Array, from: number, to: number): number {
  for (let i = bytes.indexOf(LF, from); i !== -1 && i < to; i = bytes.indexOf(LF, i + 1)) {
    if (i + 1 < to && bytes[i + 1] === LF) return i + 2;
    if (i + 2 < to && bytes[i + 1] === CR && bytes[i + 2] === LF) return i + 3;
  }
  return -1;
}

/**
 * Parses a request head: the request line, then `Name: value` lines.
 *
 * @param text The head, up to and including its empty line.
 * @returns The parsed head.
 * @throws {HttpError} 400 when a line is malformed.
 */
export function parseRequestHead(text: string): RequestHead {
  const lines = text.split(/\r?\n/);
  while (lines.at(-1) === "") lines.pop();
  const match = REQUEST_LINE.exec(lines[0] ?? "");
  if (match === null) {
    throw new HttpError(400, "Cannot parse the request line (expected: METHOD /path HTTP/1.1)");
  }
  const [, method, target, version] = match;
  if (!target.startsWith("/")) {
    throw new HttpError(400, `Cannot serve ${JSON.stringify(target)}: not a path`);
  }
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    const name = colon === -1 ? "" : line.slice(0, colon);
    // A folded line or a name with spaces is refused, as RFC 9112 asks.
    if (!TOKEN.test(name)) {
      throw new HttpError(400, `Cannot parse a header line: ${JSON.stringify(line.slice(0, 40))}`);
    }
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).trim();
    const before = headers.get(key);
    headers.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  const end = target.search(/[?#]/);
  const path = end === -1 ? target : target.slice(0, end);
  const search = target[end] === "?" ? target.slice(end + 1).split("#", 1)[0] : "";
  return { method, path, query: new URLSearchParams(search), version, headers };
}

/**
 * Makes a response (one request per connection, so always `Connection: close`
 * unless it is the upgrade).
 *
 * @param status The status.
 * @param headers Header names and values (never user input).
 * @param body The body; a string is sent as UTF-8. `Content-Length` is set.
 * @param withBody `false` for a HEAD request: the head alone.
 * @returns The bytes to write.
 */
export function httpResponse(
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array = "",
  withBody = true,
): Uint8Array {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const lines = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Unknown"}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  // 101 and 204 have no body, so no length either.
  if (status !== 101 && status !== 204) {
    lines.push(`Content-Length: ${bytes.length}`);
  }
  if (status !== 101 && !("Connection" in headers)) lines.push("Connection: close");
  const head = encoder.encode(lines.join("\r\n") + "\r\n\r\n");
  if (!withBody || bytes.length === 0) return head;
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head);
  out.set(bytes, head.length);
  return out;
}
