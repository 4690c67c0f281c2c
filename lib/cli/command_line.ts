/**
 * The command line: which command, its settings read by the option table
 * (`lib/config/option_table.ts`), and the checks that span several flags. Every
 * message is in the language `--lang` gives anywhere on the line (Korean by
 * default).
 *
 * @module
 */

import { type CliText, cliText } from "../catalog/cli_text.ts";
import { isLang, type Lang } from "../catalog/lang.ts";
import { defaultsOf, flagOf, type OptionRow, type SettingsOf } from "../config/option_row.ts";
import {
  CLIENT_OPTIONS,
  type ClientRow,
  MENU_OPTIONS,
  SERVER_OPTIONS,
  type ServerRow,
} from "../config/option_table.ts";
import type { ServerMode } from "../server/options.ts";
import { UsageError } from "../util/errors.ts";
import { helpText } from "./help_text.ts";
import { parseFlags } from "./parse_flags.ts";

/** The settings `--web`, `--web-host`, `--web-origin` and `--web-host-allow` give together. */
export interface WebArgs {
  /** The page's port; `0` picks a free one. */
  port: number;
  /** The page's address; `undefined`: the chat's. */
  hostname: string | undefined;
  /** Other origins allowed to open the WebSocket. */
  origins: string[];
  /** Other names the page may be reached at (a reverse proxy's). */
  hosts: string[];
}

/** The server's settings as given on the command line (files not read yet). */
export type ServerArgs =
  & Omit<
    SettingsOf<ServerRow>,
    | "echo"
    | "broadcast"
    | "webPort"
    | "webHost"
    | "webOrigins"
    | "webHostAllow"
    | "ircPort"
    | "ircHost"
    | "ircName"
  >
  & {
    /** `-e` and `-b`. */
    mode: ServerMode;
    /** The web page, or `undefined` without `--web`. */
    web: WebArgs | undefined;
    /** The IRC port, or `undefined` without `--irc`. */
    irc: { port: number; hostname: string | undefined; name: string | undefined } | undefined;
  };

/** The client's settings as given on the command line (files not read yet). */
export type ClientArgs = SettingsOf<ClientRow>;

/** What the command line asks for. */
export type Command =
  | {
    kind: "menu";
    lang: Lang;
    /** The flags given to the menu, passed on to the tool chosen. */
    args: readonly string[];
  }
  | { kind: "help"; text: string }
  | { kind: "version" }
  | {
    kind: "server";
    args: ServerArgs;
    /** Lines for stderr before starting: a secret given as a flag. */
    warnings: string[];
  }
  | { kind: "client"; args: ClientArgs; warnings: string[] };

/** The language when `--lang` is not given: the table's. */
const DEFAULT_LANG: Lang = defaultsOf(MENU_OPTIONS).lang;

/**
 * Parses the command line.
 *
 * @param args `Deno.args`.
 * @returns What to do.
 * @throws {UsageError} On an unknown flag, a bad value or a bad combination, in
 *   the chosen language.
 */
export function parseCommandLine(args: readonly string[]): Command {
  const lang = chosenLang(args);
  const text = cliText(lang);
  // `deno task start -- --port 0` passes the `--` along (an npm habit): skip it.
  const line = args[0] === "--" ? args.slice(1) : args;
  const [first, ...rest] = line;
  if (first === "help") return { kind: "help", text: helpText("menu", lang) };
  if (first === undefined || first.startsWith("-")) return parseMenu(line, lang, text);
  const flags = rest[0] === "--" ? rest.slice(1) : rest;
  if (first === "server") return parseServer(flags, lang, text);
  if (first === "client") return parseClient(flags, lang, text);
  throw new UsageError(text.unknownCommand(first));
}

/**
 * The language of the messages: the first valid `--lang` anywhere on the line,
 * so that even an error about an earlier flag is in it.
 *
 * @param args The whole command line.
 * @returns The language.
 */
export function chosenLang(args: readonly string[]): Lang {
  for (let i = 0; i < args.length; i++) {
    const value = args[i] === "--lang"
      ? args[i + 1]
      : args[i].startsWith("--lang=")
      ? args[i].slice("--lang=".length)
      : undefined;
    if (value !== undefined && isLang(value)) return value;
  }
  return DEFAULT_LANG;
}

/**
 * The settings of the tool the menu starts: the menu's flags (`--host`, `--port`,
 * `--lang`), read and checked by the tool's own rows.
 *
 * @param menuArgs The flags given to the menu.
 * @param tool The tool chosen.
 * @returns The tool's settings.
 * @throws {UsageError} When a flag does not suit the tool (`--port 0` for the client).
 */
export function menuTool(menuArgs: readonly string[], tool: "server"): ServerArgs;
export function menuTool(menuArgs: readonly string[], tool: "client"): ClientArgs;
export function menuTool(
  menuArgs: readonly string[],
  tool: "server" | "client",
): ServerArgs | ClientArgs {
  const command = parseCommandLine([tool, ...menuArgs]);
  if (command.kind === "server" || command.kind === "client") return command.args;
  throw new Error(`Cannot start the ${tool} with the menu's flags`);
}

function parseMenu(args: readonly string[], lang: Lang, text: CliText): Command {
  const parsed = parseFlags(MENU_OPTIONS, args, "menu", text);
  if (parsed.action === "help") return { kind: "help", text: helpText("menu", lang) };
  if (parsed.action === "version") return { kind: "version" };
  return { kind: "menu", lang: parsed.settings.lang, args };
}

function parseServer(args: readonly string[], lang: Lang, text: CliText): Command {
  const parsed = parseFlags(SERVER_OPTIONS, args, "server", text);
  if (parsed.action === "help") return { kind: "help", text: helpText("server", lang) };
  if (parsed.action === "version") return { kind: "version" };
  const {
    echo,
    broadcast,
    webPort,
    webHost,
    webOrigins,
    webHostAllow,
    ircPort,
    ircHost,
    ircName,
    ...settings
  } = parsed.settings;
  if (broadcast && !echo) throw new UsageError(text.broadcastNeedsEcho);
  if ((settings.tlsCertFile === undefined) !== (settings.tlsKeyFile === undefined)) {
    throw new UsageError(text.together("--tls-cert", "--tls-key"));
  }
  let web: WebArgs | undefined;
  if (webPort === undefined) {
    if (webHost !== undefined) throw new UsageError(text.needs("--web-host", "--web PORT"));
    if (webOrigins.length > 0) throw new UsageError(text.needs("--web-origin", "--web PORT"));
    if (webHostAllow.length > 0) {
      throw new UsageError(text.needs("--web-host-allow", "--web PORT"));
    }
  } else {
    if (echo) throw new UsageError(text.chatModeOnly("--web"));
    if (webPort !== 0 && webPort === settings.port && webHost === undefined) {
      throw new UsageError(text.webPortIsChatPort(webPort));
    }
    web = { port: webPort, hostname: webHost, origins: webOrigins, hosts: webHostAllow };
  }
  if (settings.redisUrl !== undefined && echo) throw new UsageError(text.chatModeOnly("--redis"));
  // Echo modes and cluster members run on one thread (docs/workers.md says why).
  if (settings.workers > 1 && echo) throw new UsageError(text.chatModeOnly("--workers"));
  if (settings.workers > 1 && settings.redisUrl !== undefined) {
    throw new UsageError(text.workersWithRedis);
  }
  let irc: ServerArgs["irc"];
  if (ircPort === undefined) {
    if (ircHost !== undefined) throw new UsageError(text.needs("--irc-host", "--irc PORT"));
    if (ircName !== undefined) throw new UsageError(text.needs("--irc-name", "--irc PORT"));
  } else {
    if (echo) throw new UsageError(text.chatModeOnly("--irc"));
    if (settings.workers > 1) throw new UsageError(text.workersWithIrc);
    irc = { port: ircPort, hostname: ircHost, name: ircName };
  }
  return {
    kind: "server",
    args: { ...settings, mode: !echo ? "chat" : broadcast ? "echo-broadcast" : "echo", web, irc },
    warnings: secretWarnings(SERVER_OPTIONS, parsed.given, parsed.settings, text),
  };
}

function parseClient(args: readonly string[], lang: Lang, text: CliText): Command {
  const parsed = parseFlags(CLIENT_OPTIONS, args, "client", text);
  if (parsed.action === "help") return { kind: "help", text: helpText("client", lang) };
  if (parsed.action === "version") return { kind: "version" };
  const settings = parsed.settings;
  return {
    kind: "client",
    args: { ...settings, tls: settings.tls || settings.caFile !== undefined },
    warnings: secretWarnings(CLIENT_OPTIONS, parsed.given, settings, text),
  };
}

/**
 * One warning per secret given as a flag (the terminal, `deno task`'s echo of the
 * command and the process list all show it), naming the file flag and the
 * variable that keep it off the screen. The secret itself is never in it.
 */
function secretWarnings(
  rows: readonly OptionRow[],
  given: ReadonlySet<string>,
  settings: object,
  text: CliText,
): string[] {
  const values: Record<string, unknown> = Object.fromEntries(Object.entries(settings));
  return rows.filter((row) => given.has(row.field)).flatMap((row) => {
    if (row.kind === "secret") {
      const file = rows.find((other) => other.fills === row.field);
      return [text.secretOnScreen(flagOf(row), file && flagOf(file), row.env)];
    }
    const value = values[row.field];
    if (row.kind === "redis-url" && typeof value === "string" && new URL(value).password !== "") {
      return [text.passwordInUrl(flagOf(row), row.env)];
    }
    return [];
  });
}
