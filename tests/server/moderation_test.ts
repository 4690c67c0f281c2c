/**
 * Operators over real TCP: a kick and a ban seen from the outside.
 *
 * @module
 */

import { assertEquals, assertStringIncludes } from "@std/assert";
import { isMembersLine, joinAll, LineClient, startServer } from "../_server_helpers.ts";
import { startWebServer } from "../_web_helpers.ts";
import { SourceRelay } from "../fixtures/source_relay.ts";
import { WsClient } from "../fixtures/ws_client.ts";

Deno.test("moderation: a kicked user is told and its connection closes; the room sees who did it", async () => {
  await using s = startServer({ opPassword: "teacher" });
  await using joined = await joinAll(s.port, "teacher", "pupil", "other");
  const [op, pupil, other] = joined;
  await op.becomeOp("teacher");
  await op.send("/kick pupil 수업 방해");
  assertEquals(
    await pupil.waitFor((l) => l.includes("강퇴")),
    "teacher님에 의해 강퇴되었습니다. 사유: 수업 방해",
  );
  await pupil.waitClosed();
  await pupil.close();
  await other.waitFor("pupil님이 teacher님에 의해 강퇴되었습니다.");
  await other.send("/who");
  await other.waitFor("접속자 2명: teacher, other");
});

Deno.test("moderation: a banned address is refused before any prompt until it is unbanned", async () => {
  await using s = startServer({ opPassword: "teacher" });
  await using joined = await joinAll(s.port, "teacher", "pupil");
  const [op, pupil] = joined;
  await op.becomeOp("teacher");
  await op.send("/ban pupil 10 수업 방해");
  await op.waitFor("pupil님이 teacher님에 의해 10분 동안 차단되었습니다.");
  await op.waitFor("pupil님(127.0.0.1)을 10분 동안 차단했습니다.");
  assertEquals(
    await pupil.nextLine(),
    "teacher님에 의해 10분 동안 차단되었습니다. 사유: 수업 방해",
  );
  await pupil.waitClosed();
  await pupil.close();
  {
    // Everyone here comes from 127.0.0.1, so any new connection is now refused.
    await using again = await LineClient.connect(s.port);
    assertEquals(await again.waitClosed(), ["이 서버에서 차단되었습니다."]);
  }
  await op.send("/bans");
  await op.waitFor("차단 목록: 127.0.0.1 (10분 남음)");
  await op.send("/unban 127.0.0.1");
  await op.waitFor("127.0.0.1의 차단을 풀었습니다.");
  await using back = await LineClient.connect(s.port);
  await back.join("pupil");
});

Deno.test("moderation: a kick of someone in another room answers the operator with one line", async () => {
  await using s = startServer({ opPassword: "teacher" });
  await using joined = await joinAll(s.port, "teacher", "pupil", "other");
  const [op, pupil, other] = joined;
  await op.becomeOp("teacher");
  await op.send("/join math");
  await op.waitFor("teacher님이 입장하셨습니다.");
  await op.waitFor(isMembersLine);
  await op.send("/kick pupil");
  assertEquals(await op.nextLine(), "pupil님을 강퇴했습니다.");
  await pupil.waitFor("teacher님에 의해 강퇴되었습니다.");
  await pupil.waitClosed();
  await pupil.close();
  await other.waitFor("pupil님이 teacher님에 의해 강퇴되었습니다.");
});

Deno.test("moderation: the third wrong operator password is said to close the connection, then closes it", async () => {
  await using s = startServer({ opPassword: "teacher" });
  await using joined = await joinAll(s.port, "guesser", "other");
  const [guesser, other] = joined;
  await guesser.waitFor("other님이 입장하셨습니다.");
  await guesser.send("/op a");
  await guesser.send("/op b");
  await guesser.send("/op c");
  assertEquals(await guesser.waitClosed(), [
    "운영자 비밀번호가 틀렸습니다.",
    "운영자 비밀번호가 틀렸습니다.",
    "운영자 비밀번호가 3번 틀려 연결을 종료합니다.",
  ]);
  await other.waitFor("guesser님이 퇴장하셨습니다.");
  await s.server.shutdown();
  assertStringIncludes(s.sink.text, "(guesser) - 운영자 비밀번호 3회 틀림");
});

Deno.test("moderation: a connection opened before a ban, held at the nickname prompt, cannot join after it (TCP and WebSocket)", async () => {
  await using s = startWebServer({ opPassword: "teacher" });
  await using joined = await joinAll(s.port, "teacher", "pupil");
  const [op] = joined;
  // Spare connections from the same address, opened before the ban, at the prompt.
  await using spare = await LineClient.connect(s.port);
  await spare.waitFor("닉네임을 입력하세요:");
  await using spareWeb = await WsClient.connect(s.webPort);
  await spareWeb.waitFor((e) => e.type === "prompt" && e.prompt === "nickname");
  await op.becomeOp("teacher");
  await op.send("/ban pupil 10");
  await op.waitFor("pupil님(127.0.0.1)을 10분 동안 차단했습니다.");
  await spare.send("pupil2");
  assertEquals(await spare.waitClosed(), ["이 서버에서 차단되었습니다."]);
  await spareWeb.send("pupil3");
  const refused = await spareWeb.waitFor("notice");
  assertEquals(refused.code, "banned");
  await spareWeb.waitClosed();
  assertEquals(spareWeb.closeFrame, { code: 1008, reason: "banned" });
  // The operator, from the same address, is still in, and nobody else joined.
  await op.send("/who");
  await op.waitFor("접속자 1명: teacher");
});

Deno.test("moderation: /ban of a registered user refuses a connection held at its account's prompt from its address at its next line, and a login to its nickname from elsewhere", async () => {
  await using s = startServer({ opPassword: "teacher" });
  // alice comes from 127.0.0.2, the other login from 127.0.0.3, the operator from 127.0.0.1.
  await using fromAlice = new SourceRelay(s.port, "127.0.0.2");
  await using fromElsewhere = new SourceRelay(s.port, "127.0.0.3");
  await using alice = await LineClient.connect(fromAlice.port);
  await alice.join("alice");
  await alice.send("/register alices-password");
  await alice.waitFor(
    "alice 닉네임을 등록했습니다. 이제 이 닉네임으로 접속하면 비밀번호를 묻습니다.",
  );
  await using op = (await joinAll(s.port, "teacher"))[0];
  await op.becomeOp("teacher");
  const atPrompt = async (port: number) => {
    const c = await LineClient.connect(port);
    await c.waitFor("닉네임을 입력하세요:");
    await c.send("alice");
    await c.waitFor("alice의 비밀번호를 입력하세요:");
    return c;
  };
  await using sameAddress = await atPrompt(fromAlice.port);
  await using elsewhere = await atPrompt(fromElsewhere.port);
  await op.send("/ban alice 10");
  await op.waitFor("alice님(127.0.0.2)과 그 닉네임을 10분 동안 차단했습니다.");
  await sameAddress.send("alices-password");
  assertEquals(await sameAddress.waitClosed(), ["이 서버에서 차단되었습니다."]);
  await elsewhere.send("alices-password");
  await elsewhere.waitFor("alice 닉네임은 차단되었습니다.");
  await elsewhere.waitFor("닉네임을 입력하세요:");
  await op.send("/who");
  await op.waitFor("접속자 1명: teacher");
});
