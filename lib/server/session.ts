/**
 * One connection: its read loop, its single writer, and its cleanup.
 *
 * Only the writer task touches the socket for writing, and it writes whatever is
 * queued in one go. The read loop never waits on anyone else's socket: it hands
 * lines to the hub, which queues bytes and returns. All cleanup happens once, in
 * the `finally` of {@linkcode Session.run}.
 *
 * @module
 */

import type { Messages } from "../catalog/catalog.ts";
import type { ConsoleLog } from "../util/console_log.ts";
import { isDisconnectError, LineTooLongError } from "../util/errors.ts";
import type { Hub, Member } from "../chat/hub.ts";
import { LineSplitter } from "../transport/line_splitter.ts";
import { Outbox } from "../fanout/outbox.ts";
import type { PasswordCheck } from "../util/password.ts";
import { isValidNickname, MAX_NICKNAME_CHARS, parseCommand } from "../chat/protocol.ts";
import { RateLimiter } from "../util/rate_limiter.ts";
import { sanitizeText } from "../util/sanitize.ts";

/** The first read buffer of a connection: small, since 10,000 idle clients each hold one. */
export const READ_BUFFER_BYTES = 512;
/**
 * The read buffer of a busy connection: a read that fills the small buffer
 * switches to this one, so a sender of many lines needs few reads.
 */
export const BUSY_READ_BUFFER_BYTES = 16 * 1024;
/** How long a closing connection may take to flush its output and see the peer close. */
export const CLOSE_TIMEOUT_MS = 2_000;
/**
 * How much a closing connection reads and discards while its last lines go out:
 * enough for what a well-behaved peer had in flight, not a stream.
 */
export const MAX_DISCARD_BYTES = 1024 * 1024;
/** The pause before closing after a wrong password, to slow down guessing. */
export const WRONG_PASSWORD_DELAY_MS = 1_000;

/** How the server treats lines: the Python chat, or the C echo server. */
export type ServerMode = "chat" | "echo" | "echo-broadcast";

/** Everything a session needs from its server. */
export interface SessionOptions {
  /** The hub of the room. */
  hub: Hub;
  /** How lines are treated. */
  mode: ServerMode;
  /** The catalog of every line sent. */
  messages: Messages;
  /** The console; `undefined` keeps this connection's events off it (`--quiet`). */
  log: ConsoleLog | undefined;
  /** The most bytes one line may take. */
  maxLineBytes: number;
  /** The most bytes that may wait to be sent to this client. */
  maxOutboxBytes: number;
  /** Milliseconds to send the password and a valid nickname; `0` waits forever. */
  nicknameTimeoutMs: number;
  /** Lines per second allowed on average; `0` turns flood control off. */
  rateLinesPerSecond: number;
  /** Lines allowed at once. */
  rateBurst: number;
  /** The room password check, when the room has one. */
  password: PasswordCheck | undefined;
}

type Timer = ReturnType<typeof setTimeout>;

/** Where a connection is: what its next line means ("rejected": nothing, it is closing). */
type State = "password" | "nickname" | "chat" | "echo" | "rejected";

/** A connection to one client. */
export class Session implements Member {
  #peer: string | undefined;
  #conn: Deno.Conn;
  #o: SessionOptions;
  #hub: Hub;
  #m: Messages;
  #outbox: Outbox;
  #splitter: LineSplitter;
  /** Flood control; `undefined` when it is off. */
  #limiter: RateLimiter | undefined;
  #state: State;
  #nickname: string | undefined;
  #refusedInRow = 0;
  #discardedBytes = 0;
  /** Set once the connection is on its way out: input is read and discarded. */
  #ending = false;
  #closed = false;
  #reason = "EOF";
  #nicknameTimer: Timer | undefined;
  #closeTimer: Timer | undefined;
  #delayTimer: Timer | undefined;
  /** Bytes taken from the outbox and not yet written. */
  #unwritten: Uint8Array | undefined;
  /** Set once the writer has stopped; `#onWriterDone` is who waits for that. */
  #writerDone = false;
  #onWriterDone: (() => void) | undefined;

  /**
   * @param conn The accepted connection; the session owns and closes it.
   * @param options The server's settings.
   */
  constructor(conn: Deno.Conn, options: SessionOptions) {
    this.#conn = conn;
    this.#o = options;
    this.#hub = options.hub;
    this.#m = options.messages;
    this.#outbox = new Outbox(options.maxOutboxBytes);
    this.#splitter = new LineSplitter({ maxLineBytes: options.maxLineBytes });
    this.#limiter = options.rateLinesPerSecond <= 0 ? undefined : new RateLimiter({
      linesPerSecond: options.rateLinesPerSecond,
      burst: options.rateBurst,
    });
    this.#state = options.mode !== "chat"
      ? "echo"
      : options.password !== undefined
      ? "password"
      : "nickname";
  }

  /** The peer address, `host:port`. */
  get peer(): string {
    return this.#peer ??= formatAddr(this.#conn.remoteAddr);
  }

  /** The nickname, once joined. */
  get nickname(): string | undefined {
    return this.#nickname;
  }

  /** @inheritdoc */
  get outbox(): Outbox {
    return this.#outbox;
  }

  /** @inheritdoc */
  drop(): void {
    this.#ending = true;
    this.#reason = "output buffer full";
    this.#close();
  }

  /**
   * Serves the connection until it ends; never rejects.
   *
   * @returns When the connection is closed and cleaned up.
   */
  async run(): Promise<void> {
    this.#pump();
    try {
      this.#o.log?.info(this.#m.logConnected(this.peer));
      this.#start();
      // The read loop: bytes into one reused buffer, lines out.
      let buffer = new Uint8Array(READ_BUFFER_BYTES);
      while (true) {
        let n: number | null;
        try {
          n = await this.#conn.read(buffer);
        } catch (error) {
          if (!isDisconnectError(error)) throw error;
          if (!this.#ending) this.#reason = error instanceof Error ? error.name : "error";
          break;
        }
        if (n === null) break;
        const chunk = buffer.subarray(0, n);
        if (n === buffer.length && n < BUSY_READ_BUFFER_BYTES) {
          // The chunk keeps the old buffer alive until it is split below.
          buffer = new Uint8Array(BUSY_READ_BUFFER_BYTES);
        }
        // A closing connection keeps reading (and discarding) so that the peer's
        // last bytes do not turn our close into a reset that eats our last line.
        if (this.#ending) {
          // ...but not without end: a peer that keeps streaming is cut off.
          this.#discardedBytes += n;
          if (this.#discardedBytes > MAX_DISCARD_BYTES) this.#close();
          continue;
        }
        let lines: string[];
        try {
          lines = this.#splitter.push(chunk);
        } catch (error) {
          if (!(error instanceof LineTooLongError)) throw error;
          this.#hub.send(this, this.#m.lineTooLong(error.maxBytes));
          this.#end("line too long");
          continue;
        }
        const now = performance.now();
        for (const line of lines) {
          this.#handleLine(sanitizeText(line), now);
          if (this.#ending) break;
        }
      }
    } catch (error) {
      this.#reason = `error: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.#ending = true;
      this.#hub.remove(this);
      this.#outbox.close();
      // Output still queued gets a bounded time to reach the peer.
      if (!this.#closed) this.#closeTimer ??= setTimeout(() => this.#close(), CLOSE_TIMEOUT_MS);
      if (!this.#writerDone) await new Promise<void>((resolve) => this.#onWriterDone = resolve);
      clearTimeout(this.#nicknameTimer);
      clearTimeout(this.#closeTimer);
      clearTimeout(this.#delayTimer);
      this.#close();
      this.#o.log?.info(this.#m.logDisconnected(this.peer, this.#nickname, this.#reason));
    }
  }

  /**
   * Tells the client the server is shutting down, then closes after flushing
   * (bounded by {@linkcode CLOSE_TIMEOUT_MS}). Nobody is told this client left:
   * everyone is leaving.
   */
  shutdown(): void {
    if (this.#ending) return;
    this.#hub.remove(this, false);
    this.#hub.send(this, this.#m.shuttingDown);
    this.#end("shutdown");
  }

  #start(): void {
    const state = this.#state;
    if (state === "echo") {
      if (this.#o.mode === "echo-broadcast") this.#hub.add(this);
      return;
    }
    if (this.#o.nicknameTimeoutMs > 0) {
      this.#nicknameTimer = setTimeout(() => {
        this.#nicknameTimer = undefined;
        this.#hub.send(this, this.#m.nicknameTimeout);
        this.#end("nickname timeout");
      }, this.#o.nicknameTimeoutMs);
    }
    this.#hub.send(this, state === "password" ? this.#m.passwordPrompt : this.#m.nicknamePrompt);
  }

  #handleLine(line: string, now: number): void {
    switch (this.#state) {
      case "chat":
        if (!this.#admit(now)) return;
        return this.#handleChat(line);
      case "echo":
        if (!this.#admit(now)) return;
        return this.#handleEcho(line);
      case "nickname":
        return this.#handleNickname(line);
      case "password":
        return this.#handlePassword(line);
      case "rejected":
        return;
    }
  }

  /** Flood control: refuses a line over the rate, and ends a client that keeps flooding. */
  #admit(now: number): boolean {
    if (this.#limiter === undefined || this.#limiter.tryTake(now)) {
      this.#refusedInRow = 0;
      return true;
    }
    this.#refusedInRow++;
    if (this.#refusedInRow > this.#o.rateBurst) {
      this.#hub.send(this, this.#m.flooding);
      this.#end("flooding");
    } else {
      this.#hub.send(this, this.#m.rateLimited);
    }
    return false;
  }

  #handleChat(line: string): void {
    const nick = this.#nickname!;
    const command = parseCommand(line);
    switch (command.kind) {
      case "empty":
        return;
      case "message":
        this.#hub.broadcast(this.#m.message(nick, command.text));
        this.#o.log?.info(this.#m.message(nick, command.text));
        return;
      case "whisper": {
        const target = this.#hub.find(command.target);
        if (target === undefined) {
          this.#hub.send(this, this.#m.noSuchUser);
          return;
        }
        this.#hub.send(target.member, this.#m.whisperReceived(nick, command.text));
        this.#hub.send(this, this.#m.whisperSent(target.nickname, command.text));
        this.#o.log?.info(`${this.#m.message(nick, `@${target.nickname}`)} ${command.text}`);
        return;
      }
      case "whisperUsage":
        this.#hub.send(this, this.#m.whisperUsage);
        return;
      case "who":
        this.#hub.send(this, this.#m.who(this.#hub.nicknames()));
        return;
      case "help":
        this.#hub.send(this, ...this.#m.help);
        return;
      case "unknown":
        this.#hub.send(this, this.#m.unknownCommand(command.command));
        return;
      case "quit":
        this.#end("quit");
        return;
    }
  }

  #handleEcho(line: string): void {
    this.#o.log?.info(this.#m.logEcho(this.peer, line));
    if (this.#o.mode === "echo-broadcast") this.#hub.broadcast(line);
    else this.#hub.send(this, line);
  }

  #handleNickname(line: string): void {
    const nickname = line.trim().normalize("NFC");
    if (nickname.length === 0) return;
    if (!isValidNickname(nickname)) {
      this.#hub.send(this, this.#m.nicknameInvalid(MAX_NICKNAME_CHARS), this.#m.nicknamePrompt);
      return;
    }
    if (!this.#hub.join(this, nickname)) {
      this.#hub.send(this, this.#m.nicknameTaken(nickname), this.#m.nicknamePrompt);
      return;
    }
    clearTimeout(this.#nicknameTimer);
    this.#nicknameTimer = undefined;
    this.#nickname = nickname;
    this.#state = "chat";
    this.#hub.send(this, this.#m.connected);
    this.#o.log?.info(this.#m.logNickname(this.peer, nickname));
  }

  #handlePassword(line: string): void {
    if (this.#o.password!.matches(line)) {
      this.#state = "nickname";
      this.#hub.send(this, this.#m.nicknamePrompt);
      return;
    }
    this.#hub.send(this, this.#m.wrongPassword);
    clearTimeout(this.#nicknameTimer);
    this.#nicknameTimer = undefined;
    // One guess per connection: what else it sends is ignored until the pause ends.
    this.#state = "rejected";
    this.#delayTimer = setTimeout(() => {
      this.#delayTimer = undefined;
      this.#end("wrong password");
    }, WRONG_PASSWORD_DELAY_MS);
  }

  /**
   * Ends the connection in order: leave the room (the others are told once),
   * flush what is queued, half-close, and close once the peer closes too or
   * {@linkcode CLOSE_TIMEOUT_MS} passes.
   */
  #end(reason: string): void {
    if (this.#ending) return;
    this.#ending = true;
    this.#reason = reason;
    this.#hub.remove(this);
    this.#outbox.close();
    this.#closeTimer ??= setTimeout(() => this.#close(), CLOSE_TIMEOUT_MS);
  }

  /**
   * The writer: the only code that writes to the socket. It is a callback chain
   * rather than an async loop, so that waking it costs no promise of its own: a
   * connection in a busy room is woken many times a second.
   */
  #pump = (): void => {
    if (this.#closed) return this.#stopWriter();
    const bytes = this.#unwritten ?? this.#outbox.takeNow();
    if (bytes === undefined) {
      if (this.#outbox.closed) {
        // Everything is sent: tell the peer with a FIN, and let it close its side.
        this.#conn.closeWrite().then(this.#stopWriter, this.#onWriteError);
      } else {
        this.#outbox.onReady(this.#pump);
      }
      return;
    }
    this.#unwritten = bytes;
    this.#conn.write(bytes).then(this.#onWritten, this.#onWriteError);
  };

  #onWritten = (written: number): void => {
    const bytes = this.#unwritten!;
    // A write may take only part of the bytes.
    this.#unwritten = written < bytes.length ? bytes.subarray(written) : undefined;
    this.#pump();
  };

  #onWriteError = (error: unknown): void => {
    if (!this.#ending) {
      this.#reason = isDisconnectError(error)
        ? error instanceof Error ? error.name : "write error"
        : `write error: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.#close();
    this.#stopWriter();
  };

  #stopWriter = (): void => {
    this.#writerDone = true;
    this.#onWriterDone?.();
  };

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the runtime: nothing left to release.
    }
  }
}

/**
 * Formats a peer address as `host:port` (`[host]:port` for IPv6).
 *
 * @param addr The address.
 * @returns The text.
 */
export function formatAddr(addr: Deno.Addr): string {
  if (addr.transport === "tcp" || addr.transport === "udp") {
    return addr.hostname.includes(":")
      ? `[${addr.hostname}]:${addr.port}`
      : `${addr.hostname}:${addr.port}`;
  }
  return addr.transport;
}
