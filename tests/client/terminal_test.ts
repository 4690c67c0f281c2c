/**
 * The client on a real terminal: tmux runs it in a pane; `send-keys` types,
 * `capture-pane` reads the screen. Each wait polls the screen until the expected
 * text is there, with a timeout as the safety net.
 */

import { assertEquals, assertFalse } from "@std/assert";
import { clientText } from "../../lib/catalog/client_text.ts";
import { consoleText } from "../../lib/catalog/console_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { MAIN_PERMISSIONS, ROOT, spawnMain, startServer } from "../_helpers.ts";

const ko = { ...userText("ko"), ...clientText("ko"), ...consoleText("ko") };
const TEST_TIMEOUT_MS = 20_000;
const SCREEN_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 25;

async function hasTmux(): Promise<boolean> {
  try {
    return (await new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}
const tmuxFound = await hasTmux();
const skipNote = tmuxFound ? "" : " (skipped: tmux is not installed)";

/** What the pane shows: its rows (trailing blank rows dropped) and the cursor. */
interface Screen {
  rows: string[];
  cursorX: number;
  cursorY: number;
}

/** A private tmux server (its own socket, in a temporary directory) running one pane. */
class Pane implements AsyncDisposable {
  #dir = "";

  async start(command: string, width = 80, height = 16): Promise<void> {
    this.#dir = await Deno.makeTempDir({ prefix: "chat-tmux-" });
    await this.#tmux(
      ["new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height), "-c", ROOT],
      command,
    );
  }

  /** Types text literally (no key names), without Enter. */
  async type(text: string): Promise<void> {
    await this.#tmux(["send-keys", "-t", "main", "-l", text]);
  }

  /** Presses keys by tmux name (`Enter`, `Left`, `BSpace`, `C-c`). */
  async press(...keys: string[]): Promise<void> {
    await this.#tmux(["send-keys", "-t", "main", ...keys]);
  }

  async screen(): Promise<Screen> {
    const rows = (await this.#tmux(["capture-pane", "-p", "-t", "main"])).split("\n");
    while (rows.length > 0 && rows.at(-1)!.trim() === "") rows.pop();
    const [x, y] =
      (await this.#tmux(["display-message", "-p", "-t", "main", "#{cursor_x},#{cursor_y}"]))
        .trim().split(",").map(Number);
    return { rows, cursorX: x, cursorY: y };
  }

  /**
   * Polls the screen until `check` accepts it.
   *
   * @throws {Error} After the timeout, with the last screen.
   */
  async waitFor(what: string, check: (screen: Screen) => boolean): Promise<Screen> {
    const deadline = Date.now() + SCREEN_TIMEOUT_MS;
    for (;;) {
      const screen = await this.screen();
      if (check(screen)) return screen;
      if (Date.now() > deadline) {
        throw new Error(
          `Screen never showed ${what}; last screen (cursor ${screen.cursorX},${screen.cursorY}):\n${
            screen.rows.join("\n")
          }`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#dir === "") return;
    await this.#tmux(["kill-server"]).catch(() => {});
    await Deno.remove(this.#dir, { recursive: true });
  }

  async #tmux(args: string[], command?: string): Promise<string> {
    const output = await new Deno.Command("tmux", {
      args: [
        "-S",
        `${this.#dir}/tmux.sock`,
        "-f",
        "/dev/null",
        ...args,
        ...(command ? [command] : []),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`);
    }
    return new TextDecoder().decode(output.stdout);
  }
}

/** The shell command of the pane: the client, then its exit status, then stay open. */
function clientCommand(args: string[]): string {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const argv = [Deno.execPath(), "run", ...MAIN_PERMISSIONS, "main.ts", "client", ...args];
  return `${argv.map(quote).join(" ")}; echo "EXIT=$?"; sleep 600`;
}

const lastRow = (screen: Screen) => screen.rows.at(-1) ?? "";

Deno.test(`terminal: an incoming line appears above the half-typed Korean input${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServer();
  await using _server = server;
  await using pane = new Pane();
  await pane.start(clientCommand(["--port", String(port), "--nick", "alice"]));
  await pane.waitFor(ko.connected, (s) => s.rows.includes(ko.connected));

  await using bob = spawnMain(["client", "--port", String(port), "--nick", "bob"]);
  await bob.stdout.waitFor(ko.connected);
  await pane.waitFor("bob joining", (s) => s.rows.includes(ko.joined("bob")));

  // Half a line, cursor moved back over the last two (double-width) characters.
  await pane.type("안녕하세요 반갑");
  await pane.press("Left", "Left");
  const typing = (s: Screen) => lastRow(s) === "안녕하세요 반갑" && s.cursorX === 11;
  await pane.waitFor("the half-typed input with its cursor", typing);

  await bob.send("bob에서 온 메시지");
  const incoming = ko.message("bob", "bob에서 온 메시지");
  // Polled until both show: the terminal may render a write in pieces.
  const screen = await pane.waitFor(
    "bob's line above the intact input",
    (s) => s.rows.includes(incoming) && typing(s),
  );
  // The line came above the input, which is intact, cursor included, on the last row.
  assertEquals(screen.rows.indexOf(incoming), screen.rows.length - 2, screen.rows.join("\n"));
  assertEquals(screen.cursorY, screen.rows.length - 1);

  // Finish the line: End, more Korean, a typo erased with backspace, Enter.
  await pane.press("End");
  await pane.type("습니다x");
  await pane.press("BSpace", "Enter");
  await bob.stdout.waitFor(ko.message("alice", "안녕하세요 반갑습니다"));
  await pane.waitFor(
    "alice's own line",
    (s) => s.rows.includes(ko.message("alice", "안녕하세요 반갑습니다")),
  );

  // The server dies while alice is typing: she is told, the unsent input is erased,
  // and the client exits without waiting for Enter.
  await pane.type("보내지 않은 줄");
  await pane.waitFor("the unsent input", (s) => lastRow(s) === "보내지 않은 줄");
  server.kill("SIGKILL");
  const end = await pane.waitFor("the exit", (s) => s.rows.includes("EXIT=0"));
  assertEquals(end.rows.slice(-2), [ko.connectionClosed, "EXIT=0"]);
  assertFalse(end.rows.some((row) => row.includes("\x1b") || row.includes("\uFFFD")));
});

Deno.test(`terminal: input wrapped over several rows survives incoming lines${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServer();
  await using _server = server;
  await using pane = new Pane();
  await pane.start(clientCommand(["--port", String(port), "--nick", "alice"]), 30, 16);
  await pane.waitFor(ko.connected, (s) => s.rows.includes(ko.connected));
  await using bob = spawnMain(["client", "--port", String(port), "--nick", "bob"]);
  await bob.stdout.waitFor(ko.connected);
  await pane.waitFor("bob joining", (s) => s.rows.includes(ko.joined("bob")));

  // The input takes three rows of the 30-column pane (a wide character that does not
  // fit at the end of a row moves to the next one).
  const typed = "가나다라마바사아자차카타파하 한글을 길게 입력해서 줄바꿈합니다";
  await pane.type(typed);
  const inputRowsOf = (s: Screen) => s.rows.slice(s.rows.indexOf(ko.joined("bob")) + 1);
  const noSpaces = (text: string) => text.replaceAll(" ", "");
  const before = await pane.waitFor(
    "the whole wrapped input",
    (s) => noSpaces(inputRowsOf(s).join("")) === noSpaces(typed),
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
  await pane.press("Enter");
  await bob.stdout.waitFor(ko.message("alice", typed));
});

Deno.test(`terminal: the password is typed without echo and kept out of history${skipNote}`, {
  ignore: !tmuxFound,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServer(["--password", "sesame42"]);
  await using _server = server;
  await using pane = new Pane();
  await pane.start(clientCommand(["--port", String(port)]));
  await pane.waitFor(
    "the password prompts",
    (s) => s.rows.includes(ko.passwordPrompt) && lastRow(s) === ko.passwordInputPrompt,
  );

  await pane.type("sesame42");
  await pane.press("Enter");
  await pane.waitFor("the nickname prompt", (s) => s.rows.includes(ko.nicknamePrompt));
  await pane.type("mina");
  await pane.press("Enter");
  let screen = await pane.waitFor(ko.connected, (s) => s.rows.includes(ko.connected));
  assertFalse(screen.rows.some((row) => row.includes("sesame42")), screen.rows.join("\n"));

  // The history holds the nickname, not the password: Up shows "mina", and a second
  // Up goes past the oldest entry, back to the empty line.
  await pane.press("Up");
  await pane.waitFor("the history entry", (s) => lastRow(s) === "mina" && s.cursorX === 4);
  await pane.press("Up");
  screen = await pane.waitFor("the end of the history", (s) => lastRow(s) === ko.connected);
  assertFalse(screen.rows.some((row) => row.includes("sesame42")), screen.rows.join("\n"));
  await pane.type("unsent");
  await pane.waitFor("the unsent input", (s) => lastRow(s) === "unsent");

  // Ctrl-C leaves at once, with the conventional status, and erases the unsent input.
  await pane.press("C-c");
  screen = await pane.waitFor("the exit", (s) => s.rows.includes("EXIT=130"));
  assertEquals(screen.rows.slice(-2), [ko.connected, "EXIT=130"]);
});
