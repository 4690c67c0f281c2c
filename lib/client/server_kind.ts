/**
 * What kind of server the client talks to, told from what the server does, with
 * no flag: a small state machine driven by events (a prompt with or without its
 * newline, bytes heard, the clock), with no socket and no timer of its own, so it
 * is tested with injected time.
 *
 * ```
 * unknown ──framed prompt──▶ chat ──unframed prompt──▶ python-original
 *    │  └────unframed prompt─────────────────────────▶ python-original
 *    └──silent for SILENT_SERVER_WAIT_MS──▶ echo ──a prompt after all──▶ chat | python-original
 * ```
 *
 * - `chat`: our server (or any that prompts with whole lines): lines end in `\n`
 *   both ways, the client answers its prompts, completes its commands.
 * - `python-original`: the Python `main.py` server, whose prompt has no newline:
 *   it frames nothing, so our lines go without one, one message per write. Once
 *   seen, an unframed prompt decides for good: only the original sends one.
 * - `echo`: a server that said nothing first (the C `echo-server`, or ours with
 *   `-e`); `q` ends the client, as in the C echo-client.
 * - `unknown`: nothing decided yet, or a server that spoke but never prompted (ours
 *   refusing a connection before its prompt): treated as an echo server would be,
 *   since nothing about it is known.
 *
 * It also keeps the one fact about the server learnt along the way: its line cap,
 * once a refusal told it.
 *
 * @module
 */

/**
 * How long typed lines wait for a silent server to speak first, in milliseconds. A
 * chat server greets at once (a prompt); a server that has said nothing by then is
 * an echo server (the C original's, or ours with `-e`), which never speaks first.
 */
export const SILENT_SERVER_WAIT_MS = 1_000;

/**
 * The most bytes of one message the Python original reads (`recv(1024)`): a longer
 * one would be cut in two messages, maybe inside a character (which its `decode()`
 * then refuses), so the client splits it first.
 */
export const ORIGINAL_MESSAGE_BYTES = 1024;

/** The kinds of server the client tells apart. */
export type ServerKindState = "unknown" | "chat" | "python-original" | "echo";

/** The client's view of its server: which kind it is, and its line cap once known. */
export class ServerKind {
  #state: ServerKindState = "unknown";
  /** When silence started counting; `undefined` once the server spoke. */
  #silentSinceMs: number | undefined;
  /** The line cap a refusal told. */
  #learnedCapBytes: number | undefined;

  /**
   * @param connectedAtMs When the connection opened (any monotonic clock in
   *   milliseconds, the same one {@linkcode tick} gets).
   */
  constructor(connectedAtMs: number) {
    this.#silentSinceMs = connectedAtMs;
  }

  /** The kind, as far as told. */
  get current(): ServerKindState {
    return this.#state;
  }

  /**
   * Whether the server prompts (ours or the Python original): the client answers
   * its prompts, completes its commands and shows the room in the input prompt.
   */
  get prompts(): boolean {
    return this.#state === "chat" || this.#state === "python-original";
  }

  /**
   * Whether lines end in `\n` both ways. Only the Python original frames nothing:
   * its lines are shown read by read, ours go to it one message per write.
   */
  get frames(): boolean {
    return this.#state !== "python-original";
  }

  /**
   * When {@linkcode tick} may decide that the server is an echo server: the time to
   * set a timer for, or `undefined` when silence no longer decides anything.
   */
  get silenceDeadlineMs(): number | undefined {
    if (this.#state !== "unknown" || this.#silentSinceMs === undefined) return undefined;
    return this.#silentSinceMs + SILENT_SERVER_WAIT_MS;
  }

  /**
   * The most bytes one line may take on this server, when the client knows it: the
   * original's read size; ours, its default until a refusal tells the real cap; an
   * echo server's only once a refusal told it (ours has one, the C original none).
   *
   * @param defaultBytes Our server's default cap.
   * @returns The cap, or `undefined` when there is none to keep to.
   */
  lineCapBytes(defaultBytes: number): number | undefined {
    switch (this.#state) {
      case "python-original":
        return ORIGINAL_MESSAGE_BYTES;
      case "chat":
        return this.#learnedCapBytes ?? defaultBytes;
      case "echo":
      case "unknown":
        return this.#learnedCapBytes;
    }
  }

  /** Bytes came from the server: it is not silent, so it is no echo server by silence. */
  heard(): void {
    this.#silentSinceMs = undefined;
  }

  /**
   * A nickname or password prompt came.
   *
   * @param framed Whether it ended with `\n` (ours) or was shown after a pause
   *   without one (the Python original).
   */
  prompted(framed: boolean): void {
    this.heard();
    if (!framed) this.#state = "python-original";
    else if (this.#state !== "python-original") this.#state = "chat";
  }

  /**
   * The server refused a line over its cap and said what the cap is.
   *
   * @param maxBytes The cap.
   */
  capLearned(maxBytes: number): void {
    this.#learnedCapBytes = maxBytes;
  }

  /**
   * The clock: a server that has said nothing for {@linkcode SILENT_SERVER_WAIT_MS}
   * since the connection opened is an echo server.
   *
   * @param nowMs The time now, on the clock the constructor got.
   * @returns `true` when this call decided it.
   */
  tick(nowMs: number): boolean {
    const deadline = this.silenceDeadlineMs;
    if (deadline === undefined || nowMs < deadline) return false;
    this.#state = "echo";
    return true;
  }
}
