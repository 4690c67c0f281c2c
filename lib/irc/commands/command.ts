/**
 * What an IRC verb is: its name, the fewest params it needs, and whether it may
 * run before registration (as ergo's command table says). The dispatcher checks
 * all of that once (`461`, `451`), so handlers hold only their own logic.
 *
 * @module
 */

import type { Step } from "../../util/maybe_async.ts";
import type { IrcSession } from "../irc_session.ts";

/** What a verb's handler gets. */
export interface IrcContext {
  /** The connection the verb came on. */
  readonly session: IrcSession;
  /** The params, sanitized (CTCP's `\x01` kept), the trailing one last. */
  readonly params: readonly string[];
}

/** An IRC verb. */
export interface IrcCommand {
  /** The verb, upper-case (`PRIVMSG`). */
  readonly name: string;
  /** The fewest params it needs; fewer get `461 ERR_NEEDMOREPARAMS`. @default {0} */
  readonly minParams?: number;
  /**
   * Whether it may run before registration; others get `451 ERR_NOTREGISTERED`
   * then. @default {false}
   */
  readonly preRegistration?: boolean;
  /**
   * Does the work.
   *
   * @param ctx The connection and the params.
   * @returns When it has finished (at once on one server).
   */
  run(ctx: IrcContext): Step;
}
