/**
 * The start menu of `main.ts` without arguments, as in the Python original:
 * 1 starts the server, 2 the client.
 *
 * @module
 */

import type { ClientText } from "../catalog/client_text.ts";
import type { LineInput } from "../client/line_input.ts";

/** What the user picked in the menu. */
export type MenuChoice = "server" | "client";

/**
 * Asks until the user types 1 (server) or 2 (client); anything else is refused with
 * a notice and asked again.
 *
 * @param input The line input; the client goes on reading from it afterwards.
 * @param messages The menu's prompt and notice.
 * @returns The choice, or `null` at end of input (Ctrl-D, closed pipe) or Ctrl-C.
 */
export async function runMenu(input: LineInput, messages: ClientText): Promise<MenuChoice | null> {
  for (;;) {
    const line = await input.readLine(messages.menuPrompt);
    if (line === null) return null;
    switch (line.trim()) {
      case "1":
        return "server";
      case "2":
        return "client";
      default:
        await input.printAbove(messages.menuInvalid);
    }
  }
}
