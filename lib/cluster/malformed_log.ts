/**
 * Where a cluster reports what it skipped: an entry read from Redis whose shape is
 * wrong is told to the console once, however often it is read again (presence is
 * read at each `/who`, a room's stream at each history).
 *
 * @module
 */

import type { ClusterLog } from "../chat/cluster.ts";
import { sanitizeText } from "../util/sanitize.ts";
import { MalformedEntryError } from "./_entry_shape.ts";

/** Distinct entries remembered as told; past this the memory starts over (it may tell again). */
const MAX_REMEMBERED = 1_000;
/** The most characters of a location shown (a hash field is whatever was written). */
const MAX_WHAT_CHARS = 120;

/** Tells the console, once per entry, what was skipped. */
export class MalformedLog {
  #log: ClusterLog | undefined;
  #told = new Set<string>();

  /**
   * @param log The console.
   */
  constructor(log: ClusterLog | undefined) {
    this.#log = log;
  }

  /**
   * Reports an entry that was skipped.
   *
   * @param what Where it is (a key, and a field or an entry id).
   * @param error What its parser threw.
   * @throws {unknown} `error` itself when it is not a {@linkcode MalformedEntryError} (a bug).
   */
  report(what: string, error: unknown): void {
    if (!(error instanceof MalformedEntryError)) throw error;
    const where = sanitizeText(
      what.length > MAX_WHAT_CHARS ? what.slice(0, MAX_WHAT_CHARS) + "…" : what,
    );
    const key = `${where}\n${error.message}`;
    if (this.#told.has(key)) return;
    if (this.#told.size >= MAX_REMEMBERED) this.#told.clear();
    this.#told.add(key);
    this.#log?.malformed(where, error.message);
  }
}
