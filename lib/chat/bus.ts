/**
 * The seam between a room and where its events travel.
 *
 * A room never shows an event when it is made: it publishes it on the bus and
 * shows what comes back. In one process the bus hands it back at once (the
 * {@linkcode LocalBus}); in a cluster it comes back from a shared stream, in the
 * one order every server sees.
 *
 * @module
 */

import type { HistoryEvent, RoomEvent } from "./events.ts";

/** Where a room's events travel. */
export interface Bus {
  /**
   * Sends an event to a room. Its members, here and elsewhere, see it when it
   * comes back through the function given to {@linkcode Bus.open}.
   *
   * @param room The room's key.
   * @param event The event.
   * @returns `false` when it cannot be sent now (a cluster that is unreachable).
   */
  publish(room: string, event: RoomEvent): boolean;
  /**
   * Starts delivering a room's events to this server (its first member here came).
   *
   * @param room The room's key.
   * @param deliver Called with each event, in order.
   */
  open(room: string, deliver: (event: RoomEvent) => void): void;
  /**
   * Stops delivering a room's events to this server (its last member here left).
   *
   * @param room The room's key.
   */
  close(room: string): void;
  /**
   * The room's most recent messages and actions, oldest first.
   *
   * @param room The room's key.
   * @param limit The most to return.
   * @returns The events (at once in one process).
   */
  history(room: string, limit: number): readonly HistoryEvent[] | Promise<readonly HistoryEvent[]>;
}
