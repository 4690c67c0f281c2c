/**
 * Catch-up across a restart of `main.ts server --data PATH`: the server's record of
 * where a user left, the lines said meanwhile and their ids are in the file, so a
 * user who logs in after a SIGTERM or a `kill -9` gets exactly the lines it missed.
 *
 * @module
 */

import { assertEquals, assertMatch } from "@std/assert";
import type { LineClient } from "../_server_helpers.ts";
import { connect, en, guest, logIn, quit, register, RestartingServer } from "./_restart.ts";

const TEST_TIMEOUT_MS = 60_000;

/** What a login received after the password prompt, the history lines' times left out. */
function afterPassword(client: LineClient): string[] {
  return client.received.slice(2).map((line) => line.replace(/\[\d\d:\d\d\] /, ""));
}

Deno.test(
  "catch-up after kill -9: a user who quit before, while others talked, gets exactly the lines it missed",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using server = await RestartingServer.start();
    {
      const alice = await register(server.port, "alice", "alices password");
      await using bob = await guest(server.port, "bob");
      await alice.send("/join math");
      await alice.waitFor("alice has joined.");
      await bob.send("/join math");
      await alice.waitFor("bob has joined.");
      await bob.send("before");
      await alice.waitFor("bob> before");
      await quit(alice);
      await bob.send("one");
      await bob.send("two");
      await bob.send("/me waves");
      await bob.waitFor("* bob waves");
    }
    await server.restart("SIGKILL");
    await using back = await logIn(server.port, "alice", "alices password");
    assertEquals(afterPassword(back), [
      "-- 3 messages since you left --",
      "bob> one",
      "bob> two",
      "* bob waves",
      "alice has joined.",
      "Connected to the server.",
      "1 online: alice",
    ]);
  },
);

Deno.test(
  "catch-up after SIGTERM: a user still there when the server stopped catches up from the last line it was sent",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using server = await RestartingServer.start();
    {
      await using alice = await register(server.port, "alice", "alices password");
      await using bob = await guest(server.port, "bob");
      await alice.send("/join math");
      await alice.waitFor("alice has joined.");
      await bob.send("/join math");
      await alice.waitFor("bob has joined.");
      await bob.send("one");
      await alice.waitFor("bob> one");
      // Alice is still there: the shutdown leaves her in math, after "one".
      await server.restart("SIGTERM");
      await alice.waitFor(en.shuttingDown);
    }
    {
      await using bob = await guest(server.port, "bob");
      await bob.send("/join math");
      await bob.waitFor("bob has joined.");
      await bob.send("two");
      await bob.waitFor("bob> two");
      const back = await logIn(server.port, "alice", "alices password");
      assertEquals(afterPassword(back), [
        "-- 1 message since you left --",
        "bob> two",
        "alice has joined.",
        "Connected to the server.",
        "2 online: bob, alice",
      ]);
      await quit(back);
    }
    // Once more through a kill -9: the numbering goes on, nothing twice.
    await server.restart("SIGKILL");
    await using back = await logIn(server.port, "alice", "alices password");
    assertEquals(afterPassword(back), [
      "-- 0 messages since you left --",
      "alice has joined.",
      "Connected to the server.",
      "1 online: alice",
    ]);
  },
);

Deno.test(
  "catch-up after kill -9: a client's own last id (/client ids, /resume) is known after the restart and gives the lines after it",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using server = await RestartingServer.start();
    let seen: string;
    {
      await using alice = await connect(server.port);
      await alice.send("/client ids");
      await alice.send("alice");
      await alice.waitFor("alice has joined.");
      await using bob = await guest(server.port, "bob");
      await bob.send("one");
      const line = await alice.waitFor((line) => line.endsWith(" bob> one"));
      seen = /^@(\S+) bob> one$/.exec(line)![1];
    }
    // Killed while alice was there: no record of hers; her client knows what it showed.
    await server.restart("SIGKILL");
    await using bob = await guest(server.port, "bob");
    await bob.send("two");
    await bob.waitFor("bob> two");
    await using alice = await connect(server.port);
    await alice.send("/client ids");
    await alice.send(`/resume lobby ${seen}`);
    await alice.send("alice");
    await alice.waitFor("alice has joined.");
    const [epoch, seq] = seen.split(".");
    assertEquals(alice.received[1], "-- 1 message since you left --");
    assertMatch(
      alice.received[2],
      new RegExp(`^@${epoch}\\.${Number(seq) + 1} \\[\\d\\d:\\d\\d\\] bob> two$`),
    );
  },
);
