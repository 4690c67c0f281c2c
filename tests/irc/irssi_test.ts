/**
 * irssi, the real IRC client, driven in tmux against our IRC port: it registers,
 * joins a channel (its history and topic shown) and talks with a `nc` user and a
 * raw IRC user in the same room,
 * whispers both ways, `/me`, changes its nickname, parts and quits. Skipped (loudly,
 * with the reason) only when irssi or tmux is missing; CI installs both.
 *
 * @module
 */

import { assert } from "@std/assert";
import { hasTmux, Pane } from "../client/_pane.ts";
import { isMembersLine, LineClient } from "../_server_helpers.ts";
import { IrcClient, startIrcServer } from "./_irc_client.ts";

async function hasIrssi(): Promise<boolean> {
  try {
    const status = await new Deno.Command("irssi", { args: ["--version"], stdout: "null" })
      .output();
    return status.success;
  } catch {
    return false;
  }
}

const missing = !(await hasTmux())
  ? "tmux is not installed"
  : !(await hasIrssi())
  ? "irssi is not installed"
  : undefined;
if (missing !== undefined) console.warn(`SKIPPED irssi tests: ${missing}`);

/** Whether some row of the screen contains the text. */
function shows(text: string): (screen: { rows: string[] }) => boolean {
  return (screen) => screen.rows.some((row) => row.includes(text));
}

Deno.test({
  name: "irssi joins a channel and talks with a nc user and an IRC user in it",
  ignore: missing !== undefined,
  timeout: 60_000,
  async fn() {
    await using server = startIrcServer();
    await using nc = await LineClient.connect(server.port);
    await nc.join("carol");
    await nc.send("/join math");
    await nc.waitFor(isMembersLine);
    await nc.send("said before irssi came");
    await nc.waitFor("carol> said before irssi came");
    await using bob = await IrcClient.register(server.ircPort, "bob");
    await bob.join("#math");
    const home = await Deno.makeTempDir({ prefix: "chat-irssi-" });
    // irssi paces its own commands (2.2 s each past 5); the test needs no pacing.
    await Deno.writeTextFile(
      `${home}/config`,
      'settings = { "irc/core" = { cmd_queue_speed = "10msec"; }; };\n',
    );
    try {
      await using pane = new Pane();
      await pane.start(
        `irssi --home='${home}' -n ircalice -c 127.0.0.1 -p ${server.ircPort}`,
        120,
        30,
      );
      await pane.waitFor("the welcome", shows("Welcome to the tcp-chat IRC network"));
      await pane.type("/join #math");
      await pane.press("Enter");
      await nc.waitFor("ircalice님이 입장하셨습니다.");
      await bob.waitFor(/^:ircalice!\S+ JOIN #math$/);
      // The room's history comes after the names, with the time it was said.
      await pane.waitFor("the history", shows("said before irssi came"));
      await nc.send("/topic proofs today");
      await pane.waitFor("the topic", shows("proofs today"));
      await pane.type("hello from irssi");
      await pane.press("Enter");
      await nc.waitFor("ircalice> hello from irssi");
      await bob.waitFor(":ircalice!ircalice@chat PRIVMSG #math :hello from irssi");
      await nc.send("hi irssi, from nc");
      await pane.waitFor("the nc user's line", shows("hi irssi, from nc"));
      await bob.send("PRIVMSG #math :hi irssi, from bob");
      await pane.waitFor("the IRC user's line", shows("hi irssi, from bob"));
      await pane.type("/me waves");
      await pane.press("Enter");
      await nc.waitFor("* ircalice waves");
      // A query window shows the whispers both ways.
      await pane.type("/query carol");
      await pane.press("Enter");
      await pane.type("psst");
      await pane.press("Enter");
      await nc.waitFor("[귓속말] ircalice> psst");
      await nc.send("@ircalice whispered back");
      await pane.waitFor("the whisper", shows("whispered back"));
      await pane.type("/nick ircalice2");
      await pane.press("Enter");
      await nc.waitFor("ircalice님의 닉네임이 ircalice2(으)로 바뀌었습니다.");
      await bob.waitFor(":ircalice!ircalice@chat NICK ircalice2");
      await pane.type("/part #math");
      await pane.press("Enter");
      await nc.waitFor("ircalice2님이 #math 방에서 나갔습니다.");
      await pane.type("/join #math");
      await pane.press("Enter");
      await nc.waitFor("ircalice2님이 입장하셨습니다.");
      await pane.type("/quit bye");
      await pane.press("Enter");
      await nc.waitFor("ircalice2님이 퇴장하셨습니다.");
      const output = await pane.output();
      for (
        const refusal of ["Unknown command", "not a channel operator", "Not enough parameters"]
      ) {
        assert(!output.includes(refusal), `irssi was told "${refusal}"`);
      }
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
