/**
 * One connection's life in the chat, whatever carries it: the steps before joining
 * (`password` → `nickname` → `account`, the last only for a registered nickname),
 * flood control, and what each line means once joined. It talks to its connection
 * only through a {@linkcode Peer}, so it is tested with a fake one and no socket.
 *
 * A login brings back what the account had: its nickname (taken from a ghost
 * connection of its own if need be), its room with the lines it missed, its
 * operator status and the whispers held for it. Every password answer (the server
 * password, `/op`, an account's at login, `/password`, `/unregister`) goes through
 * the chat's password gate: one answer per address at a time, the per-address
 * limiter's wait or lockout; the third wrong account password in a connection
 * closes it.
 *
 * @module
 */

import type { Format } from "../fanout/channel.ts";
import type { Outbox } from "../fanout/outbox.ts";
import type { ChatReason } from "../util/close_reason.ts";
import { UnavailableError } from "../util/errors.ts";
import { LinePacer } from "../util/line_pacer.ts";
import { type Step, whenReady } from "../util/maybe_async.ts";
import { sanitizeText } from "../util/sanitize.ts";
import { verifyPassword } from "../util/password_hash.ts";
import type { Chat, Leaving } from "./chat.ts";
import type { AccountPrompt, CommandContext, CommandSession } from "./commands/command.ts";
import { COMMANDS, findCommand } from "./commands/table.ts";
import { type Notice, notice, type Removal, type RoomEvent, type UserEvent } from "./events.ts";
import { isValidNickname, MAX_NICKNAME_CHARS, nicknameKey, normalizeNickname } from "./nickname.ts";
import { parseLine, words } from "./parse_line.ts";
import { LOBBY, normalizeRoomName, roomKey } from "./room_name.ts";
import { type Account, MAX_HELD_WHISPERS } from "./store.ts";
import { User, type UserHost } from "./user.ts";

/** The pause before closing after a wrong password, to slow down guessing. */
export const WRONG_PASSWORD_DELAY_MS = 1_000;
/** Wrong operator passwords one connection may send; the next one disconnects. */
export const MAX_OP_PASSWORD_FAILURES = 2;
/** Wrong account passwords one connection may send: the third closes it, saying why. */
export const MAX_ACCOUNT_PASSWORD_FAILURES = 3;

/**
 * A pre-login line (password and nickname prompts only, matched exactly): the
 * client wants each message line prefixed with its id (`@{id} alice> hi`).
 */
export const CLIENT_IDS_LINE = "/client ids";

/**
 * A pre-login line: enter ROOM after joining, catching up after message ID (the
 * last one the client showed), instead of the room the server recorded.
 */
const RESUME_LINE = /^\/resume (\S+) (\S+)$/;

/** What a session needs of its connection: the edge of one transport. */
export interface Peer {
  /** The peer for the console (`host:port`). */
  readonly label: string;
  /** The peer's IP address, as bans compare it. */
  readonly address: string;
  /** Where the room's log is read from; only the connection's writer takes from it. */
  readonly outbox: Outbox;
  /** How room events are written to this connection (shared by its kind). */
  readonly format: Format<RoomEvent>;
  /**
   * Renders an event for this connection alone and queues it.
   *
   * @returns `false` when the output is full; nothing was queued.
   */
  send(event: UserEvent): boolean;
  /**
   * Ends the connection after what is queued has been sent.
   *
   * @param reason Why (its transport closes with the code `close_code_of.ts` gives).
   */
  end(reason: ChatReason): void;
  /** Closes the connection at once: its output is full (it stopped reading). */
  drop(): void;
  /**
   * From now on, writes each message and action line of this connection with its
   * id (`/client ids`, before joining): a text connection takes the tagged form;
   * JSON carries ids anyway.
   */
  useIds(): void;
}

/** Options for {@linkcode ChatSession}. */
export interface ChatSessionOptions {
  /**
   * The room to enter once joined (a page that reconnects goes back to its room).
   * @default {the room a logged-in user left from, else the lobby}
   */
  firstRoom?: string;
  /**
   * The id of the last message the client showed in `firstRoom`: it catches up
   * from there. @default {the server's record for a logged-in user, else none}
   */
  since?: string;
}

type State = "password" | "nickname" | "account" | "chat" | "rejected" | "ended";

/** A connection's chat state machine. */
export class ChatSession implements UserHost, CommandSession {
  #chat: Chat;
  #peer: Peer;
  #state: State;
  #user: User | undefined;
  /** The last nickname the connection had, for the console after it left. */
  #nickname: string | undefined;
  /** Flood control, and the order of lines while one is still being handled. */
  #pacer: LinePacer;
  #opFailures = 0;
  /** Wrong account passwords in this connection (reset by a login). */
  #accountFailures = 0;
  /** Stops the chat's availability calls (set once joined). */
  #unwatch: (() => void) | undefined;
  #nicknameTimer: ReturnType<typeof setTimeout> | undefined;
  #delayTimer: ReturnType<typeof setTimeout> | undefined;
  /** Aborted when the connection ends (made when a password answer must wait). */
  #ending: AbortController | undefined;
  /** The registered nickname whose password the `account` state waits for. */
  #login: Account | undefined;
  /** What takes the next chat line instead of the room (`/password` alone asks). */
  #asking: ((answer: string) => Step) | undefined;

  /** The room to enter once joined, when the client named one. */
  #firstRoom: string | undefined;
  /** The id of the last message the client showed in `#firstRoom`. */
  #since: string | undefined;

  /**
   * @param chat The chat to join.
   * @param peer The connection.
   * @param options The room to enter once joined, and where to catch up from.
   */
  constructor(chat: Chat, peer: Peer, options: ChatSessionOptions = {}) {
    this.#chat = chat;
    this.#peer = peer;
    this.#firstRoom = options.firstRoom;
    this.#since = options.since;
    const config = chat.config;
    this.#pacer = new LinePacer({
      linesPerSecond: config.rateLinesPerSecond,
      burst: config.rateBurst,
      run: (line) => this.#handle(line),
      // Only chat lines are paced: a password or a nickname never waits.
      paced: () => this.#state === "chat",
      delayed: () => this.#sendOwn(notice({ code: "rateLimited" })),
      flooding: () => this.#flooding(),
    });
    this.#state = chat.password !== undefined ? "password" : "nickname";
  }

  /** The nickname, once joined (kept after leaving, for the console). */
  get nickname(): string | undefined {
    return this.#user?.nickname ?? this.#nickname;
  }

  /** The user, once joined. */
  get user(): User | undefined {
    return this.#user;
  }

  /** @inheritdoc */
  get address(): string {
    return this.#peer.address;
  }

  /** @inheritdoc */
  get outbox(): Outbox {
    return this.#peer.outbox;
  }

  /** @inheritdoc */
  get format(): Format<RoomEvent> {
    return this.#peer.format;
  }

  /**
   * Greets the connection: a banned address is told and closed before any prompt;
   * anyone else gets the first prompt and the time limit to join.
   */
  start(): void {
    if (this.#refusedAsBanned()) return;
    const timeout = this.#chat.config.nicknameTimeoutMs;
    if (timeout > 0) {
      this.#nicknameTimer = setTimeout(() => {
        this.#nicknameTimer = undefined;
        this.#sendOwn(notice({ code: "nicknameTimeout" }));
        this.#end("nicknameTimeout");
      }, timeout);
    }
    this.#sendOwn({ type: "prompt", prompt: this.#state === "password" ? "password" : "nickname" });
  }

  /**
   * Handles the lines of one read, in order.
   *
   * @param lines The lines, not yet sanitized.
   * @param now `performance.now()` when they were read.
   */
  lines(lines: string[], now: number): void {
    if (this.#state === "ended") return;
    // The array is the connection's own, made for this call: sanitized in place.
    for (let i = 0; i < lines.length; i++) lines[i] = sanitizeText(lines[i]);
    this.#pacer.push(lines, now);
  }

  /**
   * A line passed the cap and was dropped: the user is told.
   *
   * @param maxBytes The cap.
   * @param closing Whether the connection is being cut off for it.
   */
  lineTooLong(maxBytes: number, closing = false): void {
    this.#sendOwn(notice({ code: "lineTooLong", maxBytes, closing }));
  }

  /**
   * The connection is ending, for any reason: leave the room (the others are told
   * once) and free the nickname. Idempotent.
   *
   * @param failed Whether the server failed on it (a bug): the user is told so
   *   before the close. @default {false}
   */
  ended(failed = false): void {
    if (this.#state === "ended") return;
    if (failed) this.#sendOwn(notice({ code: "internalError" }));
    this.#state = "ended";
    this.#clearTimers();
    this.#leave("left");
  }

  /**
   * The server is stopping: the user is told, nobody is told it left (everyone
   * is leaving), and the connection ends after flushing.
   */
  shutdown(): void {
    if (this.#state === "ended") return;
    // Alone, everyone is leaving; in a cluster the others stay and must be told.
    this.#leave(this.#chat.bus.shared ? "left" : "quiet");
    this.#sendOwn(notice({ code: "shuttingDown" }));
    this.#end("shutdown");
  }

  /** @inheritdoc */
  send(event: UserEvent): boolean {
    return this.#peer.send(event);
  }

  /** @inheritdoc */
  overflowed(): void {
    if (this.#state === "ended") return;
    // Dropped: nothing more is sent to it, so nothing is kept for it.
    this.#peer.outbox.discard();
    this.#state = "ended";
    this.#clearTimers();
    this.#leave("left");
    this.#peer.drop();
  }

  /** @inheritdoc */
  kick(removal: Removal): void {
    const user = this.#user;
    if (user === undefined || this.#state === "ended") return;
    user.send({ type: "kicked", ...removal });
    this.#leave(removal);
    this.#end(removal.banMinutes === undefined ? "kicked" : "banned");
  }

  /** @inheritdoc */
  reclaimed(): void {
    if (this.#state === "ended") return;
    this.#sendOwn(notice({ code: "nicknameReclaimed" }));
    // Its room and nickname are the new login's now: this connection leaves neither.
    this.#nickname = this.#user?.nickname ?? this.#nickname;
    this.#user = undefined;
    this.#state = "ended";
    this.#clearTimers();
    this.#peer.end("reclaimed");
  }

  /** @inheritdoc */
  quit(): void {
    this.#end("quit");
  }

  /**
   * The server is full: a connection that has not joined yet (at a prompt) gives
   * its place to a newcomer, so that idle connections cannot keep users out. It is
   * told why and ends.
   *
   * @returns Whether it did (a member keeps its place).
   */
  yieldPlace(): boolean {
    if (!this.#atPrompt()) return false;
    this.#sendOwn(notice({ code: "evicted" }));
    this.#end("evicted");
    return true;
  }

  /** @inheritdoc */
  get signal(): AbortSignal {
    this.#ending ??= new AbortController();
    return this.#ending.signal;
  }

  /** @inheritdoc */
  passwordLockedOut(): void {
    this.#sendOwn(notice({ code: "passwordLockout" }));
    this.#end("passwordLockout");
  }

  /** @inheritdoc */
  ask(prompt: AccountPrompt, answer: (line: string) => Step): void {
    this.#asking = answer;
    this.#sendOwn({ type: "prompt", prompt });
  }

  /** @inheritdoc */
  checkAccountPassword(answer: string, then: (account: Account) => Step): Step {
    const user = this.#user;
    if (user === undefined || !user.loggedIn) return;
    return this.#checkPassword(user.account!, user.nickname, answer, (account) => {
      if (account !== undefined) return then(account);
    });
  }

  /** @inheritdoc */
  opPasswordFailed(): void {
    const failures = ++this.#opFailures;
    const closing = failures > MAX_OP_PASSWORD_FAILURES;
    this.#sendOwn(notice({ code: "opWrong", failures, closing }));
    if (closing) this.#end("opPassword");
  }

  /** Handles one line in the current state; a promise holds the next lines until it settles. */
  #handle(line: string): Step {
    // A ban applies at every step before joining, not only at arrival.
    if (this.#atPrompt() && this.#refusedAsBanned()) return;
    const state = this.#state;
    let result: Step;
    try {
      result = this.#handleState(line);
    } catch (error) {
      this.#failed(error, line, state);
      return;
    }
    return result instanceof Promise
      ? result.catch((error) => this.#failed(error, line, state))
      : result;
  }

  #handleState(line: string): Step {
    switch (this.#state) {
      case "chat":
        return this.#chatLine(line);
      case "nickname":
        if (this.#preLoginLine(line)) return;
        return this.#nicknameLine(line);
      case "password":
        if (this.#preLoginLine(line)) return;
        return this.#passwordLine(line);
      case "account":
        return this.#accountLine(line);
      case "rejected":
      case "ended":
        return;
    }
  }

  /**
   * The protocol lines a client may send before joining, recognised exactly:
   * `/client ids`, and `/resume ROOM ID`. They get no answer.
   *
   * @returns Whether the line was one.
   */
  #preLoginLine(line: string): boolean {
    if (line === CLIENT_IDS_LINE) {
      this.#peer.useIds();
      return true;
    }
    const resume = RESUME_LINE.exec(line);
    if (resume === null) return false;
    this.#firstRoom = resume[1];
    this.#since = resume[2];
    return true;
  }

  /**
   * A line could not be handled. A member's line that the chat's going away cut
   * off runs again, first, when it is back; otherwise a cluster that cannot be
   * reached is said so (a newcomer is turned away). Anything else is a bug,
   * reported with its stack to the server's log and survived.
   *
   * @param state The session's state when the line started.
   */
  #failed(error: unknown, line: string, state: State): void {
    if (!(error instanceof UnavailableError)) {
      this.#chat.reportBug(error, this.#peer.label);
      return;
    }
    if (state === "chat" && this.#state === "chat" && !this.#chat.available) {
      // Put back in a held pacer: it must not run again before the chat is back.
      this.#pacer.hold();
      this.#pacer.requeue(line);
      return;
    }
    this.#sendOwn(notice({ code: "tryAgainLater" }));
    if (state !== "chat") this.#end("unavailable");
  }

  /**
   * The chat became unavailable (a cluster cut off from Redis), or available again:
   * the user is told once, and what it types meanwhile waits in its pacer.
   */
  #availabilityChanged(available: boolean): void {
    const user = this.#user;
    if (user === undefined || this.#state !== "chat") return;
    user.send(notice({ code: available ? "available" : "unavailable" }));
    if (!available) {
      this.#pacer.hold();
      return;
    }
    // Released once every member was told: the lines must follow that line everywhere.
    queueMicrotask(() => {
      if (this.#chat.available) this.#pacer.release();
    });
  }

  /** Whether the connection is at a prompt: connected, not joined, not on its way out. */
  #atPrompt(): boolean {
    const state = this.#state;
    return state !== "chat" && state !== "rejected" && state !== "ended";
  }

  /**
   * Refuses a connection from a banned address: told, and ended. Checked at arrival,
   * at each line at a prompt (the password, the nickname, an account's password),
   * after a password answer that waited and at the moment of joining; a member from
   * the same address stays (an operator often shares the address of the one banned).
   *
   * @returns Whether it was refused.
   */
  #refusedAsBanned(): boolean {
    if (!this.#chat.bans.has(this.#peer.address)) return false;
    this.#sendOwn(notice({ code: "banned" }));
    this.#end("banned");
    return true;
  }

  #flooding(): void {
    this.#sendOwn(notice({ code: "flooding" }));
    this.#end("flooding");
  }

  /**
   * The answer to the password prompt, through the chat's password gate: it may
   * wait (too many wrong answers from the address lately) or be refused unchecked;
   * the lines after it wait for it.
   */
  #passwordLine(line: string): Step {
    const check = this.#chat.password!;
    const address = this.#peer.address;
    return this.#chat.passwords.answer(
      address,
      "server",
      () => check.matches(line),
      this.signal,
      (outcome) => {
        // Ended, or banned, while the answer waited.
        if (this.#state !== "password" || this.#refusedAsBanned()) return;
        if (outcome === "lockedOut") {
          this.passwordLockedOut();
          return;
        }
        if (outcome === "right") {
          this.#state = "nickname";
          this.#sendOwn({ type: "prompt", prompt: "nickname" });
          return;
        }
        this.#wrongPassword();
      },
    );
  }

  #wrongPassword(): void {
    this.#sendOwn(notice({ code: "wrongPassword" }));
    clearTimeout(this.#nicknameTimer);
    this.#nicknameTimer = undefined;
    // One guess per connection: what else it sends is ignored until the pause ends.
    this.#state = "rejected";
    this.#delayTimer = setTimeout(() => {
      this.#delayTimer = undefined;
      this.#end("wrongPassword");
    }, WRONG_PASSWORD_DELAY_MS);
  }

  #nicknameLine(line: string): Step {
    const nickname = normalizeNickname(line);
    if (nickname.length === 0) return;
    if (!isValidNickname(nickname)) {
      this.#sendOwn(notice({ code: "nicknameInvalid", maxChars: MAX_NICKNAME_CHARS }));
      this.#sendOwn({ type: "prompt", prompt: "nickname" });
      return;
    }
    return this.#chat.nicknameStatus(nicknameKey(nickname), (banned, account) => {
      if (this.#state !== "nickname") return;
      if (banned) {
        this.#sendOwn(notice({ code: "nicknameBanned", nick: nickname }));
        this.#sendOwn({ type: "prompt", prompt: "nickname" });
        return;
      }
      if (account !== undefined) {
        // A registered nickname (or a look-alike of one, which is the same): its password.
        this.#login = account;
        this.#state = "account";
        this.#sendOwn({ type: "prompt", prompt: "account", nick: account.nickname });
        return;
      }
      return this.#claimGuest(nickname);
    });
  }

  /** Joins with a nickname that has no account, unless someone has it. */
  #claimGuest(nickname: string): Step {
    const user = new User(nickname, this);
    return this.#chat.register(user, (claimed) => {
      if (this.#state !== "nickname") {
        // The connection ended while the claim was on its way.
        if (claimed) this.#chat.unregister(user);
        return;
      }
      if (!claimed) {
        this.#sendOwn(notice({ code: "nicknameTaken", nick: nickname }));
        this.#sendOwn({ type: "prompt", prompt: "nickname" });
        return;
      }
      // Banned while the claim was on its way (a cluster's ban can come any moment).
      if (this.#chat.bans.has(this.#peer.address)) {
        this.#chat.unregister(user);
        this.#refusedAsBanned();
        return;
      }
      return this.#joined(user, undefined);
    });
  }

  /**
   * The answer to a registered nickname's password prompt. Right: the user logs in
   * (taking the nickname from a ghost of its own). Wrong: told, and the nickname
   * prompt again. An empty line goes back to the nickname prompt at no cost.
   */
  #accountLine(line: string): Step {
    const login = this.#login!;
    const answer = line.trim();
    if (answer === "") {
      this.#backToNickname();
      return;
    }
    return this.#checkPassword(login.key, login.nickname, answer, (account) => {
      // Ended, or its address banned, while the answer waited or was checked.
      if (this.#state !== "account" || this.#refusedAsBanned()) return;
      if (account === undefined) {
        this.#backToNickname();
        return;
      }
      return this.#logIn(account);
    });
  }

  #backToNickname(): void {
    this.#login = undefined;
    this.#state = "nickname";
    this.#sendOwn({ type: "prompt", prompt: "nickname" });
  }

  /**
   * Takes the account's nickname (from a ghost, if one holds it) and joins, unless
   * the nickname was banned while its password was asked and checked (told, and
   * the nickname prompt again, as at that prompt).
   */
  #logIn(account: Account): Step {
    return this.#chat.nicknameStatus(account.key, (banned) => {
      if (this.#state !== "account" || this.#refusedAsBanned()) return;
      if (banned) {
        this.#sendOwn(notice({ code: "nicknameBanned", nick: account.nickname }));
        this.#backToNickname();
        return;
      }
      return this.#claimAccount(account);
    });
  }

  /** Claims the account's nickname, from a ghost if need be, and joins. */
  #claimAccount(account: Account): Step {
    const user = new User(account.nickname, this);
    return this.#chat.login(user, (claimed) => {
      const banned = this.#state === "account" && this.#chat.bans.has(this.#peer.address);
      if (this.#state !== "account" || banned) {
        // The connection ended, or its address was banned (a cluster's ban can come
        // any moment), while the claim was on its way.
        if (claimed) {
          this.#chat.leave(user, "left");
          this.#chat.unregister(user);
        }
        if (banned) this.#refusedAsBanned();
        return;
      }
      this.#login = undefined;
      if (!claimed) {
        this.#sendOwn(notice({ code: "reclaimRefused", nick: account.nickname }));
        this.#backToNickname();
        return;
      }
      user.account = account.key;
      user.operator = account.operator;
      this.#accountFailures = 0;
      return this.#joined(user, account);
    });
  }

  /**
   * The user has its nickname: it enters its first room (the one the client named,
   * else where its account left from, else the lobby; a ghost's room when it took
   * a ghost's place), catching up where it can, then gets its held whispers.
   */
  #joined(user: User, account: Account | undefined): Step {
    clearTimeout(this.#nicknameTimer);
    this.#nicknameTimer = undefined;
    this.#user = user;
    this.#state = "chat";
    this.#unwatch = this.#chat.watchAvailability((available) =>
      this.#availabilityChanged(available)
    );
    this.#chat.observer?.nickname(this.#peer.label, user.nickname);
    const greet = () => {
      user.send({ type: "welcome", nick: user.nickname });
      const motd = this.#chat.config.motd;
      if (motd.length > 0) user.send({ type: "motd", lines: motd });
    };
    let room = this.#firstRoom;
    let since = this.#since;
    const lastSeen = account?.lastSeen;
    if (lastSeen !== undefined && (room === undefined || sameRoom(room, lastSeen.room))) {
      room = lastSeen.room;
      since ??= lastSeen.id;
    }
    let entered: Step;
    if (user.room !== undefined) {
      // It took a ghost's place: it stays where the ghost was, and catches up only
      // from an id its client gave for that room (the server's record is older).
      const given = this.#firstRoom !== undefined && sameRoom(this.#firstRoom, user.room.name);
      entered = this.#chat.rejoin(user, greet, given ? this.#since : undefined);
    } else {
      const first = room ?? LOBBY;
      entered = whenReady(this.#chat.enter(user, first, { greet, since }), () => {
        // A room that cannot be entered (bad name, no room for more) was said so: the lobby.
        if (user.room === undefined && !user.gone && first !== LOBBY) {
          return this.#chat.enter(user, LOBBY, { greet });
        }
      });
    }
    if (account === undefined) return entered;
    return whenReady(
      entered,
      () =>
        whenReady(this.#chat.store.takeWhispers(account.key), (held) => {
          if (user.gone) return;
          for (const { from, text, time } of held) user.send({ type: "whisper", from, text, time });
        }),
    );
  }

  /**
   * Checks an answer to an account's password through the chat's password gate, as
   * every password is: one answer per address at a time, the limiter's delay
   * first, a refusal that closes the connection when the address is locked out, and
   * a wrong one counted for the address (and for this connection: the third closes
   * it). Wrong and refused answers are told here.
   *
   * @param then Gets the account when the answer was right, `undefined` when it
   *   was wrong; not called when the connection ends or the answer was refused.
   */
  #checkPassword(
    key: string,
    nick: string,
    answer: string,
    then: (account: Account | undefined) => Step,
  ): Step {
    let account: Account | undefined;
    return this.#chat.passwords.answer(
      this.#peer.address,
      "account",
      async () => {
        account = await this.#chat.store.account(key);
        return account !== undefined && await verifyPassword(answer, account.passwordHash);
      },
      this.signal,
      (outcome) => {
        if (this.#state === "ended") return;
        switch (outcome) {
          case "lockedOut":
            this.passwordLockedOut();
            return;
          case "right":
            return then(account);
          case "wrong": {
            const failures = ++this.#accountFailures;
            const closing = failures >= MAX_ACCOUNT_PASSWORD_FAILURES;
            this.#sendOwn(notice({ code: "accountWrong", nick, failures, closing }));
            if (closing) {
              this.#end("accountPassword");
              return;
            }
            return then(undefined);
          }
        }
      },
    );
  }

  #chatLine(line: string): Step {
    const user = this.#user!;
    const asking = this.#asking;
    if (asking !== undefined) {
      // The answer to a prompt of a command (a password): never a message.
      this.#asking = undefined;
      return asking(line.trim());
    }
    const parsed = parseLine(line);
    switch (parsed.kind) {
      case "empty":
        return;
      case "message":
        return this.#say(user, parsed.text);
      case "whisper":
        return this.#whisper(user, parsed.target, parsed.text);
      case "whisperUsage":
        user.send(notice({ code: "whisperUsage" }));
        return;
      case "command":
        return this.#command(user, parsed.word, parsed.args);
    }
  }

  #say(user: User, text: string): void {
    const room = user.room;
    if (room === undefined) return;
    this.#chat.publish(user, {
      type: "message",
      room: room.name,
      nick: user.nickname,
      text,
      time: Date.now(),
    });
  }

  #whisper(user: User, targetName: string, text: string): Step {
    return this.#chat.findUser(targetName, (target) => {
      if (user.gone) return;
      if (target === undefined) return this.#holdWhisper(user, targetName, text);
      return this.#chat.deliver(
        target,
        { type: "whisper", from: user.nickname, text },
        (delivered) => {
          if (user.gone) return;
          if (!delivered) {
            user.send(notice({ code: "tryAgainLater" }));
            return;
          }
          user.send({ type: "whisperSent", to: target.nickname, text });
          if (target.away !== undefined) {
            user.send({ type: "away", nick: target.nickname, reason: target.away || undefined });
          }
          this.#chat.observer?.whisper(user.nickname, target.nickname, text);
        },
      );
    });
  }

  /**
   * A whisper to nobody online: held for a registered user's next login (the store
   * keeps at most {@linkcode MAX_HELD_WHISPERS} per recipient, for a week).
   */
  #holdWhisper(user: User, targetName: string, text: string): Step {
    const key = nicknameKey(normalizeNickname(targetName));
    return whenReady(this.#chat.store.account(key), (account) => {
      if (user.gone) return;
      if (account === undefined) {
        user.send(notice({ code: "noSuchUser", nick: targetName }));
        return;
      }
      const whisper = { from: user.nickname, text, time: Date.now() };
      return whenReady(this.#chat.store.holdWhisper(key, whisper), (held) => {
        if (user.gone) return;
        const nick = account.nickname;
        user.send(notice(
          held
            ? { code: "whisperHeld", nick }
            : { code: "whisperHeldFull", nick, max: MAX_HELD_WHISPERS },
        ));
      });
    });
  }

  #command(user: User, word: string, args: string): Step {
    const command = findCommand(word);
    if (command === undefined) {
      user.send(notice({ code: "unknownCommand", command: word }));
      return;
    }
    if (command.op === true && !user.operator) {
      user.send(
        notice({ code: this.#chat.opPassword === undefined ? "opUnset" : "opOnly" }),
      );
      return;
    }
    if (words(args).length < (command.minArgs ?? 0)) {
      user.send(notice({ code: "usage", usage: command.usage }));
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

  /** Leaves the room and frees the nickname, once. */
  #leave(how: Leaving): void {
    const user = this.#user;
    if (user === undefined) return;
    this.#user = undefined;
    this.#nickname = user.nickname;
    try {
      this.#chat.leave(user, how);
    } finally {
      // Even after a bug, the nickname is freed.
      this.#chat.unregister(user);
    }
  }

  /** Sends to this connection, a member or not; a full output drops it. */
  #sendOwn(event: UserEvent): void {
    if (this.#user !== undefined) {
      this.#user.send(event);
      return;
    }
    if (!this.#peer.send(event)) this.#peer.drop();
  }

  #end(reason: ChatReason): void {
    if (this.#state === "ended") return;
    this.#leave("left");
    this.#state = "ended";
    this.#clearTimers();
    this.#peer.end(reason);
  }

  #clearTimers(): void {
    this.#pacer.close();
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#asking = undefined;
    clearTimeout(this.#nicknameTimer);
    clearTimeout(this.#delayTimer);
    this.#nicknameTimer = undefined;
    this.#delayTimer = undefined;
    this.#ending?.abort();
  }
}

/** Whether two room names as typed name the same room. */
function sameRoom(a: string, b: string): boolean {
  return roomKey(normalizeRoomName(a)) === roomKey(normalizeRoomName(b));
}
