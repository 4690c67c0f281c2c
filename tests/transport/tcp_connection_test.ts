/**
 * The connection over real TCP on port 0: how it ends, and what it keeps for its
 * owner when something throws that should not have.
 */

import {
  assertEquals,
  assertGreaterOrEqual,
  assertInstanceOf,
  assertLessOrEqual,
  assertStringIncludes,
} from "@std/assert";
import type { Decoder } from "../../lib/transport/decoder.ts";
import { LineSplitter } from "../../lib/transport/line_splitter.ts";
import {
  type ConnectionHandler,
  ORIGINAL_READ_BYTES,
  ORIGINAL_WRITE_GAP_MS,
  TcpConnection,
} from "../../lib/transport/tcp_connection.ts";
import type { TransportReason } from "../../lib/util/close_reason.ts";

/** One write to the socket: what, and when it was asked for. */
interface Write {
  bytes: Uint8Array;
  at: number;
}

/** The accepted socket, with every write recorded. */
function recordWrites(conn: Deno.Conn, writes: Write[]): Deno.Conn {
  return new Proxy(conn, {
    get(target, property) {
      if (property === "write") {
        return (bytes: Uint8Array) => {
          writes.push({ bytes: bytes.slice(), at: performance.now() });
          return target.write(bytes);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A connected pair: the server's side as a TcpConnection, and the client's socket. */
async function connectPair(decoder?: Decoder, writes: Write[] = []): Promise<{
  connection: TcpConnection;
  client: Deno.TcpConn;
}> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const [client, accepted] = await Promise.all([
    Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
    listener.accept(),
  ]);
  const connection = new TcpConnection(recordWrites(accepted, writes), {
    maxLineBytes: 1024,
    maxOutboxBytes: 1 << 20,
    decoder,
  });
  return { connection, client };
}

/** A handler that records what it is told, and throws on the line `bug`. */
function recorder(): ConnectionHandler & {
  got: string[];
  endings: (TransportReason | undefined)[];
} {
  const got: string[] = [];
  const endings: (TransportReason | undefined)[] = [];
  return {
    got,
    endings,
    lines(lines) {
      for (const line of lines) {
        if (line === "bug") throw new TypeError("a bug in a handler");
        got.push(line);
      }
    },
    lineTooLong() {},
    ended(reason) {
      endings.push(reason);
    },
  };
}

/** Reads until the peer closes; what came, as text. */
async function readToEnd(conn: Deno.TcpConn): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(4096);
  while (true) {
    const n = await conn.read(buffer);
    if (n === null) return text + decoder.decode();
    text += decoder.decode(buffer.subarray(0, n), { stream: true });
  }
}

const encoder = new TextEncoder();

Deno.test("tcp connection: a handler that throws ends it for 'error' and keeps the error with its stack; a last line still goes out", async () => {
  const { connection, client } = await connectPair();
  const handler = recorder();
  const running = connection.run({
    ...handler,
    ended(reason) {
      handler.ended(reason);
      if (reason === "error") connection.outbox.trySend(encoder.encode("server error\n"));
    },
  });
  await client.write(encoder.encode("before\nbug\nafter\n"));
  const rest = await readToEnd(client);
  client.close();
  await running;
  assertEquals(rest, "server error\n", "the handler's last line, then the FIN");
  assertEquals(handler.got, ["before"]);
  assertEquals(handler.endings, ["error"]);
  assertEquals(connection.reason, "error");
  const error = connection.failure?.error;
  assertInstanceOf(error, TypeError);
  assertStringIncludes(error.stack!, "tcp_connection_test.ts");
});

Deno.test("tcp connection: a decoder that throws ends it for 'error' and keeps the error", async () => {
  const splitter = new LineSplitter();
  const broken: Decoder = {
    get maxLineBytes() {
      return splitter.maxLineBytes;
    },
    get framed() {
      return splitter.framed;
    },
    get bufferedBytes() {
      return splitter.bufferedBytes;
    },
    push() {
      throw new RangeError("a bug in a decoder");
    },
    takePartial: () => splitter.takePartial(),
  };
  const { connection, client } = await connectPair(broken);
  const handler = recorder();
  const running = connection.run(handler);
  await client.write(encoder.encode("hello\n"));
  await readToEnd(client);
  client.close();
  await running;
  assertEquals(handler.endings, ["error"]);
  assertInstanceOf(connection.failure?.error, RangeError);
});

Deno.test("tcp connection: an end by its owner leaves the reason to the owner, and keeps no failure", async () => {
  const { connection, client } = await connectPair();
  const handler = recorder();
  const running = connection.run(handler);
  connection.outbox.trySend(encoder.encode("bye\n"));
  connection.end("policyViolation", "kicked");
  const text = await readToEnd(client);
  client.close();
  await running;
  assertEquals(text, "bye\n");
  assertEquals(handler.endings, [undefined]);
  assertEquals([connection.reason, connection.failure], [undefined, undefined]);
});

Deno.test("tcp connection: the peer's FIN ends it for 'eof'", async () => {
  const { connection, client } = await connectPair();
  const handler = recorder();
  const running = connection.run(handler);
  await client.write(encoder.encode("one\n"));
  await client.closeWrite();
  await readToEnd(client);
  client.close();
  await running;
  assertEquals([handler.got, handler.endings, connection.reason], [["one"], ["eof"], "eof"]);
});

/** Reads until `count` bytes came. */
async function readBytes(conn: Deno.TcpConn, count: number): Promise<Uint8Array> {
  const out = new Uint8Array(count);
  let got = 0;
  while (got < count) {
    const n = await conn.read(out.subarray(got));
    if (n === null) throw new Error(`Closed after ${got} of ${count} bytes`);
    got += n;
  }
  return out;
}

/** A handler that resolves `first` with the first lines it gets. */
function firstLines(): ConnectionHandler & { first: Promise<string[]> } {
  const { promise, resolve } = Promise.withResolvers<string[]>();
  return {
    first: promise,
    lines: (lines) => resolve(lines),
    lineTooLong() {},
    ended() {},
  };
}

const strict = new TextDecoder("utf-8", { fatal: true });

Deno.test("tcp connection: a peer that never sent a newline gets whole lines or characters, at most 1024 bytes a write, a pause apart", async () => {
  const writes: Write[] = [];
  const { connection, client } = await connectPair(undefined, writes);
  const handler = firstLines();
  const running = connection.run(handler);
  await client.write(encoder.encode("파이썬"));
  assertEquals(await handler.first, ["파이썬"], "taken as a message after the pause");
  const long = "x" + "가나다".repeat(1000);
  const text = `short\n${long}\n${"한 줄\n".repeat(300)}`;
  const bytes = encoder.encode(text);
  connection.outbox.trySend(bytes);
  assertEquals(strict.decode(await readBytes(client, bytes.length)), text);
  client.close();
  await running;
  const lengths = writes.map((w) => w.bytes.length);
  assertEquals(lengths.reduce((a, b) => a + b, 0), bytes.length);
  for (const write of writes) {
    assertLessOrEqual(write.bytes.length, ORIGINAL_READ_BYTES);
    strict.decode(write.bytes); // Throws when a write ends inside a character.
  }
  assertEquals(writes[0].bytes, encoder.encode("short\n"), "the long line does not fit: cut at it");
  for (let i = 1; i < writes.length; i++) {
    // A timer never fires early; 1 ms for the clock's rounding.
    assertGreaterOrEqual(writes[i].at - writes[i - 1].at, ORIGINAL_WRITE_GAP_MS - 1);
  }
});

Deno.test("tcp connection: a peer that frames its lines gets everything queued in one write, at once", async () => {
  const writes: Write[] = [];
  const { connection, client } = await connectPair(undefined, writes);
  const handler = firstLines();
  const running = connection.run(handler);
  await client.write(encoder.encode("nick\n"));
  assertEquals(await handler.first, ["nick"]);
  const text = "가나다".repeat(1000) + "\n";
  const bytes = encoder.encode(text);
  connection.outbox.trySend(bytes);
  assertEquals(strict.decode(await readBytes(client, bytes.length)), text);
  client.close();
  await running;
  assertEquals(writes.map((w) => w.bytes.length), [bytes.length]);
});
