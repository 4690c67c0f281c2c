import { assert, assertEquals, assertStringIncludes, assertThrows, fail } from "@std/assert";
import {
  CLIENT_HELP,
  type ClientArgs,
  MAIN_HELP,
  parseCommandLine,
  SERVER_HELP,
  type ServerArgs,
} from "../../lib/cli/command_line.ts";
import { UsageError } from "../../lib/util/errors.ts";
import {
  DEFAULT_HISTORY,
  DEFAULT_MAX_CLIENTS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_OUTBOX_BYTES,
  DEFAULT_MAX_ROOMS,
  DEFAULT_NICKNAME_TIMEOUT_MS,
  DEFAULT_RATE_BURST,
  DEFAULT_RATE_LINES_PER_SECOND,
} from "../../lib/server/options.ts";

function server(...args: string[]): ServerArgs {
  const command = parseCommandLine(["server", ...args]);
  if (command.kind !== "server") fail(`expected server, got ${command.kind}`);
  return command.args;
}

function client(...args: string[]): ClientArgs {
  const command = parseCommandLine(["client", ...args]);
  if (command.kind !== "client") fail(`expected client, got ${command.kind}`);
  return command.args;
}

/** The one-line message of the UsageError that parsing `args` throws. */
function usageError(...args: string[]): string {
  const error = assertThrows(() => parseCommandLine(args), UsageError);
  assert(!error.message.includes("\n"), `one line: ${JSON.stringify(error.message)}`);
  return error.message;
}

Deno.test("cli with no arguments shows the menu", () => {
  assertEquals(parseCommandLine([]), { kind: "menu", lang: "ko" });
  assertEquals(parseCommandLine(["--lang", "en"]), { kind: "menu", lang: "en" });
});

Deno.test("cli server defaults: 127.0.0.1:12345, chat mode, Korean, every limit", () => {
  assertEquals(server(), {
    hostname: "127.0.0.1",
    port: 12345,
    mode: "chat",
    lang: "ko",
    maxLineBytes: DEFAULT_MAX_LINE_BYTES,
    maxOutboxBytes: DEFAULT_MAX_OUTBOX_BYTES,
    maxClients: DEFAULT_MAX_CLIENTS,
    nicknameTimeoutMs: DEFAULT_NICKNAME_TIMEOUT_MS,
    rateLinesPerSecond: DEFAULT_RATE_LINES_PER_SECOND,
    rateBurst: DEFAULT_RATE_BURST,
    historyLimit: DEFAULT_HISTORY,
    maxRooms: DEFAULT_MAX_ROOMS,
    password: undefined,
    opPassword: undefined,
    motdFile: undefined,
    tlsCertFile: undefined,
    tlsKeyFile: undefined,
    web: undefined,
    redisUrl: undefined,
    quiet: false,
    logWhispers: false,
  });
});

Deno.test("cli server reads --host, --port and --lang", () => {
  const args = server("--host", "0.0.0.0", "--port", "0", "--lang", "en");
  assertEquals([args.hostname, args.port, args.lang], ["0.0.0.0", 0, "en"]);
  assertEquals(server("--port=4000").port, 4000);
  assertEquals(server("--lang=ko").lang, "ko");
});

Deno.test("cli server accepts the C form: port first, then -e -b", () => {
  const args = server("12345", "-e", "-b");
  assertEquals(args.port, 12345);
  assertEquals(args.mode, "echo-broadcast");
  assertEquals(server("7000", "-e").mode, "echo");
  assertEquals(server("7000", "-e").port, 7000);
  assertEquals(server("-e", "-b", "7001").port, 7001);
  assertEquals(server("-eb").mode, "echo-broadcast", "combined short flags");
});

Deno.test("cli server -b without -e is a usage error", () => {
  assertEquals(usageError("server", "-b"), "-b option requires -e option");
  assertEquals(usageError("server", "12345", "-b"), "-b option requires -e option");
});

Deno.test("cli server refuses a bad port", () => {
  for (const bad of ["abc", "-1", "65536", "99999", "1.5", "", "123456", "0x10"]) {
    assertEquals(
      usageError("server", `--port=${bad}`),
      `Invalid port: "${bad}" (expected a number from 0 to 65535)`,
    );
  }
  assertStringIncludes(usageError("server", "70000"), "Invalid port");
  assertEquals(server("--port", "65535").port, 65535);
});

Deno.test("cli server refuses the port given twice", () => {
  assertStringIncludes(usageError("server", "1234", "--port", "5678"), "twice");
});

Deno.test("cli server refuses an unknown flag and names it", () => {
  assertStringIncludes(usageError("server", "--bogus"), "--bogus");
  assertStringIncludes(usageError("server", "-x"), "-x");
  assertStringIncludes(usageError("server", "--bogus=1"), "--bogus");
  assertStringIncludes(usageError("server", "12", "34"), "34");
});

Deno.test("cli server refuses a bad --lang", () => {
  assertStringIncludes(usageError("server", "--lang", "fr"), "fr");
});

Deno.test("cli server reads the limits, the password and --quiet", () => {
  const args = server(
    "--max-line-bytes=100",
    "--max-outbox-bytes=2048",
    "--max-clients=3",
    "--nick-timeout=1.5",
    "--rate=0",
    "--burst=7",
    "--password=pw",
    "--quiet",
  );
  assertEquals(args.maxLineBytes, 100);
  assertEquals(args.maxOutboxBytes, 2048);
  assertEquals(args.maxClients, 3);
  assertEquals(args.nicknameTimeoutMs, 1500);
  assertEquals(args.rateLinesPerSecond, 0);
  assertEquals(args.rateBurst, 7);
  assertEquals(args.password, "pw");
  assertEquals(args.quiet, true);
  assertStringIncludes(usageError("server", "--max-clients=0"), "--max-clients");
  assertStringIncludes(usageError("server", "--max-outbox-bytes=10"), "--max-outbox-bytes");
  assertStringIncludes(usageError("server", "--rate=fast"), "--rate");
});

Deno.test("cli server refuses a flag given twice", () => {
  // lib/cli.ts means to ("--port is given more than once"), but parseArgs keeps only
  // the last value unless the flag is listed in `collect`, so the check never fires.
  assertStringIncludes(usageError("server", "--port", "1", "--port", "2"), "more than once");
  assertStringIncludes(usageError("server", "--lang", "ko", "--lang", "en"), "more than once");
});

Deno.test("cli server requires --tls-cert and --tls-key together", () => {
  assertStringIncludes(usageError("server", "--tls-cert", "a.pem"), "--tls-key");
  const args = server("--tls-cert", "a.pem", "--tls-key", "b.pem");
  assertEquals([args.tlsCertFile, args.tlsKeyFile], ["a.pem", "b.pem"]);
});

Deno.test("cli server --help returns a help text that lists every flag", () => {
  assertEquals(parseCommandLine(["server", "--help"]), { kind: "help", text: SERVER_HELP });
  assertEquals(parseCommandLine(["server", "-h"]), { kind: "help", text: SERVER_HELP });
  for (
    const flag of [
      "--host",
      "--port",
      "-e",
      "-b",
      "--lang",
      "--password",
      "--tls-cert",
      "--tls-key",
      "--quiet",
      "--max-line-bytes",
      "--max-outbox-bytes",
      "--max-clients",
      "--nick-timeout",
      "--rate",
      "--burst",
      "--history",
      "--max-rooms",
      "--op-password",
      "--motd",
      "--web",
      "--web-host",
      "--web-origin",
    ]
  ) {
    assertStringIncludes(SERVER_HELP, flag);
  }
});

Deno.test("cli server: rooms, history, operators and the message of the day", () => {
  const args = server("--history", "0", "--max-rooms", "5", "--op-password", "pw", "--motd", "m");
  assertEquals(
    [args.historyLimit, args.maxRooms, args.opPassword, args.motdFile],
    [0, 5, "pw", "m"],
  );
  assertStringIncludes(usageError("server", "--max-rooms", "0"), "--max-rooms");
  assertStringIncludes(usageError("server", "--history", "-1"), "--history");
  assertStringIncludes(usageError("server", "--op-password="), "--op-password");
});

Deno.test("cli server --web: the page's port, its host and other allowed origins", () => {
  assertEquals(server("--web", "8080").web, { port: 8080, hostname: undefined, origins: [] });
  assertEquals(server("--web=0").web?.port, 0);
  const args = server(
    "--web",
    "8080",
    "--web-host",
    "0.0.0.0",
    "--web-origin",
    "https://example.org/",
    "--web-origin",
    "http://a.test:8000,HTTPS://B.test:443",
  );
  assertEquals(args.web, {
    port: 8080,
    hostname: "0.0.0.0",
    origins: ["https://example.org", "http://a.test:8000", "https://b.test"],
  });
  assertEquals(server("--web", "1", "--web-origin", "*").web?.origins, ["*"]);
});

Deno.test("cli server --web refuses bad values and bad combinations, in one line", () => {
  assertStringIncludes(usageError("server", "--web", "http"), "Invalid port");
  assertStringIncludes(usageError("server", "--web", "70000"), "Invalid port");
  assertStringIncludes(usageError("server", "--web-host", "0.0.0.0"), "--web-host needs --web");
  assertStringIncludes(usageError("server", "--web-origin", "*"), "--web-origin needs --web");
  assertStringIncludes(usageError("server", "--web", "1", "-e"), "chat mode only");
  assertStringIncludes(usageError("server", "--web", "1", "--web-host="), "--web-host");
  assertStringIncludes(usageError("server", "--web", "12345"), "the chat's port");
  assertEquals(server("--web", "12345", "--web-host", "0.0.0.0").web?.port, 12345);
  for (
    const bad of ["example.org", "ftp://example.org", "https://example.org/chat", "https://a?b"]
  ) {
    assertStringIncludes(usageError("server", "--web", "1", "--web-origin", bad), "--web-origin");
  }
  assertStringIncludes(usageError("server", "--web", "1", "--web", "2"), "more than once");
});

Deno.test("cli client display options: timestamps, colour, bell", () => {
  const args = client("--no-timestamps", "--color", "never", "--bell", "all");
  assertEquals([args.timestamps, args.color, args.bell], [false, "never", "all"]);
  assertStringIncludes(usageError("client", "--color", "pink"), "--color");
  assertStringIncludes(usageError("client", "--bell", "loud"), "--bell");
  for (const flag of ["--no-timestamps", "--color", "--bell"]) {
    assertStringIncludes(CLIENT_HELP, flag);
  }
});

Deno.test("cli client defaults and the positional form host port", () => {
  assertEquals(client(), {
    hostname: "127.0.0.1",
    port: 12345,
    lang: "ko",
    nick: undefined,
    password: undefined,
    tls: false,
    caFile: undefined,
    timestamps: true,
    color: "auto",
    bell: "mention",
  });
  const args = client("127.0.0.1", "12345");
  assertEquals([args.hostname, args.port], ["127.0.0.1", 12345]);
  const other = client("example.org", "4000", "--nick", "민수", "--lang", "en");
  assertEquals([other.hostname, other.port, other.nick, other.lang], [
    "example.org",
    4000,
    "민수",
    "en",
  ]);
  assertEquals(client("--host", "h", "--port", "1").hostname, "h");
});

Deno.test("cli client refuses port 0, a bad port and a host given twice", () => {
  assertStringIncludes(usageError("client", "127.0.0.1", "0"), "Invalid port");
  assertStringIncludes(usageError("client", "--port", "x"), "Invalid port");
  assertStringIncludes(usageError("client", "h", "--host", "g"), "twice");
  assertStringIncludes(usageError("client", "--verbose"), "--verbose");
  assertStringIncludes(usageError("client", "--nick="), "--nick");
});

Deno.test("cli client --ca turns TLS on", () => {
  const args = client("--ca", "ca.pem");
  assertEquals([args.tls, args.caFile], [true, "ca.pem"]);
  assertEquals(client("--tls").tls, true);
});

Deno.test("cli top-level help, version and an unknown command", () => {
  assertEquals(parseCommandLine(["--help"]), { kind: "help", text: MAIN_HELP });
  assertEquals(parseCommandLine(["client", "--help"]), { kind: "help", text: CLIENT_HELP });
  assertEquals(parseCommandLine(["--version"]), { kind: "version" });
  assertStringIncludes(usageError("serve"), "serve");
});

Deno.test("cli skips the `--` that `deno task server -- --port 0` passes along", () => {
  const command = parseCommandLine(["server", "--", "--port", "0", "-e"]);
  assertEquals(command.kind, "server");
  if (command.kind !== "server") return;
  assertEquals(command.args.port, 0);
  assertEquals(command.args.mode, "echo");
});
