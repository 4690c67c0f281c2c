/**
 * Flood control that loses nothing: lines over the rate wait in a bounded queue
 * and go out as tokens come back (IRC servers call it "fake lag"), so a paste
 * arrives whole, a little later. Only a client that passes the queue's bound is
 * flooding. The queue also keeps lines in order while an earlier one is still
 * being handled (a cluster round trip), and while the pacer is held (a cluster
 * that cannot reach Redis): held lines take their tokens as they arrive, so a
 * user who typed at an allowed pace gets them all out at once on release, and
 * they count against the same bound.
 *
 * @module
 */

import { RateLimiter } from "./rate_limiter.ts";

/** Lines that may wait for their turn: a long paste passes, an endless one does not. */
export const MAX_QUEUED_LINES = 200;
/** Bytes (UTF-16 code units) of waiting lines, the other half of the bound. */
export const MAX_QUEUED_CHARS = 64 * 1024;

/** Options for {@linkcode LinePacer}. */
export interface LinePacerOptions {
  /** Lines per second on average; `0` turns pacing off (lines still wait for a busy handler). */
  linesPerSecond: number;
  /** Lines at once after a quiet spell. */
  burst: number;
  /** Handles one line; a promise holds the next lines until it settles. */
  run(line: string): void | Promise<void>;
  /** Whether a line is subject to the rate now (a session paces chat lines only). @default {always} */
  paced?(): boolean;
  /** Lines started to wait: called once per burst (until the queue is empty again). */
  delayed(): void;
  /** The queue passed its bound: the client is flooding; the pacer has stopped. */
  flooding(): void;
}

/** A bounded, paced queue of one connection's lines, handled in order. */
export class LinePacer {
  #options: LinePacerOptions;
  #limiter: RateLimiter | undefined;
  #queue: string[] = [];
  #queuedChars = 0;
  #busy = false;
  #held = false;
  /** Tokens taken by lines that arrived while held: theirs when they run. */
  #prepaid = 0;
  #told = false;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param options The rate, the handler and the notices.
   */
  constructor(options: LinePacerOptions) {
    this.#options = options;
    this.#limiter = options.linesPerSecond > 0
      ? new RateLimiter({ linesPerSecond: options.linesPerSecond, burst: options.burst })
      : undefined;
  }

  /** Lines waiting. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Takes the lines of one read; each is handled now or when its turn comes.
   *
   * @param lines The lines, in order.
   * @param now `performance.now()` when they were read.
   */
  push(lines: readonly string[], now: number): void {
    for (const line of lines) {
      if (this.#closed) return;
      if (this.#held) {
        // Its token is taken now, as it would be if the chat were there.
        const limiter = this.#limiter;
        if (limiter !== undefined && (this.#options.paced?.() ?? true) && limiter.tryTake(now)) {
          this.#prepaid++;
        }
      } else if (!this.#busy && this.#timer === undefined && this.#queue.length === 0) {
        // Nothing waits and the rate allows it: the line goes at once, with no queueing.
        const limiter = this.#limiter;
        if (
          limiter === undefined || !(this.#options.paced?.() ?? true) || limiter.tryTake(now)
        ) {
          this.#run(line);
          continue;
        }
      }
      this.#queue.push(line);
      this.#queuedChars += line.length;
      // Only lines that must wait count against the bound.
      this.#pump(now);
      if (this.#queue.length > MAX_QUEUED_LINES || this.#queuedChars > MAX_QUEUED_CHARS) {
        this.close();
        this.#options.flooding();
        return;
      }
    }
  }

  /**
   * Holds every line from now on (the one being handled finishes): they wait, in
   * order and within the bound, until {@linkcode LinePacer.release}.
   */
  hold(): void {
    this.#held = true;
  }

  /** Lets the held lines go, in order, at the rate. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    this.#pump(performance.now());
  }

  /**
   * Puts a line that could not be handled back at the head of the queue, to run
   * again first (a step that was cut off). It keeps the token it had.
   *
   * @param line The line.
   */
  requeue(line: string): void {
    if (this.#closed) return;
    this.#queue.unshift(line);
    this.#queuedChars += line.length;
    if (this.#limiter !== undefined) this.#prepaid++;
  }

  /** Forgets what waits and stops; idempotent. */
  close(): void {
    this.#closed = true;
    this.#queue = [];
    this.#queuedChars = 0;
    this.#prepaid = 0;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #pump(now: number): void {
    while (
      !this.#busy && !this.#held && !this.#closed && this.#timer === undefined &&
      this.#queue.length > 0
    ) {
      const limiter = this.#limiter;
      if (this.#prepaid > 0) {
        this.#prepaid--;
      } else if (limiter !== undefined && (this.#options.paced?.() ?? true)) {
        const wait = limiter.msUntilNext(now);
        if (wait > 0) {
          if (!this.#told) {
            this.#told = true;
            this.#options.delayed();
          }
          this.#timer = setTimeout(() => {
            this.#timer = undefined;
            this.#pump(performance.now());
          }, wait);
          return;
        }
        limiter.tryTake(now);
      }
      const line = this.#queue.shift()!;
      this.#queuedChars -= line.length;
      if (this.#queue.length === 0) this.#told = false;
      this.#run(line);
    }
  }

  #run(line: string): void {
    const result = this.#options.run(line);
    if (result instanceof Promise) {
      this.#busy = true;
      result.catch(() => {}).finally(() => {
        this.#busy = false;
        this.#pump(performance.now());
      });
    }
  }
}
