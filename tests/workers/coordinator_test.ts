/**
 * A server with workers, from the outside: real workers, real sockets, clients
 * known to sit on different workers.
 *
 * @module
 */

import { assert, assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { LineClient } from "../_server_helpers.ts";
import { WsClient } from "../fixtures/ws_client.ts";
import { joinOnEveryWorker, joinOnWorker, startWorkerServer, waitUntil } from "./_workers.ts";

const LINES_EACH = 30;

Deno.test("workers: every member sees a room's lines in one order, whichever worker it is on", async () => {
  await using s = await startWorkerServer(2);
  await using spread = await joinOnEveryWorker(s, "u", 2);
  const senders = spread.all.slice(0, 4);
  // Every sender's lines go at once, from both workers: the order is the coordinator's.
  await Promise.all(senders.map(async ({ client, nick }) => {
    for (let i = 0; i < LINES_EACH; i++) await client.send(`${nick} line ${i}`);
  }));
  const expected = senders.length * LINES_EACH;
  const seen = await Promise.all(spread.all.map(async ({ client }) => {
    const lines: string[] = [];
    while (lines.length < expected) {
      const line = await client.waitFor((l) => / line \d+$/.test(l));
      lines.push(line);
    }
    return lines;
  }));
  for (const lines of seen) assertEquals(lines, seen[0]);
  // Each sender's own lines keep their order.
  for (const { nick } of senders) {
    const mine = seen[0].filter((l) => l.startsWith(`${nick}> `));
    assertEquals(mine, Array.from({ length: LINES_EACH }, (_, i) => `${nick}> ${nick} line ${i}`));
  }
});

Deno.test("workers: a nickname held on one worker cannot be taken on another, by joining or renaming", async () => {
  await using s = await startWorkerServer(2);
  await using spread = await joinOnEveryWorker(s, "n");
  const [[a], [b]] = spread.byWorker;
  const aNick = spread.all.find((u) => u.client === a)!.nick;
  const bNick = spread.all.find((u) => u.client === b)!.nick;
  await b.send(`/nick ${aNick.toUpperCase()}`);
  await b.waitFor(`이미 사용 중인 닉네임입니다: ${aNick.toUpperCase()}`);
  // Two newcomers asking for one nickname at once, wherever they land: exactly one wins.
  const racers = await Promise.all([0, 1, 2, 3].map(() => LineClient.connect(s.port)));
  try {
    await Promise.all(racers.map((c) => c.waitFor("닉네임을 입력하세요:")));
    await Promise.all(racers.map((c) => c.send("same")));
    const answers = await Promise.all(
      racers.map((c) =>
        c.waitFor((l) => l === "서버에 연결되었습니다." || l.startsWith("이미 사용 중인"))
      ),
    );
    assertEquals(answers.filter((l) => l === "서버에 연결되었습니다.").length, 1);
  } finally {
    await Promise.all(racers.map((c) => c.close()));
  }
  assert(s.coordinator.workerOf(bNick) !== undefined);
});

Deno.test("workers: whispers, kicks and bans reach a user on another worker", async () => {
  await using s = await startWorkerServer(2, { opPassword: "teacher" });
  await using op = await joinOnWorker(s, 0, "teacher");
  await using pupil = await joinOnWorker(s, 1, "pupil");
  await using other = await joinOnWorker(s, 1, "other");
  await op.becomeOp("teacher");
  await op.send("@pupil 숙제");
  await pupil.waitFor("[귓속말] teacher> 숙제");
  await pupil.send("@teacher 네");
  await op.waitFor("[귓속말] pupil> 네");
  await op.send("/kick other 수업 방해");
  await other.waitFor("teacher님에 의해 강퇴되었습니다. 사유: 수업 방해");
  await other.waitClosed();
  await pupil.waitFor("other님이 teacher님에 의해 강퇴되었습니다.");
  await op.send("/ban pupil 10");
  await pupil.waitFor("teacher님에 의해 10분 동안 차단되었습니다.");
  await pupil.waitClosed();
  await op.waitFor("pupil님(127.0.0.1)을 10분 동안 차단했습니다.");
  // The ban is every worker's: any new connection from 127.0.0.1 is refused, on any worker.
  for (let i = 0; i < 6; i++) {
    await using again = await LineClient.connect(s.port);
    assertEquals(await again.waitClosed(), ["이 서버에서 차단되었습니다."]);
  }
});

Deno.test("workers: --max-clients counts the connections of every worker together", async () => {
  // Ten joined clients spread over both workers: each has fewer than ten of its own.
  await using s = await startWorkerServer(2, { maxClients: 10 });
  await using spread = await joinOnEveryWorker(s, "m");
  const more: LineClient[] = [];
  try {
    while (spread.all.length + more.length < 10) {
      const c = await LineClient.connect(s.port);
      more.push(c);
      await c.join(`extra${more.length}`);
    }
    // Everyone has joined: whichever worker the next ones land on, they are refused.
    for (let i = 0; i < 6; i++) {
      await using refused = await LineClient.connect(s.port);
      assertEquals(await refused.waitClosed(), [
        "서버가 가득 찼습니다 (최대 10명). 나중에 다시 접속하세요.",
      ]);
    }
  } finally {
    await Promise.all(more.map((c) => c.close()));
  }
});

Deno.test("workers: a worker that dies has its users' leaves announced, their nicknames freed, and is started again", async () => {
  await using s = await startWorkerServer(2);
  await using stay = await joinOnWorker(s, 0, "stay");
  await using gone = await joinOnWorker(s, 1, "gone");
  s.coordinator.kill(1);
  await stay.waitFor("gone님이 퇴장하셨습니다.");
  await gone.waitClosed();
  assertEquals(s.coordinator.workerOf("gone"), undefined);
  await waitUntil(() =>
    s.sink.text.includes("워커 1번이 멈췄습니다 (terminated). 사용자 1명의 퇴장을 알렸습니다.")
  );
  // Served again on both workers: the restarted one takes connections on the same port.
  await s.coordinator.serving(1);
  await using back = await joinOnWorker(s, 1, "gone");
  await back.send("다시 왔어요");
  await stay.waitFor("gone> 다시 왔어요");
});

Deno.test("workers: the web page's members on different workers talk to each other and to TCP members", async () => {
  await using s = await startWorkerServer(2, { web: { port: 0 } });
  const webPort = s.coordinator.webAddr!.port;
  const web: WsClient[] = [];
  const onWorker = new Set<number>();
  try {
    for (let i = 0; onWorker.size < 2; i++) {
      assert(i < 60, "no spread of WebSocket members over both workers");
      const client = await WsClient.connect(webPort);
      web.push(client);
      await client.join(`web${i}`);
      onWorker.add(s.coordinator.workerOf(`web${i}`)!);
    }
    await using tcp = await LineClient.connect(s.port);
    await tcp.join("tcp");
    await web[0].send("웹에서 안녕");
    await tcp.waitFor("web0> 웹에서 안녕");
    for (const client of web) {
      const event = await client.waitFor((e) => e.type === "message");
      assertEquals([event.nick, event.text], ["web0", "웹에서 안녕"]);
    }
  } finally {
    await Promise.all(web.map((c) => c.close()));
  }
});

Deno.test("workers: an account registered on one worker logs in on any, and catches up on what it missed", async () => {
  await using s = await startWorkerServer(2);
  const ko = userText("ko");
  await using speaker = await joinOnWorker(s, 1, "speaker");
  {
    await using alice = await joinOnWorker(s, 0, "alice");
    await alice.send("/register 비밀번호 여덟자 이상");
    await alice.waitFor(ko.registered("alice"));
    await alice.send("/quit");
    await alice.waitClosed();
  }
  await speaker.waitFor(ko.left("alice"));
  for (const text of ["하나", "둘", "셋"]) await speaker.send(text);
  await speaker.waitFor("speaker> 셋");
  await using again = await LineClient.connect(s.port);
  await again.waitFor(ko.nicknamePrompt);
  await again.send("alice");
  await again.waitFor(ko.accountPrompt("alice"));
  await again.send("비밀번호 여덟자 이상");
  await again.waitFor(ko.catchUp(3));
  // Catch-up lines carry their time: `[HH:MM] speaker> 하나`.
  await again.waitFor((l) => l.endsWith(" speaker> 하나"));
  await again.waitFor((l) => l.endsWith(" speaker> 셋"));
  await speaker.waitFor(ko.joined("alice"));
});

Deno.test("workers: a login takes its nickname from a ghost on another worker; the room sees it leave, then join", async () => {
  await using s = await startWorkerServer(2);
  const ko = userText("ko");
  const password = "비밀번호 여덟자 이상";
  await using ghost = await joinOnWorker(s, 0, "alice");
  await ghost.send(`/register ${password}`);
  await ghost.waitFor(ko.registered("alice"));
  await using watcher = await joinOnWorker(s, 1, "watcher");
  // Logins land where the kernel puts them: one on the ghost's worker takes over there
  // (as on one server) and becomes the ghost; go on until one lands on the other worker.
  let holder = ghost;
  let holderWorker = 0;
  const logins: LineClient[] = [];
  try {
    for (let i = 0; i < 40; i++) {
      const login = await LineClient.connect(s.port);
      logins.push(login);
      await login.waitFor(ko.nicknamePrompt);
      await login.send("alice");
      await login.waitFor(ko.accountPrompt("alice"));
      await login.send(password);
      await login.waitFor((l) => l === "서버에 연결되었습니다." || l.startsWith("접속자"));
      await holder.waitFor(ko.nicknameReclaimed);
      await holder.waitClosed();
      const worker = s.coordinator.workerOf("alice")!;
      if (worker !== holderWorker) {
        // Across workers: the room saw alice leave, then the new login join.
        await watcher.waitFor(ko.left("alice"));
        await watcher.waitFor(ko.joined("alice"));
        await watcher.send("/who");
        await watcher.waitFor((l) => /^접속자 2명: /.test(l) && l.includes("alice"));
        await watcher.send("@alice 여기 있나요");
        await login.waitFor("[귓속말] watcher> 여기 있나요");
        return;
      }
      holder = login;
      holderWorker = worker;
    }
    throw new Error("no login landed on the other worker");
  } finally {
    await Promise.all(logins.map((c) => c.close()));
  }
});
