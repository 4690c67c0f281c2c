/**
 * The entry point: the menu (1 = server, 2 = client), or a subcommand.
 *
 * Parses the command line, reads the files and variables it names, calls into
 * `lib/`, and owns the exit status. A user mistake ends with one line on stderr,
 * never a stack trace.
 *
 * @module
 */

import denoJson from "./deno.json" with { type: "json" };
import { cliText } from "./lib/catalog/cli_text.ts";
import { clientText } from "./lib/catalog/client_text.ts";
import { consoleText } from "./lib/catalog/console_text.ts";
import type { Lang } from "./lib/catalog/lang.ts";
import {
  chosenLang,
  type ClientArgs,
  defaultClientArgs,
  defaultServerArgs,
  parseCommandLine,
  type ServerArgs,
} from "./lib/cli/command_line.ts";
import { describeError, readFlagFile } from "./lib/cli/read_flag_file.ts";
import type { LineInput } from "./lib/client/line_input.ts";
import { loadCluster } from "./lib/cluster/load_cluster.ts";
import { checkRedisUrl } from "./lib/cluster/redis_url.ts";
import { MAX_MOTD_LINES, servedSettings } from "./lib/server/options.ts";
import { StartError, UsageError, WebListenError } from "./lib/util/errors.ts";
import { sanitizeText } from "./lib/util/sanitize.ts";

/** Where the server password may come from instead of a flag (keeps it out of `ps`). */
const PASSWORD_ENV = "CHAT_PASSWORD";
/** Where the operator password may come from instead of a flag. */
const OP_PASSWORD_ENV = "CHAT_OP_PASSWORD";
/** Where the cluster's Redis URL may come from instead of `--redis`. */
const REDIS_URL_ENV = "REDIS_URL";

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
      return await runMenuThenTool(command.lang);
  }
}

// The server and the client are loaded when chosen: a server never compiles the
// client's modules, nor a client the server's (start-up time, resident memory).

async function runMenuThenTool(lang: Lang): Promise<number> {
  const { openStdinInput } = await import("./lib/client/line_input.ts");
  const { runMenu } = await import("./lib/cli/menu.ts");
  const input = openStdinInput();
  const choice = await runMenu(input, clientText(lang));
  if (choice === "server") {
    input.close();
    return await runServer(defaultServerArgs(lang));
  }
  if (choice === "client") {
    return await startClient(defaultClientArgs(lang), input);
  }
  input.close();
  // Ctrl-C at the menu reports 130, as shells do; end of input is a clean exit.
  const { INTERRUPTED_EXIT_CODE } = await import("./lib/client/client.ts");
  return input.interrupted ? INTERRUPTED_EXIT_CODE : 0;
}

async function runServer(args: ServerArgs): Promise<number> {
  const text = cliText(args.lang);
  const tls = args.tlsCertFile !== undefined && args.tlsKeyFile !== undefined
    ? {
      cert: await readFlagFile("--tls-cert", args.tlsCertFile, text, "certificate"),
      key: await readFlagFile("--tls-key", args.tlsKeyFile, text, "key"),
    }
    : undefined;
  const motd = args.motdFile === undefined
    ? []
    : motdLines(await readFlagFile("--motd", args.motdFile, text));
  const notes = consoleText(args.lang);
  const password = args.password ?? envSecret(PASSWORD_ENV, notes.envNotRead);
  const opPassword = args.opPassword ?? envSecret(OP_PASSWORD_ENV);
  const redis = args.redisUrl ?? envSetting(REDIS_URL_ENV, (url) => checkRedisUrl(url));
  const controller = new AbortController();
  const stop = () => controller.abort();
  let server;
  try {
    const { serve } = await import("./lib/server/server.ts");
    server = serve({
      ...servedSettings(args),
      password,
      opPassword,
      mode: args.mode,
      motd,
      tls,
      web: args.web,
      cluster: redis === undefined ? undefined : await loadCluster(redis),
      signal: controller.signal,
    });
  } catch (error) {
    if (error instanceof WebListenError) {
      throw new StartError(
        text.cannotServeWeb(error.hostname, error.port, describeError(error.cause, text)),
      );
    }
    throw new StartError(text.cannotStart(args.hostname, args.port, describeError(error, text)));
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

async function startClient(args: ClientArgs, input?: LineInput): Promise<number> {
  const { runClient } = await import("./lib/client/client.ts");
  const caCerts = args.caFile === undefined
    ? undefined
    : [await readFlagFile("--ca", args.caFile, cliText(args.lang), "certificate")];
  const { caFile: _caFile, password, tls, ...settings } = args;
  return await runClient({
    ...settings,
    password: password ?? envSecret(PASSWORD_ENV),
    tls: tls ? { caCerts } : undefined,
    input,
  });
}

/** The message of the day: its first lines, made safe for every terminal. */
function motdLines(text: string): string[] {
  const lines = text.replace(/\r?\n$/, "").split(/\r?\n/).map(sanitizeText);
  return text.length === 0 ? [] : lines.slice(0, MAX_MOTD_LINES);
}

/**
 * Reads a secret from the environment. Deno sees a variable only with
 * `--allow-env` for it (the documented commands grant it), and nothing, not even
 * `/proc/self/environ`, tells whether it is set without that. A secret its owner
 * set must never be silently ignored, so without the permission: on a terminal
 * Deno asks the user; elsewhere one line says the variable was not read and names
 * the flag (`note`, in the server's language), or nothing where an unread secret
 * fails closed (`note` undefined: the client asks for the password when it is
 * needed; without an operator password nobody is an operator, and `/op` says so).
 */
function envSecret(name: string, note?: (name: string) => string): string | undefined {
  const descriptor = { name: "env", variable: name } as const;
  let state = Deno.permissions.querySync(descriptor).state;
  if (state === "prompt" && Deno.stdin.isTerminal() && Deno.stderr.isTerminal()) {
    state = Deno.permissions.requestSync(descriptor).state;
  }
  if (state !== "granted") {
    // "denied" is the user's own choice (--deny-env): nothing to point out.
    if (state === "prompt" && note !== undefined) console.error(note(name));
    return undefined;
  }
  const value = Deno.env.get(name);
  return value === undefined || value.length === 0 ? undefined : value;
}

/**
 * Reads a setting from the environment when Deno may (the documented commands
 * grant it); without the permission it is not asked for: a server without it
 * says on its start-up lines what it is.
 */
function envSetting(name: string, check: (value: string) => string): string | undefined {
  if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
    return undefined;
  }
  const value = Deno.env.get(name);
  return value === undefined || value.length === 0 ? undefined : check(value);
}

if (import.meta.main) {
  try {
    Deno.exitCode = await main(Deno.args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof StartError) {
      console.error(cliText(chosenLang(Deno.args)).error(error.message));
      // A mistake on the command line is 2, as for other Unix tools; the rest is 1.
      Deno.exitCode = error instanceof UsageError ? 2 : 1;
    } else {
      throw error;
    }
  }
}
