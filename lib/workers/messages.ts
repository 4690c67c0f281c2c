/**
 * What the coordinator and its workers say to each other. Each side sends at most
 * one message per batch (a turn's work): an array of items, in order. Order is the
 * contract: the items of one sender arrive in the order they were queued, so a
 * room's events reach a worker in the room's one order, and a reply comes before
 * any event that followed it.
 *
 * @module
 */

import type { BanKind, StoredTopic } from "../chat/store.ts";
import type { HistoryEvent, Removal, RoomEvent, UserEvent } from "../chat/events.ts";
import type { PasswordKind } from "../chat/password_attempts.ts";
import type { ServeOptions } from "../server/options.ts";

/** A user as the coordinator lists it (presence). */
export interface PresenceEntry {
  /** The worker that holds its connection. */
  worker: number;
  /** Its id on that worker. */
  userId: number;
  /** The nickname as registered. */
  nick: string;
  /** The IP address. */
  address: string;
  /** The room's name (`""` before the first). */
  room: string;
  /** The room's key (`""` before the first). */
  roomKey: string;
  /** The away reason, or `undefined` when present. */
  away: string | undefined;
}

/** A user as a worker describes it to the coordinator. */
export type UserState = Omit<PresenceEntry, "worker">;

/** What a room's follower is given when it opens the room. */
export interface OpenedRoom {
  /** The room's last messages and actions, oldest first. */
  events: HistoryEvent[];
  /** The room's last sequence number. */
  lastSeq: number;
  /** The room's topic, if any. */
  topic: StoredTopic | undefined;
}

/** The `Store` methods a worker asks the coordinator's store (history is the bus's). */
export type StoreMethod =
  | "historySince"
  | "topic"
  | "setTopic"
  | "account"
  | "createAccount"
  | "setPassword"
  | "setOperator"
  | "setLastSeen"
  | "deleteAccount"
  | "bans"
  | "addBan"
  | "removeBan"
  | "holdWhisper"
  | "takeWhispers";

/** A ban or its lifting, as it travels. */
export interface BanChange {
  /** What it refuses. */
  kind: BanKind;
  /** The address or the nickname's key. */
  target: string;
  /** `true`: lifted. */
  lifted: boolean;
  /** When it ends (`undefined`: until lifted). */
  until?: number;
  /** A nickname ban's nickname as written. */
  name?: string;
  /** Who made it. */
  by?: string;
  /** Why. */
  reason?: string;
}

/** One item a worker sends. `id` asks for a reply with the same id. */
export type ToCoordinator =
  | { op: "publish"; room: string; event: RoomEvent }
  | { op: "open"; id: number; room: string }
  | { op: "close"; room: string }
  | { op: "claim"; id: number; user: UserState }
  | { op: "takeOver"; id: number; user: UserState }
  | { op: "rename"; id: number; userId: number; oldKey: string; nickname: string }
  | { op: "release"; userId: number; key: string }
  | { op: "changed"; user: UserState }
  | { op: "find"; id: number; nickname: string }
  | { op: "deliver"; worker: number; userId: number; event: UserEvent }
  | { op: "kick"; worker: number; userId: number; removal: Removal }
  | { op: "who"; id: number; room: string; limit: number }
  | { op: "rooms"; id: number }
  | { op: "ban"; change: BanChange }
  | { op: "store"; id: number; method: StoreMethod; args: unknown[] }
  | { op: "verdict"; id: number; address: string }
  | { op: "failed"; address: string; kind: PasswordKind }
  | { op: "log"; text: string }
  | { op: "listening"; port: number; webPort: number | undefined }
  | { op: "startFailed"; message: string }
  | { op: "stopped" };

/** One item the coordinator sends. */
export type ToWorker =
  | { t: "reply"; id: number; value?: unknown; error?: string }
  | { t: "events"; room: string; events: RoomEvent[] }
  | { t: "deliver"; userId: number; event: UserEvent }
  | { t: "kick"; userId: number; removal: Removal }
  | { t: "reclaim"; userId: number }
  | { t: "ban"; change: BanChange }
  | { t: "shutdown" };

/** What a worker is started with (its first message). */
export interface WorkerInit {
  /** Its number (from 0). */
  index: number;
  /** The server's settings, ports included (the first worker's real ones for `0`). */
  serve: Omit<ServeOptions, "cluster" | "store" | "log" | "signal" | "onListen" | "counts">;
  /** The connection counts every worker shares. */
  counts: SharedArrayBuffer;
  /** The store's epoch and location. */
  epoch: string;
  /** Where the data is, for nothing but completeness. */
  location: string | undefined;
  /** The bans in force. */
  bans: BanChange[];
}
