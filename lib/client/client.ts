/**
 * The chat client: relays typed lines to a server and the server's lines to the
 * user. It understands the chat protocol as far as its display needs: it answers
 * the password, nickname and account prompts by itself, follows our nickname,
 * room and its members (`ChatState`), and shows each line with the time, colours
 * and bell (`LineRenderer`). It works with both originals: the Python chat server,
 * which frames nothing, and the C echo server, against which it is the C
 * echo-client.
 *
 * When the connection to our server drops after the login (end of stream, reset,
 * the server restarting), the client reconnects by itself with a growing wait,
 * logs in again with the answers it remembers (in memory only), and shows only
 * what it missed: it asks our server for message ids (`/client ids`), remembers
 * the last one it showed, and resumes from it (`/resume ROOM ID`). It does not
 * reconnect after the user left, nor after the server ended the session for a
 * reason (a kick, a ban, a refusal, a password lockout, a new login taking the
 * nickname), also when a reconnection is refused (a lockout, too many connections
 * from the address, a full server making room).
 *
 * One connection is a {@linkcode ClientSession}; what outlives it (answers, our
 * place in the chat, the ids shown, the keyboard, the screen) is created here.
 *
 * @module
 */

import { clientText } from "../catalog/client_text.ts";
import type { Lang } from "../catalog/lang.ts";
import { isQuitCommand } from "../chat/commands/table.ts";
import { defaultsOf } from "../config/option_row.ts";
import { CLIENT_OPTIONS } from "../config/option_table.ts";
import { displayWidth } from "../util/display_width.ts";
import { ConnectError } from "../util/errors.ts";
import type { Writer } from "../util/write_all.ts";
import { ChatState } from "./chat_state.ts";
import {
  ClientSession,
  ErrorLines,
  type SessionContext,
  type SessionOutcome,
} from "./client_session.ts";
import { EXIT_STATUS } from "./exit_status.ts";
import { Keyboard, STOPPED } from "./keyboard.ts";
import { type LineInput, openStdinInput } from "./line_input.ts";
import { type BellMode, LineRenderer } from "./line_renderer.ts";
import { PromptAnswers } from "./prompt_answers.ts";
import { maskSecret, secretStart } from "./secret_commands.ts";
import { ShownIds } from "./shown_ids.ts";

export {
  MAX_SHOWN_LINE_BYTES,
  ORIGINAL_QUIT_COMMAND,
  PROMPT_PAUSE_MS,
  QUIT_WAIT_MS,
} from "./client_session.ts";

/** The client's settings when a caller leaves them out: the option table's defaults. */
const CLIENT_DEFAULTS = defaultsOf(CLIENT_OPTIONS);

/** The exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE: number = EXIT_STATUS.interrupted;

/**
 * The first wait before reconnecting, in milliseconds: a restarting server is
 * usually back within a second, and a blip of the network sooner.
 */
export const RECONNECT_FIRST_MS = 500;

/**
 * The longest wait between two tries, in milliseconds: a classroom of clients
 * waiting for a server that is down costs it a connection each per 15 s, and a
 * user waits at most that long once it is back (the page waits as long).
 */
export const RECONNECT_MAX_MS = 15_000;

/** Options for {@linkcode runClient}. */
export interface ClientOptions {
  /** Host name or IP address of the server. */
  hostname: string;
  /** TCP port of the server. */
  port: number;
  /**
   * Sent by itself in answer to the nickname prompt (any language), once per
   * connection: a later prompt means the name was refused, and the user types
   * another. A reconnection gives the nickname the server last confirmed.
   * @default {undefined} (the user types the nickname)
   */
  nick?: string;
  /**
   * Sent by itself in answer to the server's password prompt, once per connection.
   * Without it, on a terminal the user types the password without echo; on a pipe
   * the next line is sent. A reconnection gives the one the server took.
   * @default {undefined}
   */
  password?: string;
  /**
   * Sent by itself in answer to a registered nickname's password prompt
   * (`CHAT_ACCOUNT_PASSWORD`; never a flag). Once the server refuses it, the user
   * types the password (without echo on a terminal).
   * @default {undefined}
   */
  accountPassword?: string;
  /** Language of the client's own messages. */
  lang: Lang;
  /**
   * Connect with TLS. `caCerts` holds extra trusted certificates as PEM text (not
   * file names), for a server with a self-signed certificate.
   * @default {undefined} (plain TCP)
   */
  tls?: { caCerts?: string[] };
  /**
   * Show the local time `[HH:MM]` before each live line (history lines bring their
   * own). Only when the output is a terminal: a program reading a pipe gets the
   * server's lines as they are.
   * @default {true}
   */
  timestamps?: boolean;
  /**
   * Colours (nicknames, dimmed notices, whispers, mentions): `auto` when the output
   * is a terminal and `NO_COLOR` is not set, `always`, or `never`.
   * @default {"auto"}
   */
  color?: "auto" | "always" | "never";
  /**
   * Ring the terminal bell on mentions of our nickname and whispers to us
   * (`mention`), on every line someone else said (`all`), or never (`off`). Only
   * when the output is a terminal.
   * @default {"mention"}
   */
  bell?: BellMode;
  /**
   * Where typed lines come from and where output goes. The client takes it over
   * and closes it before returning (that is how it stops waiting for the keyboard
   * when the server goes away).
   * @default {openStdinInput()}
   */
  input?: LineInput;
  /**
   * The waits before reconnecting after a dropped connection, in milliseconds:
   * the first, and the longest (each failed try doubles the wait up to it).
   * @default {{ firstMs: RECONNECT_FIRST_MS, maxMs: RECONNECT_MAX_MS }}
   */
  reconnect?: { firstMs: number; maxMs: number };
  /**
   * Where the client's errors go, one line each: a server it cannot reach, why the
   * server ended the session, a socket error.
   * @default {Deno.stderr}
   */
  stderr?: Writer;
}

/**
 * Connects to a server and relays lines until the user leaves or the server goes
 * away for good.
 *
 * What the server is decides a few things, with no flag: a server that prompts for
 * a nickname or password is a chat server; one that prompts without a newline is
 * the Python original, which gets our lines without one too, one message per write
 * (as its own client sends them); one that says nothing first is an echo server,
 * where `q`, `Q`, `/종료` and `/quit` end the client without being sent (the C
 * echo-client's rule).
 *
 * Leaving a chat server: `/종료` or `/quit` is sent, then our side of the connection
 * is shut down (half-close) and the client waits up to {@linkcode QUIT_WAIT_MS} for
 * the server to close, showing its last lines. End of input (Ctrl-D, end of a pipe)
 * sends nothing and only half-closes: a chat server treats that as leaving, an echo
 * server sends back what it still had and closes, so `printf 'hi\n' | chat client`
 * prints the echo before exiting. The Python original is never half-closed (an
 * empty read sends it into a loop): it gets `/종료` first, whichever way the user
 * leaves. Ctrl-C (or SIGINT) closes the connection at once.
 *
 * A connection to our server that drops after the login, with no reason given
 * (a kill, a reset, a shutdown notice: a restart), is made again: after
 * {@linkcode RECONNECT_FIRST_MS}, doubling after each failed try up to
 * {@linkcode RECONNECT_MAX_MS}, one line each time, until it works or the user
 * gives up (Ctrl-C, Ctrl-D, `/quit`). Lines typed meanwhile are not sent (a line
 * says so).
 *
 * @param options Where to connect, how to answer the prompts, how to show lines.
 * @returns The exit status ({@linkcode EXIT_STATUS}, with a table of every way a
 *   session ends): 0 when the user left, or the server closed a connection it
 *   does not come back from (the originals); 1 when the server cannot be reached
 *   (`cannotConnect` on stderr) or it refused the session or ended it for a reason
 *   (its line, then `ended` on stderr); 130 after Ctrl-C.
 */
export async function runClient(options: ClientOptions): Promise<number> {
  const messages = clientText(options.lang);
  const input = options.input ?? openStdinInput();
  const errors = new ErrorLines(options.stderr ?? Deno.stderr);
  const keyboard = new Keyboard(input);
  try {
    let conn: Deno.Conn;
    try {
      conn = await connect(options);
    } catch (error) {
      if (!(error instanceof ConnectError)) throw error;
      await errors.print(messages.cannotConnect(options.hostname, options.port, error.message));
      if (error.message.includes("CaUsedAsEndEntity")) await errors.print(messages.caCertificate);
      return EXIT_STATUS.failed;
    }
    const terminal = input.outputIsTerminal;
    const color = options.color ?? CLIENT_DEFAULTS.color;
    const context: SessionContext = {
      input,
      keyboard,
      messages,
      errors,
      renderer: new LineRenderer({
        color: color === "always" || (color === "auto" && terminal && !Deno.noColor),
        // Decorations are for people: a program reading a pipe gets the server's lines.
        timestamps: terminal && (options.timestamps ?? CLIENT_DEFAULTS.timestamps),
        bell: terminal ? options.bell ?? CLIENT_DEFAULTS.bell : "off",
      }),
      answers: new PromptAnswers(options),
      state: new ChatState(),
      ids: new ShownIds(),
    };
    return await new Client(options, context).run(conn);
  } finally {
    input.close();
    await keyboard.finished;
  }
}

/** What stopped a wait between two connections. */
type GiveUp = "left" | "interrupted";

/** What Ctrl-C resolves a wait between two connections with (no typed line can be it). */
const INTERRUPTED: unique symbol = Symbol("interrupted");

/** The client's run: one session per connection, and the waits between them. */
class Client {
  readonly #options: ClientOptions;
  readonly #c: SessionContext;
  /** The connection's session, while there is one. */
  #session: ClientSession | undefined;
  /** Ctrl-C between two connections. */
  readonly #interrupted = Promise.withResolvers<typeof INTERRUPTED>();
  #wasInterrupted = false;

  constructor(options: ClientOptions, context: SessionContext) {
    this.#options = options;
    this.#c = context;
  }

  async run(first: Deno.Conn): Promise<number> {
    const { input, messages } = this.#c;
    const onSigint = () => this.#interrupt();
    Deno.addSignalListener("SIGINT", onSigint);
    // The server shows back what we send: the typed line need not stay.
    input.eraseEntered = true;
    input.setCompleter((line) => this.#session?.complete(line) ?? [[], line]);
    input.setMask(secretStart);
    const delays = this.#options.reconnect ??
      { firstMs: RECONNECT_FIRST_MS, maxMs: RECONNECT_MAX_MS };
    try {
      let conn = first;
      let reconnecting = false;
      let delayMs = delays.firstMs;
      for (;;) {
        const session = new ClientSession(conn, this.#c, reconnecting);
        this.#session = session;
        if (this.#wasInterrupted) session.interrupt();
        const outcome = await session.run();
        this.#session = undefined;
        if (!outcome.dropped || !(outcome.joined || reconnecting)) return await this.#end(outcome);
        if (outcome.joined) {
          delayMs = delays.firstMs;
          await this.#notice(messages.connectionLost(delayMs / 1000));
        } else {
          await this.#notice(messages.reconnectFailed(messages.closedBeforeLogin, delayMs / 1000));
        }
        reconnecting = true;
        for (;;) {
          const abort = new AbortController();
          const waited = await this.#whileDisconnected(sleep(delayMs, abort.signal));
          if (waited !== undefined) {
            abort.abort();
            return this.#gaveUp(waited);
          }
          const next = Math.min(delayMs * 2, delays.maxMs);
          const attempt = tryConnect(this.#options, abort.signal);
          const connected = await this.#whileDisconnected(attempt);
          if (typeof connected === "string") {
            // A connection that comes after all is not wanted any more.
            abort.abort();
            void attempt.then((late) => closeQuietly(late.conn));
            return this.#gaveUp(connected);
          }
          if (connected.conn !== undefined) {
            conn = connected.conn;
            delayMs = next;
            break;
          }
          delayMs = next;
          await this.#notice(messages.reconnectFailed(connected.reason, delayMs / 1000));
        }
      }
    } finally {
      Deno.removeSignalListener("SIGINT", onSigint);
      input.setCompleter(undefined);
      input.setMask(undefined);
    }
  }

  /** The last session ended the run: say why, or that the server closed. */
  async #end(outcome: SessionOutcome): Promise<number> {
    const { errors, input, messages, renderer } = this.#c;
    if (outcome.cause !== undefined) {
      // Why, in our language, where it is seen even when stdout goes to a file; the
      // input goes first, so that the line does not land inside it.
      input.close();
      await errors.print(messages.ended(outcome.cause));
    } else if (outcome.serverGone) {
      await input.printAbove(renderer.notice(messages.connectionClosed));
    }
    return outcome.status;
  }

  #gaveUp(how: GiveUp): number {
    return how === "interrupted" ? EXIT_STATUS.interrupted : EXIT_STATUS.ok;
  }

  /**
   * Waits for `work` while there is no connection, reading what the user types
   * meanwhile: a quit command, Ctrl-D or Ctrl-C gives up; any other line is not
   * sent, and a line says so.
   *
   * @returns What `work` gave, or how the user gave up.
   */
  async #whileDisconnected<T>(work: Promise<T>): Promise<T | GiveUp> {
    const { keyboard, messages } = this.#c;
    const done = work.then((value) => ({ value }));
    for (;;) {
      const typed = keyboard.next();
      const first = await Promise.race([done, typed, this.#interrupted.promise]);
      if (first === INTERRUPTED) {
        keyboard.stopWaiting();
        return "interrupted";
      }
      if (typeof first === "object" && first !== null) {
        keyboard.stopWaiting();
        // A line that came with the result stays for the next session.
        const late = await typed;
        if (typeof late === "string") keyboard.putBack(late);
        return first.value;
      }
      if (first === STOPPED) continue;
      if (first === null) {
        // Ctrl-C closes the input too: its end may come first.
        return keyboard.interrupted || this.#wasInterrupted ? "interrupted" : "left";
      }
      if (isQuitCommand(first)) return "left";
      await this.#notice(messages.notSent(maskSecret(first, displayWidth)));
    }
  }

  async #notice(text: string): Promise<void> {
    await this.#c.input.printAbove(this.#c.renderer.notice(text));
  }

  #interrupt(): void {
    this.#wasInterrupted = true;
    this.#session?.interrupt();
    this.#c.input.close();
    this.#interrupted.resolve(INTERRUPTED);
  }
}

/** Waits, in milliseconds; an abort ends the wait at once (the timer goes with it). */
function sleep(ms: number, signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(undefined);
    }, { once: true });
  });
}

/** One reconnection try: the connection, or why not. */
async function tryConnect(
  options: ClientOptions,
  signal: AbortSignal,
): Promise<{ conn: Deno.Conn; reason?: undefined } | { conn?: undefined; reason: string }> {
  try {
    return { conn: await connect(options, signal) };
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    return { reason: error.message };
  }
}

function closeQuietly(conn: Deno.Conn | undefined): void {
  try {
    conn?.close();
  } catch {
    // Closed already.
  }
}

/**
 * Opens the connection (TCP or TLS, handshake included, so that a certificate
 * problem is reported like a refused connection).
 *
 * @param options Where.
 * @param signal Gives up a plain TCP connection still being made.
 * @throws {ConnectError} When the server cannot be reached; the message says why.
 */
async function connect(options: ClientOptions, signal?: AbortSignal): Promise<Deno.Conn> {
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
    const conn = await Deno.connect({ hostname, port, signal });
    // Lines are small and interactive: do not let Nagle hold them back.
    conn.setNoDelay(true);
    return conn;
  } catch (error) {
    throw new ConnectError(error instanceof Error ? error.message : String(error));
  }
}
