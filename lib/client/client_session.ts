/**
 * One connection of the client: two readers (socket and keyboard) as the
 * originals' two threads, one writer, and how the connection ended. What outlives
 * a connection (the answers to the prompts, our nickname and room, the ids shown,
 * the keyboard, the screen) is the client's ({@linkcode SessionContext}); a
 * reconnection is a new session on the same context.
 *
 * @module
 */

import type { ClientText, EndCause } from "../catalog/client_text.ts";
import { COMMANDS, findCommand, isQuitCommand } from "../chat/commands/table.ts";
import { parseLine } from "../chat/parse_line.ts";
import { DEFAULT_MAX_LINE_BYTES } from "../transport/line_splitter.ts";
import { isDisconnectError } from "../util/errors.ts";
import { sanitizeText } from "../util/sanitize.ts";
import { writeAll, type Writer } from "../util/write_all.ts";
import type { ChatState } from "./chat_state.ts";
import { completeInput } from "./complete_input.ts";
import { type Keyboard, STOPPED } from "./keyboard.ts";
import type { LineInput } from "./line_input.ts";
import type { LineRenderer, RenderedLine } from "./line_renderer.ts";
import type { PromptAnswers } from "./prompt_answers.ts";
import { passwordChangeOf } from "./secret_commands.ts";
import { ServerKind } from "./server_kind.ts";
import { parseServerLine, type ServerLine } from "./server_line.ts";
import { ServerLineReader } from "./server_line_reader.ts";
import { asksSecret, parsePrompt, type ServerPrompt } from "./server_prompt.ts";
import { ServerWriter } from "./server_writer.ts";
import { SessionEnd } from "./session_end.ts";
import { CLIENT_IDS_LINE, type ShownIds, splitTagged } from "./shown_ids.ts";
import { ShownLineSplitter } from "./shown_line_splitter.ts";
import { splitMessage } from "./split_message.ts";

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

const READ_BUFFER_BYTES = 16 * 1024;
const BELL = "\x07";
/** What a read raced against the pause resolves to when the pause wins. */
const PAUSED: unique symbol = Symbol("paused");
/** The fewest bytes a piece of a split line may hold: one character. */
const MIN_PIECE_BYTES = 4;

/** The client's error lines, on stderr, one after the other. */
export class ErrorLines {
  readonly #writer: Writer;
  readonly #encoder = new TextEncoder();
  /** The last line's write: the next one goes after it, whole. */
  #written: Promise<void> = Promise.resolve();

  /**
   * @param writer Where the lines go (stderr).
   */
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

/** What outlives one connection: the user's side, and what a reconnection needs. */
export interface SessionContext {
  input: LineInput;
  keyboard: Keyboard;
  messages: ClientText;
  errors: ErrorLines;
  renderer: LineRenderer;
  answers: PromptAnswers;
  state: ChatState;
  ids: ShownIds;
}

/** How a connection ended. */
export interface SessionOutcome {
  /** The exit status, if the client stops now. */
  status: number;
  /** Why the server ended the session, when its last line said. */
  cause: EndCause | undefined;
  /** The server closed first and it is news (the user was not leaving). */
  serverGone: boolean;
  /**
   * The connection dropped with no reason given (end of stream, reset, a shutdown
   * notice): not the user's doing, no refusal, no removal.
   */
  dropped: boolean;
  /** The session got into the chat (the welcome line) of a server of ours. */
  joined: boolean;
}

/** One connection's life: two readers, one writer, one outcome. */
export class ClientSession {
  /** Read by the socket reader only; the writer writes to it and closes it. */
  readonly #conn: Deno.Conn;
  readonly #writer: ServerWriter;
  readonly #c: SessionContext;
  readonly #encoder = new TextEncoder();
  readonly #server = new ServerKind(performance.now());
  readonly #lines = new ServerLineReader();
  readonly #end = new SessionEnd();
  /** Whether this connection follows a dropped one: we know the server, and resume. */
  readonly #reconnecting: boolean;
  /** Resolved once typed lines may be sent (see #holdTypedLines). */
  readonly #typedLinesMayGo = Promise.withResolvers<void>();
  /** Wakes the server kind's clock once, when silence would decide it. */
  #silenceTimer: ReturnType<typeof setTimeout> | undefined;
  /** A password being typed without echo, while the socket is still read. */
  #secretRead: Promise<void> | undefined;
  /** Gives up a secret read when the connection ends. */
  readonly #secretAbort = new AbortController();
  /** Whether the server prefixes message lines with their ids (we asked). */
  #tagged = false;
  /** Whether the welcome line came (on a server of ours). */
  #joined = false;

  /**
   * @param conn The connection, open.
   * @param context What outlives the connection.
   * @param reconnecting Whether a dropped connection came before: the server is
   *   known to be ours (it is not timed for an echo server's silence) and the
   *   session resumes where the last one ended.
   */
  constructor(conn: Deno.Conn, context: SessionContext, reconnecting: boolean) {
    this.#conn = conn;
    this.#c = context;
    this.#reconnecting = reconnecting;
    this.#writer = new ServerWriter(conn, (error) => this.#report(error));
    context.answers.newConnection();
    context.state.newConnection();
    if (reconnecting) return;
    const deadline = this.#server.silenceDeadlineMs!;
    this.#silenceTimer = setTimeout(() => {
      this.#silenceTimer = undefined;
      if (this.#server.tick(Math.max(performance.now(), deadline))) this.#letTypedLinesGo();
    }, deadline - performance.now());
  }

  /**
   * Relays lines until the user leaves or the connection ends.
   *
   * @returns How it ended.
   */
  async run(): Promise<SessionOutcome> {
    try {
      const reading = this.#readSocket();
      const typing = this.#readKeyboard();
      await Promise.race([reading, typing]);
      if (!this.#end.serverGone) await this.#leave(reading);
      // Ends a keyboard read still pending (the server went away).
      this.#c.keyboard.stopWaiting();
      this.#secretAbort.abort();
      await Promise.all([reading, typing, this.#secretRead]);
      // A socket error's line is printed without waiting: it is out before we return.
      await this.#c.errors.written;
      const end = this.#end;
      return {
        status: end.exitStatus,
        cause: end.cause,
        serverGone: end.serverGone,
        dropped: end.serverGone && end.cause === undefined && !end.interrupted,
        joined: this.#joined,
      };
    } finally {
      clearTimeout(this.#silenceTimer);
      this.#writer.close();
    }
  }

  /** Ctrl-C (SIGINT): the user leaves at once. */
  interrupt(): void {
    this.#end.interrupt();
    // The original still gets its goodbye (run() sends it, then closes).
    if (!this.#owesGoodbye()) this.#writer.close();
    this.#c.keyboard.stopWaiting();
    this.#secretAbort.abort();
    this.#letTypedLinesGo();
  }

  /** Tab: commands and nicknames on a chat server, nothing on an echo server. */
  complete(line: string): [string[], string] {
    if (!this.#server.prompts) return [[], line];
    return completeInput(line, {
      commands: this.#server.frames ? COMMANDS.flatMap((c) => c.names) : [ORIGINAL_QUIT_COMMAND],
      nicks: this.#c.state.members,
    });
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
    return this.#server.current === "python-original" && this.#c.answers.nicknameDone &&
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
      this.#end.connectionEnded();
      // Stop waiting for the keyboard: the connection is over.
      this.#c.keyboard.stopWaiting();
      this.#secretAbort.abort();
      this.#letTypedLinesGo();
    }
  }

  /** Keyboard → socket, until end of input, a quit command, or the connection ends. */
  async #readKeyboard(): Promise<void> {
    const keyboard = this.#c.keyboard;
    for (;;) {
      const line = await keyboard.next();
      if (line === STOPPED) return;
      if (line === null) {
        if (keyboard.interrupted) this.#end.interrupt();
        break;
      }
      await this.#holdTypedLines();
      if (this.#end.over) {
        // Typed as the connection ended: the client says it was not sent.
        keyboard.putBack(line);
        return;
      }
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
    const { answers, input, state } = this.#c;
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
      else if (answers.nicknameDone) await this.#sayGoodbye();
      return false;
    }
    const question = answers.takeQuestion();
    if (question !== undefined) {
      if (input.isTerminal) {
        // The answer stays on the prompt's row, as an automatic answer is shown.
        input.setPrompt("");
        if (question.kind === "nickname") await input.printAbove(`${question.prompt} ${line}`);
      }
      if (question.kind === "nickname") state.nicknameSent(line);
      answers.sent(question, line);
      return await this.#send(line);
    }
    state.typed(line);
    const change = passwordChangeOf(line);
    if (change !== undefined) answers.changeRequested(change, state.nick);
    return await this.#sendMessage(line);
  }

  /** Sends a chat line, split into pieces within the server's line cap when it is over. */
  async #sendMessage(line: string): Promise<boolean> {
    const cap = this.#server.lineCapBytes(DEFAULT_MAX_LINE_BYTES);
    if (cap === undefined || this.#encoder.encode(line).length <= cap) {
      return await this.#send(line);
    }
    const messages = this.#c.messages;
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
        await this.#notice(messages.commandTooLong(cap));
        return true;
      default:
        return await this.#send(line);
    }
    const room = cap - this.#encoder.encode(prefix).length;
    if (room < MIN_PIECE_BYTES) {
      await this.#notice(messages.commandTooLong(cap));
      return true;
    }
    const pieces = splitMessage(body, room, { badStart });
    await this.#notice(messages.lineSplit(pieces.length, cap));
    for (const piece of pieces) {
      if (!await this.#send(prefix + piece)) return false;
    }
    return true;
  }

  async #onServerLine(raw: string, framed: boolean): Promise<void> {
    const line = sanitizeText(raw);
    const prompt = parsePrompt(line);
    if (prompt !== undefined) {
      this.#end.serverSaid(undefined);
      return await this.#onPrompt(prompt, framed);
    }
    let shown = line;
    let id: string | undefined;
    if (this.#tagged) {
      const tagged = splitTagged(line);
      if (tagged?.room !== undefined) return this.#entered(tagged.room);
      if (tagged !== undefined && isIdLine(tagged.rest)) {
        id = tagged.id;
        shown = tagged.rest;
      }
    }
    // Our server is still logging in: typed lines wait for the welcome (or a question).
    if (this.#server.current !== "chat") this.#letTypedLinesGo();
    const read = this.#lines.read(shown);
    const { renderer, state, ids } = this.#c;
    if (read.live === undefined) {
      this.#end.serverSaid(read.history.line);
      if (id !== undefined) ids.blockLine(id);
      await this.#show(renderer.history(read.history, state.nick));
      return;
    }
    const parsed = read.live;
    this.#end.serverSaid(parsed);
    const change = state.observe(parsed);
    if (id !== undefined) ids.liveLine(state.room, id);
    if (parsed.kind === "lineTooLong") this.#server.capLearned(parsed.maxBytes);
    this.#learn(parsed, change.nick);
    if (parsed.kind === "connected") {
      if (this.#server.current === "chat") this.#joined = true;
      this.#letTypedLinesGo();
    }
    if (this.#server.prompts && (parsed.kind === "connected" || change.room)) {
      this.#c.input.setPrompt(`[${state.room}] `);
    }
    await this.#show(renderer.live(parsed, state.nick));
  }

  /** What a server line tells the answers a reconnection gives. */
  #learn(line: ServerLine, nickChanged: boolean): void {
    const { answers, state } = this.#c;
    switch (line.kind) {
      case "connected":
        if (state.nick !== undefined) answers.loggedIn(state.nick);
        return;
      case "accountWrong":
        answers.accountRefused();
        return;
      case "registered":
      case "unregistered":
        answers.changeConfirmed(line.kind === "registered" ? "register" : "unregister");
        return;
      case "passwordChanged":
        answers.changeConfirmed("password");
        return;
      default:
        if (nickChanged && state.nick !== undefined) answers.renamed(state.nick);
    }
  }

  /** `@room ROOM`: the room this connection enters now (after its history). */
  #entered(room: string): void {
    const { ids, input, state } = this.#c;
    ids.entered(room);
    state.entered(room);
    if (this.#joined) input.setPrompt(`[${state.room}] `);
  }

  /** A prompt: answered by the client, or asked of the user. */
  async #onPrompt(prompt: ServerPrompt, framed: boolean): Promise<void> {
    const { answers, input, state, ids } = this.#c;
    const first = !this.#server.prompts;
    this.#server.prompted(framed);
    if (first && this.#server.current === "chat") {
      // A server of ours (whole-line prompts): message lines with ids, and back where we were.
      await this.#send(CLIENT_IDS_LINE);
      this.#tagged = true;
      if (this.#reconnecting) await this.#send(ids.resumeLine(state.room));
    }
    if (prompt.kind === "nickname") answers.serverPasswordAccepted();
    const answer = answers.automatic(prompt);
    if (answer !== undefined) {
      if (prompt.kind === "nickname") {
        await input.printAbove(`${prompt.prompt} ${answer}`);
        state.nicknameSent(answer);
      } else {
        await input.printAbove(prompt.prompt);
      }
      await this.#send(answer);
      // Our server is still logging in: typed lines wait for its welcome.
      if (this.#server.current !== "chat" && answers.allAutomaticSent) this.#letTypedLinesGo();
      return;
    }
    if (asksSecret(prompt.kind) && input.isTerminal) {
      // The server's prompt is the input's prompt, and nothing typed is shown.
      // Not awaited: the socket must keep being read while the user types.
      this.#secretRead ??= this.#readSecret(prompt);
      return;
    }
    answers.ask(prompt);
    // On a terminal the user answers on the prompt's row; on a pipe it is a line.
    if (input.isTerminal) input.setPrompt(`${prompt.prompt} `);
    else await input.printAbove(prompt.prompt);
    this.#letTypedLinesGo();
  }

  async #readSecret(prompt: ServerPrompt): Promise<void> {
    const secret = await this.#c.input.readSecret(`${prompt.prompt} `, this.#secretAbort.signal);
    if (secret !== null && !this.#end.over) {
      this.#c.answers.sent(prompt, secret);
      await this.#send(secret);
    }
    // A later prompt (wrong password, asked again) gets a fresh secret read.
    this.#secretRead = undefined;
  }

  async #show(rendered: RenderedLine): Promise<void> {
    await this.#c.input.printAbove(rendered.bell ? rendered.text + BELL : rendered.text);
  }

  async #notice(text: string): Promise<void> {
    await this.#c.input.printAbove(this.#c.renderer.notice(text));
  }

  /**
   * Typed lines wait while the server's greeting is not known yet: a chat server
   * reads its first lines as password and nickname, so `echo hi | chat client --nick
   * bob` must send "bob" before "hi", and `q` means "quit" only to an echo server.
   * A server of ours keeps them waiting until its welcome (a registered nickname
   * asks for its password after the nickname: a typed line must not go as that
   * password) or until it asks the user something; any other server, until the
   * automatic answers are sent or a line arrives that we do not answer ourselves.
   * They go when the connection ends too, and when silence shows an echo server
   * ({@linkcode ServerKind}).
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

  /** An unexpected socket error: one line, no stack trace; the connection ends. */
  #report(error: unknown): void {
    void this.#c.errors.print(error instanceof Error ? error.message : String(error));
  }
}

/** Whether the rest of a tagged line is one that carries an id: a message, an action, history. */
function isIdLine(rest: string): boolean {
  const history = /^\[\d{2}:\d{2}\] /.test(rest);
  const kind = parseLineKind(history ? rest.slice(8) : rest);
  return kind === "message" || kind === "action";
}

function parseLineKind(line: string): ServerLine["kind"] {
  return parseServerLine(line).kind;
}

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
