/**
 * The command table: every slash command, in `/help` order, and the lookup by
 * name (any alias, ignoring case).
 *
 * @module
 */

import type { Command } from "./command.ts";
import { help } from "./help.ts";
import { quit } from "./quit.ts";
import { who } from "./who.ts";

/** Every command, in the order `/help` lists them. */
export const COMMANDS: readonly Command[] = [who, help, quit];

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
