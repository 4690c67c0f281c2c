/**
 * The in-process bus: an event published to a room is delivered to it at once,
 * in the same microtask. Messages and actions are numbered per room (their `id`)
 * and written to the store; a room's last ones are kept in memory for newcomers,
 * and read back from the store when the room opens (after a restart too).
 *
 * @module
 */

import { whenReady } from "../util/maybe_async.ts";
import type { Bus, HistoryRead } from "./bus.ts";
import { eventId } from "./event_id.ts";
import { type HistoryEvent, isHistoryEvent, type RoomEvent } from "./events.ts";
import { History } from "./history.ts";
import { MemoryStore } from "./memory_store.ts";
import type { Room } from "./room.ts";
import type { Store, StoredEvent } from "./store.ts";

interface OpenRoom {
  room: Room;
  history: History<HistoryEvent>;
  /** The room's last sequence number (its last event's, or what the store counted). */
  seq: number;
}

const NOTHING_TO_RESUME = (): void => {};

/** A bus for one server alone. */
export class LocalBus implements Bus {
  /** @inheritdoc */
  readonly shared = false;
  #rooms = new Map<string, OpenRoom>();
  #historyLimit: number;
  #store: Store;

  /**
   * @param historyLimit The messages and actions each room shows newcomers.
   * @param store Where each room's history is written and read back from.
   *   @default {a MemoryStore of its own}
   */
  constructor(historyLimit: number, store: Store = new MemoryStore()) {
    this.#historyLimit = historyLimit;
    this.#store = store;
  }

  /** @inheritdoc */
  publish(room: string, event: RoomEvent): boolean {
    const open = this.#rooms.get(room);
    if (open === undefined) return true;
    if (isHistoryEvent(event)) {
      const seq = ++open.seq;
      (event as StoredEvent).id = eventId(this.#store.epoch, seq);
      this.#store.appendHistory(room, seq, event as StoredEvent);
      open.history.push(event);
    } else if (event.type === "topic") {
      this.#detach(
        this.#store.setTopic(room, { text: event.text, nick: event.nick, time: event.time }),
      );
    }
    open.room.deliver(event);
    return true;
  }

  /** @inheritdoc */
  sync(): void {
    this.#store.commit();
  }

  /** @inheritdoc */
  open(room: Room): void | Promise<void> {
    const open = this.#rooms.get(room.key);
    if (open !== undefined) {
      open.room = room;
      room.lastId = eventId(this.#store.epoch, open.seq);
      return;
    }
    // The ring and the count start from what the store kept (a restart, or a room
    // that was empty for a while).
    return whenReady(this.#store.history(room.key, this.#historyLimit), (stored) => {
      const history = new History<HistoryEvent>(this.#historyLimit);
      for (const event of stored.events) history.push(event);
      this.#rooms.set(room.key, { room, history, seq: stored.lastSeq });
      // Where a member who leaves before anything is said catches up from: the
      // count's own id (the store may forget the room meanwhile; the count goes on).
      room.lastId = eventId(this.#store.epoch, stored.lastSeq);
      return whenReady(this.#store.topic(room.key), (topic) => {
        if (topic !== undefined && room.topic === undefined) room.restoreTopic(topic.text);
      });
    });
  }

  /** @inheritdoc */
  close(room: string): void {
    // The store keeps the room's history; the ring goes with the room.
    this.#rooms.delete(room);
  }

  /** @inheritdoc */
  history(room: string, limit: number): HistoryRead {
    // What a newcomer is sent is stored first, as what a room renders is.
    this.sync();
    // Everything happens in one turn here: nothing can come between.
    const events = this.#rooms.get(room)?.history.last(limit) ?? [];
    return { events, resume: NOTHING_TO_RESUME };
  }

  /** A store that answers later (none does in this process) is not waited for. */
  #detach(step: void | Promise<void>): void {
    if (step instanceof Promise) step.catch(() => {});
  }
}
