/**
 * What a user's account brings back after the server restarts on its data file
 * (`main.ts server --data PATH`, stopped with SIGTERM or `kill -9`): the account
 * itself, its operator flag, the whispers held for it, and the bans of nicknames.
 *
 * @module
 */

import { assertEquals, assertMatch } from "@std/assert";
import { connect, en, logIn, operator, quit, register, RestartingServer } from "./_restart.ts";

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
