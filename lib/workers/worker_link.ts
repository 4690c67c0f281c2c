/**
 * A worker's line to the coordinator: what the worker's parts queue in one turn
 * leaves as one message, in the order it was queued; questions get their answers
 * by id.
 *
 * @module
 */

import type { ToCoordinator, ToWorker } from "./messages.ts";

/** Where a link posts its batches (the worker's global scope, or a port in tests). */
export interface Poster {
  /** Sends one batch. */
  postMessage(message: ToCoordinator[]): void;
}

/** The coordinator could not answer a question (it said why). */
export class CoordinatorError extends Error {
  /** @param message What the coordinator said. */
  constructor(message: string) {
    super(message);
    this.name = "CoordinatorError";
  }
}

/** Distributes the items of an ordered batch to whoever handles each kind. */
export type ItemHandler = (item: Exclude<ToWorker, { t: "reply" }>) => void;

/** Queues items, sends each turn's as one message, and matches replies to questions. */
export class WorkerLink {
  #poster: Poster;
  #queue: ToCoordinator[] = [];
  #scheduled = false;
  #nextId = 1;
  #waiting = new Map<number, PromiseWithResolvers<unknown>>();
  #handler: ItemHandler = () => {};
  #flush = (): void => {
    this.#scheduled = false;
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#poster.postMessage(batch);
  };

  /** @param poster Where batches go. */
  constructor(poster: Poster) {
    this.#poster = poster;
  }

  /**
   * Sets who handles the items that are not replies.
   *
   * @param handler The handler.
   */
  onItem(handler: ItemHandler): void {
    this.#handler = handler;
  }

  /**
   * Queues an item; the turn's items leave together.
   *
   * @param item The item.
   */
  send(item: ToCoordinator): void {
    this.#queue.push(item);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  /**
   * Queues a question and waits for its answer.
   *
   * @param make Makes the item, given its id.
   * @returns The answer.
   * @throws {CoordinatorError} (rejected) When the coordinator could not answer.
   */
  ask<T>(make: (id: number) => ToCoordinator): Promise<T> {
    const id = this.#nextId++;
    const waiting = Promise.withResolvers<unknown>();
    this.#waiting.set(id, waiting);
    this.send(make(id));
    return waiting.promise as Promise<T>;
  }

  /** Sends what is queued now (before the worker closes). */
  flush(): void {
    this.#flush();
  }

  /**
   * Handles one batch from the coordinator, in order.
   *
   * @param batch The items.
   */
  receive(batch: readonly ToWorker[]): void {
    for (const item of batch) {
      if (item.t !== "reply") {
        this.#handler(item);
        continue;
      }
      const waiting = this.#waiting.get(item.id);
      if (waiting === undefined) continue;
      this.#waiting.delete(item.id);
      if (item.error !== undefined) waiting.reject(new CoordinatorError(item.error));
      else waiting.resolve(item.value);
    }
  }
}
