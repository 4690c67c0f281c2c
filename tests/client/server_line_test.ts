import { assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { parseHistoryLine, parseServerLine } from "../../lib/client/server_line.ts";

const ko = userText("ko");
const en = userText("en");

Deno.test("parseServerLine reads messages, actions and whispers in both languages", () => {
  assertEquals(parseServerLine(ko.message("민수", "안녕> 하세요")), {
    kind: "message",
    line: "민수> 안녕> 하세요",
    lang: "ko",
    nick: "민수",
    text: "안녕> 하세요",
  });
  assertEquals(parseServerLine(ko.action("bob", "waves")).kind, "action");
  for (const t of [ko, en]) {
    const received = parseServerLine(t.whisperReceived("bob_2", "psst"));
    assertEquals(received.kind, "whisperReceived");
    assertEquals(received.kind === "whisperReceived" && [received.nick, received.text], [
      "bob_2",
      "psst",
    ]);
    const sent = parseServerLine(t.whisperSent("김철수", "비밀"));
    assertEquals(sent.kind === "whisperSent" && [sent.lang, sent.nick, sent.text], [
      t === ko ? "ko" : "en",
      "김철수",
      "비밀",
    ]);
  }
});

Deno.test("parseServerLine reads the notices the client follows, in both languages", () => {
  for (const t of [ko, en]) {
    assertEquals(parseServerLine(t.connected).kind, "connected");
    assertEquals(parseServerLine(t.joined("민수")), {
      kind: "joined",
      line: t.joined("민수"),
      nick: "민수",
    });
    assertEquals(parseServerLine(t.left("a-b")), {
      kind: "left",
      line: t.left("a-b"),
      nick: "a-b",
    });
    assertEquals(parseServerLine(t.renamed("old", "새이름")), {
      kind: "renamed",
      line: t.renamed("old", "새이름"),
      from: "old",
      to: "새이름",
    });
    const kicked = parseServerLine(t.kicked("bob", "op", "spam"));
    assertEquals(kicked.kind === "kicked" && [kicked.nick, kicked.by], ["bob", "op"]);
    for (const n of [1, 2, 50]) {
      const header = parseServerLine(t.history(n));
      assertEquals(header.kind === "historyHeader" && header.count, n);
    }
    for (const closing of [false, true]) {
      const refused = parseServerLine(t.lineTooLong(4096, closing));
      assertEquals(refused.kind === "lineTooLong" && refused.maxBytes, 4096);
    }
    const already = parseServerLine(t.alreadyInRoom("잡담"));
    assertEquals(already.kind === "alreadyInRoom" && already.room, "잡담");
    assertEquals(parseServerLine(t.roomInvalid(20)).kind, "joinRefused");
    assertEquals(parseServerLine(t.roomsFull(100)).kind, "joinRefused");
  }
});

Deno.test("parseServerLine reads /who replies, away marks dropped", () => {
  for (const t of [ko, en]) {
    const who = parseServerLine(
      t.who([{ nick: "alice", away: false }, { nick: "민수", away: true }, {
        nick: "c",
        away: false,
      }]),
    );
    assertEquals(who.kind === "who" && [who.nicks, who.more], [["alice", "민수", "c"], 0]);
  }
});

Deno.test("parseServerLine reads a cut members list, its last name without the count", () => {
  for (const t of [ko, en]) {
    const shown = Array.from({ length: 100 }, (_, i) => ({ nick: `u${i}`, away: i === 99 }));
    const line = t.who(shown, 121);
    const who = parseServerLine(line);
    assertEquals(who.kind === "who" && [who.nicks.length, who.nicks.at(-1), who.more], [
      100,
      "u99",
      21,
    ], line);
    const one = parseServerLine(t.who([{ nick: "bob", away: false }], 2));
    assertEquals(one.kind === "who" && [one.nicks, one.more], [["bob"], 1]);
  }
  assertEquals(
    parseServerLine("접속자 3명: alice, bob 외 1명"),
    { kind: "who", line: "접속자 3명: alice, bob 외 1명", nicks: ["alice", "bob"], more: 1 },
  );
  assertEquals(
    parseServerLine("3 online: alice, bob (away) and 1 more"),
    {
      kind: "who",
      line: "3 online: alice, bob (away) and 1 more",
      nicks: ["alice", "bob"],
      more: 1,
    },
  );
});

Deno.test("parseServerLine reads a move to another room, in both languages", () => {
  assertEquals(parseServerLine("alice went to #math."), {
    kind: "moved",
    line: "alice went to #math.",
    nick: "alice",
    room: "math",
  });
  assertEquals(parseServerLine("alice님이 #math 방으로 이동하셨습니다."), {
    kind: "moved",
    line: "alice님이 #math 방으로 이동하셨습니다.",
    nick: "alice",
    room: "math",
  });
  for (const t of [ko, en]) {
    const moved = parseServerLine(t.moved("민수", "잡담"));
    assertEquals(moved.kind === "moved" && [moved.nick, moved.room], ["민수", "잡담"]);
  }
});

Deno.test("parseServerLine reads a part of our room (an IRC user's) as a leave, in both languages", () => {
  for (const t of [ko, en]) {
    for (const reason of [undefined, "점심 lunch."]) {
      const line = t.parted("민수", "잡담", reason);
      assertEquals(parseServerLine(line), { kind: "left", line, nick: "민수" });
    }
  }
  assertEquals(parseServerLine("alice left #math."), {
    kind: "left",
    line: "alice left #math.",
    nick: "alice",
  });
});

Deno.test("parseServerLine takes everything else as a notice, glued welcome included", () => {
  for (const line of [ko.topic("수학"), "", "-- 최근 메시지 --", "alice > x", "* nobody"]) {
    assertEquals(parseServerLine(line), { kind: "notice", line });
  }
  // The Python original's notices can arrive in one read, glued.
  const glued = ko.joined("mina") + ko.connected;
  assertEquals(parseServerLine(glued), { kind: "connected", line: glued });
  // A nickname has at most 20 characters: a longer "nick> " is not a message.
  assertEquals(parseServerLine(`${"a".repeat(21)}> hi`).kind, "notice");
});

Deno.test("parseHistoryLine splits the server's time from what was said", () => {
  const entry = parseHistoryLine(`[09:05] ${ko.message("bob", "earlier")}`);
  assertEquals(entry?.time, "09:05");
  assertEquals(entry?.line.kind, "message");
  assertEquals(parseHistoryLine(ko.message("bob", "now")), undefined);
});

Deno.test("parseServerLine reads the lines that end a session, in both languages", () => {
  for (const t of [ko, en]) {
    const ending = (line: string) => {
      const parsed = parseServerLine(line);
      return parsed.kind === "ending" ? [parsed.cause, parsed.always] : parsed.kind;
    };
    assertEquals(ending(t.wrongPassword), [{ reason: "wrongPassword" }, true]);
    assertEquals(ending(t.banned), [{ reason: "banned" }, true]);
    assertEquals(ending(t.passwordLockout), [{ reason: "passwordLockout" }, true]);
    assertEquals(ending(t.serverFull(64)), [{ reason: "serverFull" }, true]);
    assertEquals(ending(t.tooManyFromAddress(20)), [{ reason: "tooManyFromAddress" }, true]);
    assertEquals(ending(t.evicted), [{ reason: "evicted" }, true]);
    // A nickname taken while our server was stalled is a rename of ours.
    assertEquals(parseServerLine(t.nicknameLost("alice", "alice_2")), {
      kind: "renamed",
      line: t.nicknameLost("alice", "alice_2"),
      from: "alice",
      to: "alice_2",
    });
    assertEquals(ending(t.nicknameTimeout), [{ reason: "nicknameTimeout" }, true]);
    assertEquals(ending(t.flooding), [{ reason: "flooding" }, true]);
    assertEquals(ending(t.kickedYou("op_1", undefined)), [{ reason: "kicked", by: "op_1" }, true]);
    assertEquals(ending(t.kickedYou("운영자", "도배 그만")), [
      { reason: "kicked", by: "운영자" },
      true,
    ]);
    assertEquals(ending(t.opWrong(3, true)), [{ reason: "opPassword" }, true]);
    assertEquals(ending(t.bannedYou("op", 5, "spam")), [{ reason: "bannedBy", by: "op" }, true]);
    assertEquals(ending(t.bannedYou("운영자", 0, undefined)), [
      { reason: "bannedBy", by: "운영자" },
      true,
    ]);
    assertEquals(ending(t.internalError), [{ reason: "serverError" }, true]);
    // Someone else's ban takes them out of the room, as a kick does.
    assertEquals(ending(t.bannedBy("bob", "op", 5)), "kicked");
    assertEquals(ending(t.bannedBy("bob", "op", 0)), "kicked");
    // These end it only when the connection closes right after them.
    assertEquals(ending(t.opWrong(1, false)), [{ reason: "opPassword" }, false]);
    assertEquals(ending(t.tryAgainLater), [{ reason: "unavailable" }, false]);
    assertEquals(ending(t.unavailable), [{ reason: "unavailable" }, false]);
    // Someone else's kick, the shutdown notice and a refused line are not ours to end.
    assertEquals(ending(t.kicked("bob", "op", undefined)), "kicked");
    assertEquals(ending(t.shuttingDown), "notice");
    const refused = parseServerLine(t.lineTooLong(100, false));
    assertEquals(refused.kind === "lineTooLong" && refused.closing, false);
    const cut = parseServerLine(t.lineTooLong(100, true));
    assertEquals(cut.kind === "lineTooLong" && [cut.maxBytes, cut.closing], [100, true]);
  }
});

Deno.test("parseServerLine reads the lines of accounts in both languages: catch-up, a wrong password, what ends the session", () => {
  for (const t of [ko, en]) {
    for (const n of [1, 3]) {
      const header = parseServerLine(t.catchUp(n));
      assertEquals(header.kind === "historyHeader" && header.count, n, t.catchUp(n));
      const skipped = parseServerLine(t.catchUpSkipped(n));
      assertEquals(skipped.kind === "historySkipped" && skipped.count, n, t.catchUpSkipped(n));
    }
    assertEquals(parseServerLine(t.accountWrong("민수", 1, false)), {
      kind: "accountWrong",
      line: t.accountWrong("민수", 1, false),
      nick: "민수",
    });
    const ending = (line: string) => {
      const parsed = parseServerLine(line);
      return parsed.kind === "ending" ? [parsed.cause, parsed.always] : parsed.kind;
    };
    assertEquals(ending(t.accountWrong("alice", 3, true)), [{ reason: "accountPassword" }, true]);
    // The address locked out, at login as at /password: the one lockout of every password.
    assertEquals(ending(t.passwordLockout), [{ reason: "passwordLockout" }, true]);
    assertEquals(ending(t.nicknameReclaimed), [{ reason: "reclaimed" }, true]);
    assertEquals(parseServerLine(t.registered("bob")).kind, "registered");
    assertEquals(parseServerLine(t.unregistered("bob")).kind, "unregistered");
    assertEquals(parseServerLine(t.passwordChanged).kind, "passwordChanged");
  }
});
