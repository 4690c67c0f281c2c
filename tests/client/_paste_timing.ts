/**
 * Measures how long a paste takes to appear in the client on a real terminal
 * (tmux): from `send-keys -l` of the text to the screen showing its end with the
 * cursor after it. Not a test: speed is measured here and reported, never asserted.
 *
 * ```sh
 * deno run -A tests/client/_paste_timing.ts [CHARS ...] [--root DIR]
 * ```
 *
 * `--root` runs the `main.ts` of another checkout (to compare with an earlier
 * client). The figure includes tmux's own delivery and a 25 ms screen poll.
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { MAIN_PERMISSIONS } from "../_helpers.ts";
import { OriginalEchoServer } from "../fixtures/original_echo_server.ts";
import { lastRow, Pane } from "./_pane.ts";

const flags = parseArgs(Deno.args, { string: ["root"] });
const root = typeof flags.root === "string"
  ? flags.root
  : new URL("../../", import.meta.url).pathname;
const sizes = flags._.length === 0 ? [2_000, 5_000, 10_000] : flags._.map(Number);
const END = "<END>";

for (const size of sizes) {
  await using echo = new OriginalEchoServer();
  await using pane = new Pane();
  const argv = [Deno.execPath(), "run", ...MAIN_PERMISSIONS, "main.ts", "client", "127.0.0.1"];
  await pane.start(`cd '${root}' && ${argv.join(" ")} ${echo.port}; sleep 600`, 80, 24);
  // Connected: the terminal is in raw mode by then.
  await echo.accepted.waitFor("0");
  // Korean and ASCII mixed, as people paste.
  const text = Array.from({ length: size - END.length }, (_, i) =>
    "abcdefg가나다"[i % 10]).join("") +
    END;
  const start = performance.now();
  await pane.type(text);
  await pane.waitFor("the end of the paste", (s) => lastRow(s).endsWith(END));
  const ms = performance.now() - start;
  console.log(`${size} characters: ${ms.toFixed(0)} ms`);
}
