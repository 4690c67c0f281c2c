/**
 * The server console: timestamped lines, written whole.
 *
 * @module
 */

import { Mutex } from "./mutex.ts";
import { writeAll, type Writer } from "./write_all.ts";

/** Where console lines go: a stream with the `write()` of `Deno.stdout`. */
export type LogSink = Writer;

/** Options for {@linkcode ConsoleLog}. */
export interface ConsoleLogOptions {
  /** Where lines go. @default {Deno.stdout} */
  sink?: LogSink;
  /** Prefix each line with the local date and time. @default {true} */
  timestamps?: boolean;
}

/**
 * A console log that never splices two lines together. Lines are queued without
 * waiting and written in batches; the mutex guards the write loop, which spans
 * `await`s (a write may be partial), against any other writer of the same sink.
 */
export class ConsoleLog {
  #sink: LogSink;
  #timestamps: boolean;
  #mutex: Mutex;
  #pending: string[] = [];
  #flushing: Promise<void> | undefined;
  #encoder = new TextEncoder();
  #stampSecond = -1;
  #stamp = "";

  /**
   * @param options The sink and the timestamp switch.
   * @param mutex The lock shared by every writer of the same sink.
   */
  constructor(options: ConsoleLogOptions = {}, mutex: Mutex = new Mutex()) {
    this.#sink = options.sink ?? Deno.stdout;
    this.#timestamps = options.timestamps ?? true;
    this.#mutex = mutex;
  }

  /**
   * Queues a line (timestamped) without waiting.
   *
   * @param line The line, without `\n`.
   */
  info(line: string): void {
    this.#pending.push(this.#timestamps ? `${this.#timestamp()} ${line}\n` : `${line}\n`);
    this.#flushing ??= this.#flush();
  }

  /**
   * Queues a line exactly as given (no timestamp) without waiting.
   *
   * @param line The line, without `\n`.
   */
  plain(line: string): void {
    this.#pending.push(`${line}\n`);
    this.#flushing ??= this.#flush();
  }

  /**
   * Waits until every queued line is written.
   * @returns When the queue is empty.
   */
  async flushed(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  async #flush(): Promise<void> {
    try {
      await this.#mutex.run(async () => {
        while (this.#pending.length > 0) {
          const bytes = this.#encoder.encode(this.#pending.join(""));
          this.#pending = [];
          await writeAll(this.#sink, bytes);
        }
      });
    } catch {
      // The console is gone (closed pipe): nothing else can be told.
      this.#pending = [];
    } finally {
      // A line queued while the lock was being released starts the next round.
      this.#flushing = this.#pending.length > 0 ? this.#flush() : undefined;
    }
  }

  #timestamp(): string {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    if (second !== this.#stampSecond) {
      this.#stampSecond = second;
      const d = new Date(now);
      const p = (n: number) => String(n).padStart(2, "0");
      this.#stamp = `[${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
        `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}]`;
    }
    return this.#stamp;
  }
}
