import { assert, assertEquals } from "@std/assert";
import { eventId, newEpoch } from "../../lib/chat/event_id.ts";
import { lineLogPath, rowLine } from "../../lib/store/line_log.ts";
import { SqliteStore } from "../../lib/store/sqlite_store.ts";
import { tempDir } from "./_files.ts";

const SQLITE_STORE = new URL("../../lib/store/sqlite_store.ts", import.meta.url).href;
const EVENT_ID = new URL("../../lib/chat/event_id.ts", import.meta.url).href;

/** Opens a store that closes itself. */
function open(path: string) {
  const store = new SqliteStore({ path, historyKeep: 1000 });
  return Object.assign(store, { [Symbol.dispose]: () => store.close() });
}

/** The epoch of a fresh data file (its log is removed when it closes). */
function epochOf(path: string): string {
  using store = open(path);
  return store.epoch;
}

/** A log line of `count` messages from `first` on, as the store writes them. */
function row(room: string, first: number, count: number): string {
  const events = Array.from({ length: count }, (_, i) => [0, "al", `m${first + i}`, first + i]);
  return rowLine(room, first, first + count - 1, room, JSON.stringify(events));
}

function texts(events: readonly { text: string }[]): string[] {
  return events.map((event) => event.text);
}

Deno.test("line log: lines a killed server had shown are in the history at the next start", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  // A child that stores two turns and dies without closing (and before any fold).
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { SqliteStore } from "${SQLITE_STORE}";
       import { eventId } from "${EVENT_ID}";
       const store = new SqliteStore({ path: ${JSON.stringify(path)}, historyKeep: 1000 });
       const say = (seq) => store.appendHistory("lobby", seq, {
         type: "message", room: "lobby", nick: "al", text: "m" + seq, time: seq,
         id: eventId(store.epoch, seq),
       });
       say(1); say(2); store.commit();
       say(3); store.commit();
       Deno.exit(0);`,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assertEquals(child.code, 0, new TextDecoder().decode(child.stderr));
  assert(Deno.statSync(lineLogPath(path)).size > 0, "the child left rows in the log");
  {
    using store = open(path);
    const read = store.history("lobby", 10);
    assertEquals([read.lastSeq, texts(read.events)], [3, ["m1", "m2", "m3"]]);
    assertEquals(read.events[2].id, eventId(store.epoch, 3));
  }
  assertEquals(Deno.statSync(path).isFile, true);
  assert(
    await Deno.stat(lineLogPath(path)).then(() => false, () => true),
    "a clean close leaves no log",
  );
});

Deno.test("line log: a torn last line is skipped, the whole rows before it are kept", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  const epoch = epochOf(path);
  const torn = row("lobby", 3, 2).slice(0, 20);
  await Deno.writeTextFile(
    lineLogPath(path),
    `${JSON.stringify({ epoch })}\n${row("lobby", 1, 2)}${torn}`,
  );
  using store = open(path);
  const read = store.history("lobby", 10);
  assertEquals([read.lastSeq, texts(read.events)], [2, ["m1", "m2"]]);
  assertEquals(
    Deno.readTextFileSync(lineLogPath(path)),
    `${JSON.stringify({ epoch })}\n`,
    "emptied once stored",
  );
});

Deno.test("line log: a log of another epoch (a data file started afresh) is not replayed", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  epochOf(path);
  await Deno.writeTextFile(
    lineLogPath(path),
    `${JSON.stringify({ epoch: newEpoch() })}\n${row("lobby", 1, 2)}`,
  );
  using store = open(path);
  assertEquals(store.history("lobby", 10), { lastSeq: 0, events: [] });
});

Deno.test("line log: a row that reached the database before the log was emptied is stored once", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  let epoch: string;
  {
    using store = open(path);
    epoch = store.epoch;
    for (let seq = 1; seq <= 3; seq++) {
      store.appendHistory("lobby", seq, {
        type: "message",
        room: "lobby",
        nick: "al",
        text: `m${seq}`,
        time: seq,
        id: eventId(epoch, seq),
      });
    }
    store.commit();
  }
  // As if the server died between the database's commit and emptying the log.
  await Deno.writeTextFile(
    lineLogPath(path),
    `${JSON.stringify({ epoch })}\n${row("lobby", 1, 3)}`,
  );
  using store = open(path);
  const read = store.history("lobby", 10);
  assertEquals([read.lastSeq, texts(read.events)], [3, ["m1", "m2", "m3"]]);
});

Deno.test("line log: a line that is JSON but not a row (wrong count, wrong types) is skipped", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chat.db`;
  const epoch = epochOf(path);
  const lines = [
    JSON.stringify({ epoch }),
    '["lobby",1,3,"lobby",[[0,"al","m1",1]]]',
    '["lobby",1,1,"lobby",[[7,"al","m1",1]]]',
    '{"room":"lobby"}',
    row("lobby", 1, 1).trimEnd(),
  ];
  await Deno.writeTextFile(lineLogPath(path), `${lines.join("\n")}\n`);
  using store = open(path);
  const read = store.history("lobby", 10);
  assertEquals([read.lastSeq, texts(read.events)], [1, ["m1"]]);
});
