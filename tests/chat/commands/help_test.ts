import { assertEquals, assertStringIncludes } from "@std/assert";
import { COMMANDS } from "../../../lib/chat/commands/table.ts";
import { columnsOf } from "../../../lib/server/text_format.ts";
import { join, microtasks, testChat } from "../_fake_peer.ts";
import { say, setup } from "./_setup.ts";

Deno.test("/help is generated from the command table: every command, its aliases and its help", async () => {
  const { peers: [alice] } = await setup(["alice"]);
  await say(alice, "/help");
  const lines = alice.take();
  assertEquals(lines.slice(0, 3), [
    "Commands:",
    "  message                              send to everyone in your room",
    "  @nickname message                    whisper",
  ]);
  assertEquals(lines.length, 3 + COMMANDS.length);
  for (const [i, command] of COMMANDS.entries()) {
    const line = lines[3 + i];
    for (const name of command.names) assertStringIncludes(line, name);
    assertStringIncludes(line, command.help.en);
    if (command.op === true) assertStringIncludes(line, "(operators)");
  }
});

Deno.test("/help starts every help text in one column, past the widest usage by display width (Korean)", async () => {
  const chat = testChat();
  const alice = await join(chat, "alice");
  alice.take();
  alice.type("/help");
  await microtasks();
  assertEquals(alice.take(), [
    "명령어:",
    "  메시지                                  이 방의 모두에게 보내기",
    "  @닉네임 메시지                          귓속말",
    "  /join 방이름, /방                       다른 방으로 옮기기 (없으면 만들기)",
    "  /rooms, /방목록                         방 목록과 인원",
    "  /who, /접속자                           이 방의 접속자 목록",
    "  /nick 새닉네임, /닉네임                 닉네임 바꾸기",
    "  /me 행동, /나                           행동 보내기 (* 닉네임 행동)",
    "  /away [사유], /자리비움                 자리 비움으로 표시",
    "  /back, /복귀                            자리 비움 해제",
    "  /topic [주제], /주제                    방 주제 보기, 또는 설정하기",
    "  /help, /도움말                          이 도움말",
    "  /quit, /종료                            나가기",
    "  /register 비밀번호, /등록               지금 닉네임 등록하기 (그다음부터 접속할 때 이 비밀번호를 묻습니다)",
    "  /password [현재비번 새비번], /비밀번호  비밀번호 바꾸기 (비밀번호 없이 쓰면 차례로 묻습니다: 띄어쓰기가 있어도 됩니다)",
    "  /unregister 비밀번호, /등록해제         닉네임 등록 해제 (보관된 귓속말도 지워집니다)",
    "  /op 운영자비밀번호, /운영자             운영자 되기",
    "  /deop [닉네임], /운영자해제             운영자 권한 내려놓기; 닉네임을 주면 (운영자가) 그 사람의 권한 해제",
    "  /kick 닉네임 [사유], /강퇴              사용자 내보내기 (운영자)",
    "  /ban 닉네임 [분 [사유]], /차단          강퇴하고 그 주소(등록된 닉네임이면 닉네임도)를 막기 (기본 60분, 0 = 해제할 때까지) (운영자)",
    "  /unban 주소|닉네임, /차단해제           주소나 닉네임의 차단 풀기 (운영자)",
    "  /bans, /차단목록                        차단된 주소와 닉네임 목록 (운영자)",
  ]);
});

Deno.test("/help starts every help text in one column, and lists names in the table's order (English)", async () => {
  const { peers: [alice] } = await setup(["alice"]);
  await say(alice, "/help");
  assertEquals(alice.take(), [
    "Commands:",
    "  message                              send to everyone in your room",
    "  @nickname message                    whisper",
    "  /join ROOM, /방                      move to another room (made if new)",
    "  /rooms, /방목록                      rooms and how many are in each",
    "  /who, /접속자                        who is in your room",
    "  /nick NEW, /닉네임                   change your nickname",
    "  /me TEXT, /나                        send an action (* nick text)",
    "  /away [REASON], /자리비움            mark yourself away",
    "  /back, /복귀                         you are back",
    "  /topic [TEXT], /주제                 show your room's topic, or set it",
    "  /help, /도움말                       this help",
    "  /quit, /종료                         leave",
    "  /register PASSWORD, /등록            register your nickname: from then on it asks for this password",
    "  /password [OLD NEW], /비밀번호       change your password (alone: asks for both, so they may hold spaces)",
    "  /unregister PASSWORD, /등록해제      unregister your nickname (its held whispers go too)",
    "  /op PASSWORD, /운영자                become an operator",
    "  /deop [NICK], /운영자해제            stop being an operator; with a nickname (operators) remove theirs",
    "  /kick NICK [REASON], /강퇴           remove a user (operators)",
    "  /ban NICK [MINUTES [REASON]], /차단  kick and refuse the address (and a registered nickname; default 60 min, 0 = until lifted) (operators)",
    "  /unban ADDRESS|NICK, /차단해제       lift the ban on an address or a nickname (operators)",
    "  /bans, /차단목록                     banned addresses and nicknames (operators)",
  ]);
});

Deno.test("columnsOf counts East Asian wide characters as two columns", () => {
  assertEquals(columnsOf("/ban NICK"), 9);
  assertEquals(columnsOf("/차단"), 5);
  assertEquals(columnsOf("운영자비밀번호"), 14);
  assertEquals(columnsOf("ＡＢ"), 4, "fullwidth forms");
  assertEquals(columnsOf("ｱｲ"), 2, "halfwidth forms are narrow");
});
