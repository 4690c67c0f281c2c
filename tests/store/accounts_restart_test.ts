/**
 * What a user's account brings back after the server restarts on its data file
 * (`main.ts server --data PATH`, stopped with SIGTERM or `kill -9`): the account
 * itself, its operator flag, the whispers held for it, and the bans of nicknames.
 *
 * @module
 */

import { assertEquals, assertMatch } from "@std/assert";
import {
  connect,
  en,
  guest,
  logIn,
  operator,
  quit,
  register,
  RestartingServer,
} from "./_restart.ts";

const TEST_TIMEOUT_MS = 60_000;

Deno.test(
  "restart: a nickname ban outlives restarts, is listed as the nickname was written, and /unban lifts it for good",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using server = await RestartingServer.start(["--op-password", "op-secret"]);
    await quit(await register(server.port, "Mallory", "mallorys password"));
    {
      await using op = await operator(server.port, "op", "op-secret");
      await using mallory = await logIn(server.port, "Mallory", "mallorys password");
      await op.send("/ban Mallory 0");
      await op.waitFor((line) => line.startsWith("Banned Mallory (127.0.0.1) and the nickname"));
      await mallory.waitClosed();
      // Every test client comes from 127.0.0.1: only the nickname stays banned.
      await op.send("/unban 127.0.0.1");
      await op.waitFor("Unbanned 127.0.0.1.");
    }
    await server.restart("SIGTERM");
    {
      await using refused = await connect(server.port);
      await refused.send("mallory");
      await refused.waitFor(en.nicknameBanned("mallory"));
      await using op = await operator(server.port, "op", "op-secret");
      await op.send("/bans");
      await op.waitFor("Bans: Mallory (nickname, until lifted)");
      await op.send("/unban mallory");
      await op.waitFor("Unbanned the nickname mallory.");
    }
    await server.restart("SIGKILL");
    await using back = await logIn(server.port, "Mallory", "mallorys password");
    assertMatch(back.received.at(-1)!, /^\d+ online: .*Mallory/);
    await using op = await operator(server.port, "op", "op-secret");
    await op.send("/bans");
    assertEquals(await op.nextLine(), en.noBans);
  },
);

Deno.test(
  "restart: an account, its new password and its operator flag survive: /op, restart, log in as an operator; /deop, kill -9, not one",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using server = await RestartingServer.start(["--op-password", "op-secret"]);
    {
      const alice = await register(server.port, "alice", "first-password");
      await alice.send("/op op-secret");
      await alice.waitFor(en.opGranted);
      await alice.send("/password first-password second-password");
      await alice.waitFor(en.passwordChanged);
      await quit(alice);
    }
    await server.restart("SIGTERM");
    {
      await using wrong = await connect(server.port);
      await wrong.send("alice");
      await wrong.waitFor(en.accountPrompt("alice"));
      await wrong.send("first-password");
      await wrong.waitFor(en.accountWrong("alice", 1, false));
      const alice = await logIn(server.port, "alice", "second-password");
      await alice.send("/bans");
      assertEquals(await alice.nextLine(), en.noBans, "an operator at login");
      await alice.send("/deop");
      await alice.waitFor(en.deopped);
      await quit(alice);
    }
    await server.restart("SIGKILL");
    await using alice = await logIn(server.port, "alice", "second-password");
    await alice.send("/bans");
    assertEquals(await alice.nextLine(), en.opOnly, "no longer an operator");
  },
);

Deno.test(
  "restart: a whisper held for an offline user survives a kill -9 and is delivered at its login with its time, once",
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await using server = await RestartingServer.start();
    await quit(await register(server.port, "alice", "alices password"));
    {
      await using bob = await guest(server.port, "bob");
      await bob.send("@alice see you tomorrow");
      await bob.waitFor(en.whisperHeld("alice"));
    }
    await server.restart("SIGKILL");
    {
      const alice = await logIn(server.port, "alice", "alices password");
      assertMatch((await alice.nextLine())!, /^\[\d\d:\d\d\] \[whisper\] bob> see you tomorrow$/);
      await quit(alice);
    }
    await server.restart("SIGTERM");
    await using alice = await logIn(server.port, "alice", "alices password");
    await alice.send("/who");
    // The answer comes after anything the login brought.
    await alice.waitFor(en.who([{ nick: "alice", away: false }]));
    assertEquals(alice.received.filter((line) => line.includes("[whisper]")), [], "given once");
  },
);
