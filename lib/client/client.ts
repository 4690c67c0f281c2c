/**
 * The chat client: relays typed lines to a server and the server's lines to the
 * user, with two concurrent readers (socket and keyboard) as the originals' two
 * threads. It understands the chat protocol as far as its display needs: it answers
 * the nickname and password prompts by itself, follows our nickname, room and its
 * members (`ChatState`), and shows each line with the time, colours and bell
 * (`LineRenderer`). It works with both originals: the Python chat server, which
 * frames nothing, and the C echo server, against which it is the C echo-client.
 *
 * The session's state lives in small objects, each with one owner: what the server
 * is (`ServerKind`), the prompts' answers (`PromptAnswers`), our place in the chat
 * (`ChatState`), the history block (`ServerLineReader`), how the session ends
 * (`SessionEnd`), and the one writer to the socket (`ServerWriter`).
 *
 * @module
 */

import { type ClientText, clientText } from "../catalog/client_text.ts";
import type { Lang } from "../catalog/lang.ts";
import { PROMPTS } from "../catalog/user_text.ts";
import { COMMANDS, findCommand, isQuitCommand } from "../chat/commands/table.ts";
import { parseLine } from "../chat/parse_line.ts";
import { defaultsOf } from "../config/option_row.ts";
import { CLIENT_OPTIONS } from "../config/option_table.ts";
import { DEFAULT_MAX_LINE_BYTES } from "../transport/line_splitter.ts";
import { ConnectError, isDisconnectError } from "../util/errors.ts";
import { sanitizeText } from "../util/sanitize.ts";
import { writeAll, type Writer } from "../util/write_all.ts";
import { ChatState } from "./chat_state.ts";
import { completeInput } from "./complete_input.ts";
import { EXIT_STATUS } from "./exit_status.ts";
import { type LineInput, openStdinInput } from "./line_input.ts";
import { type BellMode, LineRenderer, type RenderedLine } from "./line_renderer.ts";
import { PromptAnswers, type PromptKind } from "./prompt_answers.ts";
import { ServerKind } from "./server_kind.ts";
import { ServerLineReader } from "./server_line_reader.ts";
import { ServerWriter } from "./server_writer.ts";
import { SessionEnd } from "./session_end.ts";
import { ShownLineSplitter } from "./shown_line_splitter.ts";
import { splitMessage } from "./split_message.ts";

/** The client's settings when a caller leaves them out: the option table's defaults. */
const CLIENT_DEFAULTS = defaultsOf(CLIENT_OPTIONS);

/**
 * How long to wait for the server to close after we said goodbye, in milliseconds:
 * long enough for its last lines to arrive, short enough that a server that ignores
 * the goodbye does not hold the user.
 */
export const QUIT_WAIT_MS = 2_000;

/**
 * How long the unfinished last line from the server waits for its `\n` before it is
 * shown anyway, in milliseconds: a prompt from a server that ends nothing with a
 * newline (the Python original) appears, the way telnet shows partial lines, while
 * one of our lines that arrives in two reads is still shown whole.
 */
export const PROMPT_PAUSE_MS = 200;

/** The Python original's quit word: the only one it knows. */
export const ORIGINAL_QUIT_COMMAND = "/종료";

/**
 * The most bytes of one server line held before it is shown anyway, in pieces, so
 * that a server that never sends `\n` cannot grow our memory. The client shows what
 * it gets rather than hanging up: the server is the user's choice.
 */
export const MAX_SHOWN_LINE_BYTES = 64 * 1024;

/** The exit status after Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE: number = EXIT_STATUS.interrupted;

const READ_BUFFER_BYTES = 16 * 1024;
const BELL = "\x07";
/** What a read raced against the pause resolves to when the pause wins. */
const PAUSED: unique symbol = Symbol("paused");

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
   * Where the client's errors go, one line each: a server it cannot reach, why the
   * server ended the session, a socket error.
   * @default {Deno.stderr}
   */
  stderr?: Writer;
}

/**
 * Connects to a server and relays lines until the user leaves or the server goes
 * away.
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
 * @param options Where to connect, how to answer the prompts, how to show lines.
 * @returns The exit status ({@linkcode EXIT_STATUS}, with a table of every way a
 *   session ends): 0 when the user left or the server closed the connection or shut
 *   down; 1 when the server cannot be reached (`cannotConnect` on stderr) or it
 *   refused the session or ended it for a reason (its line, then `ended` on
 *   stderr); 130 after Ctrl-C.
 */
export async function runClient(options: ClientOptions): Promise<number> {
  const messages = clientText(options.lang);
  const input = options.input ?? openStdinInput();
  const errors = new ErrorLines(options.stderr ?? Deno.stderr);
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
    return await new ClientSession(conn, input, messages, errors, options).run();
  } finally {
    input.close();
  }
}

/** The client's error lines, on stderr, one after the other. */
class ErrorLines {
  readonly #writer: Writer;
  readonly #encoder = new TextEncoder();
  /** The last line's write: the next one goes after it, whole. */
  #written: Promise<void> = Promise.resolve();

  constructor(writer: Writer) {
    this.#writer = writer;
  }

  /**
   * Prints one line; a stderr nobody reads any more is not an error of ours.
   *
   * @returns When this line (and every earlier one) is written.
   */
  print(line: string): Promise<void> {
    const bytes = this.#encoder.encode(line + "\n");
    this.#written = this.#written.then(() => writeAll(this.#writer, bytes)).catch(() => {});
    return this.#written;
  }

  /** Resolves once every line printed so far is written. */
  get written(): Promise<void> {
    return this.#written;
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
  /** Read by the socket reader only; the writer writes to it and closes it. */
  readonly #conn: Deno.Conn;
  readonly #writer: ServerWriter;
  readonly #input: LineInput;
  readonly #messages: ClientText;
  readonly #errors: ErrorLines;
  readonly #encoder = new TextEncoder();
  readonly #server = new ServerKind(performance.now());
  readonly #answers: PromptAnswers;
  readonly #state = new ChatState();
  readonly #lines = new ServerLineReader();
  readonly #renderer: LineRenderer;
  readonly #end = new SessionEnd();
  /** Resolved once typed lines may be sent (see #holdTypedLines). */
  readonly #typedLinesMayGo = Promise.withResolvers<void>();
  /** Wakes the server kind's clock once, when silence would decide it. */
  #silenceTimer: ReturnType<typeof setTimeout> | undefined;
  /** A password being typed without echo, while the socket is still read. */
  #secretRead: Promise<void> | undefined;

  constructor(
    conn: Deno.Conn,
    input: LineInput,
    messages: ClientText,
    errors: ErrorLines,
    options: ClientOptions,
  ) {
    this.#conn = conn;
    this.#errors = errors;
    this.#writer = new ServerWriter(conn, (error) => this.#report(error));
    this.#input = input;
    this.#messages = messages;
    this.#answers = new PromptAnswers(options);
    const terminal = input.outputIsTerminal;
    const color = options.color ?? CLIENT_DEFAULTS.color;
    this.#renderer = new LineRenderer({
      color: color === "always" || (color === "auto" && terminal && !Deno.noColor),
      // Decorations are for people: a program reading a pipe gets the server's lines.
      timestamps: terminal && (options.timestamps ?? CLIENT_DEFAULTS.timestamps),
      bell: terminal ? options.bell ?? CLIENT_DEFAULTS.bell : "off",
    });
    const deadline = this.#server.silenceDeadlineMs!;
    this.#silenceTimer = setTimeout(() => {
      this.#silenceTimer = undefined;
      if (this.#server.tick(Math.max(performance.now(), deadline))) this.#letTypedLinesGo();
    }, deadline - performance.now());
  }

  async run(): Promise<number> {
    const onSigint = () => this.#interrupt();
    Deno.addSignalListener("SIGINT", onSigint);
    // The server shows back what we send: the typed line need not stay.
    this.#input.eraseEntered = true;
    this.#input.setCompleter((line) => this.#complete(line));
    try {
      const reading = this.#readSocket();
      const typing = this.#readKeyboard();
      await Promise.race([reading, typing]);
      if (!this.#end.serverGone) await this.#leave(reading);
      // Ends a keyboard read still pending (the server went away).
      this.#input.close();
      await Promise.all([reading, typing, this.#secretRead]);
      // A socket error's line is printed without waiting: it is out before we return.
      await this.#errors.written;
      return this.#end.exitStatus;
    } finally {
      Deno.removeSignalListener("SIGINT", onSigint);
      clearTimeout(this.#silenceTimer);
      this.#input.setCompleter(undefined);
      this.#writer.close();
    }
  }

  /**
   * The user leaves first: say so, then give the server a bounded moment to close,
   * showing what it still sends.
   */
  async #leave(reading: Promise<void>): Promise<void> {
    this.#end.userLeaves();
    if (this.#owesGoodbye()) {
      // The original takes an empty read (our end of input) for an endless run of
      // empty messages: it must see its quit word first.
      await this.#sayGoodbye();
    }
    const framed = this.#server.frames;
    if (this.#end.interrupted || (!framed && !this.#end.goodbyeSent)) {
      this.#writer.close();
      return;
    }
    // A half-close tells a framed server we are done; the original closes by itself
    // after its quit word.
    if (framed) await this.#writer.shutdownWrite();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, QUIT_WAIT_MS);
    });
    await Promise.race([reading, timeout]);
    clearTimeout(timer);
    this.#writer.close();
  }

  /** Whether the Python original has a session that must still end with its quit word. */
  #owesGoodbye(): boolean {
    return this.#server.current === "python-original" && this.#answers.nicknameDone &&
      !this.#end.goodbyeSent && !this.#writer.closed;
  }

  async #sayGoodbye(): Promise<void> {
    this.#end.goodbyeDone();
    await this.#send(ORIGINAL_QUIT_COMMAND);
  }

  /** Socket → screen, until the server closes or we close. Never rejects. */
  async #readSocket(): Promise<void> {
    const buffer = new Uint8Array(READ_BUFFER_BYTES);
    const splitter = new ShownLineSplitter(MAX_SHOWN_LINE_BYTES);
    let read: Promise<number | null> | undefined;
    try {
      for (;;) {
        read ??= this.#conn.read(buffer);
        let n: number | null | typeof PAUSED;
        try {
          // An unfinished line waits for its `\n` only so long: then it is shown.
          n = splitter.hasPartial ? await raceWithPause(read) : await read;
        } catch (error) {
          // FIN, reset, or our own close: the connection is over either way.
          if (!isDisconnectError(error) && !this.#writer.closed) this.#report(error);
          break;
        }
        if (n === PAUSED) {
          const partial = splitter.takePartial();
          if (partial !== undefined) await this.#onServerLine(partial, false);
          // (Only part of a character came: the server spoke, so it is no echo server.)
          else this.#letTypedLinesGo();
          continue;
        }
        read = undefined;
        if (n === null) break;
        this.#server.heard();
        for (const line of splitter.push(buffer.subarray(0, n))) {
          await this.#onServerLine(line, true);
        }
        if (!this.#server.frames) {
          // The original sends no `\n`: each read is what it sent, shown as it came.
          const rest = splitter.takePartial();
          if (rest !== undefined) await this.#onServerLine(rest, false);
        }
      }
      const rest = splitter.flush();
      if (rest !== undefined) await this.#onServerLine(rest, true);
    } finally {
      const news = this.#end.connectionEnded();
      const cause = this.#end.cause;
      if (cause !== undefined) {
        // Why, in our language, where it is seen even when stdout goes to a file;
        // the input goes first, so that the line does not land inside it.
        this.#input.close();
        await this.#errors.print(this.#messages.ended(cause));
      } else if (news) {
        await this.#input.printAbove(this.#renderer.notice(this.#messages.connectionClosed));
      }
      // Stop waiting for the keyboard: the process must exit now, not at the next Enter.
      if (news) this.#input.close();
      this.#letTypedLinesGo();
    }
  }

  /** Keyboard → socket, until end of input, a quit command, or the connection ends. */
  async #readKeyboard(): Promise<void> {
    for (;;) {
      const line = await this.#input.readLine();
      if (line === null) {
        if (this.#input.interrupted) this.#end.interrupt();
        break;
      }
      if (this.#end.over) break;
      await this.#holdTypedLines();
      if (this.#end.over) break;
      if (!await this.#onTypedLine(line)) break;
    }
    this.#end.userLeaves();
  }

  /**
   * Acts on one typed line.
   *
   * @returns `false` when the client leaves (or the connection is gone).
   */
  async #onTypedLine(line: string): Promise<boolean> {
    if (!this.#server.prompts) {
      // An echo server: as the C echo-client, `q` or `Q` ends the client, and so does
      // a quit command, which an echo server would only send back.
      if (line === "q" || line === "Q" || isQuitCommand(line)) return false;
      return await this.#send(line);
    }
    // The server's own rule (`/종료`, `/quit`, any case): it closes after this line.
    if (isQuitCommand(line)) {
      if (this.#server.frames) await this.#send(line);
      // The original knows only its own word, exactly.
      else if (this.#answers.nicknameDone) await this.#sayGoodbye();
      return false;
    }
    const question = this.#answers.takeQuestion();
    if (question !== undefined) {
      if (this.#input.isTerminal) {
        // The answer stays on the prompt's row, as an automatic answer is shown.
        this.#input.setPrompt("");
        if (question.kind === "nickname") {
          await this.#input.printAbove(`${question.prompt} ${line}`);
        }
      }
      if (question.kind === "nickname") this.#state.nicknameSent(line);
      const sent = await this.#send(line);
      if (question.kind === "nickname") this.#answers.nicknameSent();
      return sent;
    }
    this.#state.typed(line);
    return await this.#sendMessage(line);
  }

  /** Sends a chat line, split into pieces within the server's line cap when it is over. */
  async #sendMessage(line: string): Promise<boolean> {
    const cap = this.#server.lineCapBytes(DEFAULT_MAX_LINE_BYTES);
    if (cap === undefined || this.#encoder.encode(line).length <= cap) {
      return await this.#send(line);
    }
    const parsed = parseLine(line);
    let prefix = "";
    let body = line;
    let badStart: ((char: string) => boolean) | undefined;
    switch (parsed.kind) {
      case "message":
        // A piece must not turn into a command or a whisper.
        badStart = (char) => char === "/" || char === "@";
        break;
      case "whisper":
        prefix = `@${parsed.target} `;
        body = parsed.text;
        break;
      case "command":
        if (isActionCommand(parsed.word)) {
          prefix = `${parsed.word} `;
          body = parsed.args;
          break;
        }
        await this.#notice(this.#messages.commandTooLong(cap));
        return true;
      default:
        return await this.#send(line);
    }
    const room = cap - this.#encoder.encode(prefix).length;
    if (room < MIN_PIECE_BYTES) {
      await this.#notice(this.#messages.commandTooLong(cap));
      return true;
    }
    const pieces = splitMessage(body, room, { badStart });
    await this.#notice(this.#messages.lineSplit(pieces.length, cap));
    for (const piece of pieces) {
      if (!await this.#send(prefix + piece)) return false;
    }
    return true;
  }

  async #onServerLine(raw: string, framed: boolean): Promise<void> {
    const line = sanitizeText(raw);
    const prompt = line.trimEnd();
    for (const kind of ["nickname", "password"] as const) {
      if (PROMPTS[kind].includes(prompt)) {
        this.#end.serverSaid(undefined);
        return await this.#onPrompt(kind, prompt, framed);
      }
    }
    // A line we do not answer ourselves: what the user types now is meant for the
    // server as it is.
    this.#letTypedLinesGo();
    const read = this.#lines.read(line);
    if (read.live === undefined) {
      this.#end.serverSaid(read.history.line);
      await this.#show(this.#renderer.history(read.history, this.#state.nick));
      return;
    }
    const parsed = read.live;
    this.#end.serverSaid(parsed);
    const change = this.#state.observe(parsed);
    if (parsed.kind === "lineTooLong") this.#server.capLearned(parsed.maxBytes);
    if (this.#server.prompts && (parsed.kind === "connected" || change.room)) {
      this.#input.setPrompt(`[${this.#state.room}] `);
    }
    await this.#show(this.#renderer.live(parsed, this.#state.nick));
  }

  /** A nickname or password prompt: answered by the client, or asked of the user. */
  async #onPrompt(kind: PromptKind, prompt: string, framed: boolean): Promise<void> {
    this.#server.prompted(framed);
    const answer = this.#answers.automatic(kind);
    if (answer !== undefined) {
      if (kind === "nickname") {
        await this.#input.printAbove(`${prompt} ${answer}`);
        this.#state.nicknameSent(answer);
      } else {
        await this.#input.printAbove(prompt);
      }
      await this.#send(answer);
      if (kind === "nickname") this.#answers.nicknameSent();
      if (this.#answers.allAutomaticSent) this.#letTypedLinesGo();
      return;
    }
    if (kind === "password" && this.#input.isTerminal) {
      // The server's prompt is the input's prompt, and nothing typed is shown.
      // Not awaited: the socket must keep being read while the user types.
      this.#secretRead ??= this.#readPassword(`${prompt} `);
      return;
    }
    this.#answers.ask({ kind, prompt });
    // On a terminal the user answers on the prompt's row; on a pipe it is a line.
    if (this.#input.isTerminal) this.#input.setPrompt(`${prompt} `);
    else await this.#input.printAbove(prompt);
    this.#letTypedLinesGo();
  }

  async #readPassword(prompt: string): Promise<void> {
    const password = await this.#input.readSecret(prompt);
    if (password !== null && !this.#end.over) await this.#send(password);
    // A later prompt (wrong password, asked again) gets a fresh secret read.
    this.#secretRead = undefined;
  }

  /** Tab: commands and nicknames on a chat server, nothing on an echo server. */
  #complete(line: string): [string[], string] {
    if (!this.#server.prompts) return [[], line];
    return completeInput(line, {
      commands: this.#server.frames ? COMMANDS.flatMap((c) => c.names) : [ORIGINAL_QUIT_COMMAND],
      nicks: this.#state.members,
    });
  }

  async #show(rendered: RenderedLine): Promise<void> {
    await this.#input.printAbove(rendered.bell ? rendered.text + BELL : rendered.text);
  }

  async #notice(text: string): Promise<void> {
    await this.#input.printAbove(this.#renderer.notice(text));
  }

  /**
   * Typed lines wait while the server's greeting is not known yet: a chat server
   * reads its first lines as password and nickname, so `echo hi | chat client --nick
   * bob` must send "bob" before "hi", and `q` means "quit" only to an echo server.
   * They go once the automatic answers are sent, when a line arrives that we do not
   * answer ourselves, when the connection ends, or when silence shows an echo
   * server ({@linkcode ServerKind}).
   */
  #holdTypedLines(): Promise<void> {
    return this.#typedLinesMayGo.promise;
  }

  #letTypedLinesGo(): void {
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = undefined;
    this.#typedLinesMayGo.resolve();
  }

  /** Sends one line as this server takes lines (see {@linkcode ServerWriter.send}). */
  #send(text: string): Promise<boolean> {
    return this.#writer.send(text, this.#server.frames);
  }

  #interrupt(): void {
    this.#end.interrupt();
    // The original still gets its goodbye (run() sends it, then closes).
    if (!this.#owesGoodbye()) this.#writer.close();
    this.#input.close();
    this.#letTypedLinesGo();
  }

  /** An unexpected socket error: one line, no stack trace; the connection ends. */
  #report(error: unknown): void {
    void this.#errors.print(error instanceof Error ? error.message : String(error));
  }
}

/** The fewest bytes a piece of a split line may hold: one character. */
const MIN_PIECE_BYTES = 4;

/** Whether a command word is `/me` (or an alias of it in the command table). */
function isActionCommand(word: string): boolean {
  if (word.toLowerCase() === "/me") return true;
  return findCommand(word)?.names.includes("/me") ?? false;
}

/** Waits for a read, or for {@linkcode PROMPT_PAUSE_MS}, whichever comes first. */
async function raceWithPause(
  read: Promise<number | null>,
): Promise<number | null | typeof PAUSED> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pause = new Promise<typeof PAUSED>((resolve) => {
    timer = setTimeout(() => resolve(PAUSED), PROMPT_PAUSE_MS);
  });
  try {
    return await Promise.race([read, pause]);
  } finally {
    clearTimeout(timer);
  }
}
