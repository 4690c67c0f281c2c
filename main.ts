/**
 * The entry point: the menu (1 = server, 2 = client), or a subcommand.
 *
 * Parses the command line, reads the files it names, calls into `lib/`, and owns
 * the exit status. A user mistake ends with one line on stderr, never a stack
 * trace.
 *
 * @module
 */

import denoJson from "./deno.json" with { type: "json" };
import { clientText } from "./lib/catalog/client_text.ts";
import { type ClientArgs, parseCommandLine, type ServerArgs } from "./lib/cli/command_line.ts";
import { INTERRUPTED_EXIT_CODE, runClient } from "./lib/client/client.ts";
import { UsageError } from "./lib/util/errors.ts";
import { type LineInput, openStdinInput } from "./lib/client/line_input.ts";
import { runMenu } from "./lib/cli/menu.ts";
import { DEFAULT_HOSTNAME, DEFAULT_PORT } from "./lib/server/options.ts";
import { serve } from "./lib/server/server.ts";

/** Where the room password may come from instead of a flag (keeps it out of `ps`). */
const PASSWORD_ENV = "CHAT_PASSWORD";

/** A problem the user can fix (a missing file, a busy port): one line, exit 1. */
class FatalError extends Error {
  override name = "FatalError";
}

async function main(args: string[]): Promise<number> {
  const command = parseCommandLine(args);
  switch (command.kind) {
    case "help":
      console.log(command.text);
      return 0;
    case "version":
      console.log(`tcp-chat ${denoJson.version} (deno ${Deno.version.deno})`);
      return 0;
    case "server":
      return await runServer(command.args);
    case "client":
      return await startClient(command.args);
    case "menu":
      return await runMenuThenTool();
  }
}

async function runMenuThenTool(): Promise<number> {
  const input = openStdinInput();
  const choice = await runMenu(input, clientText("ko"));
  if (choice === "server") {
    input.close();
    return await runServer({
      hostname: DEFAULT_HOSTNAME,
      port: DEFAULT_PORT,
      mode: "chat",
      lang: "ko",
      maxLineBytes: undefined,
      maxOutboxBytes: undefined,
      maxClients: undefined,
      nicknameTimeoutMs: undefined,
      rateLinesPerSecond: undefined,
      rateBurst: undefined,
      password: envPassword(),
      tlsCertFile: undefined,
      tlsKeyFile: undefined,
      quiet: false,
    });
  }
  if (choice === "client") {
    return await startClient({
      hostname: DEFAULT_HOSTNAME,
      port: DEFAULT_PORT,
      lang: "ko",
      nick: undefined,
      password: undefined,
      tls: false,
      caFile: undefined,
    }, input);
  }
  input.close();
  // Ctrl-C at the menu reports 130, as shells do; end of input is a clean exit.
  return input.interrupted ? INTERRUPTED_EXIT_CODE : 0;
}

async function runServer(args: ServerArgs | DefaultServerArgs): Promise<number> {
  const tls = args.tlsCertFile !== undefined && args.tlsKeyFile !== undefined
    ? { cert: await readFile(args.tlsCertFile), key: await readFile(args.tlsKeyFile) }
    : undefined;
  const password = args.password ?? envPassword();
  if (password === undefined && !canReadPasswordEnv()) {
    // Without the permission the variable cannot even be seen: say so rather than
    // silently open a room its owner meant to close.
    console.error(
      `note: ${PASSWORD_ENV} is not read without --allow-env=${PASSWORD_ENV}; the room has no password`,
    );
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  let server;
  try {
    server = serve({
      hostname: args.hostname,
      port: args.port,
      mode: args.mode,
      lang: args.lang,
      maxLineBytes: args.maxLineBytes,
      maxOutboxBytes: args.maxOutboxBytes,
      maxClients: args.maxClients,
      nicknameTimeoutMs: args.nicknameTimeoutMs,
      rateLinesPerSecond: args.rateLinesPerSecond,
      rateBurst: args.rateBurst,
      password,
      tls,
      quiet: args.quiet,
      signal: controller.signal,
    });
  } catch (error) {
    throw new FatalError(
      `Cannot start the server on ${args.hostname}:${args.port}: ${describe(error)}`,
    );
  }
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    await server.finished;
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
  }
  return 0;
}

/** The menu starts the server with every limit at its default. */
type DefaultServerArgs = {
  [K in keyof ServerArgs]: ServerArgs[K] | (K extends LimitKey ? undefined : never);
};
type LimitKey =
  | "maxLineBytes"
  | "maxOutboxBytes"
  | "maxClients"
  | "nicknameTimeoutMs"
  | "rateLinesPerSecond"
  | "rateBurst";

async function startClient(args: ClientArgs, input?: LineInput): Promise<number> {
  const caCerts = args.caFile === undefined ? undefined : [await readFile(args.caFile)];
  return await runClient({
    hostname: args.hostname,
    port: args.port,
    lang: args.lang,
    nick: args.nick,
    password: args.password ?? envPassword(),
    tls: args.tls ? { caCerts } : undefined,
    input,
  });
}

function canReadPasswordEnv(): boolean {
  return Deno.permissions.querySync({ name: "env", variable: PASSWORD_ENV }).state === "granted";
}

function envPassword(): string | undefined {
  if (!canReadPasswordEnv()) return undefined;
  const value = Deno.env.get(PASSWORD_ENV);
  return value === undefined || value.length === 0 ? undefined : value;
}

async function readFile(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw new FatalError(`Cannot read ${path}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.AddrInUse) return "the address is already in use";
  if (error instanceof Deno.errors.NotCapable) {
    return `${error.message.split("\n")[0]} (run with the permission it names)`;
  }
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

if (import.meta.main) {
  try {
    Deno.exitCode = await main(Deno.args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof FatalError) {
      console.error(`error: ${error.message}`);
      Deno.exitCode = error instanceof UsageError ? 2 : 1;
    } else {
      throw error;
    }
  }
}
