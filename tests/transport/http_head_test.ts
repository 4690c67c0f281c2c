import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import {
  HttpError,
  httpResponse,
  parseRequestHead,
  readRequestHead,
} from "../../lib/transport/http_head.ts";

Deno.test("http head: parses the request line and headers, names in lower case, repeats joined", () => {
  const head = parseRequestHead(
    "GET /ws?x=1 HTTP/1.1\r\nHost: a:1\r\nX-Two: 1\r\nx-two: 2\r\nEmpty:\r\n\r\n",
  );
  assertEquals(head.method, "GET");
  assertEquals(head.path, "/ws");
  assertEquals(head.query.get("x"), "1");
  assertEquals(
    parseRequestHead("GET /ws?room=%EC%88%98%ED%95%99#f HTTP/1.1\n\n").query.get("room"),
    "수학",
  );
  assertEquals(head.version, "1.1");
  assertEquals([...head.headers], [["host", "a:1"], ["x-two", "1, 2"], ["empty", ""]]);
  assertEquals(parseRequestHead("GET / HTTP/1.1\n\n").path, "/");
});

Deno.test("http head: a malformed head is refused with 400, in one line", () => {
  for (
    const text of [
      "",
      "GET /\r\n\r\n",
      "get / HTTP/1.1\r\n\r\n",
      "GET http://x/ HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
      "GET / HTTP/1.1\r\n continued\r\n\r\n",
    ]
  ) {
    const error = assertThrows(() => parseRequestHead(text), HttpError);
    assertEquals(error.status, 400, JSON.stringify(text));
    assertEquals(error.message.includes("\n"), false);
  }
});

Deno.test("http head: a response has its status, headers, length and Connection: close", () => {
  assertEquals(
    new TextDecoder().decode(httpResponse(404, { "Content-Type": "text/plain" }, "no\n")),
    "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n" +
      "Connection: close\r\n\r\nno\n",
  );
  assertEquals(
    new TextDecoder().decode(httpResponse(200, {}, "body", false)),
    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\n",
  );
});

Deno.test("http head: readRequestHead keeps the bytes after the head, and enforces its cap and time limit", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serve = async (send: (client: Deno.Conn) => Promise<void>, options = {}) => {
    const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    const server = await listener.accept();
    try {
      const [result] = await Promise.all([readRequestHead(server, options), send(client)]);
      return result;
    } finally {
      server.close();
      client.close();
    }
  };
  const encoder = new TextEncoder();
  const result = await serve(async (c) => {
    await c.write(encoder.encode("GET / HTTP/1.1\r\nHo"));
    await c.write(new Uint8Array([...encoder.encode("st: x\r\n\r\n"), 0x81, 0x80]));
  });
  assertEquals(result?.head.headers.get("host"), "x");
  assertEquals([...result!.rest], [0x81, 0x80]);
  assertEquals(
    await serve(async (c) => {
      await c.write(encoder.encode("GET / HT"));
      c.closeWrite();
    }),
    undefined,
  );
  const tooBig = await assertRejects(
    () =>
      serve((c) => c.write(encoder.encode("GET / HTTP/1.1\r\n" + "x".repeat(100))).then(() => {}), {
        maxBytes: 64,
      }),
    HttpError,
  );
  assertEquals(tooBig.status, 431);
  const slow = await assertRejects(
    () => serve((c) => c.write(encoder.encode("GET /")).then(() => {}), { timeoutMs: 50 }),
    HttpError,
  );
  assertEquals(slow.status, 408);
});
