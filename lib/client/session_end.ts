/**
 * How a client session ends: who ended it first, why the server did (its last
 * line), whether the Python original got its goodbye, and the exit status.
 *
 * @module
 */

import type { EndCause } from "../catalog/client_text.ts";
import { EXIT_STATUS } from "./exit_status.ts";
import type { ServerLine } from "./server_line.ts";

/** The state of a session's ending; each flag is set once and stays. */
export class SessionEnd {
  #leaving = false;
  #serverGone = false;
  #interrupted = false;
  #goodbyeSent = false;
  /** What the server's last line said of the end, when it said anything. */
  #lastLine: { cause: EndCause; always: boolean } | undefined;

  /** The user started leaving: the server closing is expected, not news. */
  get leaving(): boolean {
    return this.#leaving;
  }

  /** The server ended the connection first. */
  get serverGone(): boolean {
    return this.#serverGone;
  }

  /** Whether either side ended the session: typed lines go nowhere now. */
  get over(): boolean {
    return this.#leaving || this.#serverGone;
  }

  /** The user pressed Ctrl-C (or the process got SIGINT). */
  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** The Python original got its quit word. */
  get goodbyeSent(): boolean {
    return this.#goodbyeSent;
  }

  /**
   * Why the server ended the session, when it did: its last line was a refusal or
   * a removal (or one that is, when the server closed right after it).
   */
  get cause(): EndCause | undefined {
    const last = this.#lastLine;
    return last !== undefined && (last.always || this.#serverGone) ? last.cause : undefined;
  }

  /** The exit status (see `exit_status.ts`). */
  get exitStatus(): number {
    if (this.#interrupted) return EXIT_STATUS.interrupted;
    return this.cause === undefined ? EXIT_STATUS.ok : EXIT_STATUS.failed;
  }

  /**
   * Notes a line from the server: only the last one before the close can say why
   * the session ended.
   *
   * @param line The line, classified (`undefined` for a prompt).
   */
  serverSaid(line: ServerLine | undefined): void {
    if (line?.kind === "ending") {
      this.#lastLine = { cause: line.cause, always: line.always };
    } else if (line?.kind === "lineTooLong" && line.closing) {
      this.#lastLine = { cause: { reason: "lineTooLong" }, always: true };
    } else {
      this.#lastLine = undefined;
    }
  }

  /** The user leaves (a quit command, end of input), unless the server went first. */
  userLeaves(): void {
    if (!this.#serverGone) this.#leaving = true;
  }

  /** Ctrl-C: the user leaves at once. */
  interrupt(): void {
    this.#interrupted = true;
    this.#leaving = true;
  }

  /**
   * The connection ended.
   *
   * @returns `true` when that is news: the user was not leaving.
   */
  connectionEnded(): boolean {
    if (this.#leaving) return false;
    this.#serverGone = true;
    return true;
  }

  /** The Python original's quit word went out. */
  goodbyeDone(): void {
    this.#goodbyeSent = true;
  }
}
