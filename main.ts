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
  menuTool,
  parseCommandLine,
  type ServerArgs,
} from "./lib/cli/command_line.ts";
import { describeError, readFlagFile } from "./lib/cli/read_flag_file.ts";
import { resolveSettings } from "./lib/cli/resolve_settings.ts";
import { CLIENT_OPTIONS, NO_DATA, SERVER_OPTIONS } from "./lib/config/option_table.ts";
import type { LineInput } from "./lib/client/line_input.ts";
import { loadCluster } from "./lib/cluster/load_cluster.ts";
import { MAX_MOTD_LINES, servedSettings } from "./lib/server/options.ts";
import {
  DataFileError,
  IrcListenError,
  StartError,
  UsageError,
  WebListenError,
} from "./lib/util/errors.ts";
import { sanitizeText } from "./lib/util/sanitize.ts";

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
      for (const warning of command.warnings) console.error(warning);
      return await runServer(command.args);
    case "client":
      for (const warning of command.warnings) console.error(warning);
      return await startClient(command.args);
    case "menu":
      return await runMenuThenTool(command.lang, command.args);
  }
}

// The server and the client are loaded when chosen: a server never compiles the
// client's modules, nor a client the server's (start-up time, resident memory).

async function runMenuThenTool(lang: Lang, menuArgs: readonly string[]): Promise<number> {
  const { openStdinInput } = await import("./lib/client/line_input.ts");
  const { runMenu } = await import("./lib/cli/menu.ts");
  const input = openStdinInput();
  const choice = await runMenu(input, clientText(lang));
  if (choice === "server") {
    input.close();
    return await runServer(menuTool(menuArgs, "server"));
  }
  if (choice === "client") {
    let args: ClientArgs;
    try {
      args = menuTool(menuArgs, "client");
    } catch (error) {
      input.close(); // an open stdin would keep the process waiting
      throw error;
    }
    return await startClient(args, input);
  }
  input.close();
  // Ctrl-C at the menu reports 130, as shells do; end of input is a clean exit.
  const { INTERRUPTED_EXIT_CODE } = await import("./lib/client/client.ts");
  return input.interrupted ? INTERRUPTED_EXIT_CODE : 0;
}

async function runServer(given: ServerArgs): Promise<number> {
  const text = cliText(given.lang);
  const args = await resolveSettings(
    SERVER_OPTIONS,
    given,
    text,
    consoleText(given.lang).envNotRead,
  );
  const tls = args.tlsCertFile !== undefined && args.tlsKeyFile !== undefined
    ? {
      cert: await readFlagFile("--tls-cert", args.tlsCertFile, text, "certificate"),
      key: await readFlagFile("--tls-key", args.tlsKeyFile, text, "key"),
    }
    : undefined;
  const motd = args.motdFile === undefined
    ? []
    : motdLines(await readFlagFile("--motd", args.motdFile, text));
  const controller = new AbortController();
  const stop = () => controller.abort();
  let server: { finished: Promise<boolean | void> };
  try {
    const options = {
      ...servedSettings(args),
      mode: args.mode,
      motd,
      tls,
      web: args.web,
      irc: args.irc,
      cluster: args.redisUrl === undefined ? undefined : await loadCluster(args.redisUrl),
      // A cluster keeps its state in Redis (the cluster's own store); echo modes remember nothing.
      store: args.mode === "chat" && args.redisUrl === undefined && args.data !== NO_DATA
        ? (await import("./lib/store/sqlite_store.ts")).sqliteStore(args.data)
        : undefined,
      signal: controller.signal,
    };
    if (args.workers > 1) {
      const { startWorkers } = await import("./lib/workers/coordinator.ts");
      server = await startWorkers({ ...options, workers: args.workers });
    } else {
      const { serve } = await import("./lib/server/server.ts");
      server = serve(options);
    }
  } catch (error) {
    if (error instanceof DataFileError) {
      throw new StartError(
        text.cannotUseData(error.path, text.dataProblem(error.problem, error.detail)),
      );
    }
    if (error instanceof WebListenError) {
      throw new StartError(
        text.cannotServeWeb(error.hostname, error.port, describeError(error.cause, text)),
      );
    }
    if (error instanceof IrcListenError) {
      throw new StartError(
        text.cannotStart(error.hostname, error.port, describeError(error.cause, text)),
      );
    }
    throw new StartError(text.cannotStart(args.hostname, args.port, describeError(error, text)));
  }
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    // `false`: a worker failed too often and took the server down (the console said so).
    return await server.finished === false ? 1 : 0;
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
  }
}

async function startClient(given: ClientArgs, input?: LineInput): Promise<number> {
  const { runClient } = await import("./lib/client/client.ts");
  const text = cliText(given.lang);
  const args = await resolveSettings(
    CLIENT_OPTIONS,
    given,
    text,
    consoleText(given.lang).envNotRead,
  );
  const caCerts = args.caFile === undefined
    ? undefined
    : [await readFlagFile("--ca", args.caFile, text, "certificate")];
  const { caFile: _caFile, passwordFile: _passwordFile, tls, ...settings } = args;
  return await runClient({
    ...settings,
    tls: tls ? { caCerts } : undefined,
    input,
  });
}

/** The message of the day: its first lines, made safe for every terminal. */
function motdLines(text: string): string[] {
  const lines = text.replace(/\r?\n$/, "").split(/\r?\n/).map(sanitizeText);
  return text.length === 0 ? [] : lines.slice(0, MAX_MOTD_LINES);
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
