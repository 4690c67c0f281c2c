/**
 * The command line: subcommands, flags, validation and help texts.
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { isLang, type Lang } from "../catalog/lang.ts";
import { checkRedisUrl } from "../cluster/redis_url.ts";
import { UsageError } from "../util/errors.ts";
import {
  DEFAULT_HISTORY,
  DEFAULT_HOSTNAME,
  DEFAULT_MAX_CLIENTS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_OUTBOX_BYTES,
  DEFAULT_MAX_ROOMS,
  DEFAULT_NICKNAME_TIMEOUT_MS,
  DEFAULT_PORT,
  DEFAULT_RATE_BURST,
  DEFAULT_RATE_LINES_PER_SECOND,
  type ServerMode,
} from "../server/options.ts";

/** The server's settings as given on the command line (files not read yet). */
export interface ServerArgs {
  hostname: string;
  port: number;
  mode: ServerMode;
  lang: Lang;
  maxLineBytes: number;
  maxOutboxBytes: number;
  maxClients: number;
  nicknameTimeoutMs: number;
  rateLinesPerSecond: number;
  rateBurst: number;
  historyLimit: number;
  maxRooms: number;
  password: string | undefined;
  opPassword: string | undefined;
  motdFile: string | undefined;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  /** `--web`: the page's port, its address (`undefined`: the chat's) and other allowed origins. */
  web: { port: number; hostname: string | undefined; origins: string[] } | undefined;
  redisUrl: string | undefined;
  quiet: boolean;
  logWhispers: boolean;
}

/** When the client shows colours. */
export type ColorMode = "auto" | "always" | "never";
/** When the client rings the terminal bell. */
export type BellMode = "off" | "mention" | "all";

/** The client's settings as given on the command line (files not read yet). */
export interface ClientArgs {
  hostname: string;
  port: number;
  lang: Lang;
  nick: string | undefined;
  password: string | undefined;
  tls: boolean;
  caFile: string | undefined;
  timestamps: boolean;
  color: ColorMode;
  bell: BellMode;
}

/** What the command line asks for. */
export type Command =
  | { kind: "menu"; lang: Lang }
  | { kind: "help"; text: string }
  | { kind: "version" }
  | { kind: "server"; args: ServerArgs }
  | { kind: "client"; args: ClientArgs };

/** The overall help. */
export const MAIN_HELP = `tcp-chat: a multi-client TCP chat server and its client

Usage:
  main.ts [--lang ko|en]    show the menu (1 = server, 2 = client)
  main.ts server [options]  start the server       (main.ts server --help)
  main.ts client [options]  start the client       (main.ts client --help)
  main.ts --help | --version

Anyone can also chat with plain nc:  nc 127.0.0.1 12345`;

/** The server's help: what each flag does and what each limit protects. */
export const SERVER_HELP = `Usage: main.ts server [PORT] [options]

Starts the chat server (as the Python main.py), or with -e an echo server (as the
C echo-server; "server 12345 -e -b" works as in the original).

Options:
  --host HOST             address to bind (default ${DEFAULT_HOSTNAME}: this machine only;
                          use 0.0.0.0 to accept connections from the LAN)
  --port PORT             port (default ${DEFAULT_PORT}; 0 picks a free one)
  -e                      echo mode: send each line back to its sender only
  -b                      with -e: send each line to every client, sender included
  --lang ko|en            language of every line (default ko)
  --password PASSWORD     server password, asked before the nickname (or set CHAT_PASSWORD;
                          the variable keeps it out of the process list)
  --op-password PASSWORD  operator password for /op (or set CHAT_OP_PASSWORD); operators
                          may /kick, /ban and set topics
  --history N             messages each room keeps and shows to newcomers (default ${DEFAULT_HISTORY};
                          0 = none)
  --max-rooms N           rooms at once, the lobby included (default ${DEFAULT_MAX_ROOMS})
  --motd FILE             message of the day: its first lines are sent after the welcome
  --tls-cert FILE         PEM certificate chain: serve TLS (needs --tls-key)
  --tls-key FILE          PEM private key
  --web PORT              also serve a web page at http://HOST:PORT/ and its WebSocket at /ws:
                          browser users join the same rooms (HTTPS/WSS with --tls-cert)
  --web-host HOST         address of the web page (default: the same as --host)
  --web-origin ORIGIN     also let pages from ORIGIN (https://example.org, or * for any)
                          open the WebSocket; repeat it or separate with commas (default:
                          the page's own origin only)
  --redis URL             join a cluster: several servers on one Redis are one chat
                          (redis://[user:pass@]host:port[/db], rediss:// for TLS; or set
                          REDIS_URL). Rooms, nicknames and presence are shared; limits
                          (clients, flood control) stay per server
  --quiet                 log only start and shutdown, not each connection and message
  --log-whispers          log what whispers say (by default only that one was sent)

Limits (each protects everyone else from one client):
  --max-line-bytes N      longest line in bytes (default ${DEFAULT_MAX_LINE_BYTES}); a longer line
                          is refused with a notice and dropped without being buffered;
                          a stream with no newline for over 1 MiB is cut off
  --max-outbox-bytes N    output waiting for one client (default ${DEFAULT_MAX_OUTBOX_BYTES}); a client
                          that stops reading is dropped at this limit instead of
                          growing memory or slowing anyone down
  --max-clients N         connections at once (default ${DEFAULT_MAX_CLIENTS}); bounds memory and
                          file descriptors
  --nick-timeout SECONDS  time to send the password and a nickname (default ${
  DEFAULT_NICKNAME_TIMEOUT_MS / 1000
}; 0 = none);
                          frees slots held by silent connections
  --rate LINES            lines per second per client (default ${DEFAULT_RATE_LINES_PER_SECOND}; 0 = no limit);
                          lines over it wait their turn (one notice per burst); a
                          client with more than 200 lines waiting is disconnected
  --burst LINES           lines a client may send at once (default ${DEFAULT_RATE_BURST})

SIGINT (Ctrl-C) or SIGTERM: every client is told, output is flushed, exit 0.`;

/** The client's help. */
export const CLIENT_HELP = `Usage: main.ts client [HOST [PORT]] [options]

Connects to a chat (or echo) server: lines you type go to the server, lines from
the server are shown as they arrive. "client 127.0.0.1 12345" works as the C
echo-client.

Options:
  --host HOST          server address (default ${DEFAULT_HOSTNAME})
  --port PORT          server port (default ${DEFAULT_PORT})
  --nick NAME          answer the nickname prompt with NAME
  --password PASSWORD  answer the password prompt (or set CHAT_PASSWORD; without
                       either, the client asks, without echo on a terminal)
  --tls                connect with TLS
  --ca FILE            PEM certificate to trust (for a self-signed server)
  --lang ko|en         language of the client's own messages (default ko)
  --no-timestamps      no [HH:MM] before each line
  --color WHEN         auto (default: on a terminal, unless NO_COLOR is set), always, never
  --bell WHEN          ring the terminal bell: mention (default: mentions of your
                       nickname and whispers), all (every line), off

Type /종료 or /quit (or press Ctrl-D) to leave.`;

/**
 * Parses the command line.
 *
 * @param args `Deno.args`.
 * @returns What to do.
 * @throws {UsageError} On an unknown flag, a bad value or a bad combination.
 */
export function parseCommandLine(args: string[]): Command {
  const [first, ...given] = args;
  if (first === undefined) return { kind: "menu", lang: "ko" };
  if (first === "--lang" || first.startsWith("--lang=")) return parseMenu(args);
  // `deno task server -- --port 0` passes the `--` along (an npm habit): skip it.
  const rest = given[0] === "--" ? given.slice(1) : given;
  if (first === "server") return parseServer(rest);
  if (first === "client") return parseClient(rest);
  if (first === "--help" || first === "-h" || first === "help") {
    return { kind: "help", text: MAIN_HELP };
  }
  if (first === "--version" || first === "-V") return { kind: "version" };
  throw new UsageError(
    `Unknown command: ${first} (expected "server" or "client"; see --help)`,
  );
}

/**
 * The server's settings when no flag is given (what the menu starts).
 *
 * @param lang The language.
 * @returns Every default.
 */
export function defaultServerArgs(lang: Lang): ServerArgs {
  const command = parseServer(["--lang", lang]);
  if (command.kind !== "server") throw new Error("Cannot take the server's defaults");
  return command.args;
}

/**
 * The client's settings when no flag is given (what the menu starts).
 *
 * @param lang The language.
 * @returns Every default.
 */
export function defaultClientArgs(lang: Lang): ClientArgs {
  const command = parseClient(["--lang", lang]);
  if (command.kind !== "client") throw new Error("Cannot take the client's defaults");
  return command.args;
}

function parseMenu(args: string[]): Command {
  const flags = parse(args, { string: ["lang"], boolean: [] });
  const positionals = flags._.map(String);
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument: ${positionals[0]} (see --help)`);
  }
  return { kind: "menu", lang: lang(flags.lang) };
}

function parseServer(args: string[]): Command {
  const flags = parse(args, {
    string: [
      "host",
      "port",
      "lang",
      "password",
      "tls-cert",
      "tls-key",
      "max-line-bytes",
      "max-outbox-bytes",
      "max-clients",
      "nick-timeout",
      "rate",
      "burst",
      "history",
      "max-rooms",
      "op-password",
      "motd",
      "redis",
      "web",
      "web-host",
      "web-origin",
    ],
    boolean: ["e", "b", "quiet", "log-whispers", "help", "version"],
    collect: ["web-origin"],
  });
  if (flags.help === true) return { kind: "help", text: SERVER_HELP };
  if (flags.version === true) return { kind: "version" };
  const positionals = flags._.map(String);
  if (positionals.length > 1) {
    throw new UsageError(`Unexpected argument: ${positionals[1]} (see server --help)`);
  }
  if (positionals.length === 1 && flags.port !== undefined) {
    throw new UsageError("The port is given twice: as an argument and with --port");
  }
  const echo = flags.e === true;
  const broadcast = flags.b === true;
  if (broadcast && !echo) throw new UsageError("-b option requires -e option");
  const tlsCertFile = str(flags["tls-cert"]);
  const tlsKeyFile = str(flags["tls-key"]);
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) {
    throw new UsageError("--tls-cert and --tls-key go together");
  }
  const web = webArgs(flags, echo);
  const chatPort = port(positionals[0] ?? str(flags.port), DEFAULT_PORT);
  if (web !== undefined && web.port !== 0 && web.port === chatPort && web.hostname === undefined) {
    throw new UsageError(`--web ${web.port} is the chat's port too: give the page another port`);
  }
  const redis = nonEmpty("--redis", flags.redis);
  if (redis !== undefined && echo) throw new UsageError("--redis works in chat mode only");
  return {
    kind: "server",
    args: {
      hostname: hostname(flags.host),
      port: chatPort,
      mode: !echo ? "chat" : broadcast ? "echo-broadcast" : "echo",
      lang: lang(flags.lang),
      maxLineBytes: integer("--max-line-bytes", flags["max-line-bytes"], DEFAULT_MAX_LINE_BYTES, 1),
      maxOutboxBytes: integer(
        "--max-outbox-bytes",
        flags["max-outbox-bytes"],
        DEFAULT_MAX_OUTBOX_BYTES,
        1024,
      ),
      maxClients: integer("--max-clients", flags["max-clients"], DEFAULT_MAX_CLIENTS, 1),
      nicknameTimeoutMs: number(
        "--nick-timeout",
        flags["nick-timeout"],
        DEFAULT_NICKNAME_TIMEOUT_MS / 1000,
      ) * 1000,
      rateLinesPerSecond: number("--rate", flags.rate, DEFAULT_RATE_LINES_PER_SECOND),
      rateBurst: integer("--burst", flags.burst, DEFAULT_RATE_BURST, 1),
      historyLimit: integer("--history", flags.history, DEFAULT_HISTORY, 0),
      maxRooms: integer("--max-rooms", flags["max-rooms"], DEFAULT_MAX_ROOMS, 1),
      password: nonEmpty("--password", flags.password),
      opPassword: nonEmpty("--op-password", flags["op-password"]),
      motdFile: nonEmpty("--motd", flags.motd),
      tlsCertFile,
      tlsKeyFile,
      web,
      redisUrl: redis === undefined ? undefined : checkRedisUrl(redis),
      quiet: flags.quiet === true,
      logWhispers: flags["log-whispers"] === true,
    },
  };
}

/** `--web`, `--web-host` and `--web-origin`, checked. */
function webArgs(flags: Record<string, unknown>, echo: boolean): ServerArgs["web"] {
  const portText = str(flags.web);
  const host = str(flags["web-host"]);
  const origins = (Array.isArray(flags["web-origin"]) ? flags["web-origin"] : [])
    .flatMap((value) => String(value).split(","))
    .map((value) => value.trim());
  if (portText === undefined) {
    if (host !== undefined) throw new UsageError("--web-host needs --web PORT");
    if (origins.length > 0) throw new UsageError("--web-origin needs --web PORT");
    return undefined;
  }
  if (echo) throw new UsageError("--web works in chat mode only (not with -e)");
  if (host !== undefined && host.length === 0) throw new UsageError("--web-host must not be empty");
  return {
    port: port(portText, 0),
    hostname: host,
    origins: origins.map(origin),
  };
}

/** An origin as `--web-origin` takes it: `*`, or `scheme://host[:port]`. */
function origin(text: string): string {
  if (text === "*") return text;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (
    url === undefined || (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.username !== "" || url.password !== "" || url.pathname !== "/" || url.search !== "" ||
    url.hash !== "" || text.includes("?") || text.includes("#")
  ) {
    throw new UsageError(
      `Invalid --web-origin: "${text}" (expected an origin like https://example.org, or *)`,
    );
  }
  return url.origin;
}

function parseClient(args: string[]): Command {
  const flags = parse(args, {
    string: ["host", "port", "nick", "lang", "password", "ca", "color", "bell"],
    boolean: ["tls", "help", "timestamps", "version"],
    negatable: ["timestamps"],
    default: { timestamps: true },
  });
  if (flags.help === true) return { kind: "help", text: CLIENT_HELP };
  if (flags.version === true) return { kind: "version" };
  const positionals = flags._.map(String);
  if (positionals.length > 2) {
    throw new UsageError(`Unexpected argument: ${positionals[2]} (see client --help)`);
  }
  if (positionals.length >= 1 && flags.host !== undefined) {
    throw new UsageError("The host is given twice: as an argument and with --host");
  }
  if (positionals.length === 2 && flags.port !== undefined) {
    throw new UsageError("The port is given twice: as an argument and with --port");
  }
  const caFile = str(flags.ca);
  return {
    kind: "client",
    args: {
      hostname: hostname(positionals[0] ?? flags.host),
      port: port(positionals[1] ?? str(flags.port), DEFAULT_PORT, 1),
      lang: lang(flags.lang),
      nick: nonEmpty("--nick", flags.nick),
      password: nonEmpty("--password", flags.password),
      tls: flags.tls === true || caFile !== undefined,
      caFile,
      timestamps: flags.timestamps !== false,
      color: choice("--color", flags.color, ["auto", "always", "never"], "auto"),
      bell: choice("--bell", flags.bell, ["off", "mention", "all"], "mention"),
    },
  };
}

function parse(
  args: string[],
  options: {
    string: string[];
    boolean: string[];
    negatable?: string[];
    default?: Record<string, unknown>;
    /** Flags that may be given more than once (their values are collected). */
    collect?: string[];
  },
) {
  const unknown: string[] = [];
  // `--port -1`: a value that looks like a flag is still the value, so that the
  // error names the flag and what it expects.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : undefined;
    if (name !== undefined && options.string.includes(name) && /^-\d/.test(args[i + 1] ?? "")) {
      joined.push(`${args[i]}=${args[++i]}`);
    } else {
      joined.push(args[i]);
    }
  }
  args = joined;
  const flags = parseArgs(args, {
    ...options,
    alias: { h: "help" },
    unknown: (arg: string) => {
      if (arg.startsWith("-") && arg !== "-") {
        unknown.push(arg);
        return false;
      }
      return true;
    },
  });
  if (unknown.length > 0) {
    throw new UsageError(`Unknown option: ${unknown[0].split("=")[0]} (see --help)`);
  }
  for (const name of options.string) {
    if (options.collect?.includes(name)) continue;
    const given = args.filter((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
    if (given.length > 1) throw new UsageError(`--${name} is given more than once`);
  }
  return flags;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function choice<T extends string>(
  name: string,
  value: unknown,
  choices: readonly T[],
  fallback: T,
): T {
  const text = str(value);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`Invalid ${name}: "${text}" (expected ${choices.join(", ")})`);
  }
  return text as T;
}

function hostname(value: unknown): string {
  const text = str(value) ?? DEFAULT_HOSTNAME;
  if (text.length === 0) throw new UsageError("--host must not be empty");
  return text;
}

function port(value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) < min || Number(value) > 65535) {
    throw new UsageError(`Invalid port: "${value}" (expected a number from ${min} to 65535)`);
  }
  return Number(value);
}

function lang(value: unknown): Lang {
  const text = str(value) ?? "ko";
  if (!isLang(text)) {
    throw new UsageError(`Invalid --lang: "${text}" (expected ko or en)`);
  }
  return text;
}

function integer(name: string, value: unknown, fallback: number, min: number): number {
  const text = str(value);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`Invalid ${name}: "${text}" (expected a whole number of at least ${min})`);
  }
  return Number(text);
}

function number(name: string, value: unknown, fallback: number): number {
  const text = str(value);
  if (text === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(text)) {
    throw new UsageError(`Invalid ${name}: "${text}" (expected a number of at least 0)`);
  }
  return Number(text);
}

function nonEmpty(name: string, value: unknown): string | undefined {
  const text = str(value);
  if (text !== undefined && text.length === 0) throw new UsageError(`${name} must not be empty`);
  return text;
}
