/**
 * A worker's bus: a room's events are ordered by the coordinator, once for the
 * whole process, and come back to every worker that has members in the room, in
 * that order, one message per batch. As in a cluster, a room shows an event only
 * when it comes back, the publisher's own line too.
 *
 * Each worker keeps its open rooms' last messages (the coordinator's copy when the
 * room opened, then what came back), so a newcomer's history is read here, in the
 * same turn as it is added: nothing can come between.
 *
 * @module
 */

import type { Bus, HistoryRead } from "../chat/bus.ts";
import { eventId } from "../chat/event_id.ts";
import { type HistoryEvent, isHistoryEvent, type RoomEvent } from "../chat/events.ts";
import { History } from "../chat/history.ts";
import type { Room } from "../chat/room.ts";
import type { OpenedRoom } from "./messages.ts";
import type { WorkerLink } from "./worker_link.ts";

interface OpenRoom {
  room: Room;
  history: History<HistoryEvent>;
  /** Until the coordinator answered: events before its answer are in its copy. */
  opening: boolean;
}

const NOTHING_TO_RESUME = (): void => {};

/** The bus of one worker. */
export class WorkerBus implements Bus {
  /** @inheritdoc */
  readonly shared = true;
  #link: WorkerLink;
  #epoch: string;
  #historyLimit: number;
  #rooms = new Map<string, OpenRoom>();

  /**
   * @param link The line to the coordinator.
   * @param epoch The store's epoch (event ids).
   * @param historyLimit The messages and actions each room shows newcomers.
   */
  constructor(link: WorkerLink, epoch: string, historyLimit: number) {
    this.#link = link;
    this.#epoch = epoch;
    this.#historyLimit = historyLimit;
  }

  /** @inheritdoc */
  publish(room: string, event: RoomEvent): boolean {
    this.#link.send({ op: "publish", room, event });
    return true;
  }

  /** @inheritdoc */
  sync(): void {
    // The coordinator stores a batch before it sends it.
  }

  /** @inheritdoc */
  open(room: Room): Promise<void> {
    const open: OpenRoom = {
      room,
      history: new History<HistoryEvent>(this.#historyLimit),
      opening: true,
    };
    this.#rooms.set(room.key, open);
    return this.#link.ask<OpenedRoom>((id) => ({ op: "open", id, room: room.key })).then(
      (opened) => {
        for (const event of opened.events) open.history.push(event);
        open.opening = false;
        room.lastId = eventId(this.#epoch, opened.lastSeq);
        if (opened.topic !== undefined && room.topic === undefined) {
          room.restoreTopic(opened.topic.text);
        }
      },
    );
  }

  /** @inheritdoc */
  close(room: string): void {
    this.#rooms.delete(room);
    this.#link.send({ op: "close", room });
  }

  /** @inheritdoc */
  history(room: string, limit: number): HistoryRead {
    const events = this.#rooms.get(room)?.history.last(limit) ?? [];
    return { events, resume: NOTHING_TO_RESUME };
  }

  /**
   * Shows a batch of a room's events, in the coordinator's order.
   *
   * @param room The room's key.
   * @param events The events.
   */
  deliver(room: string, events: readonly RoomEvent[]): void {
    const open = this.#rooms.get(room);
    // A room closed here meanwhile, or still opening (its answer holds these).
    if (open === undefined || open.opening) return;
    for (const event of events) {
      if (isHistoryEvent(event)) open.history.push(event);
      open.room.deliver(event);
    }
  }
}
