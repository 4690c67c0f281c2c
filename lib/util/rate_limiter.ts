/**
 * Flood control: a token bucket per client.
 *
 * @module
 */

/** Options for {@linkcode RateLimiter}. */
export interface RateLimiterOptions {
  /** Lines per second allowed on average; `0` turns the limit off. */
  linesPerSecond: number;
  /** Lines that may arrive at once after a quiet spell. */
  burst: number;
}

/** A token bucket: each line takes a token; tokens come back at a steady rate. */
export class RateLimiter {
  #rate: number;
  #burst: number;
  #tokens: number;
  #last: number;

  /**
   * @param options The rate and the burst.
   * @param now The current time in milliseconds (for tests).
   */
  constructor(options: RateLimiterOptions, now: number = performance.now()) {
    this.#rate = options.linesPerSecond;
    this.#burst = Math.max(1, options.burst);
    this.#tokens = this.#burst;
    this.#last = now;
  }

  /** Whether the limit is on. */
  get enabled(): boolean {
    return this.#rate > 0;
  }

  /**
   * Takes a token if there is one.
   *
   * @param now The current time in milliseconds.
   * @returns `true` when the line may pass.
   */
  tryTake(now: number = performance.now()): boolean {
    if (this.#rate <= 0) return true;
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /**
   * How long until a token is there.
   *
   * @param now The current time in milliseconds.
   * @returns Milliseconds; `0` when one is there now.
   */
  msUntilNext(now: number = performance.now()): number {
    if (this.#rate <= 0) return 0;
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) * 1000) / this.#rate);
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#rate) / 1000);
  }
}
