/**
 * A Redis outage as the users of the server cut off see it: one line when the chat
 * becomes unavailable, one when it is back, and what they typed meanwhile sent
 * then, once each and in order, to everyone. The cut is a TCP proxy between one
 * server ("far") and a real `redis-server`; the other server ("near") stays on
 * Redis, so its users show what the rest of the cluster receives.
 *
 * @module
 */

import { assert, assertEquals } from "@std/assert";
import { LineClient } from "../_server_helpers.ts";
import { RedisServer } from "../fixtures/redis_server.ts";
import { TcpProxy } from "../fixtures/tcp_proxy.ts";
import { type JsonEvent, WsClient } from "../fixtures/ws_client.ts";
import { CLUSTER_TIMEOUT_MS, type ClusterServer, joinOn, startClusterServer } from "./_cluster.ts";

const TEST_TIMEOUT_MS = 60_000;
const UNAVAILABLE = "지금은 채팅을 사용할 수 없습니다. 입력한 내용은 다시 연결되면 전송됩니다.";
const AVAILABLE = "채팅을 다시 사용할 수 있습니다.";
const TRY_LATER = "채팅을 잠시 사용할 수 없습니다. 잠시 후 다시 시도하세요.";
const FLOODING = "메시지를 너무 많이 보내 연결을 종료합니다.";

/** A near server on Redis, a far one behind a proxy that the test cuts. */
async function nearAndFar(
  redis: RedisServer,
  proxy: TcpProxy,
  ...farArgs: string[]
): Promise<[ClusterServer, ClusterServer]> {
  const near = await startClusterServer(redis.url);
  try {
    return [near, await startClusterServer(`redis://127.0.0.1:${proxy.port}`, ...farArgs)];
  } catch (error) {
    await near[Symbol.asyncDispose]();
    throw error;
  }
}

function count(lines: readonly string[], line: string): number {
  return lines.filter((l) => l === line).length;
}

function isNotice(code: string): (event: JsonEvent) => boolean {
  return (event) => event.type === "notice" && event.code === code;
}

Deno.test({
  name:
    "cluster outage: each user of the server cut off gets one line each way, and the lines typed meanwhile arrive once, in order, after",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using proxy = new TcpProxy(redis.port);
    const [near, far] = await nearAndFar(redis, proxy, "--web", "0");
    await using _near = near;
    await using _far = far;
    const webLine = far.child.stdout.lines.find((l) => l.startsWith("웹 페이지: "))!;
    const webPort = Number(/:(\d+)\/$/.exec(webLine)![1]);
    await using clients = await joinOn(
      [near.port, "nearby"],
      [far.port, "typer"],
      [far.port, "idle"],
    );
    const [nearby, typer, idle] = clients;
    await using web = await WsClient.connect(webPort);
    await web.join("webber");
    await nearby.waitFor("webber님이 입장하셨습니다.");

    proxy.cut();
    for (const c of [typer, idle]) await c.waitFor(UNAVAILABLE, CLUSTER_TIMEOUT_MS);
    const down = await web.waitFor(isNotice("unavailable"), CLUSTER_TIMEOUT_MS);
    assertEquals(down.text, UNAVAILABLE);
    // Someone who comes now cannot join, and is told so in one line.
    await using late = await LineClient.connect(far.port);
    await late.waitFor("닉네임을 입력하세요:");
    await late.send("late");
    await late.waitFor(TRY_LATER);
    await late.waitClosed();
    // Typed during the outage: lines, commands and a whisper, one write each.
    const typed = Array.from({ length: 21 }, (_, i) => `during ${i}`);
    for (const line of typed) await typer.send(line);
    await typer.send("/who");
    await typer.send("@nearby psst");
    await typer.send("/me 기다립니다");
    await typer.send("/topic 정전 중");

    proxy.heal();
    for (const c of [typer, idle]) await c.waitFor(AVAILABLE, CLUSTER_TIMEOUT_MS);
    const up = await web.waitFor(isNotice("available"), CLUSTER_TIMEOUT_MS);
    assertEquals(up.text, AVAILABLE);
    await typer.waitFor((l) => l.startsWith("접속자 4명: "), CLUSTER_TIMEOUT_MS);
    // The whisper, the action and the topic, each once (the whisper by another stream).
    const sentLater = [
      "[귓속말] typer> psst",
      "* typer 기다립니다",
      "typer님이 주제를 설정했습니다: 정전 중",
    ];
    await nearby.waitFor(
      () => sentLater.every((l) => nearby.received.includes(l)),
      CLUSTER_TIMEOUT_MS,
    );
    for (const line of sentLater) assertEquals(count(nearby.received, line), 1, line);
    // A last line from the near server: everything before it has arrived.
    await nearby.send("end");
    for (const c of [nearby, typer, idle]) await c.waitFor("nearby> end", CLUSTER_TIMEOUT_MS);
    await web.waitFor((e) => e.type === "message" && e.text === "end", CLUSTER_TIMEOUT_MS);

    const expected = typed.map((line) => `typer> ${line}`);
    for (const c of [typer, idle, nearby]) {
      assertEquals(c.received.filter((l) => l.startsWith("typer> ")), expected);
    }
    assertEquals(
      web.events.filter((e) => e.type === "message" && e.nick === "typer").map((e) => e.text),
      typed,
    );
    for (const c of [typer, idle]) {
      assertEquals(count(c.received, UNAVAILABLE), 1, "one line when it went");
      assertEquals(count(c.received, AVAILABLE), 1, "one line when it came back");
      // Both before the lines typed meanwhile.
      assert(c.received.indexOf(AVAILABLE) < c.received.indexOf("typer> during 0"));
    }
    assertEquals(web.events.filter(isNotice("unavailable")).length, 1);
    assertEquals(web.events.filter(isNotice("available")).length, 1);
    assertEquals(count(nearby.received, UNAVAILABLE), 0, "the near server was not cut off");
    assertEquals(count(typer.received, TRY_LATER), 0, "no typed line was refused");
  },
});

Deno.test({
  name:
    "cluster outage: lines in flight when the link dies are neither lost (requests lost) nor doubled (replies lost)",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using proxy = new TcpProxy(redis.port);
    const [near, far] = await nearAndFar(redis, proxy);
    await using _near = near;
    await using _far = far;
    await using clients = await joinOn([near.port, "nearby"], [far.port, "typer"]);
    const [nearby, typer] = clients;
    await nearby.waitFor("typer님이 입장하셨습니다.");
    const said: string[] = [];

    // Redis runs them, but the replies never come back; then the link dies.
    proxy.mute("replies");
    const ran = Array.from({ length: 5 }, (_, i) => `ran ${i}`);
    await typer.write(ran.map((line) => `${line}\n`).join(""));
    said.push(...ran);
    await nearby.waitFor("typer> ran 4", CLUSTER_TIMEOUT_MS);
    proxy.cut();
    await typer.waitFor(UNAVAILABLE, CLUSTER_TIMEOUT_MS);
    proxy.heal();
    await typer.waitFor(AVAILABLE, CLUSTER_TIMEOUT_MS);

    // The commands never reach Redis; then the link dies.
    proxy.mute("requests");
    const lost = Array.from({ length: 5 }, (_, i) => `lost ${i}`);
    await typer.write(lost.map((line) => `${line}\n`).join(""));
    said.push(...lost);
    await proxy.dropped("lost 4");
    proxy.cut();
    await typer.waitFor(UNAVAILABLE, CLUSTER_TIMEOUT_MS);
    proxy.heal();
    await typer.waitFor(AVAILABLE, CLUSTER_TIMEOUT_MS);

    await typer.send("end");
    said.push("end");
    for (const c of [nearby, typer]) {
      await c.waitFor("typer> end", CLUSTER_TIMEOUT_MS);
      assertEquals(
        c.received.filter((l) => l.startsWith("typer> ")),
        said.map((line) => `typer> ${line}`),
      );
    }
    assertEquals(count(typer.received, UNAVAILABLE), 2, "one per outage");
    assertEquals(count(typer.received, TRY_LATER), 0);
  },
});

Deno.test({
  name:
    "cluster outage: a user who types past the line pacer's bound meanwhile is cut off as flooding; the others are not",
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using redis = await RedisServer.start();
    await using proxy = new TcpProxy(redis.port);
    const [near, far] = await nearAndFar(redis, proxy);
    await using _near = near;
    await using _far = far;
    await using clients = await joinOn(
      [near.port, "nearby"],
      [far.port, "flooder"],
      [far.port, "calm"],
    );
    const [nearby, flooder, calm] = clients;
    await nearby.waitFor("calm님이 입장하셨습니다.");
    proxy.cut();
    for (const c of [flooder, calm]) await c.waitFor(UNAVAILABLE, CLUSTER_TIMEOUT_MS);
    // 200 lines may wait (MAX_QUEUED_LINES); the 201st is a flood.
    await flooder.write(Array.from({ length: 201 }, (_, i) => `spam ${i}\n`).join(""));
    await flooder.waitFor(FLOODING, CLUSTER_TIMEOUT_MS);
    await flooder.waitClosed();
    await calm.send("calm");
    proxy.heal();
    await calm.waitFor(AVAILABLE, CLUSTER_TIMEOUT_MS);
    await nearby.waitFor("calm> calm", CLUSTER_TIMEOUT_MS);
    await nearby.send("end");
    await calm.waitFor("nearby> end", CLUSTER_TIMEOUT_MS);
    for (const c of [nearby, calm]) {
      assertEquals(c.received.filter((l) => l.startsWith("flooder> ")), [], "nothing of the flood");
    }
    assertEquals(count(calm.received, UNAVAILABLE), 1);
    assertEquals(count(calm.received, AVAILABLE), 1);
  },
});
