/**
 * The client on a real terminal, in tmux (see `_pane.ts`): what a user sees and
 * types.
 *
 * @module
 */

import { assert, assertEquals, assertFalse } from "@std/assert";
import { clientText } from "../../lib/catalog/client_text.ts";
import { consoleText } from "../../lib/catalog/console_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { nickColor } from "../../lib/client/nick_color.ts";
import { DEFAULT_MAX_LINE_BYTES } from "../../lib/server/options.ts";
import { spawnMain, startServerProcess } from "../_helpers.ts";
import { OriginalEchoServer } from "../fixtures/original_echo_server.ts";
import { OriginalPythonServer } from "../fixtures/original_python_server.ts";
import { RawClient } from "../fixtures/raw_client.ts";
import { clientCommand, hasTmux, lastRow, Pane, type Screen, timed } from "./_pane.ts";

const ko = { ...userText("ko"), ...clientText("ko"), ...consoleText("ko") };
const TEST_TIMEOUT_MS = 30_000;
const tmuxFound = await hasTmux();
const skipNote = tmuxFound ? "" : " (skipped: tmux is not installed)";

/** Whether a screen shows `text` as a live line (after the time). */
const shows = (s: Screen, text: string) => s.rows.some((row) => timed(row, text));
const count = (s: Screen, test: (row: string) => boolean) => s.rows.filter(test).length;

Deno.test(`terminal: an incoming line appears above the half-typed Korean input${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using pane = new Pane();
  // Wide enough for the reconnection lines to fit a row.
  await pane.start(clientCommand(["--port", String(port), "--nick", "alice"]), 120);
  await pane.waitFor(ko.connected, (s) => shows(s, ko.connected) && lastRow(s) === "[lobby]");

  await using bob = spawnMain(["client", "--port", String(port), "--nick", "bob"]);
  await bob.stdout.waitFor(ko.connected);
  await pane.waitFor("bob joining", (s) => shows(s, ko.joined("bob")));

  // Half a line, cursor moved back over the last two (double-width) characters.
  await pane.type("안녕하세요 반갑");
  await pane.press("Left", "Left");
  const typing = (s: Screen) => lastRow(s) === "[lobby] 안녕하세요 반갑" && s.cursorX === 8 + 11;
  await pane.waitFor("the half-typed input with its cursor", typing);

  await bob.send("bob에서 온 메시지");
  const incoming = ko.message("bob", "bob에서 온 메시지");
  // Polled until both show: the terminal may render a write in pieces.
  const screen = await pane.waitFor(
    "bob's line above the intact input",
    (s) => shows(s, incoming) && typing(s),
  );
  // The line came above the input, which is intact, cursor included, on the last row.
  assert(timed(screen.rows.at(-2)!, incoming), screen.rows.join("\n"));
  assertEquals(screen.cursorY, screen.rows.length - 1);

  // Finish the line: End, more Korean, a typo erased with backspace, Enter.
  await pane.press("End");
  await pane.type("습니다x");
  await pane.press("BSpace", "Enter");
  const own = ko.message("alice", "안녕하세요 반갑습니다");
  await bob.stdout.waitFor(own);
  // Shown once: the server's echo, not also the typed line.
  const sent = await pane.waitFor("alice's own line", (s) => shows(s, own));
  assertEquals(count(sent, (row) => row.includes("반갑습니다")), 1, sent.rows.join("\n"));
  assertEquals(lastRow(sent), "[lobby]");

  // The server dies while alice is typing: she is told at once, above her intact
  // input, that the client reconnects; what she sends meanwhile is not sent.
  await pane.type("보내지 않은 줄");
  await pane.waitFor("the unsent input", (s) => lastRow(s) === "[lobby] 보내지 않은 줄");
  server.kill("SIGKILL");
  const lost = await pane.waitFor(
    "the reconnection notice above the input",
    (s) => shows(s, ko.connectionLost(0.5)) && lastRow(s) === "[lobby] 보내지 않은 줄",
  );
  assertEquals(lost.cursorY, lost.rows.length - 1);
  await pane.press("Enter");
  await pane.waitFor("the line not sent", (s) => shows(s, ko.notSent("보내지 않은 줄")));
  // Ctrl-D on an empty line gives up.
  await pane.press("C-d");
  const end = await pane.waitFor("the exit", (s) => s.rows.includes("EXIT=0"));
  assertEquals(end.rows.at(-1), "EXIT=0");
  assertFalse(end.rows.some((row) => row.includes("\x1b") || row.includes("\uFFFD")));
});

Deno.test(`terminal: input wrapped over several rows survives incoming lines${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using pane = new Pane();
  await pane.start(
    clientCommand(["--port", String(port), "--nick", "alice", "--no-timestamps"]),
    30,
    16,
  );
  await pane.waitFor(ko.connected, (s) => s.rows.includes(ko.connected));
  await using bob = spawnMain(["client", "--port", String(port), "--nick", "bob"]);
  await bob.stdout.waitFor(ko.connected);
  await pane.waitFor("bob joining", (s) => s.rows.includes(ko.joined("bob")));

  // Prompt and input take three rows of the 30-column pane (a wide character that
  // does not fit at the end of a row moves to the next one).
  const typed = "가나다라마바사아자차카타파하 한글을 길게 입력해서 줄바꿈합니다";
  await pane.type(typed);
  const inputRowsOf = (s: Screen) => s.rows.slice(s.rows.indexOf(ko.joined("bob")) + 1);
  const noSpaces = (text: string) => text.replaceAll(" ", "");
  const before = await pane.waitFor(
    "the whole wrapped input",
    (s) => noSpaces(inputRowsOf(s).join("")) === noSpaces(`[lobby] ${typed}`),
  );
  const inputRows = inputRowsOf(before);
  assertEquals(inputRows.length, 3, before.rows.join("\n"));
  const intact = (s: Screen) =>
    s.rows.slice(-3).join("|") === inputRows.join("|") && s.cursorX === before.cursorX &&
    s.cursorY === s.rows.length - 1;

  for (const text of ["first line, long enough to wrap in this pane", "두 번째 줄"]) {
    await bob.send(text);
    const shown = ko.message("bob", text).slice(0, 30);
    await pane.waitFor(
      `bob's "${text}" above the intact input`,
      (s) => s.rows.includes(shown) && intact(s),
    );
  }
  // Nothing above the input was overwritten: the wrapped line is whole.
  const long = ko.message("bob", "first line, long enough to wrap in this pane");
  const screen = await pane.screen();
  const n = screen.rows.length;
  assertEquals(screen.rows.slice(n - 6, n - 3), [
    long.slice(0, 30),
    long.slice(30),
    ko.message("bob", "두 번째 줄"),
  ]);
  // Enter: the three rows of typed input give way to the server's line.
  await pane.press("Enter");
  await bob.stdout.waitFor(ko.message("alice", typed));
  const after = await pane.waitFor(
    "alice's line in place of her input",
    (s) => lastRow(s) === "[lobby]" && noSpaces(s.rows.join("")).includes(noSpaces(typed)),
  );
  assertEquals(count(after, (row) => row.startsWith("[lobby] 가나")), 0, after.rows.join("\n"));
});

Deno.test(`terminal: typed and automatic answers to the prompts look the same${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess(["--password", "sesame42"]);
  await using _server = server;
  await using typed = new Pane();
  await typed.start(clientCommand(["--port", String(port)]));
  // The server's prompt is the input's prompt: shown once, typed on its row.
  await typed.waitFor("the password prompt", (s) => lastRow(s) === ko.passwordPrompt);
  await typed.type("sesame42");
  await typed.press("Enter");
  await typed.waitFor("the nickname prompt", (s) => lastRow(s) === ko.nicknamePrompt);
  await typed.type("mina");
  await typed.press("Enter");
  let screen = await typed.waitFor(ko.connected, (s) => shows(s, ko.connected));
  assertEquals(screen.rows.slice(0, 2), [ko.passwordPrompt, `${ko.nicknamePrompt} mina`]);
  assertFalse(screen.rows.some((row) => row.includes("sesame42")), screen.rows.join("\n"));

  await using auto = new Pane();
  await auto.start(
    clientCommand(["--port", String(port), "--nick", "jun"], { CHAT_PASSWORD: "sesame42" }),
  );
  const answered = await auto.waitFor(ko.connected, (s) => shows(s, ko.connected));
  assertEquals(answered.rows.slice(0, 2), [ko.passwordPrompt, `${ko.nicknamePrompt} jun`]);
  await typed.waitFor("jun joining", (s) => shows(s, ko.joined("jun")));

  // The history holds the nickname, not the password: Up shows "mina", and a second
  // Up goes past the oldest entry, back to the empty line.
  await typed.press("Up");
  await typed.waitFor(
    "the history entry",
    (s) => lastRow(s) === "[lobby] mina" && s.cursorX === 12,
  );
  await typed.press("Up");
  screen = await typed.waitFor("the end of the history", (s) => lastRow(s) === "[lobby]");
  assertFalse(screen.rows.some((row) => row.includes("sesame42")), screen.rows.join("\n"));
  await typed.type("unsent");
  await typed.waitFor("the unsent input", (s) => lastRow(s) === "[lobby] unsent");

  // Ctrl-C leaves at once, with the conventional status, and erases the unsent input.
  await typed.press("C-c");
  screen = await typed.waitFor("the exit", (s) => s.rows.includes("EXIT=130"));
  assert(timed(screen.rows.at(-2)!, ko.joined("jun")), screen.rows.join("\n"));
  assertEquals(screen.rows.at(-1), "EXIT=130");
});

Deno.test(`terminal: a wrong password ends the client with status 1 and why${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess(["--password", "sesame42"]);
  await using _server = server;
  await using pane = new Pane();
  await pane.start(clientCommand(["--port", String(port), "--lang", "en"]));
  await pane.waitFor("the password prompt", (s) => lastRow(s) === ko.passwordPrompt);
  await pane.type("guess");
  await pane.press("Enter");
  const screen = await pane.waitFor("the exit", (s) => s.rows.includes("EXIT=1"));
  // The server's line (Korean), then the client's (English), and nothing typed.
  assertEquals(screen.rows.length, 4, screen.rows.join("\n"));
  assertEquals(screen.rows[0], ko.passwordPrompt);
  assert(timed(screen.rows[1], ko.wrongPassword), screen.rows.join("\n"));
  assertEquals(screen.rows.slice(2), [
    clientText("en").ended({ reason: "wrongPassword" }),
    "EXIT=1",
  ]);
});

Deno.test(
  `terminal: the Python original's prompt is typed on its row, answered without newline${skipNote}`,
  {
    ignore: !tmuxFound,
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using original = new OriginalPythonServer();
    await using pane = new Pane();
    await pane.start(clientCommand(["--port", String(original.port)]));
    await pane.waitFor("the prompt", (s) => lastRow(s) === ko.nicknamePrompt);
    await pane.type("mina");
    await pane.press("Enter");
    await original.messages.waitFor("mina");
    await pane.waitFor("the welcome", (s) => s.rows.some((row) => row.endsWith(ko.connected)));
    await pane.type("hello");
    await pane.press("Enter");
    await original.messages.waitFor("hello");
    const screen = await pane.waitFor("the echo", (s) => shows(s, ko.message("mina", "hello")));
    assertEquals(screen.rows[0], `${ko.nicknamePrompt} mina`);
    assertEquals(count(screen, (row) => row.includes("hello")), 1, screen.rows.join("\n"));
    await pane.press("C-d");
    await pane.waitFor("the exit", (s) => s.rows.includes("EXIT=0"));
    await original.ends.waitFor("mina: quit");
    assertEquals(original.emptyReads, 0);
  },
);

Deno.test(`terminal: times, history, the room in the prompt, colours and the bell${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess(["--history", "5"]);
  await using _server = server;
  await using bob = spawnMain(["client", "--port", String(port), "--nick", "bob"]);
  await bob.stdout.waitFor(ko.connected);
  await bob.send("earlier");
  await bob.stdout.waitFor(ko.message("bob", "earlier"));

  await using pane = new Pane();
  await pane.start(clientCommand(["--port", String(port), "--nick", "alice", "--color", "always"]));
  let screen = await pane.waitFor(ko.connected, (s) => shows(s, ko.connected));
  // The history block: a live header, then lines with the server's time only.
  assert(shows(screen, ko.history(1)), screen.rows.join("\n"));
  assertEquals(count(screen, (row) => timed(row, ko.message("bob", "earlier"))), 1);
  assertEquals(count(screen, (row) => /^\[\d\d:\d\d\] \[\d\d:\d\d\]/.test(row)), 0);

  // A mention: highlighted, and the bell rings; a plain line does neither.
  await bob.send("hello all");
  await pane.waitFor("bob's plain line", (s) => shows(s, ko.message("bob", "hello all")));
  await bob.send("alice님 안녕");
  await pane.waitFor("the mention", (s) => shows(s, ko.message("bob", "alice님 안녕")));
  const output = await pane.output();
  const plain = output.slice(output.indexOf("hello all"), output.indexOf("alice님 안녕"));
  assertFalse(plain.includes("\x07"), JSON.stringify(plain));
  const mention = output.slice(output.indexOf("alice님 안녕"));
  assert(mention.includes("\x07"), JSON.stringify(mention));
  assert(output.includes(`\x1b[7m\x1b[1m\x1b[38;5;${nickColor("bob")}mbob`), "reversed nick");
  assert(output.includes(`\x1b[38;5;${nickColor("bob")}mbob`), "bob's colour");

  // The room: in the prompt, changed once our joined notice comes back.
  await pane.type("/join #잡담");
  await pane.press("Enter");
  screen = await pane.waitFor("the new room", (s) => lastRow(s) === "[잡담]");
  assertEquals(count(screen, (row) => timed(row, ko.joined("alice"))), 2, screen.rows.join("\n"));
  assertFalse(screen.rows.some((row) => row.includes("/join")), "the command was erased");
});

Deno.test(`terminal: NO_COLOR keeps escape codes out, but times and the bell stay${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using pane = new Pane();
  await pane.start(clientCommand(["--port", String(port), "--nick", "alice"], { NO_COLOR: "1" }));
  await pane.waitFor(ko.connected, (s) => shows(s, ko.connected));
  await using bob = spawnMain(["client", "--port", String(port), "--nick", "bob"]);
  await bob.stdout.waitFor(ko.connected);
  await bob.send("@alice psst");
  await pane.waitFor("the whisper", (s) => shows(s, ko.whisperReceived("bob", "psst")));
  const output = await pane.output();
  const whisper = output.slice(output.indexOf(ko.whisperReceived("bob", "psst")));
  assert(whisper.includes("\x07"), "a whisper rings");
  // deno-lint-ignore no-control-regex
  assertFalse(/\x1b\[[0-9;]*m/.test(output), JSON.stringify(output));
});

Deno.test(`terminal: Tab completes commands and the nicknames of the room${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using pane = new Pane();
  await pane.start(clientCommand(["--port", String(port), "--nick", "alice"]));
  await pane.waitFor(ko.connected, (s) => shows(s, ko.connected));
  await using minsu = spawnMain(["client", "--port", String(port), "--nick", "민수"]);
  await minsu.stdout.waitFor(ko.connected);
  await pane.waitFor("민수 joining", (s) => shows(s, ko.joined("민수")));

  const complete = async (typed: string, expected: string) => {
    await pane.type(typed);
    await pane.press("Tab");
    await pane.waitFor(`"${typed}" completed`, (s) => lastRow(s) === `[lobby] ${expected}`);
    await pane.press("C-u");
    await pane.waitFor("the empty input", (s) => lastRow(s) === "[lobby]");
  };
  await complete("/jo", "/join");
  await complete("/접", "/접속자");
  await complete("민", "민수:");
  await complete("hi @민", "hi @민수");
});

Deno.test(`terminal: Tab completes those who were in the room first, past 100 names${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  // 102 connections from 127.0.0.1: past the per-address cap's default.
  const { child: server, port } = await startServerProcess(["--max-per-address", "200"]);
  await using _server = server;
  // 101 people before us: the members line on entering names 100 and counts the rest.
  const nicks = [...Array.from({ length: 99 }, (_, i) => `u${String(i + 1).padStart(2, "0")}`)];
  nicks.push("zed", "yul");
  const early: RawClient[] = [];
  try {
    for (const nick of nicks) {
      const client = await RawClient.connect(port);
      early.push(client);
      await client.join(nick);
    }
    await using pane = new Pane();
    await pane.start(clientCommand(["--port", String(port), "--nick", "alice"]));
    await pane.waitFor(
      "the members line",
      (s) => s.rows.some((row) => row.endsWith("zed 외 2명")) && lastRow(s) === "[lobby]",
    );
    const complete = async (typed: string, expected: string) => {
      await pane.type(typed);
      await pane.press("Tab");
      await pane.waitFor(`"${typed}" completed`, (s) => lastRow(s) === `[lobby] ${expected}`);
      await pane.press("C-u");
      await pane.waitFor("the empty input", (s) => lastRow(s) === "[lobby]");
    };
    // The first and the last name shown; nobody has said a word yet.
    await complete("u0", "u0");
    await complete("u01", "u01:");
    await complete("ze", "zed:");
    await complete("hi @ze", "hi @zed");
    // The 101st was not named: not offered (until heard from).
    await complete("yu", "yu");
    // One who goes to another room is no longer offered.
    await early[99].write("/join math\n");
    await pane.waitFor("zed's move", (s) => shows(s, ko.moved("zed", "math")));
    await complete("ze", "ze");
  } finally {
    for (const client of early) await client.close();
  }
});

Deno.test(`terminal: a paste of 10,000 characters is sent whole, as one line${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using echo = new OriginalEchoServer();
  await using pane = new Pane();
  await pane.start(clientCommand(["127.0.0.1", String(echo.port)]), 80, 24);
  // Connected: the terminal is in raw mode by then (typed earlier, the kernel's line
  // editor would take the paste, and keep only 4095 bytes of it).
  await echo.accepted.waitFor("0");
  // Wide and narrow characters, with a unique end.
  const end = "<끝 END>";
  const text = Array.from({ length: 10_000 - end.length }, (_, i) => "abcdefghij가나다"[i % 13])
    .join("") + end;
  await pane.type(text);
  // The end of the paste is on the last row, the cursor right after it: every
  // character was taken, at its width.
  await pane.waitFor(
    "the end of the paste, the cursor after it",
    (s) =>
      lastRow(s).endsWith(end) && s.cursorY === s.rows.length - 1 &&
      s.cursorX === width(lastRow(s)),
  );
  await pane.press("Enter");
  await echo.lines.waitFor(text);
  assertEquals(echo.received[0], `${text}\n`);
  await pane.type("q");
  await pane.press("Enter");
  await pane.waitFor("the exit", (s) => s.rows.includes("EXIT=0"));
});

/** Columns a text takes on the terminal: two for a Hangul syllable, one otherwise. */
function width(text: string): number {
  return [...text].reduce((sum, char) => sum + (/\p{Script=Hangul}/u.test(char) ? 2 : 1), 0);
}

/** A line over the server's cap (14,000 bytes): 144 rows of an 80-column pane. */
function overCapLine(tag: string): string {
  return `${tag}:` + "가나다라 abcdefgh ".repeat(640) + `<${tag} END>`;
}

Deno.test(
  `terminal: a line over the cap shows once, as its pieces, not even in the scrollback${skipNote}`,
  {
    ignore: !tmuxFound,
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const { child: server, port } = await startServerProcess();
    await using _server = server;
    await using pane = new Pane();
    await pane.start(clientCommand(["--port", String(port), "--nick", "alice", "--no-timestamps"]));
    await pane.waitFor(ko.connected, (s) => s.rows.includes(ko.connected));
    await using bob = spawnMain(["client", "--port", String(port), "--nick", "bob"]);
    await bob.stdout.waitFor(ko.connected);
    await pane.waitFor("bob joining", (s) => s.rows.includes(ko.joined("bob")));

    // Far taller than the 16-row pane while typed.
    const long = overCapLine("LONG");
    await pane.type(long);
    const typed = (s: Screen) =>
      lastRow(s).endsWith("<LONG END>") && s.cursorY === s.rows.length - 1;
    await pane.waitFor("the end of the typed line", typed);
    // A line arriving meanwhile goes above the input (to the main screen, not on
    // view while the input fills it), which stays whole.
    await bob.send("while you type");
    await pane.waitForOutput("bob's line", (output) => output.includes("while you type"));
    await pane.waitFor("the end of the typed line again", typed);
    await pane.press("Enter");
    await bob.stdout.waitFor((line) => line.endsWith("<LONG END>"));
    const pieces = bob.stdout.lines.filter((line) => line.startsWith("alice> "));
    assert(pieces.length >= 2, bob.describe());
    await pane.waitFor(
      "the last piece, then the empty input",
      (s) => s.rows.at(-2)?.endsWith("<LONG END>") === true && lastRow(s) === "[lobby]",
    );

    const rows = await pane.scrollback();
    const described = rows.map((row) => row.slice(0, 60)).join("\n");
    // The typed line is gone; each piece is there once, right after the notice.
    const shown = rows.filter((row) => row.includes("LONG") || pieces.includes(row));
    assertEquals(shown, pieces, described);
    const notice = rows.indexOf(ko.lineSplit(pieces.length, DEFAULT_MAX_LINE_BYTES));
    assert(notice >= 0, described);
    assertEquals(rows.slice(notice + 1, notice + 1 + pieces.length), pieces, described);
    const meanwhile = ko.message("bob", "while you type");
    assertEquals(rows.filter((row) => row === meanwhile).length, 1, described);
    assert(rows.indexOf(meanwhile) < notice, described);
  },
);

Deno.test(`terminal: a tall input erased, or left with Ctrl-C, leaves nothing behind${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using pane = new Pane();
  await pane.start(clientCommand(["--port", String(port), "--nick", "alice", "--no-timestamps"]));
  await pane.waitFor(ko.connected, (s) => s.rows.includes(ko.connected));

  // Erased with Ctrl-U: the input fits again, back where it started.
  await pane.type(overCapLine("ERASED"));
  await pane.waitFor("the tall input", (s) => lastRow(s).endsWith("<ERASED END>"));
  await pane.press("C-u");
  let screen = await pane.waitFor("the empty input", (s) => lastRow(s) === "[lobby]");
  assertEquals(screen.rows.at(-2), `${ko.who([{ nick: "alice", away: false }])}`);
  await pane.type("short");
  await pane.press("Enter");
  await pane.waitFor("the short line", (s) => s.rows.includes(ko.message("alice", "short")));

  // Ctrl-C while it fills the screen: the client exits, the screen is the chat's.
  await pane.type(overCapLine("INTERRUPTED"));
  await pane.waitFor("the tall input", (s) => lastRow(s).endsWith("<INTERRUPTED END>"));
  await pane.press("C-c");
  screen = await pane.waitFor("the exit", (s) => s.rows.includes("EXIT=130"));
  assertEquals(screen.rows.slice(-2), [ko.message("alice", "short"), "EXIT=130"]);
  const rows = await pane.scrollback();
  assertFalse(
    rows.some((row) => row.includes("ERASED") || row.includes("INTERRUPTED")),
    rows.join("\n"),
  );
});
