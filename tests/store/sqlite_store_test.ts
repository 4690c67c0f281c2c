import { assert, assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import { DatabaseSync } from "node:sqlite";
import { eventId, newEpoch } from "../../lib/chat/event_id.ts";
import type { Account, StoredEvent, StoreLog } from "../../lib/chat/store.ts";
import {
  FOLD_MS,
  MAX_EVENTS_PER_ROW,
  MAX_PENDING_EVENTS,
  SCHEMA_VERSION,
  SqliteStore,
} from "../../lib/store/sqlite_store.ts";
import { DataFileError, type DataFileProblem } from "../../lib/util/errors.ts";
import { within } from "../fixtures/waiter.ts";
import { digest, fillDisk, IS_ROOT, makeUnwritable, smallDisk, tempDir } from "./_files.ts";

/** Resolves once `check()` holds, checked every 10 ms; throws after `timeoutMs`. */
async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How long a test waits for a store to say it can write again (it retries every 20 ms at first). */
const WRITABLE_TIMEOUT_MS = 10_000;

/** Opens a store that closes itself. */
function open(path: string, historyKeep = 1000, log?: StoreLog) {
  const store = new SqliteStore({ path, historyKeep, log });
  return Object.assign(store, { [Symbol.dispose]: () => store.close() });
}

function message(store: SqliteStore, room: string, seq: number, text = `m${seq}`): StoredEvent {
  return { type: "message", room, nick: "al", text, time: seq, id: eventId(store.epoch, seq) };
}

function say(store: SqliteStore, room: string, from: number, count: number): void {
  for (let seq = from + 1; seq <= from + count; seq++) {
    store.appendHistory(room, seq, message(store, room, seq));
  }
}

function texts(events: readonly { text: string }[]): string[] {
  return events.map((event) => event.text);
}

/** Expects the store not to open, for the given reason, and the file to be as it was. */
async function assertRefused(path: string, problem: DataFileProblem): Promise<DataFileError> {
  const before = await digest(path).catch(() => "missing");
  const error = assertThrows(() => open(path));
  assertInstanceOf(error, DataFileError);
  assertEquals(error.problem, problem, error.message);
  assertEquals(await digest(path).catch(() => "missing"), before, "the file is untouched");
  return error;
}

const ALICE: Account = {
  key: "alice",
  nickname: "Alice",
  passwordHash: "scrypt$x",
  operator: false,
  created: 7,
  lastSeen: undefined,
};

Deno.test("sqlite store: history, topics, accounts, bans and whispers survive a reopen", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  let epoch: string;
  const now = Date.now();
  {
    using store = open(path);
    epoch = store.epoch;
    say(store, "lobby", 0, 3);
    store.appendHistory("math", 1, { ...message(store, "Math", 1), type: "action" });
    store.setTopic("math", { text: "integrals", nick: "al", time: 5 });
    store.createAccount(ALICE);
    store.setOperator("alice", true);
    store.setLastSeen("alice", { room: "Math", id: eventId(epoch, 1), time: 9 });
    store.addBan({
      kind: "address",
      target: "10.0.0.9",
      until: now + 60_000,
      by: "op",
      reason: "r",
    });
    store.addBan({
      kind: "nickname",
      target: "mallory",
      name: "Mallory",
      until: undefined,
      by: "op",
      reason: undefined,
    });
    store.holdWhisper("alice", { from: "bob", text: "psst", time: now });
    store.commit();
  }
  using store = open(path);
  assertEquals(store.epoch, epoch, "the epoch belongs to the file");
  assertEquals(store.location, path);
  const lobby = store.history("lobby", 10);
  assertEquals([lobby.lastSeq, texts(lobby.events)], [3, ["m1", "m2", "m3"]]);
  assertEquals(lobby.events[2].id, `${epoch}.3`);
  assertEquals(store.history("math", 10).events[0].type, "action");
  assertEquals(store.topic("math"), { text: "integrals", nick: "al", time: 5 });
  assertEquals(store.account("alice"), {
    ...ALICE,
    operator: true,
    lastSeen: { room: "Math", id: `${epoch}.1`, time: 9 },
  });
  assertEquals(store.bans(now), [
    { kind: "address", target: "10.0.0.9", until: now + 60_000, by: "op", reason: "r" },
    {
      kind: "nickname",
      target: "mallory",
      name: "Mallory",
      until: undefined,
      by: "op",
      reason: undefined,
    },
  ]);
  assertEquals(texts(store.takeWhispers("alice", now)), ["psst"]);
});

Deno.test("sqlite store: a file of schema 1 is migrated forward and keeps its bans", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  {
    using store = open(path);
    store.addBan({ kind: "nickname", target: "eve", until: undefined, by: "op", reason: "x" });
  }
  // As the first released schema left it: no name column, version 1.
  const old = new DatabaseSync(path);
  old.exec("ALTER TABLE bans DROP COLUMN name");
  old.prepare("UPDATE chat_meta SET value = '1' WHERE key = 'schema_version'").run();
  old.close();
  {
    using store = open(path);
    assertEquals(store.bans(), [
      { kind: "nickname", target: "eve", until: undefined, by: "op", reason: "x" },
    ]);
    store.addBan({
      kind: "nickname",
      target: "bob",
      name: "Bob",
      until: 5e15,
      by: "op",
      reason: "",
    });
  }
  const db = new DatabaseSync(path);
  try {
    const version = db.prepare("SELECT value FROM chat_meta WHERE key = 'schema_version'").get();
    assertEquals(version?.value, String(SCHEMA_VERSION));
    assertEquals(db.prepare("SELECT name FROM bans ORDER BY rowid").all().map((row) => row.name), [
      null,
      "Bob",
    ]);
  } finally {
    db.close();
  }
});

Deno.test("sqlite store: what is taken, deleted or lifted stays so after a reopen", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  {
    using store = open(path);
    store.createAccount(ALICE);
    store.createAccount({ ...ALICE, key: "bob", nickname: "bob" });
    store.setPassword("bob", "new");
    store.deleteAccount("alice");
    store.setTopic("lobby", { text: "t", nick: "al", time: 1 });
    store.setTopic("lobby", undefined);
    store.addBan({ kind: "address", target: "::1", until: undefined, by: "op", reason: undefined });
    store.removeBan("address", "::1");
    store.holdWhisper("bob", { from: "al", text: "hi", time: Date.now() });
    store.takeWhispers("bob");
  }
  using store = open(path);
  assertEquals(store.account("alice"), undefined);
  assertEquals(store.account("bob")?.passwordHash, "new");
  assertEquals(store.topic("lobby"), undefined);
  assertEquals(store.bans(), []);
  assertEquals(store.takeWhispers("bob"), []);
});

Deno.test("sqlite store: a timed ban ends on time after a reopen", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  const now = Date.now();
  {
    using store = open(path);
    store.addBan({ kind: "address", target: "10.0.0.1", until: now + 60_000, by: "o", reason: "" });
    store.addBan({ kind: "address", target: "10.0.0.2", until: now - 1, by: "o", reason: "" });
  }
  using store = open(path);
  assertEquals(store.bans(now).map((ban) => ban.target), ["10.0.0.1"]);
  assertEquals(store.bans(now + 60_000), [], "it ends at its time, not later");
});

Deno.test("sqlite store: a room keeps its last --history-keep events, and its count goes on", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  {
    using store = open(path, 10);
    // One line per turn: one row each.
    for (let seq = 1; seq <= 250; seq++) {
      say(store, "lobby", seq - 1, 1);
      store.commit();
    }
  }
  const db = new DatabaseSync(path);
  const rows = Number(db.prepare("SELECT count(*) AS n FROM history").get()!.n);
  db.close();
  assert(rows >= 10 && rows <= 20, `trimmed to about 10 rows: ${rows}`);
  using store = open(path, 10);
  const read = store.history("lobby", 50);
  assertEquals(read.lastSeq, 250);
  assertEquals(texts(read.events), Array.from({ length: 10 }, (_, i) => `m${241 + i}`));
  assertEquals(texts(store.history("lobby", 3).events), ["m248", "m249", "m250"]);
});

Deno.test("sqlite store: a turn's lines of one room are one row; a huge turn is split", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  {
    using store = open(path, 5000);
    say(store, "lobby", 0, 3);
    say(store, "math", 0, 2);
    store.commit();
    say(store, "lobby", 3, MAX_EVENTS_PER_ROW + 10);
  }
  const db = new DatabaseSync(path);
  const rows = db.prepare("SELECT room, first_seq, last_seq FROM history ORDER BY room, first_seq")
    .all().map((row) => `${row.room} ${row.first_seq}-${row.last_seq}`);
  db.close();
  assertEquals(rows, [
    "lobby 1-3",
    `lobby 4-${MAX_EVENTS_PER_ROW + 3}`,
    `lobby ${MAX_EVENTS_PER_ROW + 4}-${MAX_EVENTS_PER_ROW + 13}`,
    "math 1-2",
  ]);
  using store = open(path, 5000);
  const read = store.history("lobby", 5000);
  assertEquals(read.events.length, MAX_EVENTS_PER_ROW + 13);
  assertEquals(
    read.events.map((event) => event.id),
    read.events.map((_, i) => `${store.epoch}.${i + 1}`),
  );
  const since = store.historySince("lobby", eventId(store.epoch, 2), 4);
  assertEquals([texts(since.events), since.skipped], [
    [
      `m${MAX_EVENTS_PER_ROW + 10}`,
      `m${MAX_EVENTS_PER_ROW + 11}`,
      `m${MAX_EVENTS_PER_ROW + 12}`,
      `m${MAX_EVENTS_PER_ROW + 13}`,
    ],
    MAX_EVENTS_PER_ROW + 7,
  ]);
});

Deno.test("sqlite store: --history-keep 0 writes no events, but the count survives", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  {
    using store = open(path, 0);
    say(store, "lobby", 0, 5);
  }
  using store = open(path, 0);
  assertEquals(store.history("lobby", 5), { lastSeq: 5, events: [] });
});

Deno.test("sqlite store: catch-up counts what it skips and knows only its own epoch", async () => {
  await using dir = await tempDir();
  using store = open(`${dir.path}/chat.db`, 5);
  say(store, "lobby", 0, 12);
  const id = (seq: number) => eventId(store.epoch, seq);
  const near = store.historySince("lobby", id(10), 100);
  assertEquals([near.known, texts(near.events), near.skipped], [true, ["m11", "m12"], 0]);
  const far = store.historySince("lobby", id(2), 100);
  assertEquals([texts(far.events), far.skipped], [["m8", "m9", "m10", "m11", "m12"], 5]);
  const cut = store.historySince("lobby", id(8), 2);
  assertEquals([texts(cut.events), cut.skipped], [["m11", "m12"], 2]);
  const unknown = { known: false, events: [], skipped: 0 };
  assertEquals(store.historySince("lobby", eventId(newEpoch(), 3), 10), unknown);
  assertEquals(store.historySince("lobby", id(13), 10), unknown);
  assertEquals(store.historySince("lobby", "nonsense", 10), unknown);
});

Deno.test("sqlite store: a turn's history reaches the line log when the turn ends, not before, and the database within FOLD_MS", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  using store = open(path);
  // Read synchronously: an await would end the turn.
  const logged = () => Deno.statSync(`${path}-log`).size;
  const before = logged();
  say(store, "lobby", 0, 3);
  assertEquals(logged(), before, "nothing is written while the turn goes on");
  await Promise.resolve();
  assert(logged() > before, "written at the end of the turn without a commit() call");
  const size = logged();
  store.commit();
  assertEquals(logged(), size, "nothing was left to write");
  const stored = () => {
    const db = new DatabaseSync(path, { readOnly: true });
    const rows = Number(db.prepare("SELECT count(*) AS n FROM history").get()!.n);
    db.close();
    return rows;
  };
  assertEquals(stored(), 0, "not in the database yet");
  const started = Date.now();
  await until(() => stored() === 1, "the row reaches the database", 5_000);
  assert(Date.now() - started < FOLD_MS + 1_000, "within FOLD_MS, give or take a busy machine");
  assertEquals(logged(), before, "and the log is emptied");
});

Deno.test("sqlite store: an account is committed to the database in its own turn, with the history waiting", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  using store = open(path);
  const journal = () => Deno.statSync(`${path}-wal`).size;
  say(store, "lobby", 0, 2);
  store.commit();
  const before = journal();
  store.createAccount(ALICE);
  store.commit();
  assert(journal() > before, "the account is in the database's journal at once");
  const db = new DatabaseSync(path, { readOnly: true });
  const rows = Number(db.prepare("SELECT count(*) AS n FROM history").get()!.n);
  const accounts = Number(db.prepare("SELECT count(*) AS n FROM accounts").get()!.n);
  db.close();
  assertEquals([rows, accounts], [1, 1]);
});

Deno.test("sqlite store: a second open of the same file is refused while the first runs", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  using first = open(path);
  say(first, "lobby", 0, 2);
  first.commit();
  await assertRefused(path, "locked");
  say(first, "lobby", 2, 1);
  first.commit();
  assertEquals(first.history("lobby", 5).lastSeq, 3, "the first goes on");
});

Deno.test("sqlite store: a file from a newer schema version is refused and left as it is", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  open(path).close();
  const db = new DatabaseSync(path);
  db.prepare("UPDATE chat_meta SET value = ? WHERE key = 'schema_version'").run(
    String(SCHEMA_VERSION + 1),
  );
  db.close();
  const error = await assertRefused(path, "newer");
  assertEquals(error.detail, `${SCHEMA_VERSION + 1} > ${SCHEMA_VERSION}`);
});

Deno.test("sqlite store: a file that is not a database is refused and left as it is", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  await Deno.writeTextFile(path, "these are not the bytes you are looking for\n".repeat(200));
  await assertRefused(path, "corrupt");
});

Deno.test("sqlite store: a database with a damaged schema page is refused and left as it is", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  {
    using store = open(path);
    say(store, "lobby", 0, 50);
  }
  const bytes = await Deno.readFile(path);
  // Page 1 holds the schema after the 100-byte header: scribble over it.
  bytes.fill(0xA5, 100, 4096);
  await Deno.writeFile(path, bytes);
  await assertRefused(path, "corrupt");
});

Deno.test("sqlite store: another program's database is refused and left as it is", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/other.db`;
  const db = new DatabaseSync(path);
  db.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')");
  db.close();
  await assertRefused(path, "foreign");
});

Deno.test("sqlite store: a read-only file is refused and left as it is", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  open(path).close();
  await using _readOnly = await makeUnwritable(path);
  await assertRefused(path, "readOnly");
});

Deno.test("sqlite store: a new file in a read-only folder is refused", async () => {
  await using dir = await tempDir();
  await using _readOnly = await makeUnwritable(dir.path);
  await assertRefused(`${dir.path}/chat.db`, "folderReadOnly");
});

Deno.test("sqlite store: a file whose folder is read-only (no room for its journal) is refused", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  open(path).close();
  await using _readOnly = await makeUnwritable(dir.path);
  await assertRefused(path, "folderReadOnly");
});

Deno.test("sqlite store: a file in a folder that does not exist is refused", async () => {
  await using dir = await tempDir();
  await assertRefused(`${dir.path}/nowhere/chat.db`, "noFolder");
});

Deno.test("sqlite store: a folder given as the file is refused", async () => {
  await using dir = await tempDir();
  const error = assertThrows(() => open(dir.path));
  assertInstanceOf(error, DataFileError);
  assertEquals(error.problem, "isFolder");
});

Deno.test("sqlite store: an empty file becomes a new database", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  await Deno.writeFile(path, new Uint8Array());
  using store = open(path);
  assertEquals(store.history("lobby", 1), { lastSeq: 0, events: [] });
});

Deno.test({
  name: "sqlite store: a full disk while running keeps everything in memory, says so once, " +
    "and writes it all once there is room",
  ignore: !IS_ROOT,
  async fn() {
    await using disk = await smallDisk(4 * 1024 * 1024);
    if (disk === undefined) throw new Error("cannot mount a tmpfs as root");
    const path = `${disk.path}/chat.db`;
    const told: string[] = [];
    const writable = Promise.withResolvers<void>();
    const log: StoreLog = {
      unwritable: (reason) => told.push(`unwritable: ${reason}`),
      writable: (lost) => {
        told.push(`writable, lost ${lost}`);
        writable.resolve();
      },
    };
    const store = new SqliteStore({ path, historyKeep: 100_000, log, firstRetryMs: 20 });
    try {
      say(store, "lobby", 0, 10);
      store.commit();
      const filler = await fillDisk(disk.path);
      // Long lines, so that the journal needs new pages.
      for (let seq = 11; seq <= 200; seq++) {
        store.appendHistory("lobby", seq, message(store, "lobby", seq, "x".repeat(1000) + seq));
        store.commit();
      }
      store.createAccount(ALICE);
      store.commit();
      assert(store.failing, "the disk is full");
      assertEquals(told.length, 1, told.join("\n"));
      assert(/full/.test(told[0]), told[0]);
      // Served from memory meanwhile.
      assertEquals(store.history("lobby", 1000).lastSeq, 200);
      assertEquals(store.history("lobby", 1000).events.length, 200);
      assertEquals(store.account("alice")?.nickname, "Alice");
      await Deno.remove(filler);
      await within(writable.promise, "writing works again", WRITABLE_TIMEOUT_MS);
      assertEquals(told, [told[0], "writable, lost 0"]);
    } finally {
      store.close();
    }
    using reopened = open(path, 100_000);
    const read = reopened.history("lobby", 1000);
    assertEquals(read.events.length, 200);
    assertEquals(read.events.at(-1)!.text, "x".repeat(1000) + 200);
    assertEquals(reopened.account("alice")?.nickname, "Alice");
  },
});

Deno.test({
  name: "sqlite store: while it cannot write, memory keeps at most MAX_PENDING_EVENTS lines; " +
    "the oldest are dropped and counted",
  ignore: !IS_ROOT,
  async fn() {
    await using disk = await smallDisk(64 * 1024 * 1024);
    if (disk === undefined) throw new Error("cannot mount a tmpfs as root");
    const path = `${disk.path}/chat.db`;
    const writable = Promise.withResolvers<number>();
    const log: StoreLog = { unwritable: () => {}, writable: (lost) => writable.resolve(lost) };
    const store = new SqliteStore({ path, historyKeep: 1000, log, firstRetryMs: 20 });
    try {
      const filler = await fillDisk(disk.path);
      const total = MAX_PENDING_EVENTS + 5_000;
      for (let seq = 1; seq <= total; seq++) {
        store.appendHistory("lobby", seq, message(store, "lobby", seq));
        if (seq % 1000 === 0) store.commit();
      }
      store.commit();
      assert(store.failing, "the disk is full");
      await Deno.remove(filler);
      const lost = await within(writable.promise, "writing works again", WRITABLE_TIMEOUT_MS);
      assert(lost > 0 && lost <= MAX_PENDING_EVENTS / 10 + 1000, `lost ${lost}`);
      // A room whose waiting lines were all dropped still keeps its count.
      store.appendHistory("math", 1, message(store, "math", 1));
      store.commit();
      const read = store.history("lobby", 1000);
      assertEquals(read.lastSeq, total, "the count is kept");
      assertEquals(read.events.at(-1)!.id, eventId(store.epoch, total));
    } finally {
      store.close();
    }
    using reopened = open(path, 1000);
    assertEquals(reopened.history("lobby", 1).lastSeq, MAX_PENDING_EVENTS + 5_000);
  },
});

Deno.test({
  name: "sqlite store: a database made read-only while the line log still works is found " +
    "when the logged lines move into it, and nothing is lost",
  ignore: !IS_ROOT,
  async fn() {
    await using dir = await tempDir();
    const path = `${dir.path}/chat.db`;
    const unwritable = Promise.withResolvers<string>();
    const writable = Promise.withResolvers<void>();
    const log: StoreLog = {
      unwritable: (reason) => unwritable.resolve(reason),
      writable: () => writable.resolve(),
    };
    const store = new SqliteStore({ path, historyKeep: 1000, log, firstRetryMs: 20 });
    try {
      say(store, "lobby", 0, 1);
      store.commit();
      await using readOnly = await makeUnwritable(path);
      await using readOnlyJournal = await makeUnwritable(`${path}-wal`);
      say(store, "lobby", 1, 2);
      store.commit();
      assert(!store.failing, "the lines are in the log");
      await within(unwritable.promise, "the database is found unwritable", 5_000);
      assert(store.failing);
      assertEquals(texts(store.history("lobby", 10).events), ["m1", "m2", "m3"]);
      await readOnlyJournal.undo();
      await readOnly.undo();
      await within(writable.promise, "writing works again", WRITABLE_TIMEOUT_MS);
    } finally {
      store.close();
    }
    using reopened = open(path);
    assertEquals(texts(reopened.history("lobby", 10).events), ["m1", "m2", "m3"]);
  },
});

Deno.test({
  name: "sqlite store: a file made read-only while running is said once, served from memory, " +
    "and written once it can be again",
  ignore: !IS_ROOT,
  async fn() {
    await using dir = await tempDir();
    const path = `${dir.path}/chat.db`;
    const told: string[] = [];
    const writable = Promise.withResolvers<void>();
    const log: StoreLog = {
      unwritable: (reason) => told.push(reason),
      writable: () => writable.resolve(),
    };
    const store = new SqliteStore({ path, historyKeep: 1000, log, firstRetryMs: 20 });
    try {
      say(store, "lobby", 0, 1);
      store.commit();
      // chattr +i (root): the open file and its journal refuse writes from now on.
      await using readOnly = await makeUnwritable(path);
      await using readOnlyJournal = await makeUnwritable(`${path}-wal`);
      await using readOnlyLog = await makeUnwritable(`${path}-log`);
      say(store, "lobby", 1, 2);
      store.commit();
      say(store, "lobby", 3, 1);
      store.commit();
      assert(store.failing);
      assertEquals(told.length, 1, told.join("\n"));
      assertEquals(texts(store.history("lobby", 10).events), ["m1", "m2", "m3", "m4"]);
      await readOnlyLog.undo();
      await readOnlyJournal.undo();
      await readOnly.undo();
      await within(writable.promise, "writing works again", WRITABLE_TIMEOUT_MS);
    } finally {
      store.close();
    }
    using reopened = open(path);
    assertEquals(texts(reopened.history("lobby", 10).events), ["m1", "m2", "m3", "m4"]);
  },
});
