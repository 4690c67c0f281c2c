/**
 * Passwords on a real terminal (tmux, see `_pane.ts`): a registered nickname's
 * password and `/password`'s prompts are typed without echo, the password part of
 * `/register`, `/password`, `/op` shows as stars, such lines stay out of the
 * history, and no byte the client wrote holds a password.
 *
 * @module
 */

import { assertFalse } from "@std/assert";
import { clientText } from "../../lib/catalog/client_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { startServerProcess } from "../_helpers.ts";
import { isMembersLine, LineClient } from "../_server_helpers.ts";
import { clientCommand, hasTmux, lastRow, Pane, type Screen, timed } from "./_pane.ts";

const ko = { ...userText("ko"), ...clientText("ko") };
const TEST_TIMEOUT_MS = 30_000;
const tmuxFound = await hasTmux();
const skipNote = tmuxFound ? "" : " (skipped: tmux is not installed)";

/** Whether a screen shows `text` as a live line (after the time). */
const shows = (s: Screen, text: string) => s.rows.some((row) => timed(row, text));

Deno.test(
  `terminal: passwords are typed without echo or shown as stars, and never kept in the history${skipNote}`,
  {
    ignore: !tmuxFound,
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const { child: server, port } = await startServerProcess();
    await using _server = server;
    const secrets = ["horse-battery-1", "stapler-22", "third pass 33", "가나다라마바"];
    {
      await using setup = await LineClient.connect(port);
      await setup.join("alice");
      await setup.send(`/register ${secrets[0]}`);
      await setup.waitFor(ko.registered("alice"));
    }
    await using pane = new Pane();
    await pane.start(clientCommand(["--port", String(port), "--nick", "alice"]), 100);
    // The account's prompt is the input's prompt, and nothing typed shows.
    await pane.waitFor("the account prompt", (s) => lastRow(s) === ko.accountPrompt("alice"));
    await pane.type(secrets[0]);
    await pane.press("Enter");
    await pane.waitFor(ko.connected, (s) => shows(s, ko.connected) && lastRow(s) === "[lobby]");
    await pane.type("hello");
    await pane.press("Enter");
    await pane.waitFor("alice's hello", (s) => shows(s, ko.message("alice", "hello")));

    // /password OLD NEW: the command shows, the passwords are stars of their width.
    await pane.type(`/password ${secrets[0]} ${secrets[1]}`);
    const stars = "*".repeat(`${secrets[0]} ${secrets[1]}`.length);
    await pane.waitFor("the masked line", (s) => lastRow(s) === `[lobby] /password ${stars}`);
    await pane.press("Enter");
    await pane.waitFor(ko.passwordChanged, (s) => shows(s, ko.passwordChanged));
    // Up brings back "hello", not the line with the passwords.
    await pane.press("Up");
    await pane.waitFor("the history's last line", (s) => lastRow(s) === "[lobby] hello");
    await pane.press("C-u");

    // /password alone asks for both on their own rows, without echo.
    await pane.type("/password");
    await pane.press("Enter");
    await pane.waitFor(
      "the current password's prompt",
      (s) => lastRow(s) === ko.currentPasswordPrompt,
    );
    await pane.type(secrets[1]);
    await pane.press("Enter");
    await pane.waitFor("the new password's prompt", (s) => lastRow(s) === ko.newPasswordPrompt);
    await pane.type(secrets[2]);
    await pane.press("Enter");
    await pane.waitFor(
      "the second change",
      (s) => s.rows.filter((row) => timed(row, ko.passwordChanged)).length === 2,
    );

    // A Korean alias is masked too, two stars per Korean character; Ctrl-U drops it unsent.
    await pane.type(`/등록 ${secrets[3]}`);
    await pane.waitFor(
      "the masked Korean line",
      (s) => lastRow(s) === `[lobby] /등록 ${"*".repeat(12)}`,
    );
    await pane.press("C-u");
    await pane.press("C-d");
    await pane.waitFor("the exit", (s) => s.rows.includes("EXIT=0"));
    // Not one byte the client wrote held a password: not typed, not redrawn, not in a line.
    const output = await pane.output();
    for (const secret of secrets) {
      assertFalse(output.includes(secret), secret);
    }
    // The server took the last one: a login with it works.
    await using check = await LineClient.connect(port);
    await check.waitFor(ko.nicknamePrompt);
    await check.send("alice");
    await check.waitFor(ko.accountPrompt("alice"));
    await check.send(secrets[2]);
    await check.waitFor(isMembersLine);
  },
);
