/**
 * The IRC verb table: every verb this server takes, looked up by name (any case).
 * Unknown verbs are `421` (`451` before registration).
 *
 * @module
 */

import { authenticate } from "./authenticate.ts";
import { away } from "./away.ts";
import { cap } from "./cap.ts";
import type { IrcCommand } from "./command.ts";
import { join } from "./join.ts";
import { kick } from "./kick.ts";
import { list } from "./list.ts";
import { mode } from "./mode.ts";
import { motd } from "./motd.ts";
import { names } from "./names.ts";
import { nick } from "./nick.ts";
import { noticeVerb } from "./notice.ts";
import { oper } from "./oper.ts";
import { part } from "./part.ts";
import { pass } from "./pass.ts";
import { ping } from "./ping.ts";
import { pong } from "./pong.ts";
import { privmsg } from "./privmsg.ts";
import { quit } from "./quit.ts";
import { topic } from "./topic.ts";
import { time } from "./time.ts";
import { user } from "./user.ts";
import { userhost } from "./userhost.ts";
import { who } from "./who.ts";
import { whois } from "./whois.ts";

/** Every IRC verb. */
export const IRC_COMMANDS: readonly IrcCommand[] = [
  authenticate,
  away,
  cap,
  join,
  kick,
  list,
  mode,
  motd,
  names,
  nick,
  noticeVerb,
  oper,
  part,
  pass,
  ping,
  pong,
  privmsg,
  quit,
  time,
  topic,
  user,
  userhost,
  who,
  whois,
];

const BY_NAME = new Map(IRC_COMMANDS.map((command) => [command.name, command]));

/**
 * Finds a verb.
 *
 * @param name The verb as sent (the parser upper-cases it).
 * @returns The verb, or `undefined`.
 */
export function findIrcCommand(name: string): IrcCommand | undefined {
  return BY_NAME.get(name.toUpperCase());
}
