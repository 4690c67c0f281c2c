/**
 * A room's recent messages: a ring of the last N, oldest first.
 *
 * @module
 */

/** A bounded list that forgets its oldest item when full. */
export class History<T> {
  #items: (T | undefined)[];
  #start = 0;
  #size = 0;

  /**
   * @param capacity The most items kept; `0` keeps none.
   */
  constructor(capacity: number) {
    this.#items = new Array(Math.max(0, capacity));
  }

  /** The number of items kept. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds an item, forgetting the oldest when full.
   *
   * @param item The item.
   */
  push(item: T): void {
    const capacity = this.#items.length;
    if (capacity === 0) return;
    if (this.#size < capacity) {
      this.#items[(this.#start + this.#size) % capacity] = item;
      this.#size++;
    } else {
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % capacity;
    }
  }

  /**
   * The newest items, oldest first.
   *
   * @param limit The most items to return. @default {all}
   * @returns A new array.
   */
  last(limit: number = this.#size): T[] {
    const count = Math.max(0, Math.min(limit, this.#size));
    const capacity = this.#items.length;
    const out: T[] = [];
    for (let i = this.#size - count; i < this.#size; i++) {
      out.push(this.#items[(this.#start + i) % capacity]!);
    }
    return out;
  }
}
