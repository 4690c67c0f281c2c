/**
 * A bus that answers later, as a cluster's does: once told to fail, every publish
 * returns a promise that the test settles with `false` (Redis did not take it).
 * Until then it is the in-process bus.
 *
 * @module
 */

import type { Bus, HistoryRead } from "../../lib/chat/bus.ts";
import { Chat } from "../../lib/chat/chat.ts";
import type { RoomEvent } from "../../lib/chat/events.ts";
import { LocalBus } from "../../lib/chat/local_bus.ts";
import { LocalDirectory } from "../../lib/chat/local_directory.ts";
import type { Room } from "../../lib/chat/room.ts";
import type { MaybePromise } from "../../lib/util/maybe_async.ts";
import { testConfig } from "./_fake_peer.ts";

/** A bus whose publishes, once `failing`, wait for the test and then fail. */
export class LaterBus implements Bus {
  readonly shared = false;
  /** Whether publishes from now on fail later. */
  failing = false;
  #local: LocalBus;
  #pending: ((sent: boolean) => void)[] = [];

  /**
   * @param historyLimit The messages each room keeps.
   */
  constructor(historyLimit = 50) {
    this.#local = new LocalBus(historyLimit);
  }

  /** Publishes waiting for their answer. */
  get pending(): number {
    return this.#pending.length;
  }

  sync(): void {
    this.#local.sync();
  }

  publish(room: string, event: RoomEvent): MaybePromise<boolean> {
    if (!this.failing) return this.#local.publish(room, event);
    const { promise, resolve } = Promise.withResolvers<boolean>();
    this.#pending.push(resolve);
    return promise;
  }

  open(room: Room): void {
    this.#local.open(room);
  }

  close(room: string): void {
    this.#local.close(room);
  }

  history(room: string, limit: number): HistoryRead {
    return this.#local.history(room, limit);
  }

  /** Answers every publish still waiting: none was sent. */
  failPending(): void {
    for (const resolve of this.#pending.splice(0)) resolve(false);
  }
}

/**
 * Makes a chat on a {@linkcode LaterBus}.
 *
 * @param bus The bus.
 * @returns The chat.
 */
export function laterChat(bus: LaterBus): Chat {
  const directory = new LocalDirectory(() => []);
  return new Chat(testConfig(), { cluster: { bus, directory } });
}
