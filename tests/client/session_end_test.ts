import { assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { EXIT_STATUS } from "../../lib/client/exit_status.ts";
import { parseServerLine } from "../../lib/client/server_line.ts";
import { SessionEnd } from "../../lib/client/session_end.ts";

const ko = userText("ko");
const en = userText("en");

/** A session that saw these lines, then the connection ended. */
function ended(lines: string[], options: { leaving?: boolean } = {}): SessionEnd {
  const end = new SessionEnd();
  for (const line of lines) end.serverSaid(parseServerLine(line));
  if (options.leaving) end.userLeaves();
  end.connectionEnded();
  return end;
}

Deno.test("SessionEnd exits 0 when the user left or the server closed or shut down", () => {
  assertEquals(ended([ko.connected, ko.message("bob", "hi")], { leaving: true }).exitStatus, 0);
  assertEquals(ended([ko.connected]).exitStatus, EXIT_STATUS.ok);
  assertEquals(ended([ko.connected, ko.shuttingDown]).exitStatus, EXIT_STATUS.ok);
  assertEquals(ended([]).cause, undefined);
});

Deno.test("SessionEnd exits 1 with the cause when the server's last line ended the session", () => {
  const cases: [string, string][] = [
    [ko.wrongPassword, "wrongPassword"],
    [en.banned, "banned"],
    [ko.serverFull(10), "serverFull"],
    [ko.nicknameTimeout, "nicknameTimeout"],
    [en.flooding, "flooding"],
    [ko.lineTooLong(8192, true), "lineTooLong"],
    [ko.kickedYou("op", "spam"), "kicked"],
    [ko.opWrong(1, false), "opPassword"],
    [en.unavailable, "unavailable"],
    [ko.tryAgainLater, "unavailable"],
  ];
  for (const [line, reason] of cases) {
    const end = ended([ko.passwordPrompt, ko.connected, line]);
    assertEquals([end.cause?.reason, end.exitStatus], [reason, EXIT_STATUS.failed], line);
  }
  assertEquals(ended([ko.kickedYou("민수", undefined)]).cause, { reason: "kicked", by: "민수" });
});

Deno.test("SessionEnd counts a refusal even when the user was leaving already", () => {
  // `printf 'hi\n' | chat client --password wrong`: end of input came first.
  const end = ended([ko.passwordPrompt, ko.wrongPassword], { leaving: true });
  assertEquals([end.cause?.reason, end.exitStatus], ["wrongPassword", EXIT_STATUS.failed]);
});

Deno.test("SessionEnd counts a line that may end the session only if the server closed at once", () => {
  // A wrong operator password, then the user quits: the user ended it.
  assertEquals(ended([ko.opWrong(1, false)], { leaving: true }).exitStatus, EXIT_STATUS.ok);
  assertEquals(ended([en.unavailable], { leaving: true }).exitStatus, EXIT_STATUS.ok);
  // Any line after it: it did not end the session.
  assertEquals(ended([ko.opWrong(1, false), ko.message("bob", "hi")]).exitStatus, EXIT_STATUS.ok);
  assertEquals(ended([ko.wrongPassword, ko.nicknamePrompt]).exitStatus, EXIT_STATUS.ok);
  // A line that refused something without ending anything.
  assertEquals(ended([ko.lineTooLong(100, false)]).exitStatus, EXIT_STATUS.ok);
});

Deno.test("SessionEnd: Ctrl-C is 130 whatever the server said", () => {
  const end = new SessionEnd();
  end.serverSaid(parseServerLine(ko.wrongPassword));
  end.interrupt();
  end.connectionEnded();
  assertEquals(end.exitStatus, EXIT_STATUS.interrupted);
});
