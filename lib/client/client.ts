/**
 * The chat client: relays typed lines to a server and the server's lines to the
 * user, with two concurrent readers (socket and keyboard) as the originals' two
 * threads. It understands the chat protocol only as far as it must: it can answer
 * the nickname and password prompts by itself. Against an echo server it works as
 * the C echo-client.
 *
 * @module
 */

import { type ClientText, clientText } from "../catalog/client_text.ts";
import type { Lang } from "../catalog/lang.ts";
import { PROMPTS } from "../catalog/user_text.ts";
import { isQuitCommand } from "../chat/commands/table.ts";
import { ConnectError, isDisconnectError } from "../util/errors.ts";
import { type LineInput, openStdinInput } from "./line_input.ts";
import { Mutex } from "../util/mutex.ts";
import { sanitizeText } from "../util/sanitize.ts";
import { writeAll } from "../util/write_all.ts";

/**
 * How long to wait for the server to close after we said goodbye, in milliseconds:
 * long enough for its last lines to arrive, short enough that a server that ignores
 * the goodbye does not hold the user.
 */
export const QUIT_WAIT_MS = 2_000;

/**
 * How long typed lines wait for the automatic nickname/password answers to go
 * first, in milliseconds. A server that never prompts (an echo server) gets them
 * after this delay.
 */
export const AUTO_ANSWER_WAIT_MS = 2_000;

/**
 * The most bytes of one server line held before it is shown anyway, in pieces, so
 * that a server that never sends `\n` cannot grow our memory. The client shows what
 * it gets rather than hanging up: the server is the user's choice.
 */
export const MAX_SHOWN_LINE_BYTES = 64 * 1024;

/** The exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

const READ_BUFFER_BYTES = 16 * 1024;

/** Options for {@linkcode runClient}. */
export interface ClientOptions {
  /** Host name or IP address of the server. */
  hostname: string;
  /** TCP port of the server. */
  port: number;
  /**
   * Sent by itself in answer to the server's first nickname prompt (any language).
   * A later prompt means the name was refused: the user types another.
   * @default {undefined} (the user types the nickname)
   */
  nick?: string;
  /**
   * Sent by itself in answer to the server's first password prompt. Without it, on
   * a terminal the user types the password without echo; on a pipe the next line
   * is sent.
   * @default {undefined}
   */
  password?: string;
  /** Language of the client's own messages. */
  lang: Lang;
  /**
   * Connect with TLS. `caCerts` holds extra trusted certificates as PEM text (not
   * file names), for a server with a self-signed certificate.
   * @default {undefined} (plain TCP)
   */
  tls?: { caCerts?: string[] };
  /** Show the local time `[HH:MM]` before each live line. @default {true} */
  timestamps?: boolean;
  /**
   * Colours: `auto` on a terminal unless `NO_COLOR` is set, `always`, or `never`.
   * @default {"auto"}
   */
  color?: "auto" | "always" | "never";
  /** Ring the terminal bell on mentions and whispers, on every line, or never. @default {"mention"} */
  bell?: "off" | "mention" | "all";
  /**
   * Where typed lines come from and where output goes. The client takes it over
   * and closes it before returning (that is how it stops waiting for the keyboard
   * when the server goes away).
   * @default {openStdinInput()}
   */
  input?: LineInput;
}

/**
 * Connects to a server and relays lines until the user leaves or the server goes
 * away.
 *
 * Leaving: `/종료` or `/quit` is sent, then our side of the connection is shut
 * down (half-close) and the client waits up to {@linkcode QUIT_WAIT_MS} for the
 * server to close, showing its last lines. End of input (Ctrl-D, end of a pipe)
 * sends nothing and only half-closes: a chat server treats that as leaving, an
 * echo server sends back what it still had and closes, so
 * `printf 'hi\n' | chat client` prints the echo before exiting. Ctrl-C (or SIGINT)
 * closes the connection at once.
 *
 * @param options Where to connect and how to answer the prompts.
 * @returns The exit code: 0 when the user left or the server closed the connection
 *   (after printing `connectionClosed`), 1 when the server cannot be reached (one
 *   line on stderr, `cannotConnect`), {@linkcode INTERRUPTED_EXIT_CODE} after Ctrl-C.
 */
export async function runClient(options: ClientOptions): Promise<number> {
  const messages = clientText(options.lang);
  const input = options.input ?? openStdinInput();
  try {
    let conn: Deno.Conn;
    try {
      conn = await connect(options);
    } catch (error) {
      if (!(error instanceof ConnectError)) throw error;
      console.error(messages.cannotConnect(options.hostname, options.port, error.message));
      return 1;
    }
    return await new ClientSession(conn, input, messages, options).run();
  } finally {
    input.close();
  }
}

/**
 * Opens the connection (TCP or TLS, handshake included, so that a certificate
 * problem is reported like a refused connection).
 *
 * @throws {ConnectError} When the server cannot be reached; the message says why.
 */
async function connect(options: ClientOptions): Promise<Deno.Conn> {
  const { hostname, port } = options;
  try {
    if (options.tls !== undefined) {
      const conn = await Deno.connectTls({ hostname, port, caCerts: options.tls.caCerts });
      try {
        await conn.handshake();
      } catch (error) {
        conn.close();
        throw error;
      }
      return conn;
    }
    const conn = await Deno.connect({ hostname, port });
    // Lines are small and interactive: do not let Nagle hold them back.
    conn.setNoDelay(true);
    return conn;
  } catch (error) {
    throw new ConnectError(error instanceof Error ? error.message : String(error));
  }
}

/** One connection's life: two readers, one writer, one exit. */
class ClientSession {
  readonly #conn: Deno.Conn;
  readonly #input: LineInput;
  readonly #messages: ClientText;
  readonly #nick: string | undefined;
  readonly #password: string | undefined;
  readonly #encoder = new TextEncoder();
  // Typed lines and automatic answers come from two tasks; two write loops on one
  // socket would interleave their bytes, so each line is written whole under the lock.
  readonly #writeLock = new Mutex();
  /** Resolved once typed lines may be sent (see #holdTypedLines). */
  readonly #typedLinesMayGo = Promise.withResolvers<void>();
  #typedLinesTimer: ReturnType<typeof setTimeout> | undefined;
  #nickSent = false;
  #passwordSent = false;
  #secretRead: Promise<void> | undefined;
  /** The user started leaving: the server closing is expected, not news. */
  #leaving = false;
  /** The server ended the connection first. */
  #serverGone = false;
  #interrupted = false;
  #connClosed = false;

  constructor(conn: Deno.Conn, input: LineInput, messages: ClientText, options: ClientOptions) {
    this.#conn = conn;
    this.#input = input;
    this.#messages = messages;
    this.#nick = options.nick;
    this.#password = options.password;
    if (this.#nick === undefined && this.#password === undefined) {
      this.#letTypedLinesGo();
    } else {
      this.#typedLinesTimer = setTimeout(() => this.#letTypedLinesGo(), AUTO_ANSWER_WAIT_MS);
    }
  }

  async run(): Promise<number> {
    const onSigint = () => this.#interrupt();
    Deno.addSignalListener("SIGINT", onSigint);
    try {
      const reading = this.#readSocket();
      const typing = this.#readKeyboard();
      await Promise.race([reading, typing]);
      if (!this.#serverGone) {
        // The user leaves first: say so, then give the server a bounded moment to
        // close, showing what it still sends.
        this.#leaving = true;
        if (this.#interrupted) {
          this.#closeConn();
        } else {
          await this.#shutdownWrite();
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timeout = new Promise<void>((resolve) => {
            timer = setTimeout(resolve, QUIT_WAIT_MS);
          });
          await Promise.race([reading, timeout]);
          clearTimeout(timer);
          this.#closeConn();
        }
      }
      // Ends a keyboard read still pending (the server went away).
      this.#input.close();
      await Promise.all([reading, typing, this.#secretRead]);
      return this.#interrupted ? INTERRUPTED_EXIT_CODE : 0;
    } finally {
      Deno.removeSignalListener("SIGINT", onSigint);
      clearTimeout(this.#typedLinesTimer);
      this.#closeConn();
    }
  }

  /** Socket → screen, until the server closes or we close. Never rejects. */
  async #readSocket(): Promise<void> {
    const buffer = new Uint8Array(READ_BUFFER_BYTES);
    const splitter = new ShownLineSplitter(MAX_SHOWN_LINE_BYTES);
    try {
      for (;;) {
        let n: number | null;
        try {
          n = await this.#conn.read(buffer);
        } catch (error) {
          // FIN, reset, or our own close: the connection is over either way.
          if (!isDisconnectError(error) && !this.#connClosed) this.#report(error);
          break;
        }
        if (n === null) break;
        for (const line of splitter.push(buffer.subarray(0, n))) await this.#onServerLine(line);
      }
      const rest = splitter.flush();
      if (rest !== undefined) await this.#onServerLine(rest);
    } finally {
      if (!this.#leaving) {
        this.#serverGone = true;
        await this.#input.printAbove(this.#messages.connectionClosed);
        // Stop waiting for the keyboard: the process must exit now, not at the next Enter.
        this.#input.close();
      }
      this.#letTypedLinesGo();
    }
  }

  /** Keyboard → socket, until end of input, a quit command, or the connection ends. */
  async #readKeyboard(): Promise<void> {
    for (;;) {
      const line = await this.#input.readLine();
      if (line === null) {
        if (this.#input.interrupted) this.#interrupted = true;
        break;
      }
      if (this.#serverGone || this.#leaving) break;
      await this.#holdTypedLines();
      if (this.#serverGone || this.#leaving) break;
      if (!await this.#send(line)) break;
      // The server's own rule (`/종료`, `/quit`, any case): it closes after this line.
      if (isQuitCommand(line)) break;
    }
    if (!this.#serverGone) this.#leaving = true;
  }

  async #onServerLine(raw: string): Promise<void> {
    const line = sanitizeText(raw);
    const prompt = raw.trimEnd();
    if (this.#nick !== undefined && !this.#nickSent && PROMPTS.nickname.includes(prompt)) {
      this.#nickSent = true;
      await this.#input.printAbove(`${line} ${this.#nick}`);
      await this.#send(this.#nick);
      this.#afterAutoAnswer();
      return;
    }
    if (PROMPTS.password.includes(prompt)) {
      if (this.#password !== undefined && !this.#passwordSent) {
        this.#passwordSent = true;
        await this.#input.printAbove(line);
        await this.#send(this.#password);
        this.#afterAutoAnswer();
        return;
      }
      if (this.#input.isTerminal && this.#secretRead === undefined) {
        await this.#input.printAbove(line);
        // Not awaited: the socket must keep being read while the user types.
        this.#secretRead = this.#readPassword();
        return;
      }
    }
    // A line we do not answer ourselves (a prompt for the user, or anything else):
    // what the user types now is meant for the server as it is.
    this.#letTypedLinesGo();
    await this.#input.printAbove(line);
  }

  async #readPassword(): Promise<void> {
    const password = await this.#input.readSecret(this.#messages.passwordInputPrompt);
    if (password !== null && !this.#serverGone && !this.#leaving) await this.#send(password);
    // A later prompt (wrong password, asked again) gets a fresh secret read.
    this.#secretRead = undefined;
  }

  #afterAutoAnswer(): void {
    const nickDone = this.#nick === undefined || this.#nickSent;
    const passwordDone = this.#password === undefined || this.#passwordSent;
    if (nickDone && passwordDone) this.#letTypedLinesGo();
  }

  /**
   * Typed lines wait while an automatic answer is still expected: the server reads
   * its first lines as password and nickname, so `echo hi | chat client --nick bob`
   * must send "bob" before "hi". They go once the answers are sent, when a line
   * arrives that we do not answer ourselves, when the connection ends, or after
   * {@linkcode AUTO_ANSWER_WAIT_MS}.
   */
  #holdTypedLines(): Promise<void> {
    return this.#typedLinesMayGo.promise;
  }

  #letTypedLinesGo(): void {
    clearTimeout(this.#typedLinesTimer);
    this.#typedLinesTimer = undefined;
    this.#typedLinesMayGo.resolve();
  }

  /**
   * Sends one line.
   *
   * @returns `false` when the connection is gone.
   */
  async #send(text: string): Promise<boolean> {
    using _held = await this.#writeLock.acquire();
    if (this.#connClosed) return false;
    try {
      await writeAll(this.#conn, this.#encoder.encode(text + "\n"));
      return true;
    } catch (error) {
      if (!isDisconnectError(error)) this.#report(error);
      return false;
    }
  }

  /** Half-close: the server sees our end of input, and can still answer. */
  async #shutdownWrite(): Promise<void> {
    using _held = await this.#writeLock.acquire();
    if (this.#connClosed) return;
    try {
      await this.#conn.closeWrite();
    } catch {
      // Already gone: the read side will tell.
    }
  }

  #interrupt(): void {
    this.#interrupted = true;
    this.#leaving = true;
    this.#closeConn();
    this.#input.close();
  }

  #closeConn(): void {
    if (this.#connClosed) return;
    this.#connClosed = true;
    try {
      this.#conn.close();
    } catch {
      // Closed already (BadResource): nothing to release.
    }
  }

  /** An unexpected socket error: one line, no stack trace; the connection ends. */
  #report(error: unknown): void {
    console.error(error instanceof Error ? error.message : String(error));
  }
}

const LF = 0x0a;

/**
 * Splits the server's bytes into lines before decoding, so a UTF-8 character split
 * across reads is decoded whole. Unlike the server's splitter it never fails: a
 * line longer than the cap is shown in pieces cut at character boundaries.
 */
class ShownLineSplitter {
  readonly #maxBytes: number;
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  #pending: Uint8Array = new Uint8Array(0);

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Returns the lines `chunk` completes; the chunk may be reused afterwards. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, start)) {
      lines.push(this.#decode(this.#take(chunk.subarray(start, lf))));
      start = lf + 1;
    }
    this.#pending = concat(this.#pending, chunk.subarray(start));
    while (this.#pending.length > this.#maxBytes) {
      let cut = this.#maxBytes;
      // Back up over continuation bytes (10xxxxxx) to a character's first byte.
      while (cut > 0 && (this.#pending[cut] & 0xc0) === 0x80) cut--;
      if (cut === 0) cut = this.#maxBytes;
      lines.push(this.#decode(this.#pending.subarray(0, cut)));
      this.#pending = this.#pending.slice(cut);
    }
    return lines;
  }

  /** Returns the unfinished last line, if any (the server closed without `\n`). */
  flush(): string | undefined {
    if (this.#pending.length === 0) return undefined;
    return this.#decode(this.#take(new Uint8Array(0)));
  }

  /** The pending bytes followed by `tail`; empties the pending buffer. */
  #take(tail: Uint8Array): Uint8Array {
    const bytes = concat(this.#pending, tail);
    this.#pending = new Uint8Array(0);
    return bytes;
  }

  #decode(bytes: Uint8Array): string {
    const text = this.#decoder.decode(bytes);
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  if (b.length === 0) return a;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
