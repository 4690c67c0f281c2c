/**
 * A server that restarts: `main.ts server` children run one after another on the
 * same temporary data file (in English, without flood control), each stopped as
 * a machine stops it (SIGTERM, or SIGKILL: `kill -9`), and the TCP users of the
 * tests that use it: a guest, a registration, a login.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { type ServerChild, startServerProcess } from "../_helpers.ts";
import { isMembersLine, LineClient } from "../_server_helpers.ts";
import { type TempDir, tempDir } from "./_files.ts";

/** The English texts the server says. */
export const en = userText("en");

/** How a server is stopped before it starts again. */
export type StopSignal = "SIGTERM" | "SIGKILL";

/** How long a `main.ts` child may take to start (a loaded machine). */
const START_TIMEOUT_MS = 15_000;

/** `main.ts server` on one data file, started again after each stop; `await using` ends it. */
export class RestartingServer implements AsyncDisposable {
  /** The data file. */
  readonly data: string;
  #dir: TempDir;
  #args: readonly string[];
  #current: ServerChild | undefined;

  private constructor(dir: TempDir, args: readonly string[]) {
    this.#dir = dir;
    this.data = `${dir.path}/chat.db`;
    this.#args = args;
  }

  /**
   * Starts the first server on a new data file in a temporary folder.
   *
   * @param args Server flags besides the port, language, flood control and data file.
   * @returns The fixture.
   */
  static async start(args: readonly string[] = []): Promise<RestartingServer> {
    const server = new RestartingServer(await tempDir(), args);
    try {
      await server.#startOne();
    } catch (error) {
      await server[Symbol.asyncDispose]();
      throw error;
    }
    return server;
  }

  /** The running server's port. */
  get port(): number {
    return this.#running().port;
  }

  /** The running server's output so far, for failure messages. */
  describe(): string {
    return this.#current?.child.describe() ?? "(no server running)";
  }

  /**
   * Stops the server with a signal, checks that it ended as that signal ends it,
   * and starts another on the same file.
   *
   * @param signal SIGTERM (a clean shutdown: exit status 0) or SIGKILL (no warning).
   */
  async restart(signal: StopSignal): Promise<void> {
    const { child } = this.#running();
    child.kill(signal);
    const status = await child.exit(START_TIMEOUT_MS);
    if (signal === "SIGTERM") assertEquals(status.code, 0, child.describe());
    else assertEquals(status.signal, "SIGKILL", child.describe());
    await this.#current![Symbol.asyncDispose]();
    this.#current = undefined;
    await this.#startOne();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#current?.[Symbol.asyncDispose]();
    await this.#dir[Symbol.asyncDispose]();
  }

  async #startOne(): Promise<void> {
    this.#current = await startServerProcess(
      ["--lang", "en", "--rate", "0", "--data", this.data, ...this.#args],
      undefined,
      START_TIMEOUT_MS,
    );
  }

  #running(): ServerChild {
    if (this.#current === undefined) throw new Error("No server is running");
    return this.#current;
  }
}

/**
 * Connects and waits for the nickname prompt.
 *
 * @param port The server's port.
 * @returns The client.
 */
export async function connect(port: number): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.waitFor(en.nicknamePrompt);
  return client;
}

/**
 * Joins as a guest (a nickname that is not registered).
 *
 * @param port The server's port.
 * @param nick The nickname.
 * @returns The client, in the lobby.
 */
export async function guest(port: number, nick: string): Promise<LineClient> {
  const client = await connect(port);
  await client.send(nick);
  await client.waitFor(isMembersLine);
  return client;
}

/**
 * Joins as a guest and becomes an operator.
 *
 * @param port The server's port.
 * @param nick The nickname.
 * @param password The operator password.
 * @returns The client.
 */
export async function operator(port: number, nick: string, password: string): Promise<LineClient> {
  const client = await guest(port, nick);
  await client.send(`/op ${password}`);
  await client.waitFor(en.opGranted);
  return client;
}

/**
 * Joins as a guest and registers the nickname.
 *
 * @param port The server's port.
 * @param nick The nickname.
 * @param password Its password.
 * @returns The client, logged in to the new account.
 */
export async function register(port: number, nick: string, password: string): Promise<LineClient> {
  const client = await guest(port, nick);
  await client.send(`/register ${password}`);
  await client.waitFor(en.registered(nick));
  return client;
}

/**
 * Logs in to a registered nickname and waits for the members line that ends
 * entering its room. `received` keeps every line, those before it included.
 *
 * @param port The server's port.
 * @param nick The nickname.
 * @param password Its password.
 * @returns The client.
 */
export async function logIn(port: number, nick: string, password: string): Promise<LineClient> {
  const client = await connect(port);
  await client.send(nick);
  await client.waitFor(en.accountPrompt(nick));
  await client.send(password);
  await client.waitFor(isMembersLine);
  return client;
}

/**
 * Quits and waits for the server to close the connection (so that it has recorded
 * where the user left).
 *
 * @param client The client.
 */
export async function quit(client: LineClient): Promise<void> {
  await client.send("/quit");
  await client.waitClosed();
  await client.close();
}
