/**
 * `kill -9` of a server in the middle of traffic: after a restart on the same data
 * file, every line any client was shown is in the room's history, in order, once.
 */

import { assert, assertEquals } from "@std/assert";
import { roomKey } from "../../lib/chat/room_name.ts";
import { SqliteStore } from "../../lib/store/sqlite_store.ts";
import { type ServerChild, startServerProcess } from "../_helpers.ts";
import { LineClient } from "../_server_helpers.ts";
import { tempDir } from "./_files.ts";

const CLIENTS = 4;
/** Lines shown to the first client before the kill: enough to be mid-traffic. */
const SHOWN_BEFORE_KILL = 600;

/** A server child on a data file, in English, without flood control, keeping every line. */
function startOn(data: string, ...args: string[]): Promise<ServerChild> {
  return startServerProcess([
    "--lang",
    "en",
    "--data",
    data,
    "--rate",
    "0",
    "--history-keep",
    "100000",
    "--quiet",
    ...args,
  ]);
}

/** The texts of the message lines a client was shown, in order. */
function shownTexts(client: LineClient): string[] {
  return client.received.flatMap((line) => {
    const match = /^c\d> (c\d-\d+)$/.exec(line);
    return match === null ? [] : [match[1]];
  });
}

/** Sends numbered lines until the connection fails. */
async function talk(client: LineClient, name: string): Promise<void> {
  try {
    for (let n = 0;; n++) await client.send(`${name}-${n}`);
  } catch {
    // The server is gone.
  }
}

Deno.test(
  "kill -9 mid-traffic: after a restart every line any client was shown is in the history, in order, once",
  {
    timeout: 90_000,
  },
  async () => {
    await using dir = await tempDir();
    const data = `${dir.path}/chat.db`;
    await using first = await startOn(data);
    const clients: LineClient[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const client = await LineClient.connect(first.port);
      await client.waitFor("Enter your nickname:");
      await client.send(`c${i}`);
      await client.waitFor((line) => /^\d+ online: /.test(line));
      clients.push(client);
    }
    const talking = clients.map((client, i) => talk(client, `c${i}`));
    await clients[0].waitFor((_) => shownTexts(clients[0]).length >= SHOWN_BEFORE_KILL, 30_000);
    first.child.kill("SIGKILL");
    assertEquals((await first.child.status).signal, "SIGKILL");
    for (const client of clients) await client.waitClosed(10_000).catch(() => {});
    await Promise.all(talking);
    const shown = clients.map(shownTexts);
    for (const client of clients) await client.close();
    assert(shown[0].length >= SHOWN_BEFORE_KILL, `shown: ${shown[0].length}`);

    // A newcomer after the restart: the history it is shown.
    await using second = await startOn(data, "--history", "100000");
    await using newcomer = await LineClient.connect(second.port);
    await newcomer.waitFor("Enter your nickname:");
    await newcomer.send("late");
    const header = await newcomer.waitFor((line) => /^-- \d+ recent messages? --$/.test(line));
    const count = Number(/\d+/.exec(header)![0]);
    const history: string[] = [];
    for (let i = 0; i < count; i++) {
      const line = (await newcomer.nextLine())!;
      history.push(/^\[\d\d:\d\d\] c\d> (c\d-\d+)$/.exec(line)![1]);
    }
    await newcomer.close();
    second.child.kill("SIGTERM");
    assertEquals((await second.child.exit()).code, 0);

    assertEquals(new Set(history).size, history.length, "no line twice");
    const position = new Map(history.map((text, i) => [text, i]));
    for (const [i, texts] of shown.entries()) {
      let last = -1;
      for (const text of texts) {
        const at = position.get(text);
        assert(at !== undefined, `c${i} was shown ${text}, which the history lacks`);
        assert(at > last, `c${i} was shown ${text} out of the history's order`);
        last = at;
      }
    }
    // Each sender's own lines are in the order it sent them.
    for (let i = 0; i < CLIENTS; i++) {
      const own = history.filter((text) => text.startsWith(`c${i}-`));
      assertEquals(own, own.map((_, n) => `c${i}-${n}`), `c${i}'s lines in order, none missing`);
    }

    // The file itself: numbered 1…N without a gap, the same lines.
    const store = new SqliteStore({ path: data, historyKeep: 100_000 });
    try {
      const stored = store.history(roomKey("lobby"), 100_000);
      assertEquals(stored.lastSeq, history.length);
      assertEquals(stored.events.map((event) => event.text), history);
      assertEquals(
        stored.events.map((event) => event.id),
        history.map((_, n) => `${store.epoch}.${n + 1}`),
      );
    } finally {
      store.close();
    }
  },
);
