/**
 * The history's line log (`chat.db-log` beside `chat.db`): where a turn's history
 * rows go first, in one `write()`, so that they are durable before anyone is shown
 * them, at a fraction of an SQLite commit's cost. {@linkcode SqliteStore} moves
 * them into the database a few times a second in one transaction, and then
 * empties the log.
 *
 * - **Format.** A header line `{"epoch":…}` (the database's epoch: a log left
 *   beside a database started afresh is not replayed into it), then one line per
 *   row: `[room, first, last, name, events]`, `events` the row's compact JSON.
 * - **Durability.** As SQLite's journal with `synchronous=NORMAL`: a written line
 *   survives `kill -9` of the server (the system has it), not a power cut.
 * - **Torn lines.** A write that failed half-way is cut off again; a line that is
 *   not whole at start (the process died inside a write) is skipped, and counted.
 * - **Replay is idempotent.** A row is keyed by its room and first number, so a
 *   row that reached the database before the log was emptied is not stored twice.
 *
 * @module
 */

/** A history row as the log carries it. */
export interface LoggedRow {
  room: string;
  first: number;
  last: number;
  name: string;
  /** The events as the database row stores them (compact JSON). */
  json: string;
}

/** What a log held when it was opened. */
export interface ReplayedLog {
  rows: LoggedRow[];
  /** Lines that were not whole rows (a write the process died in). */
  skipped: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The log file of a database file. */
export function lineLogPath(path: string): string {
  return `${path}-log`;
}

/** An append-only file of history rows, emptied once they are in the database. */
export class LineLog {
  #file: Deno.FsFile;
  #path: string;
  #header: Uint8Array;
  /** Bytes known to be whole lines: a failed write is cut back to this. */
  #size: number;
  /** Reused for every append: a turn's rows are encoded into it, not into a new array. */
  #buffer = new Uint8Array(64 * 1024);

  private constructor(file: Deno.FsFile, path: string, header: Uint8Array) {
    this.#file = file;
    this.#path = path;
    this.#header = header;
    this.#size = header.length;
  }

  /**
   * Opens (or makes) the log of a database, reads the rows it holds for this epoch,
   * and empties it.
   *
   * @param path The log file.
   * @param epoch The database's epoch; a log of another epoch is dropped unread.
   * @param keep Called with the rows found before the log is emptied: it must store
   *   them (and throw when it cannot, which leaves the log as it was).
   * @returns The open log.
   * @throws {Deno.errors.PermissionDenied} And other file errors, when the log cannot
   *   be read or written.
   */
  static open(path: string, epoch: string, keep: (log: ReplayedLog) => void): LineLog {
    const header = encoder.encode(`${JSON.stringify({ epoch })}\n`);
    const file = Deno.openSync(path, { read: true, write: true, create: true });
    try {
      const text = decoder.decode(Deno.readFileSync(path));
      const lines = text.split("\n");
      if (lines[0] === decoder.decode(header).trimEnd()) keep(parseRows(lines.slice(1)));
      file.truncateSync(0);
      file.seekSync(0, Deno.SeekMode.Start);
      writeAll(file, header);
      return new LineLog(file, path, header);
    } catch (error) {
      file.close();
      throw error;
    }
  }

  /** Whether rows were added since the log was last emptied. */
  get holdsRows(): boolean {
    return this.#size > this.#header.length;
  }

  /**
   * Adds rows, one `write()` for all of them.
   *
   * @param text Whole lines, each ending in `\n`.
   * @throws When the write fails (a full disk); what was written of it is cut off.
   */
  append(text: string): void {
    // UTF-16 code units take at most 3 bytes each in UTF-8.
    if (this.#buffer.length < text.length * 3) this.#buffer = new Uint8Array(text.length * 3);
    const bytes = this.#buffer.subarray(0, encoder.encodeInto(text, this.#buffer).written);
    try {
      writeAll(this.#file, bytes);
    } catch (error) {
      try {
        this.#file.truncateSync(this.#size);
        this.#file.seekSync(this.#size, Deno.SeekMode.Start);
      } catch {
        // Cut off at the next start instead: a line that is not whole is skipped.
      }
      throw error;
    }
    this.#size += bytes.length;
  }

  /**
   * Forgets every row (they are in the database): the log keeps only its header.
   *
   * @throws When the file cannot be cut; the rows stay, to be replayed at most.
   */
  empty(): void {
    if (!this.holdsRows) return;
    this.#file.truncateSync(this.#header.length);
    this.#file.seekSync(this.#header.length, Deno.SeekMode.Start);
    this.#size = this.#header.length;
  }

  /**
   * Closes the log; removes the file when it holds no rows.
   */
  close(): void {
    const remove = !this.holdsRows;
    this.#file.close();
    if (remove) {
      try {
        Deno.removeSync(this.#path);
      } catch {
        // Left with its header only: the next start empties it anyway.
      }
    }
  }
}

/** One row as a log line (the fields of {@linkcode LoggedRow}). */
export function rowLine(room: string, first: number, last: number, name: string, json: string) {
  return `[${JSON.stringify(room)},${first},${last},${JSON.stringify(name)},${json}]\n`;
}

/** The rows of a log's lines; lines that are not whole rows are counted, not kept. */
function parseRows(lines: string[]): ReplayedLog {
  const rows: LoggedRow[] = [];
  let skipped = 0;
  for (const line of lines) {
    if (line === "") continue;
    try {
      const value: unknown = JSON.parse(line);
      if (
        Array.isArray(value) && value.length === 5 && typeof value[0] === "string" &&
        Number.isSafeInteger(value[1]) && Number.isSafeInteger(value[2]) &&
        value[1] >= 1 && value[2] >= value[1] && typeof value[3] === "string" &&
        Array.isArray(value[4]) &&
        (value[4].length === 0 || value[4].length === value[2] - value[1] + 1) &&
        value[4].every(isCompactEvent)
      ) {
        rows.push({
          room: value[0],
          first: value[1],
          last: value[2],
          name: value[3],
          json: JSON.stringify(value[4]),
        });
        continue;
      }
    } catch {
      // Not whole: counted below.
    }
    skipped++;
  }
  return { rows, skipped };
}

/** Whether a value is an event as a row stores it: `[kind, nick, text, time]`. */
function isCompactEvent(value: unknown): boolean {
  return Array.isArray(value) && value.length === 4 && (value[0] === 0 || value[0] === 1) &&
    typeof value[1] === "string" && typeof value[2] === "string" && Number.isFinite(value[3]);
}

/** Writes all of `bytes` (a write may take only part of them). */
function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += file.writeSync(bytes.subarray(offset));
}
