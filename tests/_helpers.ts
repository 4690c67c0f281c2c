/**
 * Test helpers for the client, menu and build tests: child processes with piped
 * stdio whose lines are collected in a `LineLog` (a wait for a line, with a
 * timeout), `main.ts server` as a child process (`startServerProcess`), and an
 * in-memory output for the client's plain line input.
 *
 * The shared pieces live in `fixtures/`: `waiter.ts` (the one wait),
 * `line_log.ts`, `socket_reader.ts` (the one read loop of every raw client),
 * `join_each.ts`, `accept_each.ts`, `concat.ts`.
 *
 * @module
 */

import { TextLineStream } from "@std/streams/text-line-stream";
import { LINE_TIMEOUT_MS, LineLog } from "./fixtures/line_log.ts";
import { within } from "./fixtures/waiter.ts";

/** The project root, where `main.ts` and `deno.json` live. */
export const ROOT: string = new URL("../", import.meta.url).pathname;

/** The permissions `deno task start` gives `main.ts`. */
export const MAIN_PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env=CHAT_PASSWORD,CHAT_OP_PASSWORD,CHAT_ACCOUNT_PASSWORD,REDIS_URL,REDIS_DEBUG_MAINTENANCE,REDIS_EMIT_DIAGNOSTICS",
];

export { LINE_TIMEOUT_MS, LineLog, type LineMatch } from "./fixtures/line_log.ts";

const encoder = new TextEncoder();

/** Options for {@linkcode Child} and {@linkcode spawnMain}. */
export interface SpawnOptions {
  /** Working directory. @default {ROOT} */
  cwd?: string;
  /** Extra environment variables. @default {{}} */
  env?: Record<string, string>;
}

/** A child process with piped stdio whose output lines are collected as they come. */
export class Child implements AsyncDisposable {
  readonly stdout: LineLog;
  readonly stderr: LineLog;
  readonly status: Promise<Deno.CommandStatus>;
  readonly #process: Deno.ChildProcess;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #pumps: Promise<void>;
  readonly #name: string;
  #stdinClosed = false;
  #exited = false;

  constructor(command: string, args: string[], options: SpawnOptions = {}) {
    this.#name = [command, ...args].join(" ");
    const describe = () => this.describe();
    this.stdout = new LineLog(describe);
    this.stderr = new LineLog(describe);
    this.#process = new Deno.Command(command, {
      args,
      cwd: options.cwd ?? ROOT,
      env: { NO_COLOR: "1", ...options.env },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#stdin = this.#process.stdin.getWriter();
    this.#pumps = Promise.all([
      pump(this.#process.stdout, this.stdout),
      pump(this.#process.stderr, this.stderr),
    ]).then(() => {});
    this.status = this.#process.status.then((status) => {
      this.#exited = true;
      return status;
    });
  }

  /** The child's process id. */
  get pid(): number {
    return this.#process.pid;
  }

  /** Writes one line to the child's stdin. */
  async send(line: string): Promise<void> {
    await this.#stdin.write(encoder.encode(line + "\n"));
  }

  /** Closes the child's stdin (end of input). */
  async closeStdin(): Promise<void> {
    if (this.#stdinClosed) return;
    this.#stdinClosed = true;
    await this.#stdin.close().catch(() => {});
  }

  /** Sends a signal, unless the child has exited already. */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    if (this.#exited) return;
    try {
      this.#process.kill(signal);
    } catch {
      // Exited in between.
    }
  }

  /**
   * Waits for the child to exit, within a timeout.
   *
   * @returns Its status, once its output is fully read.
   * @throws {Error} When it does not exit in time (it is then killed).
   */
  async exit(timeoutMs: number = LINE_TIMEOUT_MS): Promise<Deno.CommandStatus> {
    try {
      return await within(this.status, () => `the exit of ${this.describe()}`, timeoutMs);
    } catch (error) {
      this.kill("SIGKILL");
      await this.status;
      throw error;
    } finally {
      await this.#pumps;
    }
  }

  /** All output so far, for failure messages. */
  describe(): string {
    return `--- ${this.#name}\n--- stdout:\n${this.stdout.lines.join("\n")}\n--- stderr:\n${
      this.stderr.lines.join("\n")
    }`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.closeStdin();
    this.kill("SIGKILL");
    await this.status;
    await this.#pumps;
  }
}

async function pump(stream: ReadableStream<Uint8Array>, log: LineLog): Promise<void> {
  try {
    const lines = stream.pipeThrough(new TextDecoderStream()).pipeThrough(new TextLineStream());
    for await (const line of lines) log.push(line);
  } finally {
    log.end();
  }
}

/**
 * Runs `main.ts` (or another script) with `deno run` and the permissions of
 * `deno task start`.
 *
 * @param args The arguments after the script.
 * @param script The script, relative to the project root or absolute.
 */
export function spawnMain(args: string[], script = "main.ts", options?: SpawnOptions): Child {
  return new Child(Deno.execPath(), ["run", ...MAIN_PERMISSIONS, script, ...args], options);
}

/** A `main.ts server` child process and the port it announced; `await using` kills it. */
export interface ServerChild extends AsyncDisposable {
  child: Child;
  port: number;
}

/** The line a server prints once it listens, in Korean or English, with its port. */
const LISTENING = /^(?:서버가 [^ ]+:(\d+)에서 실행 중입니다\.|Server running on [^ ]+:(\d+)\.)$/;

/**
 * Waits for a server child's listening line.
 *
 * @param child A `main.ts server` child (any flags, any language).
 * @param timeoutMs The safety net.
 * @returns The port it announced.
 */
export async function announcedPort(
  child: Child,
  timeoutMs: number = LINE_TIMEOUT_MS,
): Promise<number> {
  const match = LISTENING.exec(await child.stdout.waitFor(LISTENING, timeoutMs))!;
  return Number(match[1] ?? match[2]);
}

/**
 * Starts `main.ts server` as a child process on port 0 and reads its port from
 * its output (for tests of the program as users run it; the in-process server
 * is `startServer` in `_server_helpers.ts`). Unless `args` name a `--data` file,
 * it keeps its data in memory (`--data none`): a test never leaves a `chat.db` behind.
 *
 * @param args Extra server flags (`-e`, `--password PW`…).
 * @param spawn Starts the process given the server's arguments (for the bundle
 *   and the compiled binary). @default {spawnMain}
 * @param listenTimeoutMs How long the child may take to listen.
 * @returns The child and its port; `await using` kills it.
 */
export async function startServerProcess(
  args: string[] = [],
  spawn: (args: string[]) => Child = (serverArgs) => spawnMain(serverArgs),
  listenTimeoutMs: number = LINE_TIMEOUT_MS,
): Promise<ServerChild> {
  const data = args.includes("--data") ? [] : ["--data", "none"];
  const child = spawn(["server", "--port", "0", ...data, ...args]);
  try {
    const port = await announcedPort(child, listenTimeoutMs);
    return { child, port, [Symbol.asyncDispose]: () => child[Symbol.asyncDispose]() };
  } catch (error) {
    await child[Symbol.asyncDispose]();
    throw error;
  }
}

/**
 * The old name of {@linkcode startServerProcess}, kept for tests written before it.
 *
 * @deprecated Use `startServerProcess` (a child process) or, in `_server_helpers.ts`,
 *   `startServer` (in this process).
 */
export const startServer: typeof startServerProcess = startServerProcess;

/**
 * A {@linkcode LineLog} that is also a `Writer`, for the client's output in
 * in-process tests.
 */
export class TextSink extends LineLog {
  readonly #decoder = new TextDecoder();
  #partial = "";

  /** Takes at most 7 bytes per call, to exercise the callers' full-write loops. */
  write(bytes: Uint8Array): Promise<number> {
    const taken = bytes.subarray(0, 7);
    const text = this.#partial + this.#decoder.decode(taken, { stream: true });
    const parts = text.split("\n");
    this.#partial = parts.pop()!;
    for (const line of parts) this.push(line);
    return Promise.resolve(taken.length);
  }

  /** Output not yet ended by a newline (a prompt). */
  get partial(): string {
    return this.#partial;
  }
}

/** An in-memory stdin: the test types lines into it and can end it. */
export class TypedLines {
  readonly readable: ReadableStream<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #open = true;

  constructor() {
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.#open = false;
      },
    });
  }

  /** Types a line (ignored once the reader cancelled). */
  type(line: string): void {
    if (this.#open) this.#controller.enqueue(encoder.encode(line + "\n"));
  }

  /** Ends the input (Ctrl-D). */
  end(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#controller.close();
  }
}
