/**
 * What the data file costs the store's path in CPU time (not wall time, which a busy
 * machine distorts): lines published through the bus into one room of 100 members,
 * the room rendered (the store commits first), each member's share taken, one turn
 * of the event loop per batch so that the store's timers run as in the server.
 * The same with `--data none` (a MemoryStore) and with an SQLite file, three times.
 *
 *     deno run --allow-read --allow-write bench/store_cpu.ts [LINES_PER_TURN] [TURNS]
 *
 * Compare two builds by running it in each tree, alternately.
 *
 * @module
 */

import process from "node:process";
import { LocalBus } from "../lib/chat/local_bus.ts";
import { MemoryStore } from "../lib/chat/memory_store.ts";
import { Room } from "../lib/chat/room.ts";
import type { Store } from "../lib/chat/store.ts";
import { Outbox } from "../lib/fanout/outbox.ts";
import { TextFormat } from "../lib/server/text_format.ts";
import { SqliteStore } from "../lib/store/sqlite_store.ts";

const MEMBERS = 100;
const WARM_TURNS = 200;
const FORMAT = new TextFormat("en");
const TEXT = "hello everyone, how is the build going? all green";

/** A room of MEMBERS on a bus over `store`, and one turn of `lines` lines in it. */
function setup(store: Store, lines: number): { turn: () => void; close: () => void } {
  const bus = new LocalBus(50, store);
  const room = new Room("lobby", undefined, () => bus.sync());
  bus.open(room);
  const members = Array.from({ length: MEMBERS }, () => {
    const member = { outbox: new Outbox(1 << 22), format: FORMAT, overflowed() {} };
    room.channel.add(member);
    return member;
  });
  return {
    turn() {
      for (let i = 0; i < lines; i++) {
        bus.publish(room.key, {
          type: "message",
          room: "lobby",
          nick: "alice",
          text: TEXT,
          time: 0,
        });
      }
      room.channel.flush();
      for (const member of members) {
        while (member.outbox.takeNow() !== undefined) { /* as a writer would */ }
      }
    },
    close: () => void store.close(),
  };
}

/** The CPU time (user + system, µs) of one turn, averaged over `turns`. */
async function cpuPerTurn(turn: () => void, turns: number): Promise<number> {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  for (let i = 0; i < WARM_TURNS; i++) {
    turn();
    await tick();
  }
  const start = process.cpuUsage();
  for (let i = 0; i < turns; i++) {
    turn();
    await tick();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / turns;
}

if (import.meta.main) {
  const lines = Number(Deno.args[0] ?? 80);
  const turns = Number(Deno.args[1] ?? 2000);
  const dir = Deno.makeTempDirSync({ prefix: "chat-store-cpu-" });
  try {
    for (let run = 1; run <= 3; run++) {
      const memory = setup(new MemoryStore(), lines);
      const none = await cpuPerTurn(memory.turn, turns);
      memory.close();
      const file = setup(new SqliteStore({ path: `${dir}/chat-${run}.db` }), lines);
      const sqlite = await cpuPerTurn(file.turn, turns);
      file.close();
      console.log(
        `${lines} lines a turn, run ${run}: --data none ${none.toFixed(0)} µs, ` +
          `file ${sqlite.toFixed(0)} µs (+${(sqlite - none).toFixed(0)} µs a turn)`,
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
