/**
 * Typed errors. A user mistake is reported as one line (`error.message`), never
 * with a stack trace.
 *
 * @module
 */

/** A bad command line: unknown flag, bad port, bad flag combination. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The program cannot start as asked for a reason outside the command line: a file
 * a flag names cannot be read, the port is in use. One line, exit status 1.
 */
export class StartError extends Error {
  override name = "StartError";
}

/** A line longer than the allowed number of bytes arrived. */
export class LineTooLongError extends Error {
  override name = "LineTooLongError";
  /** The limit that was exceeded, in bytes. */
  readonly maxBytes: number;

  /**
   * @param maxBytes The limit that was exceeded, in bytes.
   */
  constructor(maxBytes: number) {
    super(`Cannot read line: longer than ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

/** The shared state of a cluster (Redis) cannot be reached now; try again shortly. */
export class UnavailableError extends Error {
  override name = "UnavailableError";
}

/**
 * What an unexpected throw says for a log: its stack (which starts with its name
 * and message), or the value itself when it is not an error.
 *
 * @param error What was thrown.
 * @returns The text, possibly several lines.
 */
export function stackOf(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** The client could not reach the server. */
export class ConnectError extends Error {
  override name = "ConnectError";
}

/**
 * Tells whether an error from a socket operation only means that the peer is gone
 * or that we closed the socket ourselves: FIN, reset, broken pipe, an interrupted
 * operation, or a closed resource.
 *
 * @param error The error thrown by `read()`, `write()` or `close()`.
 * @returns `true` when the error means "the connection is over".
 */
export function isDisconnectError(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.Interrupted ||
    error instanceof Deno.errors.BadResource ||
    error instanceof Deno.errors.NotConnected ||
    error instanceof Deno.errors.UnexpectedEof;
}

/** The web page's port could not be opened (busy, or not allowed). */
export class WebListenError extends Error {
  override name = "WebListenError";
  /** The address that was asked for. */
  readonly hostname: string;
  /** The port that was asked for. */
  readonly port: number;

  /**
   * @param hostname The address that was asked for.
   * @param port The port that was asked for.
   * @param cause What `Deno.listen` threw.
   */
  constructor(hostname: string, port: number, cause: unknown) {
    super(
      `Cannot serve the web page on ${hostname}:${port}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.hostname = hostname;
    this.port = port;
  }
}

/** The IRC port (`--irc`) could not be bound. */
export class IrcListenError extends Error {
  override name = "IrcListenError";
  /** The address that was asked for. */
  readonly hostname: string;
  /** The port that was asked for. */
  readonly port: number;

  /**
   * @param hostname The address that was asked for.
   * @param port The port that was asked for.
   * @param cause What `Deno.listen` threw.
   */
  constructor(hostname: string, port: number, cause: unknown) {
    super(
      `Cannot serve IRC on ${hostname}:${port}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.hostname = hostname;
    this.port = port;
  }
}

/** Why the data file (`--data`) cannot be used at start. */
export type DataFileProblem =
  /** Another running server holds it. */
  | "locked"
  /** It was written by a newer version of this program. */
  | "newer"
  /** It is not an SQLite database, or it is damaged. */
  | "corrupt"
  /** It is an SQLite database of something else. */
  | "foreign"
  /** The file cannot be written (read-only). */
  | "readOnly"
  /** Its folder cannot be written (the file cannot be made, or its journal beside it). */
  | "folderReadOnly"
  /** Its folder does not exist. */
  | "noFolder"
  /** The path names a folder, not a file. */
  | "isFolder"
  /** The disk is full. */
  | "full"
  /** Deno may not read or write it (a permission flag). */
  | "notAllowed"
  /** Anything else the system said. */
  | "other";

/**
 * The data file cannot be used, found at start; nothing was written to it. One
 * line, exit status 1 (`main.ts` says it in the chosen language).
 */
export class DataFileError extends Error {
  override name = "DataFileError";
  /** What is wrong. */
  readonly problem: DataFileProblem;
  /** The path given. */
  readonly path: string;
  /** The schema versions for `newer` (the file's, this program's); the system's words for `other`. */
  readonly detail: string;

  /**
   * @param problem What is wrong.
   * @param path The path given.
   * @param detail The versions, or the system's words.
   */
  constructor(problem: DataFileProblem, path: string, detail = "") {
    super(`Cannot use the data file ${path}: ${problem}${detail === "" ? "" : ` (${detail})`}`);
    this.problem = problem;
    this.path = path;
    this.detail = detail;
  }
}
