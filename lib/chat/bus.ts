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

import type { MaybePromise } from "../util/maybe_async.ts";
import type { HistoryEvent, RoomEvent } from "./events.ts";
import type { Room } from "./room.ts";

/** A room's recent messages, read for a newcomer. */
export interface HistoryRead {
  /** The messages and actions, oldest first, up to the last event this server has shown. */
  readonly events: readonly HistoryEvent[];
  /**
   * Lets the room show its later events again. Until it is called, no event of the
   * room is shown here, so that a newcomer added in between misses none and sees
   * none twice.
   */
  resume(): void;
}

/** Where rooms' events travel. */
export interface Bus {
  /** Whether other servers share the rooms: a stopping server then tells them its users left. */
  readonly shared: boolean;
  /**
   * Sends an event to a room. Its members, here and elsewhere, see it when it
   * comes back through {@linkcode Room.deliver}.
   *
   * @param room The room's key.
   * @param event The event.
   * @returns `false` when it cannot be sent (a cluster that is unreachable), at once
   *   or once that is known.
   */
  publish(room: string, event: RoomEvent): MaybePromise<boolean>;
  /**
   * Makes what was published so far durable, before a room renders it: no client
   * is shown a line that a crash could lose. Rooms call it before each render; it
   * is cheap when there is nothing to write (and a no-op where the stream itself
   * is the store, as in a cluster).
   */
  sync(): void;
  /**
   * Starts delivering a room's events to this server (its first member here came).
   *
   * @param room The room.
   * @returns When the room's events reach it from now on.
   */
  open(room: Room): MaybePromise<void>;
  /**
   * Stops delivering a room's events to this server (its last member here left).
   *
   * @param room The room's key.
   */
  close(room: string): void;
  /**
   * Reads the room's most recent messages and actions for a newcomer, and holds
   * the room's later events until {@linkcode HistoryRead.resume}.
   *
   * @param room The room's key.
   * @param limit The most to return.
   * @returns The events and the resume switch.
   */
  history(room: string, limit: number): MaybePromise<HistoryRead>;
}
