/**
 * The in-process bus: an event published to a room is delivered to it at once,
 * in the same microtask, and the room's history is kept in memory.
 *
 * @module
 */

import type { Bus } from "./bus.ts";
import { type HistoryEvent, isHistoryEvent, type RoomEvent } from "./events.ts";
import { History } from "./history.ts";

interface OpenRoom {
  deliver: (event: RoomEvent) => void;
  history: History<HistoryEvent>;
}

/** A bus for one server alone. */
export class LocalBus implements Bus {
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
    open.deliver(event);
    return true;
  }

  /** @inheritdoc */
  open(room: string, deliver: (event: RoomEvent) => void): void {
    const open = this.#rooms.get(room);
    if (open !== undefined) open.deliver = deliver;
    else this.#rooms.set(room, { deliver, history: new History(this.#historyLimit) });
  }

  /** @inheritdoc */
  close(room: string): void {
    // In one process a room with nobody in it is gone, with its history.
    this.#rooms.delete(room);
  }

  /** @inheritdoc */
  history(room: string, limit: number): readonly HistoryEvent[] {
    return this.#rooms.get(room)?.history.last(limit) ?? [];
  }
}
