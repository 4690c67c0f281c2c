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
import type { User } from "../user.ts";

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
  /** Too many wrong passwords from the address lately: says so and closes the connection. */
  passwordLockedOut(): void;
  /** Aborted when the connection ends: a password answer still waiting is dropped. */
  readonly signal: AbortSignal;
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
