/**
 * Who gets in (issue 19, item 8): one address cannot fill the server
 * (`--max-per-address`, TCP, WebSocket and web requests together), and when the
 * server is full a connection that has not joined yet makes room for a newcomer,
 * so idle sockets cannot keep users out. A second client address comes from
 * 127.0.0.2 through a relay (Linux routes all of 127/8 to `lo`).
 *
 * @module
 */

import { assert, assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { LineClient, startServer } from "../_server_helpers.ts";
import { getRequest, rawRequest, startWebServer } from "../_web_helpers.ts";
import { SourceRelay } from "../fixtures/source_relay.ts";
import { WsClient } from "../fixtures/ws_client.ts";

const m = userText("ko");
const PROMPT = m.nicknamePrompt;
const TEST_TIMEOUT_MS = 30_000;

/** Opens `count` connections from 127.0.0.1; each is at the prompt, or refused and closed. */
async function idleSockets(port: number, count: number): Promise<LineClient[]> {
  const clients: LineClient[] = [];
  for (let i = 0; i < count; i++) {
    const c = await LineClient.connect(port);
    clients.push(c);
    await c.nextLine(); // the prompt, or the refusal
  }
  return clients;
}

/** Connects until the first line is the prompt (a close the server has yet to see still counts). */
async function connectOnceAtPrompt(port: number): Promise<LineClient> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const c = await LineClient.connect(port);
    if (await c.nextLine() === PROMPT) return c;
    await c.close();
    await new Promise((resolve) => setTimeout(resolve, 20)); // Retry pacing.
  }
  throw new Error("No connection got the prompt");
}

async function closeAll(clients: LineClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
}

Deno.test(
  "admission: the 21st connection from one address is refused with one line, TCP and WebSocket together; the page gets 503 likewise",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer();
    const tcp = await idleSockets(s.port, 19);
    await using web = await WsClient.connect(s.webPort);
    try {
      await web.waitFor((e) => e.type === "prompt");
      assert(tcp.every((c) => c.received[0] === PROMPT), "twenty are in");
      {
        await using extra = await LineClient.connect(s.port);
        assertEquals(await extra.waitClosed(), [m.tooManyFromAddress(20)]);
      }
      const page = await rawRequest(s.webPort, getRequest(s.webPort, "/"));
      assertEquals(page.status, 503);
      assertEquals(page.body, m.tooManyFromAddress(20) + "\n");
      // Another address is not counted with it.
      await using relay = new SourceRelay(s.port, "127.0.0.2");
      await using other = await LineClient.connect(relay.port);
      await other.join("other");
      // One leaves: one more may come, once the server has seen the close.
      await tcp.pop()!.close();
      tcp.push(await connectOnceAtPrompt(s.port));
      assert(s.sink.text.includes("이 주소의 접속이 너무 많음"), "the console says why");
    } finally {
      await closeAll(tcp);
    }
  },
);

Deno.test(
  "admission: a hundred idle sockets from one address cannot keep another address out, on the chat port or the page",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer({ maxClients: 100 });
    const idle = await idleSockets(s.port, 100);
    try {
      const refused = idle.filter((c) => c.received[0] === m.tooManyFromAddress(20)).length;
      assertEquals(refused, 80);
      await using relay = new SourceRelay(s.port, "127.0.0.2");
      await using user = await LineClient.connect(relay.port);
      await user.join("user");
      await using webRelay = new SourceRelay(s.webPort, "127.0.0.2");
      const page = await rawRequest(webRelay.port, getRequest(s.webPort, "/"));
      assertEquals(page.status, 200);
    } finally {
      await closeAll(idle);
    }
  },
);

Deno.test(
  "admission: when the server is full, the oldest connection that has not joined makes room and is told why; members keep their places",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startServer({ maxClients: 4, maxPerAddress: 100 });
    await using alice = await LineClient.connect(s.port);
    await alice.join("alice");
    const idle = await idleSockets(s.port, 3);
    try {
      // Full: alice and three at the prompt. A newcomer takes the oldest idle one's place.
      await using bob = await LineClient.connect(s.port);
      assertEquals(await idle[0].waitClosed(), [m.evicted]);
      await bob.join("bob");
      assertEquals(idle[1].closed, false, "only one made room");
      await using carol = await LineClient.connect(s.port);
      assertEquals(await idle[1].waitClosed(), [m.evicted]);
      await carol.join("carol");
      await using dave = await LineClient.connect(s.port);
      assertEquals(await idle[2].waitClosed(), [m.evicted]);
      await dave.join("dave");
      // Now everyone is a member: a newcomer is refused, nobody is dropped.
      await using eve = await LineClient.connect(s.port);
      assertEquals(await eve.waitClosed(), [m.serverFull(4)]);
      await alice.send("/who");
      await alice.waitFor("접속자 4명: alice, bob, carol, dave");
      await s.server.shutdown(); // Every disconnection is on the console after it.
      const madeRoom = s.sink.text.split("\n").filter((l) =>
        l.endsWith("서버가 가득 차 입장 전 연결이 자리를 내줌")
      );
      assertEquals(madeRoom.length, 3, "the console says why, for each");
    } finally {
      await closeAll(idle);
    }
  },
);

Deno.test(
  "admission: idle sockets that fill the server, one making room for the next, cannot keep another address out",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    // The per-address cap as high as the server: only making room protects it.
    await using s = startWebServer({ maxClients: 10, maxPerAddress: 1000 });
    const idle = await idleSockets(s.port, 100);
    try {
      const evicted = idle.filter((c) => c.received.includes(m.evicted)).length;
      assert(evicted >= 80, `made room: ${evicted}`);
      await using relay = new SourceRelay(s.port, "127.0.0.2");
      await using user = await LineClient.connect(relay.port);
      await user.join("user");
      await using web = await WsClient.connect(s.webPort);
      await web.join("webuser");
    } finally {
      await closeAll(idle);
    }
  },
);

Deno.test(
  "admission: a full server of web requests that never finish their head drops the oldest for a newcomer",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using s = startWebServer({ maxClients: 3, maxPerAddress: 100 });
    const silent = await Promise.all(
      Array.from({ length: 3 }, () => Deno.connect({ hostname: "127.0.0.1", port: s.webPort })),
    );
    try {
      // Three requests that never send their head fill the server; a page request comes next.
      const page = await rawRequest(s.webPort, getRequest(s.webPort, "/"));
      assertEquals(page.status, 200, "the oldest silent request made room");
      assertEquals(await silent[0].read(new Uint8Array(16)), null, "the oldest was closed");
      await using user = await LineClient.connect(s.port);
      await user.join("user");
    } finally {
      for (const conn of silent) {
        try {
          conn.close();
        } catch {
          // Closed by the server.
        }
      }
    }
  },
);
