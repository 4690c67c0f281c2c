/**
 * The answers to a chat server's prompts, across the connections of one client
 * run: what was given in advance (`--nick`, the server password, the account's
 * `CHAT_ACCOUNT_PASSWORD`), and what the server accepted since (a nickname or a
 * password the user typed, an account's new password), kept in memory only, so
 * that a reconnection logs in again by itself.
 *
 * Each answer goes by itself once per connection: a second prompt of the same
 * kind means the server refused it, and the user types. An account password the
 * server refused is never sent by itself again (no loop of wrong answers).
 *
 * @module
 */

import { nicknameKey } from "../chat/nickname.ts";
import type { PasswordChange } from "./secret_commands.ts";
import type { PromptKind, ServerPrompt } from "./server_prompt.ts";

export type { PromptKind, ServerPrompt };

/** Options for {@linkcode PromptAnswers}. */
export interface PromptAnswersOptions {
  /** Answers the nickname prompt. @default {undefined} */
  nick?: string;
  /** Answers the server's password prompt. @default {undefined} */
  password?: string;
  /** Answers a registered nickname's password prompt, whatever the nickname. @default {undefined} */
  accountPassword?: string;
}

/** An account password, and the nickname it belongs to (`undefined`: given in advance, any). */
interface AccountSecret {
  password: string;
  nickKey: string | undefined;
}

/** A secret answer sent, until the server says whether it was right. */
interface PendingSecret {
  kind: "password" | "account";
  value: string;
  nickKey: string | undefined;
  automatic: boolean;
}

/** Which prompts were answered, what is remembered, and which question waits for the user. */
export class PromptAnswers {
  #nick: string | undefined;
  #password: string | undefined;
  #account: AccountSecret | undefined;
  /** The prompts answered by themselves on this connection. */
  readonly #used = new Set<PromptKind>();
  #nicknameDone = false;
  #question: ServerPrompt | undefined;
  #pending: PendingSecret | undefined;
  /** A typed command that changes the account's password, until the server confirms it. */
  #change: (PasswordChange & { nickKey: string | undefined }) | undefined;

  /**
   * @param options The answers given in advance.
   */
  constructor(options: PromptAnswersOptions) {
    this.#nick = options.nick;
    this.#password = options.password;
    this.#account = options.accountPassword === undefined
      ? undefined
      : { password: options.accountPassword, nickKey: undefined };
  }

  /** A new connection: every remembered answer may go once more. */
  newConnection(): void {
    this.#used.clear();
    this.#nicknameDone = false;
    this.#question = undefined;
    this.#pending = undefined;
    this.#change = undefined;
  }

  /**
   * The automatic answer to a prompt: the remembered one, once per connection.
   *
   * @param prompt The prompt.
   * @returns The answer, now spent on this connection, or `undefined` when the user answers.
   */
  automatic(prompt: ServerPrompt): string | undefined {
    if (this.#used.has(prompt.kind)) return undefined;
    let answer: string | undefined;
    switch (prompt.kind) {
      case "nickname":
        answer = this.#nick;
        break;
      case "password":
        answer = this.#password;
        break;
      case "account": {
        const account = this.#account;
        const key = prompt.nick === undefined ? undefined : nicknameKey(prompt.nick);
        if (account !== undefined && (account.nickKey === undefined || account.nickKey === key)) {
          answer = account.password;
        }
        break;
      }
      default:
        // `/password` alone asks the user, always.
        return undefined;
    }
    if (answer === undefined) return undefined;
    this.#used.add(prompt.kind);
    this.sent(prompt, answer, true);
    return answer;
  }

  /**
   * Notes an answer that went to the server, automatic or typed: a secret waits for
   * the server's verdict before it is remembered.
   *
   * @param prompt The prompt it answered.
   * @param answer The answer.
   * @param automatic Whether the client sent it by itself.
   */
  sent(prompt: ServerPrompt, answer: string, automatic = false): void {
    switch (prompt.kind) {
      case "nickname":
        this.#nicknameDone = true;
        break;
      case "password":
      case "account":
        this.#pending = {
          kind: prompt.kind,
          value: answer,
          nickKey: prompt.nick === undefined ? undefined : nicknameKey(prompt.nick),
          automatic,
        };
        break;
      case "newPassword":
        // `/password` alone: this answer is the account's password once confirmed.
        if (this.#change?.kind === "password") this.#change.password = answer;
        break;
      case "currentPassword":
        break;
    }
  }

  /** Whether every answer given in advance for the steps before the nickname went out. */
  get allAutomaticSent(): boolean {
    return (this.#nick === undefined || this.#used.has("nickname")) &&
      (this.#password === undefined || this.#used.has("password"));
  }

  /**
   * Whether a nickname went to the server on this connection: from then on the
   * Python original has a session, which must end with its quit word.
   */
  get nicknameDone(): boolean {
    return this.#nicknameDone;
  }

  /** The nickname a reconnection gives. */
  get nick(): string | undefined {
    return this.#nick;
  }

  /**
   * Keeps a prompt for the user's next line.
   *
   * @param question The prompt.
   */
  ask(question: ServerPrompt): void {
    this.#question = question;
  }

  /**
   * Takes the question the next typed line answers.
   *
   * @returns The question, now answered, or `undefined` when none waits.
   */
  takeQuestion(): ServerPrompt | undefined {
    const question = this.#question;
    this.#question = undefined;
    return question;
  }

  /** The server asked for a nickname after our password: the password was right. */
  serverPasswordAccepted(): void {
    if (this.#pending?.kind === "password") {
      this.#password = this.#pending.value;
      this.#pending = undefined;
    }
  }

  /**
   * The server welcomed us: the nickname, and the account password just given, were right.
   *
   * @param nick Our nickname.
   */
  loggedIn(nick: string): void {
    this.#nick = nick;
    if (this.#pending?.kind === "account") {
      this.#account = { password: this.#pending.value, nickKey: this.#pending.nickKey };
    }
    this.#pending = undefined;
  }

  /**
   * The server refused the account password just given (and asks for a nickname
   * again). One sent by itself is never sent by itself again.
   */
  accountRefused(): void {
    if (this.#pending?.kind === "account" && this.#pending.automatic) this.#account = undefined;
    this.#pending = undefined;
  }

  /**
   * Our nickname changed (`/nick`): a reconnection gives the new one.
   *
   * @param nick The new nickname.
   */
  renamed(nick: string): void {
    this.#nick = nick;
  }

  /**
   * Notes a typed line that changes the account's password; it counts once the
   * server confirms it ({@linkcode PromptAnswers.changeConfirmed}).
   *
   * @param change What the line asks.
   * @param nick Our nickname now (the account's).
   */
  changeRequested(change: PasswordChange, nick: string | undefined): void {
    this.#change = { ...change, nickKey: nick === undefined ? undefined : nicknameKey(nick) };
  }

  /**
   * The server confirmed a change of the account's password: a reconnection logs
   * in with the new one, or (unregistered) is asked nothing.
   *
   * @param kind What was confirmed.
   */
  changeConfirmed(kind: PasswordChange["kind"]): void {
    const change = this.#change;
    this.#change = undefined;
    if (change === undefined || change.kind !== kind) return;
    if (change.kind === "unregister") this.#account = undefined;
    else if (change.password !== undefined) {
      this.#account = { password: change.password, nickKey: change.nickKey };
    }
  }
}
