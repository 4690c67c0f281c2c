/**
 * An async mutex for critical sections that span an `await`.
 *
 * JavaScript runs one callback at a time, so code without `await` is already
 * atomic. A sequence of awaited steps is not: while one task waits for a partial
 * write to finish, another task can start its own write to the same stream and
 * splice its bytes into the middle. The mutex makes such a sequence run whole.
 *
 * @module
 */

/** A first-in, first-out async lock. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #locked = false;

  /** Whether some task holds the lock now. */
  get locked(): boolean {
    return this.#locked;
  }

  /**
   * Waits for the lock and returns a handle that releases it when disposed.
   *
   * @returns A disposable that releases the lock; use it with `using`.
   *
   * @example
   * ```ts
   * const mutex = new Mutex();
   * {
   *   using _held = await mutex.acquire();
   *   // critical section
   * }
   * ```
   */
  async acquire(): Promise<Disposable> {
    const previous = this.#tail;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#tail = previous.then(() => promise);
    await previous;
    this.#locked = true;
    let released = false;
    return {
      [Symbol.dispose]: () => {
        if (released) return;
        released = true;
        this.#locked = false;
        resolve();
      },
    };
  }

  /**
   * Runs `fn` while holding the lock.
   *
   * @param fn The critical section.
   * @returns What `fn` returns.
   */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    using _held = await this.acquire();
    return await fn();
  }
}
