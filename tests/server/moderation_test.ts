/**
 * Operators over real TCP: a kick and a ban seen from the outside.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import { joinAll, LineClient, startServer } from "../_server_helpers.ts";

Deno.test("moderation: a kicked user is told and its connection closes; the room sees who did it", async () => {
  await using s = startServer({ opPassword: "teacher" });
  const [op, pupil, other] = await joinAll(s.port, "teacher", "pupil", "other");
  await using _op = op;
  await using _other = other;
  await op.send("/op teacher");
  await op.waitFor("운영자가 되었습니다.");
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
  const [op, pupil] = await joinAll(s.port, "teacher", "pupil");
  await using _op = op;
  await op.send("/op teacher");
  await op.waitFor("운영자가 되었습니다.");
  await op.send("/ban pupil 10");
  await op.waitFor("pupil님(127.0.0.1)을 10분 동안 차단했습니다.");
  await pupil.waitFor("teacher님에 의해 강퇴되었습니다.");
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
