import { assertEquals, assertThrows } from "@std/assert";
import { HttpError, parseRequestHead } from "../../lib/transport/http_head.ts";
import {
  acceptKey,
  checkUpgrade,
  isUpgradeRequest,
  upgradeResponse,
} from "../../lib/transport/websocket_handshake.ts";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const REQUEST = [
  "GET /ws HTTP/1.1",
  "Host: 127.0.0.1:8080",
  "Upgrade: WebSocket",
  "Connection: keep-alive, Upgrade",
  `Sec-WebSocket-Key: ${KEY}`,
  "Sec-WebSocket-Version: 13",
  "",
  "",
].join("\r\n");

Deno.test("websocket handshake: the accept key of RFC 6455's example", () => {
  assertEquals(acceptKey(KEY), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
});

Deno.test("websocket handshake: a browser's upgrade request is accepted with 101", () => {
  const head = parseRequestHead(REQUEST);
  assertEquals(isUpgradeRequest(head), true);
  assertEquals(checkUpgrade(head), KEY);
  assertEquals(
    checkUpgrade(parseRequestHead(REQUEST.replace("\r\n\r\n", "\r\nContent-Length: 0\r\n\r\n"))),
    KEY,
  );
  assertEquals(
    new TextDecoder().decode(upgradeResponse(KEY)),
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
  );
});

Deno.test("websocket handshake: a request that is not a proper upgrade is refused with its status", () => {
  const cases: [string, number][] = [
    [REQUEST.replace("GET", "POST"), 405],
    [REQUEST.replace("Upgrade: WebSocket\r\n", ""), 426],
    [REQUEST.replace("HTTP/1.1", "HTTP/1.0"), 400],
    [REQUEST.replace("keep-alive, Upgrade", "keep-alive"), 400],
    [REQUEST.replace("Version: 13", "Version: 12"), 426],
    [REQUEST.replace(KEY, "not-a-key"), 400],
    [REQUEST.replace(`Sec-WebSocket-Key: ${KEY}\r\n`, ""), 400],
    // A body would be read as the first frames.
    [REQUEST.replace("\r\n\r\n", "\r\nContent-Length: 7\r\n\r\n"), 400],
    [REQUEST.replace("\r\n\r\n", "\r\nTransfer-Encoding: chunked\r\n\r\n"), 400],
  ];
  for (const [request, status] of cases) {
    const error = assertThrows(() => checkUpgrade(parseRequestHead(request)), HttpError);
    assertEquals(error.status, status, request.split("\r\n").slice(0, 6).join(" | "));
  }
});
