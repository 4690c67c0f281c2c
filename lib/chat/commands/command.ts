/**
 * What a command is: its names, its help, who may run it, and its handler. The
 * dispatcher checks the operator rule and the arguments once, so handlers hold
 * only their own logic.
 *
 * @module
 */

import type { Step } from "../../util/maybe_async.ts";
import type { Chat } from "../chat.ts";
import type { Notice, UserEvent } from "../events.ts";
import type { Account } from "../store.ts";
import type { User } from "../user.ts";

/** The prompts a command may ask through (`/password` alone). */
export type AccountPrompt = "currentPassword" | "newPassword";

/** Text in every language of the catalogs. */
export interface Localized {
  /** Korean. */
  readonly ko: string;
  /** English. */
  readonly en: string;
}

/** What a session offers the commands beyond the user. */
export interface CommandSession {
  /** Ends the connection after what is queued (the user leaves). */
  quit(): void;
  /**
   * Counts a wrong operator password and says so; the third in one connection
   * says that it closes the connection, and does.
   */
  opPasswordFailed(): void;
  /**
   * Too many wrong passwords from the address lately (any password): says so and
   * closes the connection.
   */
  passwordLockedOut(): void;
  /** Aborted when the connection ends: a password answer still waiting is dropped. */
  readonly signal: AbortSignal;
  /**
   * Asks the user through a prompt: its next line (trimmed) goes to `answer`,
   * never to the room (a password with spaces).
   *
   * @param prompt Which prompt.
   * @param answer Gets the answer.
   */
  ask(prompt: AccountPrompt, answer: (line: string) => Step): void;
  /**
   * Checks an answer to the password of the account the user is logged in to,
   * through the address's limiter (a delay first; when locked out, a refusal that
   * closes the connection) and the connection's count (the third wrong one closes
   * it). A wrong or refused answer is told to the user here.
   *
   * @param answer The password given.
   * @param then Gets the account when the answer is right (only then).
   * @returns When done.
   */
  checkAccountPassword(answer: string, then: (account: Account) => Step): Step;
}

/** What a handler gets. */
export interface CommandContext {
  /** The chat. */
  readonly chat: Chat;
  /** Who ran the command. */
  readonly user: User;
  /** The connection behind the user. */
  readonly session: CommandSession;
  /** What followed the command word, trimmed (`""` for none). */
  readonly args: string;
  /** Every command, for `/help`. */
  readonly commands: readonly Command[];
  /**
   * Sends an event to the user who ran the command.
   *
   * @param event The event.
   */
  reply(event: UserEvent): void;
  /**
   * Sends a notice to the user who ran the command.
   *
   * @param notice The notice.
   */
  notice(notice: Notice): void;
}

/** A slash command. */
export interface Command {
  /** Its names, the English one first (`/join`, `/방`); matched ignoring case. */
  readonly names: readonly string[];
  /** How to call it (`/join ROOM`). */
  readonly usage: Localized;
  /** What it does, in one line. */
  readonly help: Localized;
  /** Only operators may run it. @default {false} */
  readonly op?: boolean;
  /** The fewest words of arguments it needs; fewer get the usage line. @default {0} */
  readonly minArgs?: number;
  /**
   * Does the work.
   *
   * @param ctx Who ran it, with what.
   * @returns When it has finished (at once for most).
   */
  run(ctx: CommandContext): Step;
}
