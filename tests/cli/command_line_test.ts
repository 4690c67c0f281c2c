import { assert, assertEquals, assertStringIncludes, assertThrows, fail } from "@std/assert";
import {
  type ClientArgs,
  menuTool,
  parseCommandLine,
  type ServerArgs,
} from "../../lib/cli/command_line.ts";
import { helpText } from "../../lib/cli/help_text.ts";
import { SERVED_DEFAULTS } from "../../lib/server/options.ts";
import { UsageError } from "../../lib/util/errors.ts";

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

/** The one-line message of the UsageError that parsing `args` throws, in English. */
function usageError(...args: string[]): string {
  return usageErrorIn([...args, "--lang", "en"]);
}

/** The one-line message of the UsageError that parsing `args` throws. */
function usageErrorIn(args: string[]): string {
  const error = assertThrows(() => parseCommandLine(args), UsageError);
  assert(!error.message.includes("\n"), `one line: ${JSON.stringify(error.message)}`);
  return error.message;
}

Deno.test("cli with no arguments shows the menu", () => {
  assertEquals(parseCommandLine([]), { kind: "menu", lang: "ko", args: [] });
  assertEquals(parseCommandLine(["--lang", "en"]), {
    kind: "menu",
    lang: "en",
    args: ["--lang", "en"],
  });
});

Deno.test("cli the menu takes --host, --port and --lang and passes them to the tool chosen", () => {
  const args = ["--port", "23456", "--host", "0.0.0.0", "--lang", "en"];
  assertEquals(parseCommandLine(["--", ...args]), { kind: "menu", lang: "en", args });
  const served = menuTool(args, "server");
  assertEquals([served.hostname, served.port, served.lang, served.mode], [
    "0.0.0.0",
    23456,
    "en",
    "chat",
  ]);
  const client = menuTool(args, "client");
  assertEquals([client.hostname, client.port, client.lang], ["0.0.0.0", 23456, "en"]);
  assertEquals(menuTool([], "server"), server());
  assertEquals(
    usageError("--port", "x"),
    'Invalid --port: "x" (expected a number from 0 to 65535)',
  );
  assertEquals(usageError("--nick", "a"), "Unknown option: --nick (see --help)");
  assertEquals(
    usageError("12345"),
    'Unknown command: 12345 (expected "server" or "client"; see --help)',
  );
  assertThrows(() => menuTool(["--port", "0"], "client"), UsageError, "1부터 65535까지");
});

Deno.test("cli server defaults: 127.0.0.1:12345, chat mode, Korean, every limit", () => {
  assertEquals(server(), {
    hostname: "127.0.0.1",
    port: 12345,
    mode: "chat",
    lang: "ko",
    maxLineBytes: 8192,
    maxOutboxBytes: 512 * 1024,
    maxClients: 1000,
    maxPerAddress: 20,
    nicknameTimeoutMs: 60_000,
    rateLinesPerSecond: 20,
    rateBurst: 40,
    historyLimit: 50,
    historyKeep: 1000,
    data: "chat.db",
    maxRooms: 100,
    password: undefined,
    passwordFile: undefined,
    opPassword: undefined,
    opPasswordFile: undefined,
    motdFile: undefined,
    tlsCertFile: undefined,
    tlsKeyFile: undefined,
    web: undefined,
    irc: undefined,
    redisUrl: undefined,
    workers: 1,
    quiet: false,
    logWhispers: false,
  });
  const settings: Record<string, unknown> = server();
  for (const [key, value] of Object.entries(SERVED_DEFAULTS)) {
    assertEquals(settings[key], value, `the command line's ${key} is serve()'s default`);
  }
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
      `Invalid --port: "${bad}" (expected a number from 0 to 65535)`,
    );
  }
  assertEquals(
    usageError("server", "70000"),
    `Invalid PORT: "70000" (expected a number from 0 to 65535)`,
  );
  assertEquals(server("--port", "65535").port, 65535);
});

Deno.test("cli server refuses the port given twice", () => {
  assertEquals(
    usageError("server", "1234", "--port", "5678"),
    "PORT is given twice: as an argument and with --port",
  );
});

Deno.test("cli server refuses an unknown flag and names it", () => {
  assertEquals(usageError("server", "--bogus"), "Unknown option: --bogus (see server --help)");
  assertStringIncludes(usageError("server", "-x"), "-x");
  assertStringIncludes(usageError("server", "--bogus=1"), "--bogus");
  assertStringIncludes(usageError("server", "12", "34"), "34");
});

Deno.test("cli server refuses a bad --lang, in Korean (no valid --lang chose another)", () => {
  assertEquals(
    usageErrorIn(["server", "--lang", "fr"]),
    '잘못된 --lang 값: "fr" (ko, en 중 하나여야 합니다)',
  );
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
  assertEquals(
    usageError("server", "--max-clients=0"),
    'Invalid --max-clients: "0" (expected a whole number of at least 1)',
  );
  assertEquals(
    usageError("server", "--max-outbox-bytes=10"),
    'Invalid --max-outbox-bytes: "10" (expected a whole number of at least 1024)',
  );
  assertEquals(
    usageError("server", "--rate=fast"),
    'Invalid --rate: "fast" (expected a number of at least 0)',
  );
});

Deno.test("cli server refuses a flag given twice", () => {
  assertEquals(
    usageError("server", "--port", "1", "--port", "2"),
    "--port is given more than once",
  );
  assertEquals(
    usageErrorIn(["server", "--lang", "en", "--lang", "en"]),
    "--lang is given more than once",
  );
});

Deno.test("cli server requires --tls-cert and --tls-key together", () => {
  assertEquals(usageError("server", "--tls-cert", "a.pem"), "--tls-cert and --tls-key go together");
  const args = server("--tls-cert", "a.pem", "--tls-key", "b.pem");
  assertEquals([args.tlsCertFile, args.tlsKeyFile], ["a.pem", "b.pem"]);
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
  assertEquals(server("--web", "8080").web, {
    port: 8080,
    hostname: undefined,
    origins: [],
    hosts: [],
  });
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
    "--web-host-allow",
    "chat.example.org,[::1]:9000",
    "--web-host-allow",
    "192.168.0.5:8080",
  );
  assertEquals(args.web, {
    port: 8080,
    hostname: "0.0.0.0",
    origins: ["https://example.org", "http://a.test:8000", "https://b.test"],
    hosts: ["chat.example.org", "[::1]:9000", "192.168.0.5:8080"],
  });
  assertEquals(server("--web", "1", "--web-origin", "*").web?.origins, ["*"]);
});

Deno.test("cli server --web refuses bad values and bad combinations, in one line", () => {
  assertEquals(
    usageError("server", "--web", "http"),
    'Invalid --web: "http" (expected a number from 0 to 65535)',
  );
  assertStringIncludes(usageError("server", "--web", "70000"), "Invalid --web");
  assertStringIncludes(usageError("server", "--web-host", "0.0.0.0"), "--web-host needs --web");
  assertStringIncludes(usageError("server", "--web-origin", "*"), "--web-origin needs --web");
  assertStringIncludes(
    usageError("server", "--web-host-allow", "a.test"),
    "--web-host-allow needs --web",
  );
  assertEquals(
    usageError("server", "--web", "1", "--web-host-allow", "a b"),
    'Invalid --web-host-allow: "a b" (expected a name or an address like chat.example.org or 192.168.0.5:8080)',
  );
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
});

Deno.test("cli client takes the account password from CHAT_ACCOUNT_PASSWORD only, never from a flag", () => {
  for (const flag of ["--account-password", "--accountPassword"]) {
    assertStringIncludes(usageError("client", flag, "secret"), `Unknown option: ${flag}`);
  }
  const help = helpText("client", "en");
  assertStringIncludes(help, "CHAT_ACCOUNT_PASSWORD");
  assert(!help.includes("--account-password"), help);
});

Deno.test("cli client defaults and the positional form host port", () => {
  assertEquals(client(), {
    hostname: "127.0.0.1",
    port: 12345,
    lang: "ko",
    nick: undefined,
    password: undefined,
    passwordFile: undefined,
    accountPassword: undefined,
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
  assertEquals(
    usageError("client", "127.0.0.1", "0"),
    'Invalid PORT: "0" (expected a number from 1 to 65535)',
  );
  assertEquals(
    usageError("client", "--port", "x"),
    'Invalid --port: "x" (expected a number from 1 to 65535)',
  );
  assertEquals(
    usageError("client", "h", "--host", "g"),
    "HOST is given twice: as an argument and with --host",
  );
  assertStringIncludes(usageError("client", "--verbose"), "--verbose");
  assertEquals(usageError("client", "--nick="), "--nick must not be empty");
});

Deno.test("cli client --ca turns TLS on", () => {
  const args = client("--ca", "ca.pem");
  assertEquals([args.tls, args.caFile], [true, "ca.pem"]);
  assertEquals(client("--tls").tls, true);
});

Deno.test("cli top-level help, version and an unknown command", () => {
  assertEquals(parseCommandLine(["--help"]), { kind: "help", text: helpText("menu", "ko") });
  assertEquals(parseCommandLine(["help", "--lang", "en"]), {
    kind: "help",
    text: helpText("menu", "en"),
  });
  assertEquals(parseCommandLine(["client", "--help"]), {
    kind: "help",
    text: helpText("client", "ko"),
  });
  assertEquals(parseCommandLine(["server", "-h", "--lang=en"]), {
    kind: "help",
    text: helpText("server", "en"),
  });
  assertEquals(parseCommandLine(["--version"]), { kind: "version" });
  assertEquals(parseCommandLine(["server", "-V"]), { kind: "version" });
  assertEquals(
    usageError("serve"),
    'Unknown command: serve (expected "server" or "client"; see --help)',
  );
});

Deno.test("cli skips the `--` that `deno task server -- --port 0` passes along", () => {
  const command = parseCommandLine(["server", "--", "--port", "0", "-e"]);
  assertEquals(command.kind, "server");
  if (command.kind !== "server") return;
  assertEquals(command.args.port, 0);
  assertEquals(command.args.mode, "echo");
});

Deno.test('cli client --nick "" names --nick, not --host', () => {
  assertEquals(usageError("client", "--nick", ""), "--nick must not be empty");
  assertEquals(usageErrorIn(["client", "--nick", ""]), "--nick 값이 비어 있습니다");
  assertEquals(client("--nick", "-민수-").nick, "-민수-", "a value may start with one dash");
});

Deno.test("cli a flag without its value names the flag and what it takes", () => {
  assertEquals(usageError("client", "--nick"), "--nick needs a value: --nick NAME");
  assertEquals(usageError("server", "--motd", "--quiet"), "--motd needs a value: --motd FILE");
  assertEquals(usageError("server", "--quiet=yes"), "--quiet takes no value");
});

Deno.test("cli errors are in the language --lang gives anywhere on the line, Korean by default", () => {
  const cases: [string[], string, string][] = [
    [
      ["server", "--max-rooms", "x"],
      '잘못된 --max-rooms 값: "x" (1 이상의 정수여야 합니다)',
      'Invalid --max-rooms: "x" (expected a whole number of at least 1)',
    ],
    [
      ["server", "--port", "abc"],
      '잘못된 --port 값: "abc" (0부터 65535까지의 숫자여야 합니다)',
      'Invalid --port: "abc" (expected a number from 0 to 65535)',
    ],
    [
      ["server", "--bogus"],
      "알 수 없는 옵션: --bogus (server --help 참고)",
      "Unknown option: --bogus (see server --help)",
    ],
    [
      ["client", "--color", "pink"],
      '잘못된 --color 값: "pink" (auto, always, never 중 하나여야 합니다)',
      'Invalid --color: "pink" (expected auto, always, never)',
    ],
    [
      ["server", "--web-host", "h"],
      "--web-host 옵션은 --web PORT와 함께 써야 합니다",
      "--web-host needs --web PORT",
    ],
    [
      ["frobnicate"],
      '알 수 없는 명령: frobnicate ("server"나 "client"를 쓰세요. --help 참고)',
      'Unknown command: frobnicate (expected "server" or "client"; see --help)',
    ],
    [["server", "-b"], "-b option requires -e option", "-b option requires -e option"],
  ];
  for (const [args, ko, en] of cases) {
    assertEquals(usageErrorIn(args), ko);
    assertEquals(usageErrorIn([...args, "--lang", "ko"]), ko);
    assertEquals(usageErrorIn([args[0], "--lang", "en", ...args.slice(1)]), en, "--lang first");
    assertEquals(usageErrorIn([...args, "--lang=en"]), en, "--lang last");
  }
});

Deno.test("cli --redis: a bad URL is refused without showing its password", () => {
  assertEquals(
    usageError("server", "--redis", "http://user:sekrit@host:6379"),
    'Invalid --redis: "http://***@host:6379" (expected redis://host:port[/db], or rediss:// for TLS)',
  );
  assertEquals(server("--redis", "redis://127.0.0.1:6379/2").redisUrl, "redis://127.0.0.1:6379/2");
  assertEquals(
    usageError("server", "--redis", "redis://h:1", "-e"),
    "--redis works in chat mode only (not with -e)",
  );
});

Deno.test("cli a secret given as a flag brings one warning naming the file and the variable, never the secret", () => {
  const command = parseCommandLine(["server", "--op-password", "sekrit", "--lang", "en"]);
  assert(command.kind === "server");
  assertEquals(command.warnings, [
    "warning: a password given with --op-password shows on screen and in the process list; use --op-password-file FILE or set CHAT_OP_PASSWORD instead",
  ]);
  const ko = parseCommandLine(["client", "--password", "sekrit"]);
  assert(ko.kind === "client");
  assertEquals(ko.warnings, [
    "경고: --password로 준 비밀번호는 화면과 프로세스 목록에 보입니다. 대신 --password-file 파일이나 환경 변수 CHAT_PASSWORD를 쓰세요",
  ]);
  const files = parseCommandLine(["server", "--password-file", "p", "--op-password-file", "o"]);
  assert(files.kind === "server");
  assertEquals(files.warnings, []);
  assertEquals([files.args.passwordFile, files.args.opPasswordFile], ["p", "o"]);
  const redis = parseCommandLine([
    "server",
    "--redis",
    "redis://:sekrit@127.0.0.1:6379",
    "--lang",
    "en",
  ]);
  assert(redis.kind === "server");
  assertEquals(redis.warnings, [
    "warning: a password in the --redis URL shows on screen and in the process list; set REDIS_URL instead",
  ]);
  for (const line of [...command.warnings, ...ko.warnings, ...redis.warnings]) {
    assert(!line.includes("sekrit"), line);
  }
});

Deno.test("cli a secret and its file cannot both be given", () => {
  assertEquals(
    usageError("server", "--password", "x", "--password-file", "f"),
    "--password and --password-file: give one, not both",
  );
  assertEquals(
    usageErrorIn(["client", "--password-file", "f", "--password", "x"]),
    "--password 옵션과 --password-file 옵션 중 하나만 주세요",
  );
  assertEquals(usageError("server", "--op-password="), "--op-password must not be empty");
});

Deno.test("cli --irc PORT serves IRC; --irc-host needs it; echo modes refuse it", () => {
  assertEquals(server("--irc", "6667").irc, {
    port: 6667,
    hostname: undefined,
    name: undefined,
  });
  assertEquals(server("--irc", "0", "--irc-host", "::1", "--irc-name", "x.y").irc, {
    port: 0,
    hostname: "::1",
    name: "x.y",
  });
  assertEquals(server().irc, undefined);
  assertThrows(() => server("--irc-host", "::1"), UsageError, "--irc PORT");
  assertThrows(() => server("-e", "--irc", "6667"), UsageError, "--irc");
});
