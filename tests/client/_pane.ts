/**
 * A real terminal for the client's tests: tmux runs a command in a pane;
 * `send-keys` types, `capture-pane` reads the screen, `pipe-pane` keeps every byte
 * the command wrote (escape codes and bells included). Each wait polls the screen
 * until the expected content is there, with a timeout as the safety net.
 *
 * @module
 */

import { MAIN_PERMISSIONS, ROOT } from "../_helpers.ts";

/** How long a wait for the screen may take before the test fails, in milliseconds. */
export const SCREEN_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 25;

/** Whether tmux can be run here. */
export async function hasTmux(): Promise<boolean> {
  try {
    return (await new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

/** What the pane shows: its rows (trailing blank rows dropped) and the cursor. */
export interface Screen {
  rows: string[];
  cursorX: number;
  cursorY: number;
}

/** The last row of a screen (the input line, for the client). */
export function lastRow(screen: Screen): string {
  return screen.rows.at(-1) ?? "";
}

/** Whether a row is `text` after the client's `[HH:MM] `. */
export function timed(row: string, text: string): boolean {
  return /^\[\d{2}:\d{2}\] /.test(row) && row.slice(8) === text;
}

/** A private tmux server (its own socket, in a temporary directory) running one pane. */
export class Pane implements AsyncDisposable {
  #dir = "";

  /**
   * Starts the pane.
   *
   * @param command The shell command to run.
   * @param width Columns.
   * @param height Rows.
   */
  async start(command: string, width = 80, height = 16): Promise<void> {
    this.#dir = await Deno.makeTempDir({ prefix: "chat-tmux-" });
    // Start idle, record everything the pane writes, then run the command: no byte
    // of it is missed.
    await this.#tmux([
      "new-session",
      "-d",
      "-s",
      "main",
      "-x",
      String(width),
      "-y",
      String(height),
      "-c",
      ROOT,
      "sleep 600",
    ]);
    await this.#tmux(["pipe-pane", "-t", "main", "-o", `cat >> '${this.#dir}/output'`]);
    await this.#tmux(["respawn-pane", "-k", "-t", "main", "-c", ROOT, command]);
  }

  /** Types text literally (no key names), without Enter. */
  async type(text: string): Promise<void> {
    await this.#tmux(["send-keys", "-t", "main", "-l", text]);
  }

  /** Presses keys by tmux name (`Enter`, `Left`, `BSpace`, `C-c`, `Tab`). */
  async press(...keys: string[]): Promise<void> {
    await this.#tmux(["send-keys", "-t", "main", ...keys]);
  }

  /** The screen now. */
  async screen(): Promise<Screen> {
    const rows = (await this.#tmux(["capture-pane", "-p", "-t", "main"])).split("\n");
    while (rows.length > 0 && rows.at(-1)!.trim() === "") rows.pop();
    const [x, y] =
      (await this.#tmux(["display-message", "-p", "-t", "main", "#{cursor_x},#{cursor_y}"]))
        .trim().split(",").map(Number);
    return { rows, cursorX: x, cursorY: y };
  }

  /**
   * Every row the pane ever showed, scrolled-off ones included, with rows that
   * wrapped joined back into the line they are part of (trailing blank rows dropped).
   */
  async scrollback(): Promise<string[]> {
    const rows = (await this.#tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", "main"]))
      .split("\n");
    while (rows.length > 0 && rows.at(-1)!.trim() === "") rows.pop();
    return rows;
  }

  /** Every byte the command wrote so far, decoded. */
  async output(): Promise<string> {
    try {
      return await Deno.readTextFile(`${this.#dir}/output`);
    } catch {
      return ""; // Nothing written yet.
    }
  }

  /**
   * Polls the screen until `check` accepts it.
   *
   * @throws {Error} After the timeout, with the last screen.
   */
  async waitFor(what: string, check: (screen: Screen) => boolean): Promise<Screen> {
    const deadline = Date.now() + SCREEN_TIMEOUT_MS;
    for (;;) {
      const screen = await this.screen();
      if (check(screen)) return screen;
      if (Date.now() > deadline) {
        throw new Error(
          `Screen never showed ${what}; last screen (cursor ${screen.cursorX},${screen.cursorY}):\n${
            screen.rows.join("\n")
          }`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  /**
   * Polls the recorded output until `check` accepts it.
   *
   * @throws {Error} After the timeout, with the output.
   */
  async waitForOutput(what: string, check: (output: string) => boolean): Promise<string> {
    const deadline = Date.now() + SCREEN_TIMEOUT_MS;
    for (;;) {
      const output = await this.output();
      if (check(output)) return output;
      if (Date.now() > deadline) {
        throw new Error(`Output never had ${what}:\n${JSON.stringify(output)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#dir === "") return;
    await this.#tmux(["kill-server"]).catch(() => {});
    await Deno.remove(this.#dir, { recursive: true });
  }

  async #tmux(args: string[]): Promise<string> {
    const output = await new Deno.Command("tmux", {
      args: ["-S", `${this.#dir}/tmux.sock`, "-f", "/dev/null", ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(`tmux ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`);
    }
    return new TextDecoder().decode(output.stdout);
  }
}

/**
 * The shell command of a pane that runs the client, prints its exit status, and
 * stays open.
 *
 * @param args The client's arguments.
 * @param env Extra environment variables for the client.
 */
export function clientCommand(args: string[], env: Record<string, string> = {}): string {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const argv = [Deno.execPath(), "run", ...MAIN_PERMISSIONS, "main.ts", "client", ...args];
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${quote(value)}`);
  return `${[...assignments, ...argv.map(quote)].join(" ")}; echo "EXIT=$?"; sleep 600`;
}
