/**
 * What keeping the history costs a line, beside what fanning it out costs: lines
 * published through the in-process bus into a room of 100 members (rendered once,
 * each member's share taken as a writer takes it), with the history in memory
 * (`--data none`) or in an SQLite file (the default), in turns of 1, 16 and 256
 * lines (a busy server's turns hold a few hundred).
 *
 * Run: `deno bench --allow-read --allow-write bench/store_bench.ts`
 *
 * @module
 */

import { LocalBus } from "../lib/chat/local_bus.ts";
import { MemoryStore } from "../lib/chat/memory_store.ts";
import { Room } from "../lib/chat/room.ts";
import type { Store } from "../lib/chat/store.ts";
import type { Subscriber } from "../lib/fanout/channel.ts";
import { Outbox } from "../lib/fanout/outbox.ts";
import type { RoomEvent } from "../lib/chat/events.ts";
import { TextFormat } from "../lib/server/text_format.ts";
import { SqliteStore } from "../lib/store/sqlite_store.ts";

/** Members of the room: a-100's fan-out. */
const MEMBERS = 100;
const FORMAT = new TextFormat("en");
const TEXT = "hello everyone, how is the build going? all green here".slice(0, 50);

/** A room of members on a bus over a store, and a turn of lines through it. */
function setup(store: Store): { turn: (lines: number) => void; close: () => void } {
  const bus = new LocalBus(50, store);
  const room = new Room("lobby", undefined, () => bus.sync());
  bus.open(room);
  const members: Subscriber<RoomEvent>[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const member = { outbox: new Outbox(1 << 22), format: FORMAT, overflowed() {} };
    room.channel.add(member);
    members.push(member);
  }
  return {
    turn(lines) {
      for (let i = 0; i < lines; i++) {
        bus.publish(room.key, {
          type: "message",
          room: "lobby",
          nick: "alice",
          text: TEXT,
          time: Date.now(),
        });
      }
      // The end of the turn: the room renders (the store commits first), writers take.
      room.channel.flush();
      for (const member of members) {
        while (member.outbox.takeNow() !== undefined) { /* as a writer would */ }
      }
    },
    close: () => void store.close(),
  };
}

const dir = Deno.makeTempDirSync({ prefix: "chat-store-bench-" });
let files = 0;

for (const lines of [1, 16, 256]) {
  const memory = setup(new MemoryStore());
  const file = setup(new SqliteStore({ path: `${dir}/chat-${files++}.db` }));
  Deno.bench({
    name: `${lines} lines a turn, --data none`,
    group: `${lines} lines a turn, ${MEMBERS} members`,
    baseline: true,
    fn: () => memory.turn(lines),
  });
  Deno.bench({
    name: `${lines} lines a turn, SQLite file`,
    group: `${lines} lines a turn, ${MEMBERS} members`,
    fn: () => file.turn(lines),
  });
  addEventListener("unload", () => {
    memory.close();
    file.close();
  });
}

addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
