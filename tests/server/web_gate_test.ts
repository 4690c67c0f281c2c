/**
 * The web port's front door over real sockets: the page and its headers, the
 * WebSocket upgrade, its Host and origin checks, and every request it refuses.
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
  assertThrows,
} from "@std/assert";
import { consoleText } from "../../lib/catalog/console_text.ts";
import { WebGate, type WebGateOptions } from "../../lib/server/web_gate.ts";
import { MAX_REQUEST_HEAD_BYTES } from "../../lib/transport/http_head.ts";
import { encodeClientFrame, OPCODE_TEXT } from "../../lib/transport/websocket_frame.ts";
import { acceptKey } from "../../lib/transport/websocket_handshake.ts";
import { ConsoleLog } from "../../lib/util/console_log.ts";
import { PAGE_CSP } from "../../lib/web/page.ts";
import { LineClient, MemorySink } from "../_server_helpers.ts";
import { getRequest, rawRequest, startWebChat, startWebServer } from "../_web_helpers.ts";
import { RawClient, writeAllTo } from "../fixtures/raw_client.ts";
import { makeTestCert, OPENSSL_AVAILABLE } from "../fixtures/tls_cert.ts";
import { WsClient } from "../fixtures/ws_client.ts";

const TEST_TIMEOUT_MS = 15_000;
const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

function upgradeRequest(port: number, headers: string[] = []): string {
  return getRequest(port, "/ws", [
    "Upgrade: websocket",
    "Connection: keep-alive, Upgrade",
    `Sec-WebSocket-Key: ${KEY}`,
    "Sec-WebSocket-Version: 13",
    ...headers,
  ]);
}

Deno.test("web gate: GET / serves the page with its policy, and sets no cookie", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = startWebServer({ lang: "en", maxLineBytes: 4000 });
  const response = await rawRequest(s.webPort, getRequest(s.webPort, "/?from=qr"));
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), "text/html; charset=utf-8");
  assertEquals(response.headers.get("content-security-policy"), PAGE_CSP);
  assertEquals(response.headers.get("x-content-type-options"), "nosniff");
  assertEquals(response.headers.get("referrer-policy"), "no-referrer");
  assertEquals(response.headers.get("x-frame-options"), "DENY");
  assertFalse(response.head.toLowerCase().includes("set-cookie"));
  assertEquals(
    Number(response.headers.get("content-length")),
    new TextEncoder().encode(response.body).length,
  );
  assertStringIncludes(response.body, `<html lang="en" data-max-line-bytes="4000">`);
  assertFalse(response.body.includes("%LANG%"));
});

Deno.test(
  "web gate: HEAD / sends the page's head alone",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer();
    const response = await rawRequest(
      s.webPort,
      `HEAD / HTTP/1.1\r\nHost: 127.0.0.1:${s.webPort}\r\n\r\n`,
    );
    assertEquals(response.status, 200);
    assert(Number(response.headers.get("content-length")) > 1000);
    assertEquals(response.body, "");
  },
);

Deno.test(
  "web gate: other paths, methods and malformed requests get a status and one line, and nothing breaks",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer();
    const port = s.webPort;
    const cases: [string, number, string][] = [
      [getRequest(port, "/admin"), 404, 'Not found: "/admin"'],
      [getRequest(port, "/<script>alert(1)</script>"), 404, "Not found"],
      [
        `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 5\r\n\r\nhello`,
        405,
        "use GET",
      ],
      [getRequest(port, "/ws"), 426, "WebSocket endpoint"],
      [upgradeRequest(port).replace(KEY, "short"), 400, "Sec-WebSocket-Key"],
      [upgradeRequest(port).replace("Version: 13", "Version: 8"), 426, "version 13"],
      [upgradeRequest(port).replace("keep-alive, Upgrade", "keep-alive"), 400, "Connection"],
      ["HELLO\r\n\r\n", 400, "request line"],
      ["GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400, "header line"],
      ["GET / HTTP/1.1\r\n folded: header\r\n\r\n", 400, "header line"],
      [`GET / HTTP/1.1\r\nX: ${"a".repeat(MAX_REQUEST_HEAD_BYTES)}\r\n\r\n`, 431, "over"],
    ];
    for (const [request, status, text] of cases) {
      const response = await rawRequest(port, request);
      assertEquals(response.status, status, `${JSON.stringify(request.slice(0, 60))}`);
      assertEquals(response.headers.get("content-type"), "text/plain; charset=utf-8");
      assertStringIncludes(response.body, text);
      assertEquals(response.body.split("\n").length, 2, "one line");
    }
    assertEquals(
      (await rawRequest(port, `POST / HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`)).headers
        .get("allow"),
      "GET, HEAD",
    );
    // Garbage and an early close leave the server serving.
    await using garbage = await RawClient.connect(port);
    await garbage.write(new Uint8Array(20_000).map((_, i) => (i * 131) & 0xff));
    await garbage.waitClosed();
    const closer = await Deno.connect({ hostname: "127.0.0.1", port });
    closer.close();
    assertEquals((await rawRequest(port, getRequest(port, "/"))).status, 200);
    await using nc = await LineClient.connect(s.port);
    await nc.join("alice");
  },
);

Deno.test(
  "web gate: the WebSocket opens from the page's own origin, a listed origin, or no origin (a bot); other origins get 403",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer({ web: { port: 0, origins: ["https://school.example"] } });
    const port = s.webPort;
    const upgraded = await rawRequest(
      port,
      upgradeRequest(port, [`Origin: http://127.0.0.1:${port}`]),
    );
    assertEquals(upgraded.status, 101);
    assertEquals(upgraded.headers.get("sec-websocket-accept"), acceptKey(KEY));
    assertEquals(acceptKey(KEY), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assertEquals(
      (await rawRequest(port, upgradeRequest(port, ["Origin: https://school.example"]))).status,
      101,
    );
    assertEquals((await rawRequest(port, upgradeRequest(port))).status, 101);
    for (
      const origin of [
        "https://evil.example",
        `http://127.0.0.1:${port + 1}`,
        `https://127.0.0.1:${port}`,
        "null",
      ]
    ) {
      const refused = await rawRequest(port, upgradeRequest(port, [`Origin: ${origin}`]));
      assertEquals(refused.status, 403, origin);
      assertStringIncludes(refused.body, "origin not allowed");
    }
  },
);

Deno.test("web gate: --web-origin * lets any page open the WebSocket", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using s = startWebServer({ web: { port: 0, origins: ["*"] } });
  const response = await rawRequest(
    s.webPort,
    upgradeRequest(s.webPort, ["Origin: https://anywhere.example"]),
  );
  assertEquals(response.status, 101);
});

Deno.test(
  "web gate: a connection that sends no complete head in time gets 408 and is closed",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const gate = new WebGate({ html: "<p>x</p>", addr: listener.addr, headTimeoutMs: 200 });
    const accepted = listener.accept();
    await using client = await RawClient.connect(listener.addr.port);
    gate.accept(await accepted, () => {
      throw new Error("not an upgrade");
    });
    await client.write("GET / HTTP/1.1\r\n");
    await client.waitClosed();
    assertMatch(client.text, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    await client.close();
    await gate.finished();
    assertEquals(gate.pending, 0);
  },
);

Deno.test(
  "web gate: shutdown closes requests still being read, and the server finishes",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const s = startWebServer();
    await using silent = await RawClient.connect(s.webPort);
    await silent.write("GET / HT");
    await s.server.shutdown();
    await silent.waitClosed();
    await s.server.finished;
  },
);

Deno.test(
  "web gate: past maxClients the page gets 503 with the serverFull line; TCP and WebSocket members count together",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = await startWebChat({ maxClients: 2 });
    const { alice, bob } = s;
    const full = await rawRequest(s.webPort, getRequest(s.webPort, "/"));
    assertEquals(full.status, 503);
    assertStringIncludes(full.body, "서버가 가득 찼습니다 (최대 2명)");
    await using carol = await RawClient.connect(s.port);
    await carol.waitClosed();
    assertStringIncludes(carol.text, "서버가 가득 찼습니다");
    await bob.send("/quit");
    await bob.waitClosed();
    assertEquals(bob.closeFrame, { code: 1000, reason: "quit" });
    await bob.close();
    await alice.waitFor("bob님이 퇴장하셨습니다.");
    // No event tells a client when the server has released the slot: try again
    // (each try waits for the server's answer), a bounded number of times.
    let admitted = false;
    for (let attempt = 0; attempt < 100 && !admitted; attempt++) {
      await using next = await WsClient.connect(s.webPort);
      const head = await next.waitUpgraded();
      admitted = head.startsWith("HTTP/1.1 101 ");
      if (admitted) await next.join("dave");
    }
    assert(admitted, "the slot of a client that left was never freed");
  },
);

Deno.test({
  name: `web gate: with --tls-cert the page and the WebSocket are served over HTTPS/WSS${
    OPENSSL_AVAILABLE ? "" : " (skipped: openssl not found)"
  }`,
  ignore: !OPENSSL_AVAILABLE,
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using cert = await makeTestCert();
    await using s = startWebServer({ tls: { cert: cert.cert, key: cert.key } });
    const page = await rawRequest(s.webPort, getRequest(s.webPort, "/"), { caCert: cert.cert });
    assertEquals(page.status, 200);
    assertStringIncludes(page.body, "<html");
    await using ws = await WsClient.connect(s.webPort, { caCert: cert.cert });
    await ws.join("secure");
    // Over TLS the page's own origin is https://; http:// is another origin.
    const plain = await rawRequest(
      s.webPort,
      upgradeRequest(s.webPort, [`Origin: http://127.0.0.1:${s.webPort}`]),
      { caCert: cert.cert },
    );
    assertEquals(plain.status, 403);
  },
});

/** A gate alone on a port of its own: an accepted upgrade gets its 101, then is closed. */
function gateOnPort(options: Omit<WebGateOptions, "html" | "addr"> = {}) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const gate = new WebGate({ html: "<p>page</p>", addr: listener.addr, ...options });
  const accepting = (async () => {
    while (true) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        return;
      }
      gate.accept(conn, (upgraded, upgrade) => {
        void writeAllTo(upgraded, upgrade.response).catch(() => {}).finally(() => upgraded.close());
      });
    }
  })();
  return {
    port: listener.addr.port,
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      gate.close();
      await gate.finished();
    },
  };
}

/** A request to `path` addressed to `host`, with more header lines. */
function requestTo(host: string, path: string, headers: string[] = []): string {
  return [`GET ${path} HTTP/1.1`, `Host: ${host}`, ...headers].join("\r\n") + "\r\n\r\n";
}

const UPGRADE_HEADERS = [
  "Upgrade: websocket",
  "Connection: Upgrade",
  `Sec-WebSocket-Key: ${KEY}`,
  "Sec-WebSocket-Version: 13",
];

Deno.test(
  "web gate: a request addressed to a name that is not the server's gets 403, page and socket alike (DNS rebinding)",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer();
    const port = s.webPort;
    // A rebinding page: its own name, our address; its origin matches the Host it sends.
    for (const path of ["/", "/ws"]) {
      const refused = await rawRequest(
        port,
        requestTo(`evil.example:${port}`, path, [
          ...(path === "/ws" ? UPGRADE_HEADERS : []),
          `Origin: http://evil.example:${port}`,
        ]),
      );
      assertEquals(refused.status, 403, path);
      assertStringIncludes(refused.body, `Cannot serve host "evil.example:${port}"`);
      assertEquals(refused.body.split("\n").length, 2, "one line");
    }
    // The server's own names with its port; anything else, or no Host at all, is refused.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST.:${port}`]) {
      assertEquals((await rawRequest(port, requestTo(host, "/"))).status, 200, host);
    }
    for (
      const host of [`127.0.0.1:${port + 1}`, "127.0.0.1", `0.0.0.0:${port}`, `a@127.0.0.1:${port}`]
    ) {
      assertEquals((await rawRequest(port, requestTo(host, "/"))).status, 403, host);
    }
    const noHost = await rawRequest(port, `GET / HTTP/1.1\r\n\r\n`);
    assertEquals(noHost.status, 400);
    assertStringIncludes(noHost.body, "without a Host header");
    // The origin is compared with the server's names, not with the Host the request names.
    const other = await rawRequest(
      port,
      requestTo(`127.0.0.1:${port}`, "/ws", [
        ...UPGRADE_HEADERS,
        `Origin: http://localhost:${port}`,
      ]),
    );
    assertEquals(other.status, 101);
  },
);

Deno.test(
  "web gate: hosts allowed by the operator serve the page, and their pages may open the socket",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using g = gateOnPort({ hosts: ["chat.example.org", "proxy.example:8443"] });
    const cases: [string, number][] = [
      ["chat.example.org", 200],
      ["chat.example.org:9000", 200],
      ["CHAT.example.org.", 200],
      ["proxy.example:8443", 200],
      ["proxy.example:8444", 403],
      ["proxy.example", 403],
      ["example.org", 403],
    ];
    for (const [host, status] of cases) {
      assertEquals((await rawRequest(g.port, requestTo(host, "/"))).status, status, host);
    }
    // Behind a proxy that adds TLS, the page's origin is https:// though the gate is plain.
    for (const origin of ["https://chat.example.org", "https://proxy.example:8443"]) {
      const opened = await rawRequest(
        g.port,
        requestTo(`127.0.0.1:${g.port}`, "/ws", [...UPGRADE_HEADERS, `Origin: ${origin}`]),
      );
      assertEquals(opened.status, 101, origin);
    }
    const refused = await rawRequest(
      g.port,
      requestTo(`127.0.0.1:${g.port}`, "/ws", [...UPGRADE_HEADERS, "Origin: https://example.org"]),
    );
    assertEquals(refused.status, 403);
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const error = assertThrows(
      () => new WebGate({ html: "", addr: listener.addr, hosts: ["http://chat.example.org/"] }),
      TypeError,
    );
    assertEquals(
      error.message,
      'Cannot allow host "http://chat.example.org/": expected a name or an address, with an optional :port',
    );
  },
);

Deno.test(
  "web gate: GET /ws with a body is refused with 400, and the body never reaches the chat",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer();
    const port = s.webPort;
    // The body is a masked text frame holding a nickname: read as frames, it would register it.
    const frame = encodeClientFrame(OPCODE_TEXT, new TextEncoder().encode("sneaky"));
    for (const framing of [`Content-Length: ${frame.length}`, "Transfer-Encoding: chunked"]) {
      const head = new TextEncoder().encode(upgradeRequest(port, [framing]));
      const request = new Uint8Array(head.length + frame.length);
      request.set(head);
      request.set(frame, head.length);
      const refused = await rawRequest(port, request);
      assertEquals(refused.status, 400, framing);
      assertStringIncludes(refused.body, "Cannot upgrade a request with a body");
    }
    assertEquals((await rawRequest(port, upgradeRequest(port, ["Content-Length: 0"]))).status, 101);
    // The nickname is free: nothing registered it.
    await using nc = await LineClient.connect(s.port);
    await nc.join("sneaky");
  },
);

Deno.test(
  "web gate: a refused Host or Origin leaves one console line with the peer and the reason, at most one per address in a while",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const sink = new MemorySink();
    const log = new ConsoleLog({ sink, timestamps: false });
    await using s = startWebServer({ log });
    const port = s.webPort;
    const origin = await rawRequest(
      port,
      upgradeRequest(port, ["Origin: https://evil.example"]),
    );
    assertEquals(origin.status, 403);
    // The same address again, at once: answered, not logged again.
    assertEquals((await rawRequest(port, requestTo(`evil.example:${port}`, "/"))).status, 403);
    await log.flushed();
    const lines = sink.text.split("\n").filter((line) => line.startsWith("웹 요청 거부"));
    assertEquals(lines.length, 1, sink.text);
    assertMatch(
      lines[0],
      /^웹 요청 거부: 127\.0\.0\.1:\d+ - 허용되지 않은 Origin "https:\/\/evil\.example" \(허용하려면 --web-origin\)$/,
    );
  },
);

Deno.test(
  "web gate: each refusal reason reads as one console line in both languages",
  () => {
    assertEquals(
      consoleText("en").logWebRefused("192.0.2.9:5000", "host", '"evil.example:8080"'),
      'web request refused: 192.0.2.9:5000 - Host "evil.example:8080" is not a name of this server (allow it with --web-host-allow)',
    );
    assertEquals(
      consoleText("ko").logWebRefused("192.0.2.9:5000", "host", '"evil.example:8080"'),
      '웹 요청 거부: 192.0.2.9:5000 - 이 서버의 이름이 아닌 Host "evil.example:8080" (허용하려면 --web-host-allow)',
    );
    assertEquals(
      consoleText("en").logWebRefused("192.0.2.9:5000", "noHost", ""),
      "web request refused: 192.0.2.9:5000 - no Host header",
    );
    assertEquals(
      consoleText("en").logWebRefused("192.0.2.9:5000", "origin", '"null"'),
      'web request refused: 192.0.2.9:5000 - origin "null" not allowed (allow it with --web-origin)',
    );
  },
);
