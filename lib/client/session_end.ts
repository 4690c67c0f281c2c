/**
 * How a client session ends: who ended it first, and whether the Python original
 * got its goodbye.
 *
 * @module
 */

/** The state of a session's ending; each flag is set once and stays. */
export class SessionEnd {
  #leaving = false;
  #serverGone = false;
  #interrupted = false;
  #goodbyeSent = false;

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
