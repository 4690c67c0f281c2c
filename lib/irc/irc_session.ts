/**
 * One IRC client's life in the chat: registration (`PASS`, `NICK`, `USER`, `CAP`,
 * SASL `PLAIN` against the accounts), then the verbs of `commands/`, over the same
 * chat as every text, web and cluster member: the same nicknames, rooms, history,
 * operators, bans and flood control (the line pacer is IRC's "fake lag").
 *
 * Rules:
 * - Nothing a client sends disconnects it, except `QUIT`, a flood past the pacer's
 *   bound, a wrong server password, or silence past the ping timeout: a bad line
 *   gets a numeric (or nothing, for garbage), and the next line is read.
 * - Room events reach the client through its room's log in an {@linkcode IrcFormat}
 *   (one per tag variant); what is for this client alone (numerics, whispers,
 *   notices) is rendered here and queued after them, in order.
 * - A client in a room that is silent for {@linkcode PING_INTERVAL_MS} gets a PING;
 *   one that does not answer anything within {@linkcode PING_TIMEOUT_MS} is closed.
 *
 * @module
 */

import { type Chat, MAX_ROOMS_PER_USER } from "../chat/chat.ts";
import type { Room } from "../chat/room.ts";
import type { AccountPrompt, CommandContext, CommandSession } from "../chat/commands/command.ts";
import type { Command } from "../chat/commands/command.ts";
import { COMMANDS } from "../chat/commands/table.ts";
import { closeCodeOf } from "../chat/close_code_of.ts";
import {
  type HistoryEvent,
  type Notice,
  notice,
  type Removal,
  type UserEvent,
} from "../chat/events.ts";
import { isValidNickname, nicknameKey, normalizeNickname } from "../chat/nickname.ts";
import { normalizeRoomName, roomKey } from "../chat/room_name.ts";
import type { Account } from "../chat/store.ts";
import { User, type UserHost } from "../chat/user.ts";
import type { Outbox } from "../fanout/outbox.ts";
import {
  IrcInputTooLongError,
  type IrcMessage,
  MAX_IRC_CLIENT_TAG_BYTES,
  parseIrcMessage,
  serializeIrcMessage,
} from "../transport/irc_message.ts";
import type { ConnectionHandler, TcpConnection } from "../transport/tcp_connection.ts";
import type { ChatReason, TransportReason } from "../util/close_reason.ts";
import { UnavailableError } from "../util/errors.ts";
import { LinePacer } from "../util/line_pacer.ts";
import { type Step, whenReady } from "../util/maybe_async.ts";
import { verifyPassword } from "../util/password_hash.ts";
import { sanitizeText } from "../util/sanitize.ts";
import { findIrcCommand } from "./commands/table.ts";
import { channelOf, hostmask, type IrcFormat, type IrcTags, tagPrefix } from "./irc_format.ts";
import { ERR, type NumericCode, RPL } from "./numerics.ts";

/** Silence from a registered client before the server sends a PING. */
export const PING_INTERVAL_MS = 90_000;
/** How long a PING waits for any line before the client is closed as gone. */
export const PING_TIMEOUT_MS = 60_000;

/** The capabilities this server offers, as `CAP LS` lists them (`sasl` with its mechanism). */
export const IRC_CAPS: ReadonlyMap<string, string> = new Map([
  ["batch", ""],
  ["echo-message", ""],
  ["message-tags", ""],
  ["multi-prefix", ""],
  ["sasl", "PLAIN"],
  ["server-time", ""],
  ["userhost-in-names", ""],
]);

/** What every IRC session of a server shares. */
export interface IrcServerInfo {
  /** The server's name, the source of its numerics. */
  readonly name: string;
  /** The network's name (`NETWORK` in ISUPPORT). */
  readonly network: string;
  /** The software and version (`004`, CTCP VERSION). */
  readonly version: string;
  /** When the server started, as `003` says it. */
  readonly created: string;
  /** The room formats, one per tag variant, shared by every IRC client. */
  readonly formats: Readonly<Record<IrcTags, IrcFormat>>;
  /** Renders notices in the server's language (sent as NOTICE lines): the text format's lines. */
  readonly text: { userLines(event: UserEvent): string[] };
  /**
   * The username and real name IRC users gave (USER), by nickname key, for WHOIS
   * and WHO on this server.
   */
  readonly identities: Map<string, IrcIdentity>;
  /** The ping timing. @default {PING_INTERVAL_MS, PING_TIMEOUT_MS} */
  readonly ping?: { intervalMs: number; timeoutMs: number };
}

/** What an IRC user said of itself at registration (USER). */
export interface IrcIdentity {
  /** The username. */
  readonly username: string;
  /** The real name. */
  readonly realname: string;
}

type State = "registering" | "chat" | "ended";

/** Colour and formatting codes of IRC clients: dropped, as other members could not see them. */
// deno-lint-ignore no-control-regex
const FORMATTING = /\x03(?:\d{1,2}(?:,\d{1,2})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]/g;

/** An IRC connection's chat state machine. */
export class IrcSession implements ConnectionHandler, UserHost, CommandSession {
  readonly #conn: TcpConnection;
  readonly #chat: Chat;
  readonly #info: IrcServerInfo;
  #state: State = "registering";
  #format: IrcFormat;
  #pacer: LinePacer;
  #user: User | undefined;
  /** The last nickname, for the console after leaving. */
  #nickname: string | undefined;
  #reason: ChatReason | undefined;
  /** The nickname asked for by NICK before registration. */
  #wantedNick: string | undefined;
  #username: string | undefined;
  #realname = "";
  #password: string | undefined;
  /** Registration waits while CAP negotiation is open (`CAP LS`/`REQ` before `CAP END`). */
  #capNegotiating = false;
  /** A registration step is on its way (a password check, a claim). */
  #registering = false;
  readonly #caps = new Set<string>();
  /** The account SASL logged in to, before registration. */
  #saslAccount: Account | undefined;
  /** SASL in progress: the mechanism chosen, and the base64 chunks so far. */
  #sasl: { chunks: string; failed?: boolean } | undefined;
  #opFailures = 0;
  /** The history of the room being entered, sent after its names (clients expect JOIN first). */
  #heldHistory: HistoryEvent[] | undefined;
  /** The channel a JOIN is entering, for the numerics of its refusal. */
  #joining: string | undefined;
  #registrationTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setTimeout> | undefined;
  #pingSent = false;
  #ending: AbortController | undefined;
  #unwatch: (() => void) | undefined;

  /**
   * @param conn The connection.
   * @param chat The chat it joins.
   * @param info What every IRC session shares.
   */
  constructor(conn: TcpConnection, chat: Chat, info: IrcServerInfo) {
    this.#conn = conn;
    this.#chat = chat;
    this.#info = info;
    this.#format = info.formats.none;
    const config = chat.config;
    this.#pacer = new LinePacer({
      linesPerSecond: config.rateLinesPerSecond,
      burst: config.rateBurst,
      run: (line) => this.#handle(line),
      paced: () => this.#state === "chat",
      // Fake lag is silent in IRC: the lines arrive, later.
      delayed: () => {},
      flooding: () => this.#close("Excess Flood", "flooding"),
    });
  }

  // --- What the server and the chat see ---

  /** The nickname (kept after leaving, for the console). */
  get nickname(): string | undefined {
    return this.#user?.nickname ?? this.#nickname;
  }

  /** Why the chat ended the connection, or `undefined`. */
  get reason(): ChatReason | undefined {
    return this.#reason;
  }

  /** @inheritdoc */
  get address(): string {
    return this.#conn.address;
  }

  /** @inheritdoc */
  get outbox(): Outbox {
    return this.#conn.outbox;
  }

  /** @inheritdoc */
  get format(): IrcFormat {
    return this.#format;
  }

  /** The user, once registered. */
  get user(): User | undefined {
    return this.#user;
  }

  /** The chat. */
  get chat(): Chat {
    return this.#chat;
  }

  /** The server's shared settings. */
  get info(): IrcServerInfo {
    return this.#info;
  }

  /** The nickname numerics are addressed to: `*` before one is known. */
  get target(): string {
    return this.#user?.nickname ?? this.#wantedNick ?? "*";
  }

  /** Whether registration is done. */
  get registered(): boolean {
    return this.#state === "chat";
  }

  /** The capabilities the client has enabled. */
  get caps(): ReadonlySet<string> {
    return this.#caps;
  }

  /** Starts the registration timer (the chat's nickname timeout). */
  start(): void {
    if (this.#chat.bans.has(this.address)) {
      this.#close("You are banned", "banned");
      return;
    }
    const timeout = this.#chat.config.nicknameTimeoutMs;
    if (timeout > 0) {
      this.#registrationTimer = setTimeout(() => {
        this.#registrationTimer = undefined;
        this.#close("Registration timeout", "nicknameTimeout");
      }, timeout);
    }
  }

  /** @inheritdoc */
  lines(lines: string[], now: number): void {
    if (this.#state === "ended") return;
    this.#pingSent = false;
    this.#armPing();
    this.#pacer.push(lines, now);
  }

  /** @inheritdoc */
  lineTooLong(maxBytes: number, closing: boolean): void {
    this.numeric(ERR.INPUTTOOLONG, `Input line too long (at most ${maxBytes} bytes)`);
    if (closing) this.#close("Input line too long", "flooding");
  }

  /** @inheritdoc */
  ended(reason: TransportReason | undefined): void {
    if (this.#state === "ended") return;
    if (reason === "error") this.#sendLine(`ERROR :Internal error`);
    this.#state = "ended";
    this.#clearTimers();
    this.#leave("left");
  }

  /** The server is stopping: the client is told, and the connection ends. */
  shutdown(): void {
    if (this.#state === "ended") return;
    this.#leave(this.#chat.bus.shared ? "left" : "quiet");
    this.#close("Server shutting down", "shutdown");
  }

  /**
   * The server is full: a client that has not registered gives its place.
   *
   * @returns Whether it did.
   */
  yieldPlace(): boolean {
    if (this.#state !== "registering") return false;
    this.#close("Server full", "evicted");
    return true;
  }

  /** @inheritdoc */
  send(event: UserEvent): boolean {
    // A full output drops the connection as the line is queued (see #sendLine).
    this.#render(event);
    return true;
  }

  /** @inheritdoc */
  overflowed(): void {
    if (this.#state === "ended") return;
    this.#conn.outbox.discard();
    this.#state = "ended";
    this.#clearTimers();
    this.#leave("left");
    this.#conn.drop("outboxFull");
  }

  /** @inheritdoc */
  kick(removal: Removal): void {
    const user = this.#user;
    if (user === undefined || this.#state === "ended") return;
    const reason = removal.reason ?? removal.by;
    for (const room of user.rooms.values()) {
      this.#sendLine(
        `:${hostmask(removal.by)} KICK ${channelOf(room.name)} ${user.nickname} :${reason}`,
      );
    }
    this.#leave(removal);
    const banned = removal.banMinutes !== undefined;
    this.#close(banned ? "Banned" : `Kicked by ${removal.by}`, banned ? "banned" : "kicked");
  }

  /** @inheritdoc */
  reclaimed(): void {
    if (this.#state === "ended") return;
    this.#nickname = this.#user?.nickname ?? this.#nickname;
    this.#unechoed(undefined);
    this.#user = undefined;
    this.#close("Your nickname was taken by a new login to its account", "reclaimed");
  }

  // --- CommandSession: what the chat's commands need ---

  /** @inheritdoc */
  quit(): void {
    this.#close("Quit", "quit");
  }

  /** @inheritdoc */
  opPasswordFailed(): void {
    this.#opFailures++;
    this.numeric(ERR.PASSWDMISMATCH, "Password incorrect");
    if (this.#opFailures > 2) this.#close("Too many wrong operator passwords", "opPassword");
  }

  /** @inheritdoc */
  passwordLockedOut(): void {
    this.#close("Too many wrong passwords from your address", "passwordLockout");
  }

  /** @inheritdoc */
  get signal(): AbortSignal {
    this.#ending ??= new AbortController();
    return this.#ending.signal;
  }

  /** @inheritdoc */
  ask(_prompt: AccountPrompt, _answer: (line: string) => Step): void {
    // IRC has no prompt: the account commands that ask are not offered here.
    this.notice("Give the passwords on the command line");
  }

  /** @inheritdoc */
  checkAccountPassword(answer: string, then: (account: Account) => Step): Step {
    const user = this.#user;
    if (user === undefined || !user.loggedIn) return;
    return this.#checkAccountPassword(user.account!, answer, (account) => {
      if (account !== undefined) return then(account);
      this.numeric(ERR.PASSWDMISMATCH, "Password incorrect");
    });
  }

  // --- What the verbs use ---

  /**
   * Sends a numeric to this client: `:server CODE target params…`.
   *
   * @param code The numeric.
   * @param params Its params after the target.
   */
  numeric(code: NumericCode, ...params: string[]): void {
    this.#sendMessage({
      tags: new Map(),
      source: this.#info.name,
      command: code,
      params: [this.target, ...params],
    });
  }

  /**
   * Sends a server NOTICE to this client.
   *
   * @param text The text.
   */
  notice(text: string): void {
    this.#sendMessage({
      tags: new Map(),
      source: this.#info.name,
      command: "NOTICE",
      params: [this.target, text],
    });
  }

  /**
   * Sends a line as it is (the caller built it), after every room event before it.
   *
   * @param line The line, without `\r\n`.
   */
  sendLine(line: string): void {
    this.#sendLine(line);
  }

  /**
   * The tags in front of a line for this client alone (`@time=… `), as its variant says.
   *
   * @param time The line's time. @default {now}
   * @returns The prefix (`""` without tags).
   */
  tags(time: number = Date.now()): string {
    return tagPrefix(this.#format.tags, time);
  }

  /**
   * Enables or disables capabilities (`CAP REQ`), all or none.
   *
   * @param names The capabilities, `-` in front to disable.
   * @returns Whether all were known (else nothing changed).
   */
  requestCaps(names: readonly string[]): boolean {
    for (const name of names) {
      if (!IRC_CAPS.has(name.replace(/^-/, ""))) return false;
    }
    for (const name of names) {
      if (name.startsWith("-")) this.#caps.delete(name.slice(1));
      else this.#caps.add(name);
    }
    if (this.registered) this.#capsChanged();
    return true;
  }

  /**
   * Opens or closes CAP negotiation: registration waits while it is open.
   *
   * @param open Whether it is open.
   */
  negotiating(open: boolean): Step {
    this.#capNegotiating = open;
    if (!open) return this.tryRegister();
  }

  /**
   * The nickname given before registration (validity already checked).
   *
   * @param nick The nickname.
   */
  wantNick(nick: string): Step {
    this.#wantedNick = nick;
    return this.tryRegister();
  }

  /**
   * The username given by USER.
   *
   * @param username The username.
   * @param realname The real name.
   */
  setUser(username: string, realname: string): Step {
    this.#username = username;
    this.#realname = realname;
    return this.tryRegister();
  }

  /** Whether USER was given. */
  get hasUser(): boolean {
    return this.#username !== undefined;
  }

  /**
   * The password given by PASS: the server's, or without one, the account's.
   *
   * @param password The password.
   */
  setPassword(password: string): void {
    this.#password = password;
  }

  /** SASL's state: in progress, logged in. */
  get sasl(): { chunks: string; failed?: boolean } | undefined {
    return this.#sasl;
  }

  /**
   * Starts, continues or ends a SASL exchange.
   *
   * @param state The exchange, or `undefined` when it ends.
   */
  setSasl(state: { chunks: string; failed?: boolean } | undefined): void {
    this.#sasl = state;
  }

  /** The account SASL logged in to. */
  get saslAccount(): Account | undefined {
    return this.#saslAccount;
  }

  /**
   * Checks an account's password as every password is checked (the address's
   * limiter, its lockout), for SASL.
   *
   * @param name The account's nickname.
   * @param password The password.
   * @param then Gets the account when the password is right, else `undefined`.
   * @returns When done.
   */
  authenticate(name: string, password: string, then: (account: Account | undefined) => Step): Step {
    return this.#checkAccountPassword(nicknameKey(normalizeNickname(name)), password, (account) => {
      if (account !== undefined) this.#saslAccount = account;
      return then(account);
    });
  }

  /**
   * Registers once NICK and USER are in and CAP negotiation is closed: the server
   * password, then the nickname (an account's through SASL or PASS), then the welcome.
   */
  tryRegister(): Step {
    if (this.#state !== "registering" || this.#registering || this.#capNegotiating) return;
    if (this.#wantedNick === undefined && this.#saslAccount === undefined) return;
    if (this.#username === undefined) return;
    this.#registering = true;
    const done = (step: Step): Step =>
      step instanceof Promise
        ? step.finally(() => this.#registering = false)
        : void (this.#registering = false);
    const check = this.#chat.password;
    if (check === undefined) return done(this.#claimNickname(this.#password));
    const given = this.#password;
    if (given === undefined) {
      this.numeric(ERR.PASSWDMISMATCH, "Password required");
      this.#close("Bad password", "wrongPassword");
      return done(undefined);
    }
    return done(this.#chat.passwords.answer(
      this.address,
      "server",
      () => check.matches(given),
      this.signal,
      (outcome) => {
        if (this.#state !== "registering") return;
        if (outcome === "lockedOut") {
          this.passwordLockedOut();
          return;
        }
        if (outcome === "wrong") {
          this.numeric(ERR.PASSWDMISMATCH, "Password incorrect");
          this.#close("Bad password", "wrongPassword");
          return;
        }
        return this.#claimNickname(undefined);
      },
    ));
  }

  /**
   * Runs one of the chat's commands for this client (TOPIC, KICK, MODE +b map onto them).
   *
   * @param command The command.
   * @param args Its arguments, as typed after it.
   * @returns When done.
   */
  runChatCommand(command: Command, args: string): Step {
    const user = this.#user;
    if (user === undefined) return;
    if (command.op === true && !user.operator) {
      this.numeric(ERR.CHANOPRIVSNEEDED, this.#currentChannel(), "You're not a channel operator");
      return;
    }
    const ctx: CommandContext = {
      chat: this.#chat,
      user,
      session: this,
      args,
      commands: COMMANDS,
      reply: (event: UserEvent) => user.send(event),
      notice: (n: Notice) => user.send(notice(n)),
    };
    return command.run(ctx);
  }

  /**
   * The room of one of the user's channels.
   *
   * @param channel The channel as given (`#math`).
   * @returns The room, or `undefined` when the user is not in it.
   */
  roomOf(channel: string): Room | undefined {
    return this.#user?.rooms.get(roomKey(normalizeRoomName(channel)));
  }

  /**
   * Enters a channel, keeping the others (up to `MAX_ROOMS_PER_USER`).
   *
   * @param channel The channel as given (`#math`).
   * @returns When the user is in (or was refused: a numeric).
   */
  enter(channel: string): Step {
    const user = this.#user!;
    if (this.roomOf(channel) !== undefined) return;
    this.#joining = channel;
    try {
      return whenReady(this.#chat.enter(user, channel, { keep: true }), () => {
        this.#joining = undefined;
      });
    } finally {
      if (this.#joining === channel) this.#joining = undefined;
    }
  }

  /**
   * Leaves one channel; the room sees the part (the client gets its own PART here:
   * it is out of the room when the room shows it).
   *
   * @param channel The channel as given.
   * @param reason The reason given, or `undefined`.
   * @returns Whether the user was in it.
   */
  part(channel: string, reason: string | undefined): boolean {
    const user = this.#user!;
    const room = this.roomOf(channel);
    if (room === undefined) return false;
    const suffix = reason === undefined ? "" : ` :${reason}`;
    this.#sendLine(
      `${this.tags()}:${hostmask(user.nickname)} PART ${channelOf(room.name)}${suffix}`,
    );
    this.#chat.leave(user, { parted: reason }, room);
    return true;
  }

  /**
   * Tells whether a channel has members anywhere.
   *
   * @param channel The channel as given.
   * @param then Gets the answer.
   * @returns When done.
   */
  channelExists(channel: string, then: (exists: boolean) => Step): Step {
    return this.#chat.rooms((rooms) =>
      then(rooms.some((room) => sameChannel(channelOf(room.name), channel)))
    );
  }

  /**
   * Ends the connection as the client asked (QUIT).
   *
   * @param reason The reason given.
   */
  quitWith(reason: string | undefined): void {
    this.#close(reason === undefined ? "Quit" : `Quit: ${reason}`, "quit");
  }

  /** The nickname changed (NICK after registration): the echo registry follows. */
  renamed(from: string): void {
    const identities = this.#info.identities;
    const identity = identities.get(nicknameKey(from));
    if (identity !== undefined && this.#user !== undefined) {
      identities.delete(nicknameKey(from));
      identities.set(this.#user.key, identity);
    }
    const outbox = this.#caps.has("echo-message") ? undefined : this.#conn.outbox;
    this.#format.unechoed(from, undefined);
    if (outbox !== undefined && this.#user !== undefined) {
      this.#format.unechoed(this.#user.nickname, outbox);
    }
  }

  /** Resets the ping wait: the client answered (PONG) or said anything. */
  pong(): void {
    this.#pingSent = false;
  }

  // --- Inside ---

  #handle(line: string): Step {
    let message: IrcMessage | undefined;
    try {
      message = parseIrcMessage(line, MAX_IRC_CLIENT_TAG_BYTES);
    } catch (error) {
      if (error instanceof IrcInputTooLongError) {
        this.numeric(ERR.INPUTTOOLONG, "Input line too long");
      }
      // Anything else that is not a message is ignored, as RFC 1459 says.
      return;
    }
    if (message === undefined) return;
    if (line.includes("\uFFFD")) {
      // UTF8ONLY: the line splitter made invalid UTF-8 into U+FFFD (so is a real one).
      this.#sendLine(
        `:${this.#info.name} FAIL ${message.command} INVALID_UTF8 :Message rejected, your message contained invalid UTF-8`,
      );
      return;
    }
    const command = findIrcCommand(message.command);
    if (command === undefined) {
      if (this.registered) this.numeric(ERR.UNKNOWNCOMMAND, message.command, "Unknown command");
      else this.numeric(ERR.NOTREGISTERED, "You have not registered");
      return;
    }
    if (command.preRegistration !== true && !this.registered) {
      this.numeric(ERR.NOTREGISTERED, "You have not registered");
      return;
    }
    if (message.params.length < (command.minParams ?? 0)) {
      this.numeric(ERR.NEEDMOREPARAMS, command.name, "Not enough parameters");
      return;
    }
    const params = message.params.map(sanitizeParam);
    let result: Step;
    try {
      result = command.run({ session: this, params });
    } catch (error) {
      this.#failed(error);
      return;
    }
    return result instanceof Promise ? result.catch((error) => this.#failed(error)) : result;
  }

  #failed(error: unknown): void {
    if (error instanceof UnavailableError) {
      this.#render(notice({ code: "tryAgainLater" }));
      return;
    }
    this.#chat.reportBug(error, this.#conn.peer);
  }

  /** The nickname step of registration: an account's (SASL, PASS) or a guest's. */
  #claimNickname(accountPassword: string | undefined): Step {
    const sasl = this.#saslAccount;
    const nick = this.#wantedNick;
    // Logged in with the account's nickname (or none given): the account's login.
    if (sasl !== undefined && (nick === undefined || nicknameKey(nick) === sasl.key)) {
      return this.#claimAccount(sasl);
    }
    const key = nicknameKey(nick!);
    return this.#chat.nicknameStatus(key, (banned, account) => {
      if (this.#state !== "registering" || nick === undefined) return;
      if (banned) {
        this.numeric(ERR.ERRONEUSNICKNAME, nick, "Nickname is banned");
        this.#wantedNick = undefined;
        return;
      }
      // Logged in, under another nickname: the user is its account's, and acts as it
      // once it takes the account's nickname (as `/nick` after a login).
      if (account === undefined) return this.#claimGuest(nick, sasl);
      if (accountPassword === undefined || sasl !== undefined) {
        this.numeric(
          ERR.NICKNAMEINUSE,
          nick,
          "Nickname is registered: log in with SASL or PASS, or choose another",
        );
        this.#wantedNick = undefined;
        return;
      }
      return this.#checkAccountPassword(account.key, accountPassword, (right) => {
        if (this.#state !== "registering") return;
        if (right === undefined) {
          this.numeric(ERR.PASSWDMISMATCH, "Password incorrect");
          this.#wantedNick = undefined;
          return;
        }
        return this.#claimAccount(right);
      });
    });
  }

  #claimGuest(nick: string, account?: Account): Step {
    const user = new User(nick, this);
    if (account !== undefined) {
      user.account = account.key;
      user.operator = account.operator;
    }
    return this.#chat.register(user, (claimed) => {
      if (this.#state !== "registering") {
        if (claimed) this.#chat.unregister(user);
        return;
      }
      if (!claimed) {
        this.numeric(ERR.NICKNAMEINUSE, nick, "Nickname is already in use");
        this.#wantedNick = undefined;
        return;
      }
      return this.#welcome(user, undefined);
    });
  }

  #claimAccount(account: Account): Step {
    return this.#chat.nicknameStatus(account.key, (banned) => {
      if (this.#state !== "registering") return;
      if (banned || this.#chat.bans.has(this.address)) {
        this.#close("You are banned", "banned");
        return;
      }
      const user = new User(account.nickname, this);
      return this.#chat.login(user, (claimed) => {
        if (this.#state !== "registering") {
          if (claimed) {
            this.#chat.leave(user, "left");
            this.#chat.unregister(user);
          }
          return;
        }
        if (!claimed) {
          this.numeric(ERR.NICKNAMEINUSE, account.nickname, "Nickname is in use on another server");
          this.#wantedNick = undefined;
          this.#saslAccount = undefined;
          return;
        }
        user.account = account.key;
        user.operator = account.operator;
        return this.#welcome(user, account);
      });
    });
  }

  /** Registered: the welcome numerics, the MOTD, a ghost's room, held whispers. */
  #welcome(user: User, account: Account | undefined): Step {
    clearTimeout(this.#registrationTimer);
    this.#registrationTimer = undefined;
    if (this.#chat.bans.has(this.address)) {
      this.#chat.leave(user, "left");
      this.#chat.unregister(user);
      this.#close("You are banned", "banned");
      return;
    }
    // The variant is chosen once: the user's format is fixed when it is made... so
    // the format is set before the user reads any log (it has no room yet).
    this.#user = user;
    this.#state = "chat";
    this.#unwatch = this.#chat.watchAvailability((available) => {
      this.#render(notice({ code: available ? "available" : "unavailable" }));
    });
    this.#chat.observer?.nickname(this.#conn.peer, user.nickname);
    this.#unechoed(this.#conn.outbox);
    const info = this.#info;
    info.identities.set(user.key, {
      username: this.#username ?? user.nickname,
      realname: this.#realname,
    });
    const nick = user.nickname;
    if (this.#wantedNick !== undefined && this.#wantedNick !== nick) {
      this.#sendLine(`:${hostmask(this.#wantedNick)} NICK ${nick}`);
    }
    this.numeric(RPL.WELCOME, `Welcome to the ${info.network} IRC network, ${nick}`);
    this.numeric(RPL.YOURHOST, `Your host is ${info.name}, running version ${info.version}`);
    this.numeric(RPL.CREATED, `This server was created ${info.created}`);
    this.numeric(RPL.MYINFO, info.name, info.version, "o", "bo");
    for (const tokens of isupportLines(this.#chat)) {
      this.numeric(RPL.ISUPPORT, ...tokens, "are supported by this server");
    }
    this.sendMotd();
    this.#armPing();
    let step: Step = undefined;
    if (user.rooms.size > 0) {
      // It took a ghost's place: it is in the ghost's rooms already.
      for (const room of user.rooms.values()) {
        this.#sendLine(`${this.tags()}:${hostmask(nick)} JOIN ${channelOf(room.name)}`);
      }
      step = this.#chat.rejoin(user, () => {});
    }
    if (account === undefined) return step;
    return whenReady(
      step,
      () =>
        whenReady(this.#chat.store.takeWhispers(account.key), (held) => {
          if (user.gone) return;
          for (const { from, text, time } of held) user.send({ type: "whisper", from, text, time });
        }),
    );
  }

  /** Sends the MOTD (375, 372…, 376), or 422 without one. */
  sendMotd(): void {
    const motd = this.#chat.config.motd;
    if (motd.length === 0) {
      this.numeric(ERR.NOMOTD, "MOTD File is missing");
      return;
    }
    this.numeric(RPL.MOTDSTART, `- ${this.#info.name} Message of the day -`);
    for (const line of motd) this.numeric(RPL.MOTD, `- ${line}`);
    this.numeric(RPL.ENDOFMOTD, "End of /MOTD command");
  }

  #checkAccountPassword(
    key: string,
    answer: string,
    then: (account: Account | undefined) => Step,
  ): Step {
    let account: Account | undefined;
    return this.#chat.passwords.answer(
      this.address,
      "account",
      async () => {
        account = await this.#chat.store.account(key);
        return account !== undefined && await verifyPassword(answer, account.passwordHash);
      },
      this.signal,
      (outcome) => {
        if (this.#state === "ended") return;
        if (outcome === "lockedOut") {
          this.passwordLockedOut();
          return;
        }
        return then(outcome === "right" ? account : undefined);
      },
    );
  }

  #capsChanged(): void {
    this.#unechoed(this.#caps.has("echo-message") ? undefined : this.#conn.outbox);
  }

  /** Registers this client's outbox with its format (or forgets it) for echo suppression. */
  #unechoed(outbox: Outbox | undefined): void {
    const user = this.#user;
    if (user === undefined) return;
    if (outbox === undefined || this.#caps.has("echo-message")) {
      this.#format.unechoed(user.nickname, undefined);
    } else this.#format.unechoed(user.nickname, outbox);
  }

  /** Picks the tag variant from the capabilities asked for (before registration). */
  chooseFormat(): void {
    if (this.#user !== undefined) return;
    const formats = this.#info.formats;
    this.#format = this.#caps.has("message-tags")
      ? formats.all
      : this.#caps.has("server-time")
      ? formats.time
      : formats.none;
  }

  #currentChannel(): string {
    const room = this.#user?.room;
    return room === undefined ? "*" : channelOf(room.name);
  }

  /** Renders an event for this client alone. */
  #render(event: UserEvent): void {
    const nick = this.target;
    switch (event.type) {
      case "prompt":
      case "welcome":
      case "motd":
      case "room":
        return;
      case "history":
        this.#heldHistory = [...event.events];
        return;
      case "catchUp":
        this.#heldHistory = [...event.events];
        return;
      case "members": {
        const channel = channelOf(event.room);
        this.#names(channel, event.users.map((u) => u.nick));
        this.#sendHistory(channel);
        return;
      }
      case "topic":
        this.numeric(RPL.TOPIC, channelOf(event.room), event.text);
        return;
      case "whisper": {
        const tags = event.time === undefined ? this.tags() : this.tags(event.time);
        this.#sendLine(`${tags}:${hostmask(event.from)} PRIVMSG ${nick} :${event.text}`);
        return;
      }
      case "whisperSent":
        if (this.#caps.has("echo-message")) {
          this.#sendLine(`${this.tags()}:${hostmask(nick)} PRIVMSG ${event.to} :${event.text}`);
        }
        return;
      case "away":
        this.numeric(RPL.AWAY, event.nick, event.reason ?? "Away");
        return;
      case "renamed":
        this.renamed(event.from);
        // Members of a room see it in the room's log; a user in no room is told here.
        if (this.#user === undefined || this.#user.rooms.size === 0) {
          this.#sendLine(`:${hostmask(event.from)} NICK ${event.to}`);
        }
        return;
      case "kicked":
        return;
      case "bans":
        for (const ban of event.bans) {
          const mask = "address" in ban ? `*!*@${ban.address}` : `${ban.nick}!*@*`;
          this.numeric(RPL.BANLIST, this.#currentChannel(), mask);
        }
        this.numeric(RPL.ENDOFBANLIST, this.#currentChannel(), "End of channel ban list");
        return;
      case "rooms":
        this.numeric(RPL.LISTSTART, "Channel", "Users  Name");
        for (const room of event.rooms) {
          this.numeric(RPL.LIST, channelOf(room.name), String(room.count), "");
        }
        this.numeric(RPL.LISTEND, "End of /LIST");
        return;
      case "notice":
        this.#renderNotice(event.notice, event);
        return;
      default:
        for (const line of this.#info.text.userLines(event)) this.notice(line);
    }
  }

  #renderNotice(n: Notice, event: UserEvent): void {
    switch (n.code) {
      case "rateLimited":
        return;
      case "nicknameInvalid":
        this.numeric(ERR.ERRONEUSNICKNAME, "*", "Erroneous nickname");
        return;
      case "nicknameTaken":
        this.numeric(ERR.NICKNAMEINUSE, n.nick, "Nickname is already in use");
        return;
      case "nicknameRegistered":
        this.numeric(ERR.NICKNAMEINUSE, n.nick, "Nickname is registered");
        return;
      case "nicknameBanned":
        this.numeric(ERR.ERRONEUSNICKNAME, n.nick, "Nickname is banned");
        return;
      case "noSuchUser":
        this.numeric(ERR.NOSUCHNICK, n.nick, "No such nick/channel");
        return;
      case "roomInvalid":
        this.numeric(ERR.BADCHANNAME, this.#joining ?? "*", "Illegal channel name");
        return;
      case "tooManyRooms":
        this.numeric(
          ERR.TOOMANYCHANNELS,
          this.#joining ?? "*",
          "You have joined too many channels",
        );
        return;
      case "roomsFull":
        this.numeric(ERR.TOOMANYCHANNELS, this.#joining ?? "*", "The server has too many rooms");
        return;
      case "alreadyInRoom":
        return;
      case "opOnly":
      case "opUnset":
        this.numeric(ERR.CHANOPRIVSNEEDED, this.#currentChannel(), "You're not a channel operator");
        return;
      case "opGranted":
        this.numeric(RPL.YOUREOPER, "You are now an IRC operator");
        return;
      case "markedAway":
        this.numeric(RPL.NOWAWAY, "You have been marked as being away");
        return;
      case "welcomeBack":
      case "notAway":
        this.numeric(RPL.UNAWAY, "You are no longer marked as being away");
        return;
      case "noTopic":
        this.numeric(RPL.NOTOPIC, this.#currentChannel(), "No topic is set");
        return;
      default:
        for (const line of this.#info.text.userLines(event)) this.notice(line);
    }
  }

  /**
   * Sends NAMES for a channel: 353 lines of at most about 400 bytes, then 366.
   *
   * @param channel The channel.
   * @param nicks Its members.
   */
  names(channel: string, nicks: readonly string[]): void {
    this.#names(channel, nicks);
  }

  #names(channel: string, nicks: readonly string[]): void {
    let line: string[] = [];
    let bytes = 0;
    const full = this.#caps.has("userhost-in-names");
    for (const name of nicks) {
      const nick = full ? hostmask(name) : name;
      if (bytes + nick.length > 400 && line.length > 0) {
        this.numeric(RPL.NAMREPLY, "=", channel, line.join(" "));
        line = [];
        bytes = 0;
      }
      line.push(nick);
      bytes += nick.length + 1;
    }
    if (line.length > 0) this.numeric(RPL.NAMREPLY, "=", channel, line.join(" "));
    this.numeric(RPL.ENDOFNAMES, channel, "End of /NAMES list");
  }

  /** The held history of the room just entered, after its names: in a batch when asked for. */
  #sendHistory(channel: string): void {
    const events = this.#heldHistory;
    this.#heldHistory = undefined;
    if (events === undefined || events.length === 0) return;
    const batch = this.#caps.has("batch");
    const id = "h" + Date.now().toString(36);
    const tags = this.#format.tags === "none" ? "time" : this.#format.tags;
    if (batch) this.#sendLine(`:${this.#info.name} BATCH +${id} chathistory ${channel}`);
    for (const event of events) {
      const text = event.type === "action" ? `\x01ACTION ${event.text}\x01` : event.text;
      // History always carries its time when the client takes tags at all.
      const prefix = this.#format.tags === "none" && !batch
        ? ""
        : tagPrefix(tags, event.time, event.id);
      const batchTag = batch
        ? (prefix === "" ? `@batch=${id} ` : `${prefix.slice(0, -1)};batch=${id} `)
        : prefix;
      this.#sendLine(`${batchTag}:${hostmask(event.nick)} PRIVMSG ${channel} :${text}`);
    }
    if (batch) this.#sendLine(`:${this.#info.name} BATCH -${id}`);
  }

  #sendMessage(message: IrcMessage): void {
    this.#sendLine(serializeIrcMessage(message));
  }

  #sendLine(line: string): void {
    if (this.#state === "ended" && this.#conn.ending) return;
    // After every room event before it, in each of the user's rooms.
    const rooms = this.#user?.rooms;
    if (rooms !== undefined) { for (const room of rooms.values()) room.channel.flush(); }
    if (!this.#conn.sendText(line + "\r\n")) this.overflowed();
  }

  #armPing(): void {
    if (this.#state !== "chat") return;
    clearTimeout(this.#pingTimer);
    const ping = this.#info.ping ?? { intervalMs: PING_INTERVAL_MS, timeoutMs: PING_TIMEOUT_MS };
    this.#pingTimer = setTimeout(() => {
      if (this.#pingSent) {
        this.#pingTimer = undefined;
        this.#close(
          `Ping timeout: ${Math.round(ping.timeoutMs / 1000)} seconds`,
          "nicknameTimeout",
        );
        return;
      }
      this.#pingSent = true;
      this.#sendLine(`PING :${this.#info.name}`);
      this.#pingTimer = setTimeout(() => {
        this.#pingTimer = undefined;
        if (this.#pingSent) {
          this.#close(
            `Ping timeout: ${Math.round(ping.timeoutMs / 1000)} seconds`,
            "nicknameTimeout",
          );
        }
      }, ping.timeoutMs);
    }, ping.intervalMs);
  }

  /** Leaves the room and frees the nickname, once. */
  #leave(how: Parameters<Chat["leave"]>[1]): void {
    const user = this.#user;
    if (user === undefined) return;
    this.#unechoed(undefined);
    this.#info.identities.delete(user.key);
    this.#user = undefined;
    this.#nickname = user.nickname;
    try {
      this.#chat.leave(user, how);
    } finally {
      this.#chat.unregister(user);
    }
  }

  /** Says ERROR with a reason and ends the connection after what is queued. */
  #close(text: string, reason: ChatReason): void {
    if (this.#state === "ended") return;
    this.#leave("left");
    this.#sendLine(`ERROR :Closing Link: ${text}`);
    this.#state = "ended";
    this.#clearTimers();
    this.#reason = reason;
    this.#conn.end(closeCodeOf(reason), reason);
  }

  #clearTimers(): void {
    this.#pacer.close();
    this.#unwatch?.();
    this.#unwatch = undefined;
    clearTimeout(this.#registrationTimer);
    clearTimeout(this.#pingTimer);
    this.#registrationTimer = undefined;
    this.#pingTimer = undefined;
    this.#ending?.abort();
  }
}

/**
 * The ISUPPORT tokens (005), in lines of at most 12 tokens. CASEMAPPING: our
 * names compare by their UTS #39 skeleton (case and look-alikes fold together);
 * no standard value says that, and `rfc8265` (Unicode case folding, as ergo
 * advertises for PRECIS) folds a subset of it: a client never takes two of our
 * different names for one.
 *
 * @param chat The chat (its limits).
 * @returns The lines' tokens.
 */
export function isupportLines(chat: Chat): string[][] {
  const tokens = [
    "AWAYLEN=300",
    "CASEMAPPING=rfc8265",
    `CHANLIMIT=#:${MAX_ROOMS_PER_USER}`,
    "CHANMODES=b,,,",
    "CHANNELLEN=21",
    "CHANTYPES=#",
    "ELIST=",
    `MAXLIST=b:100`,
    "MODES=1",
    "NETWORK=tcp-chat",
    "NICKLEN=20",
    "PREFIX=(o)@",
    "STATUSMSG=",
    "TARGMAX=JOIN:,KICK:1,NAMES:1,NOTICE:1,PART:,PRIVMSG:1,WHOIS:1",
    "TOPICLEN=400",
    "UTF8ONLY",
  ];
  void chat;
  const lines: string[][] = [];
  for (let i = 0; i < tokens.length; i += 12) lines.push(tokens.slice(i, i + 12));
  return lines;
}

/**
 * Whether two channel names as given are one room.
 *
 * @param a A channel name.
 * @param b Another.
 * @returns `true` when they name the same room.
 */
export function sameChannel(a: string, b: string): boolean {
  return roomKey(normalizeRoomName(a)) === roomKey(normalizeRoomName(b));
}

/**
 * Makes a param safe for the other members, as a typed line is: IRC colour codes
 * dropped, control characters made inert; a CTCP's `\x01` marks kept.
 */
function sanitizeParam(param: string): string {
  const plain = param.replace(FORMATTING, "");
  if (plain.length >= 2 && plain.startsWith("\x01")) {
    const end = plain.endsWith("\x01") ? plain.length - 1 : plain.length;
    return `\x01${sanitizeText(plain.slice(1, end))}\x01`;
  }
  return sanitizeText(plain);
}

/**
 * Checks a nickname given by NICK.
 *
 * @param typed The nickname as sent.
 * @returns The normalised nickname, or `undefined` when it is not valid here.
 */
export function validNickname(typed: string): string | undefined {
  const nick = normalizeNickname(typed);
  return isValidNickname(nick) ? nick : undefined;
}
