/**
 * The client's reconnection and login, as the user sees them: a scripted server
 * (the test plays each connection by hand, ids and all) for the client's own
 * rules, and the real client against a real server through a TCP proxy that is
 * cut and healed, and across a server restart.
 *
 * @module
 */

import { assert, assertEquals, assertFalse } from "@std/assert";
import { clientText } from "../../lib/catalog/client_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { type Child, type ServerChild, spawnMain, startServerProcess } from "../_helpers.ts";
import type { OptionRow } from "../../lib/config/option_row.ts";
import { SERVER_OPTIONS } from "../../lib/config/option_table.ts";
import { isMembersLine, LineClient, startServer } from "../_server_helpers.ts";
import {
  LocalPasswordAttempts,
  MAX_FAILURES_PER_WINDOW,
} from "../../lib/chat/password_attempts.ts";
import { NO_LIVE_IDS_NOTE, serverTagsLiveLines } from "../fixtures/live_ids.ts";
import { TcpProxy } from "../fixtures/tcp_proxy.ts";
import { ScriptedServer } from "./_scripted.ts";

const en = userText("en");
const ko = { ...userText("ko"), ...clientText("ko") };
const TEST_TIMEOUT_MS = 30_000;

/** Whether the server keeps its data across a restart (`--data PATH`). */
const keepsData = (SERVER_OPTIONS as readonly OptionRow[]).some((row) => row.flag === "data");
const liveIds = await serverTagsLiveLines();
const needsIds = liveIds ? "" : NO_LIVE_IDS_NOTE;
const needsStore = liveIds && keepsData
  ? ""
  : " (skipped: this server has no --data store with ids yet; it comes with the SQLite store)";
/** Waits short enough for a test, in the client's own doubling. */
const FAST = { reconnect: { firstMs: 20, maxMs: 80 } };

Deno.test(
  "client reconnects after a drop, logs in again by itself, resumes after the last id it showed, and shows each line once without its id",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using server = new ScriptedServer();
    const client = server.client({ nick: "alice", accountPassword: "acct pass", ...FAST });
    let peer = await server.nextPeer();
    await peer.send(en.nicknamePrompt);
    await peer.lines.waitFor("alice");
    await peer.send(en.accountPrompt("alice"));
    await peer.lines.waitFor("acct pass");
    assertEquals(peer.lines.lines, ["/client ids", "alice", "acct pass"]);
    // The login puts alice back in math: its history (with ids), then the room's name.
    for (
      const line of [
        en.history(2),
        "@e1.1 [09:00] bob> one",
        "@e1.2 [09:01] * bob waves",
        "@room math",
        en.joined("alice"),
        en.connected,
        "2 online: bob, alice",
        "@e1.3 bob> three",
      ]
    ) await peer.send(line);
    await client.shown.waitFor("bob> three");
    await peer.close();
    await client.shown.waitFor(ko.connectionLost(0.02));

    peer = await server.nextPeer();
    await peer.send(en.nicknamePrompt);
    await peer.lines.waitFor("alice");
    await peer.send(en.accountPrompt("alice"));
    await peer.lines.waitFor("acct pass");
    assertEquals(peer.lines.lines, ["/client ids", "/resume math e1.3", "alice", "acct pass"]);
    for (
      const line of [
        en.catchUp(2),
        "@e1.4 [09:05] bob> four",
        "@e1.5 [09:06] bob> five",
        "@room math",
        en.joined("alice"),
        en.connected,
        "2 online: bob, alice",
      ]
    ) await peer.send(line);
    await client.shown.waitFor("2 online: bob, alice");
    client.typed.type("/quit");
    await peer.lines.waitFor("/quit");
    await peer.close();
    assertEquals(await client.exitCode, 0);
    const said = client.shown.lines.filter((line) =>
      line.includes("bob> ") || line.includes("* bob")
    );
    assertEquals(said, [
      "[09:00] bob> one",
      "[09:01] * bob waves",
      "bob> three",
      "[09:05] bob> four",
      "[09:06] bob> five",
    ]);
    assert(client.shown.has(en.catchUp(2)), "the catch-up's header shows");
    assertFalse(client.shown.lines.some((line) => line.includes("@")), "no id, no room line");
    assertFalse(client.shown.lines.some((line) => line.includes("acct pass")));
    assertEquals(client.errors.lines, []);
  },
);

Deno.test(
  "client with a wrong CHAT_ACCOUNT_PASSWORD sends it once, lets the user type, and reconnects with what the user typed",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using server = new ScriptedServer();
    const client = server.client({ nick: "alice", accountPassword: "stale", ...FAST });
    let peer = await server.nextPeer();
    await peer.send(ko.nicknamePrompt);
    await peer.lines.waitFor("alice");
    await peer.send(ko.accountPrompt("alice"));
    await peer.lines.waitFor("stale");
    await peer.send(ko.accountWrong("alice", 1, false));
    await peer.send(ko.nicknamePrompt);
    // The nickname was given once on this connection: the user types it now.
    await client.shown.waitFor(ko.nicknamePrompt);
    client.typed.type("alice");
    await peer.lines.waitFor("alice");
    await peer.send(ko.accountPrompt("alice"));
    // No answer by itself this time: the prompt waits for the user.
    await client.shown.waitFor(ko.accountPrompt("alice"));
    client.typed.type("fresh pass");
    await peer.lines.waitFor("fresh pass");
    assertEquals(peer.lines.lines, ["/client ids", "alice", "stale", "alice", "fresh pass"]);
    for (const line of ["@room lobby", ko.joined("alice"), ko.connected]) await peer.send(line);
    await client.shown.waitFor(ko.connected);
    await peer.close();

    peer = await server.nextPeer();
    await peer.send(ko.nicknamePrompt);
    await peer.send(ko.accountPrompt("alice"));
    await peer.lines.waitFor("fresh pass");
    assertEquals(peer.lines.lines, ["/client ids", "/resume lobby none", "alice", "fresh pass"]);
    client.typed.end();
    await peer.ended;
    await peer.close();
    assertEquals(await client.exitCode, 0);
    assertFalse(client.shown.lines.some((line) => /stale|fresh pass/.test(line)));
  },
);

Deno.test(
  "client answers /password's two prompts with typed lines, and reconnects with the new password",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using server = new ScriptedServer();
    const client = server.client({ nick: "mina", accountPassword: "old pass", ...FAST });
    let peer = await server.nextPeer();
    await peer.send(en.nicknamePrompt);
    await peer.send(en.accountPrompt("mina"));
    await peer.lines.waitFor("old pass");
    for (const line of ["@room lobby", en.joined("mina"), en.connected]) await peer.send(line);
    await client.shown.waitFor(en.connected);
    client.typed.type("/password");
    await peer.lines.waitFor("/password");
    await peer.send(en.currentPasswordPrompt);
    await client.shown.waitFor(en.currentPasswordPrompt);
    client.typed.type("old pass");
    await peer.lines.waitFor("old pass");
    await peer.send(en.newPasswordPrompt);
    await client.shown.waitFor(en.newPasswordPrompt);
    client.typed.type("new pass with spaces");
    await peer.lines.waitFor("new pass with spaces");
    await peer.send(en.passwordChanged);
    await client.shown.waitFor(en.passwordChanged);
    await peer.close();

    peer = await server.nextPeer();
    await peer.send(en.nicknamePrompt);
    await peer.send(en.accountPrompt("mina"));
    await peer.lines.waitFor("new pass with spaces");
    client.typed.end();
    await peer.ended;
    await peer.close();
    assertEquals(await client.exitCode, 0);
  },
);

Deno.test(
  "client does not reconnect after a new login took its nickname, its account or its address was locked out, or a kick",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    for (
      const [line, reason] of [
        [en.nicknameReclaimed, "reclaimed"],
        [en.accountWrong("alice", 3, true), "accountPassword"],
        // A wrong `/op` or `/password` answer from an address past its cap, once in.
        [en.passwordLockout, "passwordLockout"],
        [en.kickedYou("op", undefined), "kicked"],
      ] as const
    ) {
      await using server = new ScriptedServer();
      const client = server.client({ nick: "alice", lang: "en", ...FAST });
      const peer = await server.nextPeer();
      await peer.send(en.nicknamePrompt);
      for (const sent of ["@room lobby", en.joined("alice"), en.connected, line]) {
        await peer.send(sent);
      }
      await peer.close();
      assertEquals(await client.exitCode, 1, line);
      assertEquals(
        client.errors.lines,
        [clientText("en").ended(reason === "kicked" ? { reason, by: "op" } : { reason })],
      );
      assertEquals(client.shown.lines.at(-1), line, "no reconnection line");
      client.typed.end();
    }
  },
);

Deno.test(
  "client whose reconnection is refused (its address locked out, too many connections from it, or made room before joining) stops there, exits 1 and says why",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    for (
      const [before, line, reason] of [
        [[en.passwordPrompt], en.passwordLockout, "passwordLockout"],
        [[], en.tooManyFromAddress(20), "tooManyFromAddress"],
        [[en.passwordPrompt], en.evicted, "evicted"],
      ] as const
    ) {
      await using server = new ScriptedServer();
      const client = server.client({ nick: "alice", password: "sesame", lang: "en", ...FAST });
      const first = await server.nextPeer();
      await first.send(en.passwordPrompt);
      await first.lines.waitFor("sesame");
      await first.send(en.nicknamePrompt);
      await first.lines.waitFor("alice");
      for (const sent of ["@room lobby", en.joined("alice"), en.connected]) await first.send(sent);
      await client.shown.waitFor(en.connected);
      await first.close();
      await client.shown.waitFor(clientText("en").connectionLost(0.02));
      const again = await server.nextPeer();
      for (const sent of before) await again.send(sent);
      if (before.length > 0) await again.lines.waitFor("sesame");
      await again.send(line);
      await again.close();
      assertEquals(await client.exitCode, 1, line);
      assertEquals(client.errors.lines, [clientText("en").ended({ reason })]);
      assertEquals(client.shown.lines.at(-1), line, "no further try");
      client.typed.end();
    }
  },
);

Deno.test(
  "client whose nickname was taken while its server was cut off from the cluster goes on as the new one, and a reconnection gives it",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using server = new ScriptedServer();
    const client = server.client({ nick: "alice", lang: "en", ...FAST });
    const first = await server.nextPeer();
    await first.send(en.nicknamePrompt);
    await first.lines.waitFor("alice");
    for (const sent of ["@room lobby", en.joined("alice"), en.connected]) await first.send(sent);
    await first.send(en.nicknameLost("alice", "alice_2"));
    await client.shown.waitFor(en.nicknameLost("alice", "alice_2"));
    // Not an ending: the session goes on.
    await first.send(en.message("bob", "still here?"));
    await client.shown.waitFor(en.message("bob", "still here?"));
    await first.close();
    await client.shown.waitFor(clientText("en").connectionLost(0.02));
    const again = await server.nextPeer();
    await again.send(en.nicknamePrompt);
    await again.lines.waitFor("alice_2");
    assertEquals(again.lines.lines, ["/client ids", "/resume lobby none", "alice_2"]);
    for (const sent of ["@room lobby", en.joined("alice_2"), en.connected]) await again.send(sent);
    await client.shown.waitFor((shown) =>
      shown === en.connected && client.shown.lines.filter((l) => l === en.connected).length === 2
    );
    client.typed.type("/quit");
    await again.lines.waitFor("/quit");
    await again.close();
    assertEquals(await client.exitCode, 0);
    assertEquals(client.errors.lines, []);
  },
);

Deno.test(
  "client reconnecting to a server that locked its address out meanwhile stops at the lockout, exits 1 and says why",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    let attempts: LocalPasswordAttempts | undefined;
    await using s = startServer({
      password: "sesame",
      passwordAttempts: (observer) => (attempts = new LocalPasswordAttempts({ observer })),
    });
    await using proxy = new TcpProxy(s.port);
    await using alice = spawnMain(
      ["client", "--port", String(proxy.port), "--nick", "alice"],
      "main.ts",
      { env: { CHAT_PASSWORD: "sesame" } },
    );
    await alice.stdout.waitFor(ko.connected);
    proxy.cut();
    await alice.stdout.waitFor(ko.connectionLost(0.5));
    // Someone at the same address guessed meanwhile (the proxy's address is alice's too).
    for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) attempts!.failed("127.0.0.1", "server");
    proxy.heal();
    assertEquals((await alice.exit()).code, 1, alice.describe());
    assertEquals(alice.stdout.lines.at(-1), ko.passwordLockout, alice.describe());
    assertEquals(alice.stderr.lines, [ko.ended({ reason: "passwordLockout" })]);
    assertEquals(count(alice, ko.connectionLost(0.5)), 1, alice.describe());
    assertFalse(alice.stdout.lines.some((line) => line.includes("sesame")), alice.describe());
  },
);

Deno.test(
  "client counts a connection closed before the login as a failed try: the wait doubles, up to its longest",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using server = new ScriptedServer();
    const client = server.client({ nick: "alice", ...FAST });
    const first = await server.nextPeer();
    await first.send(ko.nicknamePrompt);
    for (const line of ["@room lobby", ko.joined("alice"), ko.connected]) await first.send(line);
    await client.shown.waitFor(ko.connected);
    await first.close();
    // Each try is taken and closed at once, as a proxy whose server is away does.
    for (let i = 0; i < 4; i++) await (await server.nextPeer()).close();
    const tries = [0.04, 0.08, 0.08, 0.08].map((s) => ko.reconnectFailed(ko.closedBeforeLogin, s));
    const failed = () => client.shown.lines.filter((line) => tries.includes(line)).length;
    await client.shown.waitFor(() => failed() === tries.length);
    const from = client.shown.lines.indexOf(ko.connectionLost(0.02));
    assertEquals(client.shown.lines.slice(from, from + 5), [ko.connectionLost(0.02), ...tries]);
    // Back: logged in again, the wait starts over at the next drop.
    const back = await server.nextPeer();
    await back.send(ko.nicknamePrompt);
    await back.lines.waitFor("alice");
    for (const line of ["@room lobby", ko.joined("alice"), ko.connected]) await back.send(line);
    await client.shown.waitFor((line) =>
      line === ko.connected && client.shown.lines.filter((l) => l === ko.connected).length === 2
    );
    await back.close();
    await client.shown.waitFor((line) =>
      line === ko.connectionLost(0.02) &&
      client.shown.lines.filter((l) => l === ko.connectionLost(0.02)).length === 2
    );
    client.typed.end();
    assertEquals(await client.exitCode, 0);
  },
);

Deno.test(
  "client waiting to reconnect does not send what is typed and says so; any words, even 'interrupted', are a line, /quit gives up",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using server = new ScriptedServer();
    // Waits long enough that the lines are typed during the first one.
    const client = server.client({ nick: "alice", reconnect: { firstMs: 60_000, maxMs: 60_000 } });
    const peer = await server.nextPeer();
    await peer.send(ko.nicknamePrompt);
    for (const line of ["@room lobby", ko.joined("alice"), ko.connected]) await peer.send(line);
    await client.shown.waitFor(ko.connected);
    await peer.close();
    await client.shown.waitFor(ko.connectionLost(60));
    client.typed.type("interrupted");
    client.typed.type("/register 비밀번호 여덟자");
    await client.shown.waitFor(ko.notSent("interrupted"));
    await client.shown.waitFor(ko.notSent(`/register ${"*".repeat(15)}`));
    client.typed.type("/quit");
    assertEquals(await client.exitCode, 0);
    assertFalse(client.shown.lines.some((line) => line.includes("여덟자")));
    client.typed.end();
  },
);

// ---------------------------------------------------------------------------
// The real client (`main.ts client`) against a real server.

/** An account's password, with a space and Korean in it, as users pick them. */
const ALICE_PASSWORD = "비밀번호 여덟자 이상";

/** Registers a nickname over raw TCP, then leaves. */
async function register(port: number, nick: string, password: string): Promise<void> {
  await using client = await LineClient.connect(port);
  await client.join(nick);
  await client.send(`/register ${password}`);
  await client.waitFor(ko.registered(nick));
  await client.send("/quit");
  await client.waitClosed();
}

/** Joins a raw TCP client to a room. */
async function joinRoom(port: number, nick: string, room: string): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.join(nick);
  await client.send(`/join ${room}`);
  await client.waitFor(isMembersLine);
  return client;
}

/** The real client as alice, logged in by `CHAT_ACCOUNT_PASSWORD`, in room `math`. */
async function aliceInMath(port: number): Promise<Child> {
  const alice = spawnMain(["client", "--port", String(port), "--nick", "alice"], "main.ts", {
    env: { CHAT_ACCOUNT_PASSWORD: ALICE_PASSWORD },
  });
  await alice.stdout.waitFor(ko.connected);
  await alice.send("/join math");
  await alice.stdout.waitFor(ko.joined("alice"));
  await alice.stdout.waitFor(isMembersLine);
  return alice;
}

/** How many of alice's lines are exactly `line`. */
function count(child: Child, line: string): number {
  return child.stdout.lines.filter((shown) => shown === line).length;
}

/** The password never shows: not on stdout, not on stderr. */
function assertNoPassword(child: Child): void {
  for (const line of [...child.stdout.lines, ...child.stderr.lines]) {
    assertFalse(line.includes("여덟자"), child.describe());
  }
}

Deno.test(
  "client through a dropped connection (a proxy cut, then healed) reconnects, logs in again with the remembered password, and is back in its room",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const { child: server, port } = await startServerProcess();
    await using _server = server;
    await register(port, "alice", ALICE_PASSWORD);
    await using proxy = new TcpProxy(port);
    await using alice = await aliceInMath(proxy.port);
    await using bob = await joinRoom(port, "bob", "math");
    proxy.cut();
    await alice.stdout.waitFor(ko.connectionLost(0.5));
    await bob.waitFor(ko.left("alice"));
    proxy.heal();
    // Logged in again by itself, straight into math (the lobby sees nothing).
    await bob.waitFor(ko.joined("alice"));
    await alice.stdout.waitFor((line) => line === ko.connected && count(alice, ko.connected) === 2);
    assertEquals(count(alice, ko.accountPrompt("alice")), 2, alice.describe());
    await bob.send("다시 왔네");
    await alice.stdout.waitFor(ko.message("bob", "다시 왔네"));
    await alice.send("응");
    await bob.waitFor(ko.message("alice", "응"));
    await alice.closeStdin();
    assertEquals((await alice.exit()).code, 0, alice.describe());
    assertNoPassword(alice);
    assertEquals(alice.stderr.lines, []);
  },
);

Deno.test(
  `client after a dropped connection shows only the lines it missed, each once, under the catch-up's header${needsIds}`,
  {
    ignore: !liveIds,
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const { child: server, port } = await startServerProcess();
    await using _server = server;
    await register(port, "alice", ALICE_PASSWORD);
    await using proxy = new TcpProxy(port);
    await using bob = await joinRoom(port, "bob", "math");
    await using alice = await aliceInMath(proxy.port);
    for (const text of ["before 1", "before 2"]) await bob.send(text);
    await alice.stdout.waitFor(ko.message("bob", "before 2"));
    proxy.cut();
    await alice.stdout.waitFor(ko.connectionLost(0.5));
    await bob.waitFor(ko.left("alice"));
    for (const text of ["while away 1", "while away 2"]) await bob.send(text);
    await bob.waitFor(ko.message("bob", "while away 2"));
    proxy.heal();
    await bob.waitFor(ko.joined("alice"));
    await bob.send("after");
    await alice.stdout.waitFor(ko.message("bob", "after"));
    const said = alice.stdout.lines.filter((line) => line.includes("bob> "));
    assertEquals(said.map((line) => line.replace(/^\[\d\d:\d\d\] /, "")), [
      ko.message("bob", "before 1"),
      ko.message("bob", "before 2"),
      ko.message("bob", "while away 1"),
      ko.message("bob", "while away 2"),
      ko.message("bob", "after"),
    ]);
    assertEquals(count(alice, ko.catchUp(2)), 1, alice.describe());
    assertFalse(alice.stdout.lines.some((line) => line.startsWith("@")), alice.describe());
    await alice.closeStdin();
    assertEquals((await alice.exit()).code, 0, alice.describe());
    assertNoPassword(alice);
  },
);

for (const signal of ["SIGTERM", "SIGKILL"] as const) {
  Deno.test(
    `client across a server restart (${signal}) logs in again from the data file and shows only what it missed${needsStore}`,
    {
      ignore: !liveIds || !keepsData,
      timeout: TEST_TIMEOUT_MS,
    },
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "chat-client-restart-" });
      try {
        const data = `${dir}/chat.db`;
        const first = await startServerProcess(["--data", data]);
        const port = first.port;
        let second: ServerChild | undefined;
        try {
          await register(port, "alice", ALICE_PASSWORD);
          // Through a proxy that is cut while the server is down: what is said after the
          // restart and before alice is back is what she missed.
          await using proxy = new TcpProxy(port);
          await using alice = await aliceInMath(proxy.port);
          await using bob = await joinRoom(port, "bob", "math");
          await bob.send("before");
          await alice.stdout.waitFor(ko.message("bob", "before"));
          proxy.cut();
          await alice.stdout.waitFor(ko.connectionLost(0.5));
          first.child.kill(signal);
          await first.child.exit();
          // The same port again, as a restart does.
          second = await startServerProcess(
            ["--data", data],
            (args) =>
              spawnMain(args.map((arg, i) => args[i - 1] === "--port" ? String(port) : arg)),
          );
          await using carol = await joinRoom(second.port, "carol", "math");
          await carol.send("while down");
          await carol.waitFor(ko.message("carol", "while down"));
          proxy.heal();
          await carol.waitFor(ko.joined("alice"));
          await carol.send("after");
          await alice.stdout.waitFor(ko.message("carol", "after"));
          const said = alice.stdout.lines.filter((line) => / (bob|carol)> /.test(` ${line}`));
          assertEquals(said.map((line) => line.replace(/^\[\d\d:\d\d\] /, "")), [
            ko.message("bob", "before"),
            ko.message("carol", "while down"),
            ko.message("carol", "after"),
          ]);
          await alice.closeStdin();
          assertEquals((await alice.exit()).code, 0, alice.describe());
          assertNoPassword(alice);
        } finally {
          await first[Symbol.asyncDispose]();
          await second?.[Symbol.asyncDispose]();
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
}

Deno.test(
  "client with a wrong CHAT_ACCOUNT_PASSWORD costs one wrong answer on a real server, then takes the typed one",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const { child: server, port } = await startServerProcess();
    await using _server = server;
    await register(port, "alice", ALICE_PASSWORD);
    await using alice = spawnMain(
      ["client", "--port", String(port), "--nick", "alice"],
      "main.ts",
      {
        env: { CHAT_ACCOUNT_PASSWORD: "not the password" },
      },
    );
    await alice.stdout.waitFor(ko.accountWrong("alice", 1, false));
    // On a pipe the prompts are lines, and the next lines typed answer them.
    await alice.stdout.waitFor(ko.nicknamePrompt);
    await alice.send("alice");
    await alice.stdout.waitFor(ko.accountPrompt("alice"));
    await alice.send(ALICE_PASSWORD);
    await alice.stdout.waitFor(ko.connected);
    assertEquals(count(alice, ko.accountWrong("alice", 1, false)), 1, alice.describe());
    await alice.closeStdin();
    assertEquals((await alice.exit()).code, 0, alice.describe());
    assertNoPassword(alice);
  },
);

Deno.test("client waiting to reconnect leaves at once on SIGINT (Ctrl-C) with status 130", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { child: server, port } = await startServerProcess();
  await using _server = server;
  await using alice = spawnMain(["client", "--port", String(port), "--nick", "alice"]);
  await alice.stdout.waitFor(ko.connected);
  server.kill("SIGKILL");
  await alice.stdout.waitFor(ko.connectionLost(0.5));
  alice.kill("SIGINT");
  assertEquals((await alice.exit()).code, 130, alice.describe());
  assertEquals(alice.stderr.lines, []);
});
