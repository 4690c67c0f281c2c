/**
 * The connection over real TCP on port 0: how it ends, and what it keeps for its
 * owner when something throws that should not have.
 */

import { assertEquals, assertInstanceOf, assertStringIncludes } from "@std/assert";
import type { Decoder } from "../../lib/transport/decoder.ts";
import { LineSplitter } from "../../lib/transport/line_splitter.ts";
import { type ConnectionHandler, TcpConnection } from "../../lib/transport/tcp_connection.ts";
import type { TransportReason } from "../../lib/util/close_reason.ts";

/** A connected pair: the server's side as a TcpConnection, and the client's socket. */
async function connectPair(decoder?: Decoder): Promise<{
  connection: TcpConnection;
  client: Deno.TcpConn;
}> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const [client, accepted] = await Promise.all([
    Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
    listener.accept(),
  ]);
  const connection = new TcpConnection(accepted, {
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
