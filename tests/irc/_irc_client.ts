/**
 * A raw IRC test client over real TCP: sends lines with CRLF and waits for the
 * lines the server sends (their CR stripped), on top of the shared line reader.
 *
 * @module
 */

import { LineClient } from "../_server_helpers.ts";
import { startServer, type TestServer } from "../_server_helpers.ts";
import type { ServeOptions } from "../../lib/server/options.ts";

/** A test server with its IRC port open. */
export interface IrcTestServer extends TestServer {
  /** The IRC port. */
  ircPort: number;
}

/**
 * Starts a chat server in this process with `--irc 0`.
 *
 * @param options Settings on top of the test defaults.
 * @returns The fixture.
 */
export function startIrcServer(options: ServeOptions = {}): IrcTestServer {
  const server = startServer({ irc: { port: 0 }, ...options });
  return { ...server, ircPort: server.server.ircAddr!.port };
}

/** A line matcher: the exact line (CR stripped), a pattern, or a test. */
export type IrcMatch = string | RegExp | ((line: string) => boolean);

/** An IRC client that speaks raw lines. */
export class IrcClient implements AsyncDisposable {
  readonly #client: LineClient;

  private constructor(client: LineClient) {
    this.#client = client;
  }

  /**
   * Connects to the IRC port on 127.0.0.1.
   *
   * @param port The port.
   * @returns The client.
   */
  static async connect(port: number): Promise<IrcClient> {
    return new IrcClient(await LineClient.connect(port));
  }

  /**
   * Connects and registers (NICK, USER), waiting for the end of the MOTD.
   *
   * @param port The port.
   * @param nick The nickname.
   * @param caps Capabilities to request first.
   * @returns The registered client.
   */
  static async register(port: number, nick: string, caps: string[] = []): Promise<IrcClient> {
    const client = await IrcClient.connect(port);
    if (caps.length > 0) {
      await client.send("CAP LS 302");
      await client.send(`CAP REQ :${caps.join(" ")}`);
      await client.waitFor(/ CAP \S+ ACK /);
      await client.send("CAP END");
    }
    await client.send(`NICK ${nick}`);
    await client.send(`USER ${nick} 0 * :${nick}`);
    await client.waitFor(/ (376|422) /);
    return client;
  }

  /** Every line received so far, CR stripped. */
  get received(): string[] {
    return this.#client.received.map(stripCr);
  }

  /**
   * Sends a line, with CRLF.
   *
   * @param line The line.
   */
  async send(line: string): Promise<void> {
    await this.#client.write(line + "\r\n");
  }

  /**
   * Sends raw bytes or text as they are.
   *
   * @param data What to send.
   */
  async write(data: string | Uint8Array): Promise<void> {
    await this.#client.write(data);
  }

  /**
   * Waits for a line that matches; lines before it are consumed.
   *
   * @param match What to wait for.
   * @returns The line, CR stripped.
   */
  async waitFor(match: IrcMatch): Promise<string> {
    const test = (line: string) => {
      const plain = stripCr(line);
      if (typeof match === "string") return plain === match;
      if (match instanceof RegExp) return match.test(plain);
      return match(plain);
    };
    return stripCr(await this.#client.waitFor(test));
  }

  /**
   * Joins a channel and waits for its end of names.
   *
   * @param channel The channel.
   */
  async join(channel: string): Promise<void> {
    await this.send(`JOIN ${channel}`);
    await this.waitFor(new RegExp(` 366 \\S+ ${escape(channel)} `));
  }

  /**
   * Waits for the server to close the connection.
   *
   * @returns The lines not yet consumed.
   */
  async waitClosed(): Promise<string[]> {
    return (await this.#client.waitClosed()).map(stripCr);
  }

  /** @inheritdoc */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#client.close();
  }
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/**
 * Escapes a text for a RegExp.
 *
 * @param text The text.
 * @returns The escaped text.
 */
export function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
