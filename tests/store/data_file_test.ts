/**
 * The data file as a user meets it: `main.ts server --data PATH` refuses a file it
 * cannot use with one line and exit status 1, never touching it, and a server
 * whose disk fills up while it runs goes on serving and says so on its console.
 */

import { assert, assertEquals } from "@std/assert";
import { DatabaseSync } from "node:sqlite";
import { SCHEMA_VERSION, sqliteStore } from "../../lib/store/sqlite_store.ts";
import { announcedPort, Child, MAIN_PERMISSIONS, TextSink } from "../_helpers.ts";
import { ConsoleLog } from "../../lib/util/console_log.ts";
import { LineClient, startServer } from "../_server_helpers.ts";
import { digest, fillDisk, IS_ROOT, makeUnwritable, smallDisk, tempDir } from "./_files.ts";

/** `main.ts server` on a data file, in English, with the permissions of `deno task server`. */
function serverOn(data: string, permissions: readonly string[] = MAIN_PERMISSIONS): Child {
  const args = ["server", "--port", "0", "--lang", "en", "--data", data];
  return new Child(Deno.execPath(), ["run", ...permissions, "main.ts", ...args]);
}

/** Expects the server not to start: one line on stderr, exit 1, the file as it was. */
async function assertRefused(
  data: string,
  reason: string,
  permissions?: readonly string[],
): Promise<void> {
  const before = await digest(data).catch(() => "missing");
  await using child = serverOn(data, permissions);
  const status = await child.exit();
  assertEquals(status.code, 1, child.describe());
  const errors = child.stderr.lines.filter((line) => !line.startsWith("note:"));
  assertEquals(errors, [
    `error: Cannot use the data file ${data}: ${reason} (--data PATH for another file, --data none for memory only)`,
  ]);
  assertEquals(child.stdout.lines, [], "nothing was served");
  assertEquals(await digest(data).catch(() => "missing"), before, "the file is untouched");
}

Deno.test(
  "data file: a second server on the same file fails at start in one line; the first goes on",
  {
    timeout: 30_000,
  },
  async () => {
    await using dir = await tempDir();
    const data = `${dir.path}/chat.db`;
    await using first = serverOn(data);
    const port = await announcedPort(first);
    await first.stdout.waitFor(
      `data: ${data} (history, topics, accounts and bans survive a restart)`,
    );
    await using second = serverOn(data);
    assertEquals((await second.exit()).code, 1, second.describe());
    assertEquals(second.stderr.lines.filter((line) => !line.startsWith("note:")), [
      `error: Cannot use the data file ${data}: another running server is using it (--data PATH for another file, --data none for memory only)`,
    ]);
    await using client = await LineClient.connect(port);
    assertEquals(await client.nextLine(), "Enter your nickname:", "the first still serves");
  },
);

Deno.test("data file: a file from a newer version is refused in one line and not touched", {
  timeout: 30_000,
}, async () => {
  await using dir = await tempDir();
  const data = `${dir.path}/chat.db`;
  {
    await using first = serverOn(data);
    await announcedPort(first);
    first.kill("SIGTERM");
    assertEquals((await first.exit()).code, 0);
  }
  const db = new DatabaseSync(data);
  db.prepare("UPDATE chat_meta SET value = ? WHERE key = 'schema_version'").run(
    String(SCHEMA_VERSION + 1),
  );
  db.close();
  await assertRefused(
    data,
    `it was written by a newer version of this program (schema ${
      SCHEMA_VERSION + 1
    } > ${SCHEMA_VERSION})`,
  );
});

Deno.test("data file: a corrupt file is refused in one line and not touched", {
  timeout: 30_000,
}, async () => {
  await using dir = await tempDir();
  const data = `${dir.path}/chat.db`;
  await Deno.writeTextFile(data, "not a database\n".repeat(500));
  await assertRefused(data, "it is not a chat database, or it is damaged");
});

Deno.test("data file: a read-only file is refused in one line and not touched", {
  timeout: 30_000,
}, async () => {
  await using dir = await tempDir();
  const data = `${dir.path}/chat.db`;
  {
    await using first = serverOn(data);
    await announcedPort(first);
    first.kill("SIGTERM");
    assertEquals((await first.exit()).code, 0);
  }
  await using _readOnly = await makeUnwritable(data);
  await assertRefused(data, "the file cannot be written (read-only)");
});

Deno.test("data file: a read-only folder is refused in one line", { timeout: 30_000 }, async () => {
  await using dir = await tempDir();
  await using _readOnly = await makeUnwritable(dir.path);
  await assertRefused(
    `${dir.path}/chat.db`,
    "its folder cannot be written (the journal goes beside the file)",
  );
});

Deno.test("data file: without --allow-write the server says which permission it needs", {
  timeout: 30_000,
}, async () => {
  await using dir = await tempDir();
  await assertRefused(`${dir.path}/chat.db`, "not allowed without --allow-write", [
    "--allow-net",
    "--allow-read",
  ]);
});

Deno.test({
  name: "data file: a disk that fills up while the server runs: it keeps serving, says so once, " +
    "and says when writing works again; nothing said meanwhile is lost",
  ignore: !IS_ROOT,
  timeout: 30_000,
  async fn() {
    await using disk = await smallDisk(4 * 1024 * 1024);
    if (disk === undefined) throw new Error("cannot mount a tmpfs as root");
    const data = `${disk.path}/chat.db`;
    {
      const console = new TextSink();
      await using s = startServer({
        lang: "en",
        store: sqliteStore(data),
        log: new ConsoleLog({ sink: console, timestamps: false }),
      });
      await using alice = await LineClient.connect(s.port);
      await using bob = await LineClient.connect(s.port);
      await joinEn(alice, "alice");
      await joinEn(bob, "bob");
      const filler = await fillDisk(disk.path);
      const long = "x".repeat(2000);
      for (let i = 0; i < 100; i++) await alice.send(`${long} ${i}`);
      await bob.waitFor(`alice> ${long} 99`);
      assertEquals(
        await console.waitFor(/cannot write the data file/),
        `cannot write the data file ${data} (database or disk is full); going on in memory and retrying...`,
      );
      await bob.send("still here");
      await alice.waitFor("bob> still here");
      await Deno.remove(filler);
      assertEquals(
        await console.waitFor(/can be written again/),
        `the data file ${data} can be written again.`,
      );
      assertEquals(
        console.lines.filter((line) => line.includes("data file")).length,
        2,
        "once each",
      );
    }
    // Everything said while the disk was full was written once there was room.
    await using s = startServer({ lang: "en", historyLimit: 200, store: sqliteStore(data) });
    await using carol = await LineClient.connect(s.port);
    await carol.waitFor("Enter your nickname:");
    await carol.send("carol");
    await carol.waitFor("-- 101 recent messages --");
    const lines: (string | null)[] = [];
    for (let i = 0; i < 101; i++) lines.push(await carol.nextLine());
    assert(lines[99]!.endsWith(`alice> ${"x".repeat(2000)} 99`));
    assert(lines[100]!.endsWith("bob> still here"));
  },
});

/** Joins an English server: the nickname, then the room's members (the last line of entering). */
async function joinEn(client: LineClient, nick: string): Promise<void> {
  await client.waitFor("Enter your nickname:");
  await client.send(nick);
  await client.waitFor((line) => /^\d+ online: /.test(line));
}
