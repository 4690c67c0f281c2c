/**
 * The coordinator: the main thread of a server with workers (`--workers N`). Each
 * worker runs a whole chat server on the shared ports; the coordinator accepts no
 * connection. It owns what must be one in the process:
 *
 * - each room's one order: a room's events are numbered, stored, then sent to
 *   every worker that has members in the room, in that order, one message per
 *   batch per worker (not one per member);
 * - nickname claims and presence (`/who`, `/rooms`, whispers, kicks), bans, the
 *   store (the data file is opened once, here), the wrong password counts;
 * - the console (workers send their lines here), start-up and shutdown;
 * - the failure of a worker: its users' leaves are announced, their nicknames
 *   freed, and it is started again (or, failing too often, the server stops).
 *
 * The connection counts (`--max-clients`, `--max-per-address`) are shared memory
 * that every worker reads at once ({@linkcode SharedCounts}).
 *
 * @module
 */

import { type ConsoleText, consoleText } from "../catalog/console_text.ts";
import { eventId } from "../chat/event_id.ts";
import {
  type HistoryEvent,
  isHistoryEvent,
  type RoomEntry,
  type RoomEvent,
  type WhoEntry,
} from "../chat/events.ts";
import { History } from "../chat/history.ts";
import { sortRooms } from "../chat/local_directory.ts";
import { MemoryStore } from "../chat/memory_store.ts";
import { nicknameKey } from "../chat/nickname.ts";
import { LocalPasswordAttempts } from "../chat/password_attempts.ts";
import type { Store, StoredEvent } from "../chat/store.ts";
import {
  type ResolvedServeOptions,
  resolveServeOptions,
  type ServeOptions,
} from "../server/options.ts";
import { reachOf, webUrls } from "../server/server.ts";
import { TextFormat } from "../server/text_format.ts";
import { ConsoleLog } from "../util/console_log.ts";
import { WebListenError } from "../util/errors.ts";
import type { MaybePromise } from "../util/maybe_async.ts";
import type {
  BanChange,
  OpenedRoom,
  PresenceEntry,
  ToCoordinator,
  ToWorker,
  WorkerInit,
} from "./messages.ts";
import { SharedCounts } from "./shared_counts.ts";

/** A worker that fails more often than this within {@linkcode FAILURE_WINDOW_MS} takes the server down: restarting it only hides a bug. */
export const MAX_FAILURES = 3;
/** The window in which a worker's failures are counted. */
export const FAILURE_WINDOW_MS = 60_000;
/** How long a worker may take to stop after shutdown was asked: its clients' flushing is bounded, so this is a safety net. */
export const STOP_TIMEOUT_MS = 15_000;

/** Options for {@linkcode Coordinator}: the server's, plus how many workers. */
export interface CoordinatorOptions extends ServeOptions {
  /** How many workers (at least 2: one worker is the plain server). */
  workers: number;
  /** The worker's entry point (tests wrap it). @default {worker_main.ts} */
  workerUrl?: URL;
}

interface RoomState {
  seq: number;
  history: History<HistoryEvent>;
  /** The workers with members in the room. */
  followers: Set<number>;
}

/** A user as the coordinator keeps it: one object for its whole stay (renames, take-overs). */
type Presence = PresenceEntry;

interface WorkerSlot {
  index: number;
  worker: Worker;
  queue: ToWorker[];
  alive: boolean;
  listening: PromiseWithResolvers<{ port: number; webPort: number | undefined }>;
  stopped: PromiseWithResolvers<void>;
}

/** The server with workers: started by {@linkcode startWorkers}. */
export class Coordinator implements AsyncDisposable {
  /** The chat port (the real one when `0` was asked for), once started. */
  addr!: Deno.NetAddr;
  /** The web port, when `web` is set, once started. */
  webAddr: Deno.NetAddr | undefined;
  /** Settles when every worker stopped and the store is closed; `false` when a failing worker took the server down. */
  readonly finished: Promise<boolean>;
  #options: ResolvedServeOptions;
  #given: CoordinatorOptions;
  #text: ConsoleText;
  #format: TextFormat;
  #log: ConsoleLog;
  #store!: Store;
  #attempts: LocalPasswordAttempts;
  #counts: SharedCounts;
  #slots: WorkerSlot[] = [];
  #rooms = new Map<string, RoomState>();
  #users = new Map<string, Presence>();
  /** Each room's members in the order they came (`/who`): a set keeps insertion order. */
  #inRoom = new Map<string, Set<Presence>>();
  #failures: number[] = [];
  #closing = false;
  #started = false;
  #healthy = true;
  #done = Promise.withResolvers<boolean>();
  #ports: { port: number; webPort: number | undefined } | undefined;
  #onAbort = () => void this.shutdown();

  /**
   * Prefer {@linkcode startWorkers}.
   *
   * @param options The server's options and the number of workers.
   */
  constructor(options: CoordinatorOptions) {
    this.#given = options;
    this.#options = resolveServeOptions(options);
    this.#text = consoleText(this.#options.lang);
    this.#format = new TextFormat(this.#options.lang);
    this.#log = options.log ?? new ConsoleLog();
    this.#attempts = new LocalPasswordAttempts({
      observer: {
        burst: (address, failures) => this.#log.info(this.#text.passwordBurst(address, failures)),
      },
    });
    this.#counts = new SharedCounts(SharedCounts.allocate(options.workers), 0);
    this.finished = this.#done.promise;
  }

  /**
   * Opens the store, starts the first worker (which binds the ports), then the
   * others on the same ports, and says so on the console.
   *
   * @returns When every worker listens.
   * @throws {Error} What the first worker could not do (a port taken), or the store.
   */
  async start(): Promise<void> {
    const o = this.#options;
    // A port shared by reusePort never says it is taken: one plain bind first does,
    // as one server would (another chat on the port, with workers or not).
    if (o.port !== 0) Deno.listen({ hostname: o.hostname, port: o.port }).close();
    if (o.web !== undefined && o.web.port !== 0) {
      try {
        Deno.listen({ hostname: o.web.hostname ?? o.hostname, port: o.web.port }).close();
      } catch (error) {
        throw new WebListenError(o.web.hostname ?? o.hostname, o.web.port, error);
      }
    }
    this.#store = this.#openStore();
    try {
      const first = this.#spawn(0, o.port, o.web?.port);
      const ports = await first.listening.promise;
      this.#ports = ports;
      const others = [];
      for (let i = 1; i < this.#given.workers; i++) {
        others.push(this.#spawn(i, ports.port, ports.webPort).listening.promise);
      }
      await Promise.all(others);
    } catch (error) {
      for (const slot of this.#slots) slot.worker.terminate();
      await this.#store.close();
      throw error;
    }
    const hostname = o.hostname;
    this.addr = { transport: "tcp", hostname, port: this.#ports.port };
    if (o.web !== undefined && this.#ports.webPort !== undefined) {
      this.webAddr = {
        transport: "tcp",
        hostname: o.web.hostname ?? hostname,
        port: this.#ports.webPort,
      };
    }
    if (o.onListen !== undefined) {
      o.onListen(this.addr);
    } else {
      this.#log.plain(this.#text.listening(hostname, this.addr.port));
      this.#log.plain(this.#text.serving(o.mode, o.tls !== undefined, ...reachOf(this.addr)));
      if (this.webAddr !== undefined) {
        this.#log.plain(this.#text.webPage(webUrls(this.webAddr, o.tls !== undefined)));
      }
      this.#log.plain(this.#text.data(this.#store.location));
      this.#log.plain(this.#text.workers(this.#given.workers));
      this.#log.plain(this.#text.waiting);
    }
    this.#started = true;
    o.signal?.addEventListener("abort", this.#onAbort, { once: true });
    if (o.signal?.aborted) void this.shutdown();
  }

  /**
   * Tells every worker to shut down (each tells its clients, flushes, closes),
   * then closes the store.
   *
   * @returns {@linkcode Coordinator.finished}.
   */
  shutdown(): Promise<boolean> {
    if (!this.#closing) {
      this.#closing = true;
      this.#log.plain(this.#text.logShutdown);
      void this.#stopAll();
    }
    return this.finished;
  }

  /** Shuts the server down. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  /**
   * Which worker holds a nickname (tests and the console).
   *
   * @param nickname The nickname.
   * @returns The worker's number, or `undefined`.
   */
  workerOf(nickname: string): number | undefined {
    return this.#users.get(nicknameKey(nickname))?.worker;
  }

  /**
   * Waits until a worker listens (after a restart, say).
   *
   * @param index The worker.
   * @returns When it listens.
   */
  async serving(index: number): Promise<void> {
    await this.#slots[index].listening.promise;
  }

  /**
   * Ends a worker as if it had crashed (tests): its connections die with it.
   *
   * @param index The worker.
   */
  kill(index: number): void {
    const slot = this.#slots[index];
    if (slot?.alive) this.#failed(slot, "terminated");
  }

  #spawn(index: number, port: number, webPort: number | undefined): WorkerSlot {
    const o = this.#options;
    const url = this.#given.workerUrl ?? new URL("./worker_main.ts", import.meta.url);
    const worker = new Worker(url.href, { type: "module" });
    const slot: WorkerSlot = {
      index,
      worker,
      queue: [],
      alive: true,
      listening: Promise.withResolvers(),
      stopped: Promise.withResolvers(),
    };
    // Not awaited by everyone: a failure before listening is the start's.
    slot.listening.promise.catch(() => {});
    this.#slots[index] = slot;
    worker.addEventListener("message", (event: MessageEvent<ToCoordinator[]>) => {
      if (!slot.alive) return;
      for (const item of event.data) this.#handle(slot, item);
      this.#flush();
    });
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      if (slot.alive) this.#failed(slot, event.message);
    });
    const init: WorkerInit = {
      index,
      serve: {
        ...this.#servedOf(o),
        port,
        web: o.web === undefined ? undefined : { ...o.web, port: webPort ?? o.web.port },
      },
      counts: this.#counts.buffer,
      epoch: this.#store.epoch,
      location: this.#store.location,
      bans: this.#bansInForce(),
    };
    worker.postMessage(init);
    return slot;
  }

  /** The settings a worker's server takes as they are. */
  #servedOf(o: ResolvedServeOptions): WorkerInit["serve"] {
    const {
      cluster: _c,
      store: _s,
      signal: _g,
      onListen: _l,
      passwordAttempts: _p,
      counts: _n,
      ...served
    } = o;
    return served;
  }

  #bansInForce(): BanChange[] {
    return now(this.#store.bans()).map((ban) => ({
      kind: ban.kind,
      target: ban.target,
      lifted: false,
      until: ban.until,
      name: ban.name,
    }));
  }

  #handle(slot: WorkerSlot, item: ToCoordinator): void {
    const w = slot.index;
    switch (item.op) {
      case "publish":
        this.#publish(item.room, item.event);
        return;
      case "open":
        this.#reply(slot, item.id, () => this.#open(w, item.room));
        return;
      case "close": {
        const room = this.#rooms.get(item.room);
        room?.followers.delete(w);
        if (room?.followers.size === 0) this.#rooms.delete(item.room);
        return;
      }
      case "claim":
        this.#reply(slot, item.id, () => {
          const key = nicknameKey(item.user.nick);
          if (this.#users.has(key)) return false;
          const entry: Presence = { ...item.user, worker: w, roomKey: "", room: "" };
          this.#users.set(key, entry);
          this.#place(entry, item.user.room, item.user.roomKey);
          return true;
        });
        return;
      case "takeOver":
        this.#reply(slot, item.id, () => {
          const key = nicknameKey(item.user.nick);
          const holder = this.#users.get(key);
          if (holder !== undefined && holder.worker !== w) {
            // Held on another worker: that worker lets its user go without a word to the
            // room (told first, so its members see the leave below once), the leave is
            // ordered here, before the new login's joined notice can be.
            this.#toWorker(holder.worker, { t: "reclaim", userId: holder.userId });
            this.#forget(key, holder);
            if (holder.roomKey !== "") {
              this.#publish(holder.roomKey, {
                type: "left",
                room: holder.room,
                nick: holder.nick,
                time: Date.now(),
              });
            }
            const entry: Presence = { ...item.user, worker: w, roomKey: "", room: "" };
            this.#users.set(key, entry);
            this.#place(entry, item.user.room, item.user.roomKey);
            return { claimed: true, ghost: undefined };
          }
          if (holder === undefined) {
            const entry: Presence = { ...item.user, worker: w, roomKey: "", room: "" };
            this.#users.set(key, entry);
            this.#place(entry, item.user.room, item.user.roomKey);
            return { claimed: true, ghost: undefined };
          }
          // The new user takes the holder's place in its room (its order in /who too).
          const ghost = holder.userId;
          holder.userId = item.user.userId;
          holder.nick = item.user.nick;
          holder.address = item.user.address;
          holder.away = item.user.away;
          return { claimed: true, ghost };
        });
        return;
      case "rename":
        this.#reply(slot, item.id, () => {
          const entry = this.#users.get(item.oldKey);
          if (entry === undefined || entry.worker !== w || entry.userId !== item.userId) {
            return false;
          }
          const newKey = nicknameKey(item.nickname);
          const holder = this.#users.get(newKey);
          if (holder !== undefined && holder !== entry) return false;
          this.#users.delete(item.oldKey);
          entry.nick = item.nickname;
          this.#users.set(newKey, entry);
          return true;
        });
        return;
      case "release": {
        const entry = this.#users.get(item.key);
        if (entry?.worker === w && entry.userId === item.userId) this.#forget(item.key, entry);
        return;
      }
      case "changed": {
        const entry = this.#users.get(nicknameKey(item.user.nick));
        if (entry?.worker !== w || entry.userId !== item.user.userId) return;
        this.#place(entry, item.user.room, item.user.roomKey);
        entry.away = item.user.away;
        return;
      }
      case "find":
        this.#reply(slot, item.id, () => {
          const entry = this.#users.get(nicknameKey(item.nickname));
          if (entry === undefined) return undefined;
          return entry;
        });
        return;
      case "deliver":
        this.#toWorker(item.worker, { t: "deliver", userId: item.userId, event: item.event });
        return;
      case "kick":
        this.#toWorker(item.worker, { t: "kick", userId: item.userId, removal: item.removal });
        return;
      case "who":
        this.#reply(slot, item.id, () => this.#who(item.room, item.limit));
        return;
      case "rooms":
        this.#reply(slot, item.id, () => this.#roomList());
        return;
      case "ban":
        this.#ban(w, item.change);
        return;
      case "store":
        this.#reply(slot, item.id, () => {
          const method = this.#store[item.method] as (...args: unknown[]) => MaybePromise<unknown>;
          return method.apply(this.#store, item.args);
        });
        return;
      case "verdict":
        this.#reply(slot, item.id, () => this.#attempts.verdict(item.address));
        return;
      case "failed":
        this.#attempts.failed(item.address, item.kind);
        return;
      case "log":
        this.#console(item.text);
        return;
      case "listening":
        slot.listening.resolve({ port: item.port, webPort: item.webPort });
        return;
      case "startFailed":
        slot.alive = false;
        slot.worker.terminate();
        slot.listening.reject(new Error(item.message));
        return;
      case "stopped":
        slot.alive = false;
        slot.worker.terminate();
        slot.stopped.resolve();
        return;
    }
  }

  /** Orders a room's event: numbered and stored (a message, an action), then queued for each follower. */
  #publish(key: string, event: RoomEvent): void {
    const room = this.#rooms.get(key);
    if (room === undefined) return;
    if (isHistoryEvent(event)) {
      const seq = ++room.seq;
      (event as StoredEvent).id = eventId(this.#store.epoch, seq);
      this.#store.appendHistory(key, seq, event as StoredEvent);
      room.history.push(event);
    } else if (event.type === "topic") {
      void this.#store.setTopic(key, { text: event.text, nick: event.nick, time: event.time });
    }
    if (!this.#options.quiet) {
      this.#log.info(this.#text.logRoom(event.room, this.#format.roomLine(event)));
    }
    for (const w of room.followers) {
      const queue = this.#slots[w].queue;
      const last = queue[queue.length - 1];
      if (last?.t === "events" && last.room === key) last.events.push(event);
      else queue.push({ t: "events", room: key, events: [event] });
    }
  }

  #open(w: number, key: string): OpenedRoom {
    const limit = this.#options.historyLimit;
    let room = this.#rooms.get(key);
    if (room === undefined) {
      const stored = now(this.#store.history(key, limit));
      const history = new History<HistoryEvent>(limit);
      for (const event of stored.events) history.push(event);
      room = { seq: stored.lastSeq, history, followers: new Set() };
      this.#rooms.set(key, room);
    }
    room.followers.add(w);
    return {
      events: room.history.last(limit),
      lastSeq: room.seq,
      topic: now(this.#store.topic(key)),
    };
  }

  #who(key: string, limit: number): { users: WhoEntry[]; total: number } {
    const here = this.#inRoom.get(key);
    const users: WhoEntry[] = [];
    if (here === undefined) return { users, total: 0 };
    for (const entry of here) {
      if (limit >= 0 && users.length >= limit) break;
      users.push({ nick: entry.nick, away: entry.away !== undefined });
    }
    return { users, total: here.size };
  }

  #roomList(): RoomEntry[] {
    const rooms: RoomEntry[] = [];
    for (const members of this.#inRoom.values()) {
      const first = members.values().next().value!;
      rooms.push({ name: first.room, count: members.size });
    }
    return sortRooms(rooms);
  }

  /** Moves a user to a room (or to none, `""`) in the rooms' member lists. */
  #place(entry: Presence, room: string, roomKey: string): void {
    if (entry.roomKey === roomKey) {
      entry.room = room;
      return;
    }
    this.#unplace(entry);
    entry.room = room;
    entry.roomKey = roomKey;
    if (roomKey === "") return;
    let members = this.#inRoom.get(roomKey);
    if (members === undefined) {
      members = new Set();
      this.#inRoom.set(roomKey, members);
    }
    members.add(entry);
  }

  #unplace(entry: Presence): void {
    const members = this.#inRoom.get(entry.roomKey);
    if (members === undefined) return;
    members.delete(entry);
    if (members.size === 0) this.#inRoom.delete(entry.roomKey);
  }

  /** A user is gone: its nickname is free, and it is in no room. */
  #forget(key: string, entry: Presence): void {
    this.#users.delete(key);
    this.#unplace(entry);
  }

  /** A ban made or lifted on one worker: kept in the store, and told to the others. */
  #ban(from: number, change: BanChange): void {
    if (change.lifted) {
      void this.#store.removeBan(change.kind, change.target);
    } else {
      void this.#store.addBan({
        kind: change.kind,
        target: change.target,
        name: change.name,
        until: change.until,
        by: change.by,
        reason: change.reason,
      });
    }
    for (const slot of this.#slots) {
      if (slot.index !== from && slot.alive) slot.queue.push({ t: "ban", change });
    }
  }

  /** Answers a question now, or when the store answers. */
  #reply(slot: WorkerSlot, id: number, answer: () => unknown): void {
    let value: unknown;
    try {
      value = answer();
    } catch (error) {
      slot.queue.push({ t: "reply", id, error: messageOf(error) });
      return;
    }
    if (!(value instanceof Promise)) {
      slot.queue.push({ t: "reply", id, value });
      return;
    }
    value.then(
      (resolved) => slot.queue.push({ t: "reply", id, value: resolved }),
      (error) => slot.queue.push({ t: "reply", id, error: messageOf(error) }),
    ).finally(() => this.#flush());
  }

  #toWorker(index: number, item: ToWorker): void {
    const slot = this.#slots[index];
    if (slot?.alive) slot.queue.push(item);
  }

  /** Stores the turn's lines, then sends each worker its batch: one message each. */
  #flush(): void {
    this.#store.commit();
    for (const slot of this.#slots) {
      if (slot.queue.length === 0) continue;
      const batch = slot.queue;
      slot.queue = [];
      if (slot.alive) slot.worker.postMessage(batch);
    }
  }

  /** A worker's console lines; the shutdown line is said once, here. */
  #console(text: string): void {
    for (const line of text.split("\n")) {
      if (line === "" || line === this.#text.logShutdown) continue;
      this.#log.plain(line);
    }
  }

  /**
   * A worker died: its connections are gone. Its users leave their rooms (the
   * others see it) and their nicknames are free; it is started again, unless it
   * failed too often (the server stops, and says why).
   */
  #failed(slot: WorkerSlot, reason: string): void {
    slot.alive = false;
    slot.worker.terminate();
    slot.queue = [];
    this.#counts.clear(slot.index);
    slot.listening.reject(new Error(reason));
    slot.stopped.resolve();
    // While starting, the start fails with the reason (and cleans up).
    if (!this.#started) return;
    let users = 0;
    const time = Date.now();
    for (const [key, entry] of [...this.#users]) {
      if (entry.worker !== slot.index) continue;
      this.#forget(key, entry);
      users++;
      if (entry.roomKey !== "") {
        this.#publish(entry.roomKey, { type: "left", room: entry.room, nick: entry.nick, time });
      }
    }
    for (const [key, room] of this.#rooms) {
      room.followers.delete(slot.index);
      if (room.followers.size === 0) this.#rooms.delete(key);
    }
    this.#flush();
    if (this.#closing) return;
    this.#failures = this.#failures.filter((t) => t > time - FAILURE_WINDOW_MS);
    this.#failures.push(time);
    const restart = this.#failures.length <= MAX_FAILURES;
    this.#log.info(this.#text.workerFailed(slot.index, reason, users, restart));
    if (restart) {
      const ports = this.#ports!;
      this.#spawn(slot.index, ports.port, ports.webPort);
    } else {
      this.#healthy = false;
      void this.shutdown();
    }
  }

  async #stopAll(): Promise<void> {
    for (const slot of this.#slots) {
      if (slot.alive) slot.queue.push({ t: "shutdown" });
    }
    this.#flush();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_TIMEOUT_MS);
    });
    await Promise.race([Promise.all(this.#slots.map((slot) => slot.stopped.promise)), timeout]);
    clearTimeout(timer);
    for (const slot of this.#slots) {
      if (slot.alive) {
        slot.alive = false;
        slot.worker.terminate();
      }
    }
    this.#flush();
    await this.#store.close();
    this.#options.signal?.removeEventListener("abort", this.#onAbort);
    await this.#log.flushed();
    this.#done.resolve(this.#healthy);
  }

  /** Opens the store the options make, or one in memory (as one server does). */
  #openStore(): Store {
    const o = this.#options;
    if (o.store === undefined) {
      return new MemoryStore({ historyKeep: o.historyLimit, maxRooms: o.maxRooms });
    }
    const text = this.#text;
    let location = "";
    const store = o.store({
      log: {
        unwritable: (reason) => this.#log.info(text.dataUnwritable(location, reason)),
        writable: (lost) => this.#log.info(text.dataWritable(location, lost)),
      },
      historyKeep: Math.max(o.historyKeep, o.historyLimit),
    });
    location = store.location ?? "";
    return store;
  }
}

/**
 * Starts a server with workers, as `serve()` starts one alone.
 *
 * @param options The server's options and the number of workers.
 * @returns The running server, once every worker listens.
 * @throws {Error} What kept it from starting (a port taken, the data file).
 */
export async function startWorkers(options: CoordinatorOptions): Promise<Coordinator> {
  const coordinator = new Coordinator(options);
  await coordinator.start();
  return coordinator;
}

/** The stores of this process answer at once; the coordinator relies on it for one order. */
function now<T>(value: MaybePromise<T>): T {
  if (value instanceof Promise) throw new TypeError("The coordinator's store must answer at once");
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
