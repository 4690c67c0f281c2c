/**
 * The command table: every slash command, in `/help` order, and the lookup by
 * name (any alias, ignoring case).
 *
 * @module
 */

import { away } from "./away.ts";
import { back } from "./back.ts";
import { ban } from "./ban.ts";
import { bans } from "./bans.ts";
import type { Command } from "./command.ts";
import { deop } from "./deop.ts";
import { help } from "./help.ts";
import { join } from "./join.ts";
import { kick } from "./kick.ts";
import { me } from "./me.ts";
import { nick } from "./nick.ts";
import { op } from "./op.ts";
import { password } from "./password.ts";
import { quit } from "./quit.ts";
import { register } from "./register.ts";
import { rooms } from "./rooms.ts";
import { topic } from "./topic.ts";
import { unban } from "./unban.ts";
import { unregister } from "./unregister.ts";
import { who } from "./who.ts";

/** Every command, in the order `/help` lists them: everyone's first, then the operators'. */
export const COMMANDS: readonly Command[] = [
  join,
  rooms,
  who,
  nick,
  me,
  away,
  back,
  topic,
  help,
  quit,
  register,
  password,
  unregister,
  op,
  deop,
  kick,
  ban,
  unban,
  bans,
];

const BY_NAME = new Map<string, Command>(
  COMMANDS.flatMap((command) => command.names.map((name) => [name.toLowerCase(), command])),
);

/**
 * Finds a command by any of its names, ignoring case.
 *
 * @param word The command word as typed (`/JOIN`).
 * @returns The command, or `undefined`.
 */
export function findCommand(word: string): Command | undefined {
  return BY_NAME.get(word.toLowerCase());
}

/**
 * Tells whether a line is a quit command (`/quit`, `/종료`, any case), the one
 * command a client must recognise itself.
 *
 * @param line A typed line.
 * @returns `true` for a quit command, with or without words after it.
 */
export function isQuitCommand(line: string): boolean {
  const word = line.trim().split(/\s/, 1)[0];
  return findCommand(word) === quit;
}
