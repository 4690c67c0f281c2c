/**
 * Results that are there at once in one process and arrive later in a cluster.
 *
 * The chat's seams (the bus, the directory) return a value or a promise of it
 * ({@linkcode MaybePromise}), so that on a single server every step runs in the
 * same turn, in order, with no promise at all, and in a cluster the same code
 * waits for Redis.
 *
 * Such a result is never tested for truth: `if (!sent)` on a promise is always
 * false, and TypeScript cannot see it through the union. So it is acted on only
 * through {@linkcode whenReady}, which hands the value to a callback and gives
 * back a {@linkcode Step}: whether the work is done, with no value in it. An API
 * whose result may come later takes what to do with it as a callback, and one
 * with nothing to wait for returns `void`, which TypeScript refuses to test
 * (TS1345): the mistake does not compile.
 *
 * @module
 */

/** A value now, or a promise of it: what a seam returns. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Work that is done now (`undefined`), or a promise that settles when it is done
 * (rejected when it failed). It carries no value: results go to callbacks.
 */
export type Step = void | Promise<void>;

/**
 * Acts on a result now or later: calls `then` with the value at once when it is
 * there, or when its promise fulfils. A rejection, or a throw of `then`, is the
 * caller's: thrown at once, or a rejected step.
 *
 * @param value The value, or a promise of it.
 * @param then What to do with it.
 * @returns When `then` is done: at once (no promise, no microtask), or as a promise.
 *
 * @example
 * ```ts
 * whenReady(directory.rename(user, "bob"), (renamed) => {
 *   if (!renamed) tell("taken");
 * });
 * ```
 */
export function whenReady<T>(value: MaybePromise<T>, then: (value: T) => Step): Step {
  return value instanceof Promise ? value.then(then) : then(value);
}
