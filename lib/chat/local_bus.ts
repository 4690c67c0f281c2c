/**
 * The in-process bus: an event published to a room is delivered to it at once,
 * in the same microtask, and the room's history is kept in memory.
 *
 * @module
 */

import type { Bus, HistoryRead } from "./bus.ts";
import { type HistoryEvent, isHistoryEvent, type RoomEvent } from "./events.ts";
import { History } from "./history.ts";
import type { Room } from "./room.ts";

interface OpenRoom {
  room: Room;
  history: History<HistoryEvent>;
}

const NOTHING_TO_RESUME = (): void => {};

/** A bus for one server alone. */
export class LocalBus implements Bus {
  /** @inheritdoc */
  readonly shared = false;
  #rooms = new Map<string, OpenRoom>();
  #historyLimit: number;

  /**
   * @param historyLimit The messages and actions each room keeps.
   */
  constructor(historyLimit: number) {
    this.#historyLimit = historyLimit;
  }

  /** @inheritdoc */
  publish(room: string, event: RoomEvent): boolean {
    const open = this.#rooms.get(room);
    if (open === undefined) return true;
    if (isHistoryEvent(event)) open.history.push(event);
    open.room.deliver(event);
    return true;
  }

  /** @inheritdoc */
  open(room: Room): void {
    const open = this.#rooms.get(room.key);
    if (open !== undefined) open.room = room;
    else this.#rooms.set(room.key, { room, history: new History(this.#historyLimit) });
  }

  /** @inheritdoc */
  close(room: string): void {
    // In one process a room with nobody in it is gone, with its history.
    this.#rooms.delete(room);
  }

  /** @inheritdoc */
  history(room: string, limit: number): HistoryRead {
    // Everything happens in one turn here: nothing can come between.
    const events = this.#rooms.get(room)?.history.last(limit) ?? [];
    return { events, resume: NOTHING_TO_RESUME };
  }
}
