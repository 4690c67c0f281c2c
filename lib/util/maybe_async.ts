/**
 * Values that are there at once in one process and arrive later in a cluster.
 *
 * The chat core calls its seams (the bus, the directory) through these helpers,
 * so that on a single server every step runs in the same turn, in order, with no
 * promise at all, and in a cluster the same code waits for Redis.
 *
 * @module
 */

/** A value now, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Calls `fn` with a value: at once when it is there, or when its promise settles.
 *
 * @param value The value, or a promise of it.
 * @param fn What to do with it.
 * @returns What `fn` returns: at once, or as a promise.
 */
export function whenReady<T, R>(
  value: MaybePromise<T>,
  fn: (value: T) => MaybePromise<R>,
): MaybePromise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
