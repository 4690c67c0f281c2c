/**
 * Rooms and history over real TCP: what people with `nc` see.
 *
 * @module
 */

import { assertEquals, assertMatch } from "@std/assert";
import { joinAll, startServer } from "../_server_helpers.ts";

Deno.test("rooms: two rooms never see each other's lines", async () => {
  await using s = startServer();
  await using clients = await joinAll(s.port, "a1", "a2", "b1", "b2");
  const [a1, a2, b1, b2] = clients;
  for (const c of [b1, b2]) {
    await c.send("/join beta");
    await c.waitFor(`${c === b1 ? "b1" : "b2"}님이 입장하셨습니다.`);
  }
  await b1.waitFor("b2님이 입장하셨습니다.");
  for (let i = 0; i < 20; i++) {
    await a1.send(`alpha ${i}`);
    await b1.send(`beta ${i}`);
  }
  await a1.send("/who");
  await b1.send("/who");
  // Each room's members get their room's 20 lines and nothing of the other's.
  for (const [c, mine, other] of [[a2, "a1> alpha", "beta"], [b2, "b1> beta", "alpha"]] as const) {
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) seen.push(await c.waitFor((l) => l.includes("> ")));
    assertEquals(seen, [...Array(20).keys()].map((i) => `${mine} ${i}`));
    assertEquals(c.received.filter((l) => l.includes(`> ${other} `)), []);
  }
  await a1.waitFor("접속자 2명: a1, a2");
  await b1.waitFor("접속자 2명: b1, b2");
  // The lobby saw where they went: a move is not a quit.
  assertEquals(a1.received.filter((l) => l.includes("beta")), [
    "b1님이 #beta 방으로 이동하셨습니다.",
    "b2님이 #beta 방으로 이동하셨습니다.",
  ]);
  await a2.send("/rooms");
  await a2.waitFor("방 목록: beta (2), lobby (2)");
});

Deno.test("rooms: a newcomer gets the history, oldest first, with times, before the join notice", async () => {
  await using s = startServer({ historyLimit: 3 });
  await using alice = (await joinAll(s.port, "alice"))[0];
  for (const text of ["one", "two", "three", "four"]) {
    await alice.send(text);
    await alice.waitFor(`alice> ${text}`);
  }
  await alice.send("/me waves");
  await alice.waitFor("* alice waves");
  await alice.send("@alice a whisper is never history");
  await alice.waitFor((l) => l.startsWith("[귓속말]"));
  await using bob = (await joinAll(s.port, "bob"))[0];
  const lines = bob.received.slice(1, 6);
  assertEquals(lines[0], "-- 최근 메시지 3개 --");
  assertMatch(lines[1], /^\[\d\d:\d\d\] alice> three$/);
  assertMatch(lines[2], /^\[\d\d:\d\d\] alice> four$/);
  assertMatch(lines[3], /^\[\d\d:\d\d\] \* alice waves$/);
  assertEquals(lines[4], "bob님이 입장하셨습니다.");
});

Deno.test("rooms: --history 0 sends no history", async () => {
  await using s = startServer({ historyLimit: 0 });
  await using alice = (await joinAll(s.port, "alice"))[0];
  await alice.send("hello");
  await alice.waitFor("alice> hello");
  await using bob = (await joinAll(s.port, "bob"))[0];
  assertEquals(bob.received, [
    "닉네임을 입력하세요:",
    "bob님이 입장하셨습니다.",
    "서버에 연결되었습니다.",
    "접속자 2명: alice, bob",
  ]);
});

Deno.test("rooms: the message of the day follows the welcome line, then the topic", async () => {
  await using s = startServer({ motd: ["Welcome to class 3-B", "Be kind"] });
  await using alice = (await joinAll(s.port, "alice"))[0];
  await alice.send("/topic 시험 범위");
  await alice.waitFor("alice님이 주제를 설정했습니다: 시험 범위");
  await using bob = (await joinAll(s.port, "bob"))[0];
  assertEquals(bob.received.slice(1), [
    "bob님이 입장하셨습니다.",
    "서버에 연결되었습니다.",
    "Welcome to class 3-B",
    "Be kind",
    "주제: 시험 범위",
    "접속자 2명: alice, bob",
  ]);
});
