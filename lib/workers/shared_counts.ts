/**
 * Connection counts that every worker of the process reads at once, in shared
 * memory: `--max-clients` and `--max-per-address` are for the whole server. A
 * worker accepts or refuses a connection in the same turn as it arrives, as one
 * server does, with no message to wait for.
 *
 * Each worker writes only its own part (its total, then its count per address
 * slot), and reads the sum of every part; the part of a worker that died is
 * cleared by the coordinator, which closes none of the others' counts.
 *
 * Per address, counts are kept in {@linkcode ADDRESS_SLOTS} slots by a hash of the
 * address: two addresses that share a slot share a count (the limit is never
 * looser than asked, and rarely tighter). Two workers accepting at the same moment
 * may each see room for one more: the total may pass `--max-clients` by at most
 * one connection per other worker while they are open.
 *
 * @module
 */

import type { ConnectionCounts } from "../server/options.ts";

/** Slots for per-address counts, per worker: 64 KiB each; collisions are rare among the addresses connected at once. */
export const ADDRESS_SLOTS = 16_384;

/** A worker's part: its total, then its slots. */
const PART = ADDRESS_SLOTS + 1;

/** Counts over a shared buffer: one worker's view (it writes its own part). */
export class SharedCounts implements ConnectionCounts {
  /** The shared memory, to hand to each worker. */
  readonly buffer: SharedArrayBuffer;
  #counts: Int32Array;
  #parts: number;
  #mine: number;

  /**
   * Makes the memory for `parts` workers.
   *
   * @param parts How many workers.
   * @returns The buffer to hand to each.
   */
  static allocate(parts: number): SharedArrayBuffer {
    return new SharedArrayBuffer(parts * PART * Int32Array.BYTES_PER_ELEMENT);
  }

  /**
   * @param buffer The memory ({@linkcode SharedCounts.allocate}).
   * @param mine The worker whose part this view writes.
   */
  constructor(buffer: SharedArrayBuffer, mine: number) {
    this.buffer = buffer;
    this.#counts = new Int32Array(buffer);
    this.#parts = this.#counts.length / PART;
    this.#mine = mine * PART;
  }

  /** @inheritdoc */
  count(address: string): number {
    return this.#sum(slotOf(address));
  }

  /** @inheritdoc */
  total(): number {
    return this.#sum(0);
  }

  /** @inheritdoc */
  add(address: string): void {
    Atomics.add(this.#counts, this.#mine, 1);
    Atomics.add(this.#counts, this.#mine + slotOf(address), 1);
  }

  /** @inheritdoc */
  remove(address: string): void {
    Atomics.sub(this.#counts, this.#mine, 1);
    Atomics.sub(this.#counts, this.#mine + slotOf(address), 1);
  }

  /**
   * Forgets a worker's connections (it died: they are closed).
   *
   * @param worker The worker.
   */
  clear(worker: number): void {
    this.#counts.fill(0, worker * PART, (worker + 1) * PART);
  }

  #sum(offset: number): number {
    let sum = 0;
    for (let part = 0; part < this.#parts; part++) {
      sum += Atomics.load(this.#counts, part * PART + offset);
    }
    return sum;
  }
}

/** The slot of an address (FNV-1a over its UTF-16 units), from 1. */
function slotOf(address: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) {
    hash ^= address.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return 1 + ((hash >>> 0) % ADDRESS_SLOTS);
}
