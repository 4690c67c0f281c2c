/**
 * `main.ts server` as a real subprocess: the startup lines, chatting over TCP,
 * usage errors, help, and SIGTERM. The child's output is printed only when a
 * test fails.
 */

import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "@std/assert";
import { announcedPort, type Child, spawnMain, startServerProcess } from "./_helpers.ts";
import { LineClient } from "./_server_helpers.ts";
import { getRequest, rawRequest } from "./_web_helpers.ts";
import { userText } from "../lib/catalog/user_text.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const PERMISSIONS = ["--allow-net", "--allow-read", "--allow-env=CHAT_PASSWORD,CHAT_OP_PASSWORD"];
const STARTUP_TIMEOUT_MS = 15_000;

/** A server's arguments with its data in memory: a test never leaves a `chat.db` behind. */
function inMemory(args: readonly string[]): string[] {
  return args[0] === "server" ? ["server", "--data", "none", ...args.slice(1)] : [...args];
}

/** Runs `main.ts` to completion and returns its exit code and output. */
async function runMain(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, "main.ts", ...inMemory(args)],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Runs `fn`; when it throws, prints the child's output. */
async function withOutput(child: Child, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    console.error(child.describe());
    throw error;
  }
}

Deno.test({
  name: "main server --port 0 announces its real port and people can chat over TCP",
  timeout: 30_000,
  fn: async () => {
    await using server = await startServerProcess([], undefined, STARTUP_TIMEOUT_MS);
    const { child, port } = server;
    await withOutput(child, async () => {
      assertNotEquals(port, 0);
      await child.stdout.waitFor(/^클라이언트 연결을 기다리는 중\.\.\.$/, STARTUP_TIMEOUT_MS);
      assertEquals(child.stdout.lines.slice(0, 4), [
        `서버가 127.0.0.1:${port}에서 실행 중입니다.`,
        "채팅 모드 · 이 컴퓨터에서만 접속할 수 있습니다 (다른 컴퓨터에 열려면 --host 0.0.0.0)",
        "데이터: 메모리에만 둡니다 (--data none). 재시작하면 사라집니다",
        "클라이언트 연결을 기다리는 중...",
      ]);
      await using alice = await LineClient.connect(port);
      await using bob = await LineClient.connect(port);
      await alice.join("alice");
      await bob.join("밥");
      await alice.waitFor("밥님이 입장하셨습니다.");
      await alice.send("안녕, nc로 왔어요");
      await bob.waitFor("alice> 안녕, nc로 왔어요");
      await bob.send("@alice 비밀 이야기");
      await alice.waitFor("[귓속말] 밥> 비밀 이야기");
      await alice.send("/종료");
      await alice.waitClosed();
      await alice.close();
      await bob.waitFor("alice님이 퇴장하셨습니다.");
      // The console has a timestamped line for each event (in any order).
      await child.stdout.seen(
        /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] \[lobby\] alice> 안녕, nc로 왔어요$/,
        STARTUP_TIMEOUT_MS,
      );
      // A whisper is logged as sent, never with what it said.
      await child.stdout.seen(/^\[[^\]]+\] 귓속말: 밥 → alice$/, STARTUP_TIMEOUT_MS);
      await child.stdout.seen(
        /^\[[^\]]+\] 닉네임 설정: 127\.0\.0\.1:\d+ → 밥$/,
        STARTUP_TIMEOUT_MS,
      );
      await child.stdout.seen(
        /^\[[^\]]+\] 연결 종료: 127\.0\.0\.1:\d+ \(alice\) - 종료$/,
        STARTUP_TIMEOUT_MS,
      );
      assert(!child.stdout.has((line) => line.includes("비밀 이야기")), "whisper text logged");
    });
  },
});

Deno.test({
  name: "main server exits 0 on SIGTERM after telling connected clients",
  timeout: 30_000,
  fn: async () => {
    await using server = await startServerProcess([], undefined, STARTUP_TIMEOUT_MS);
    const { child, port } = server;
    await withOutput(child, async () => {
      await using alice = await LineClient.connect(port);
      await alice.join("alice");
      child.kill("SIGTERM");
      assertEquals(await alice.waitClosed(), ["서버가 종료됩니다."]);
      await alice.close();
      assertEquals((await child.exit(STARTUP_TIMEOUT_MS)).code, 0);
      assertEquals(child.stderr.lines, []);
      assert(child.stdout.lines.includes("서버를 종료합니다..."));
    });
  },
});

Deno.test({
  name: "main server in the C form 'server 0 -e -b' echoes each line to every client",
  timeout: 30_000,
  fn: async () => {
    await using child = spawnMain(["server", "0", "-e", "-b"]);
    await withOutput(child, async () => {
      const port = await announcedPort(child, STARTUP_TIMEOUT_MS);
      await using a = await LineClient.connect(port);
      await using b = await LineClient.connect(port);
      await b.send("b is here");
      await b.waitFor("b is here");
      await a.send("hello everyone");
      await a.waitFor("hello everyone");
      await b.waitFor("hello everyone");
      assertEquals(a.received.includes("닉네임을 입력하세요:"), false, "no nickname prompt");
    });
  },
});

Deno.test({
  name: "main server --lang en announces itself in English",
  timeout: 30_000,
  fn: async () => {
    await using server = await startServerProcess(["--lang", "en"], undefined, STARTUP_TIMEOUT_MS);
    const { child, port } = server;
    await withOutput(child, async () => {
      await child.stdout.waitFor(/^Waiting for clients\.\.\.$/, STARTUP_TIMEOUT_MS);
      assertEquals(child.stdout.lines.slice(0, 4), [
        `Server running on 127.0.0.1:${port}.`,
        "chat mode · this machine only (--host 0.0.0.0 opens it to other machines)",
        "data: in memory only (--data none); nothing survives a restart",
        "Waiting for clients...",
      ]);
      await using c = await LineClient.connect(port);
      assertEquals(await c.nextLine(), "Enter your nickname:");
    });
  },
});

/**
 * Asserts an error: one line on stderr, no stack trace and none of the runtime's
 * own words, and the exit status (2 for a usage error, 1 for the rest).
 */
function assertOneLineError(
  result: { code: number; stdout: string; stderr: string },
  expected: string,
  code = 2,
): void {
  const context = JSON.stringify(result);
  assertEquals(result.code, code, context);
  assertEquals(result.stdout, "", context);
  const lines = result.stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, `one line: ${context}`);
  assertStringIncludes(lines[0], expected);
  assert(!/\bat |Stack backtrace|Uncaught/.test(result.stderr), `no stack trace: ${context}`);
  assert(!/os error|readfile|Deno\./.test(result.stderr), `no runtime internals: ${context}`);
}

Deno.test("main server -b without -e exits non-zero with one line", async () => {
  const result = await runMain("server", "-b");
  assertOneLineError(result, "-b option requires -e option");
  assertOneLineError(await runMain("server", "12345", "-b"), "-b option requires -e option");
});

Deno.test("main server and client --version print the version", async () => {
  for (const sub of ["server", "client"]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...PERMISSIONS, "main.ts", sub, "--version"],
      cwd: ROOT,
    }).output();
    assertEquals(out.code, 0);
    assertMatch(new TextDecoder().decode(out.stdout), /^tcp-chat \d+\.\d+\.\d+ \(deno /);
  }
});

Deno.test("main server with a bad port exits non-zero with one line", async () => {
  assertOneLineError(
    await runMain("server", "--port", "99999"),
    '오류: 잘못된 --port 값: "99999" (0부터 65535까지의 숫자여야 합니다)',
  );
  assertOneLineError(
    await runMain("server", "port", "--lang", "en"),
    'error: Invalid PORT: "port" (expected a number from 0 to 65535)',
  );
  // A negative number is still the port, not an unknown flag.
  assertOneLineError(await runMain("server", "--port", "-1"), '잘못된 --port 값: "-1"');
});

Deno.test("main server with an unknown flag exits non-zero with one line naming it", async () => {
  assertOneLineError(await runMain("server", "--bogus"), "--bogus");
});

Deno.test("main server on a port in use exits non-zero with one line", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  assertOneLineError(
    await runMain("server", "--port", String(port)),
    `오류: 서버를 시작할 수 없습니다 (127.0.0.1:${port}): 주소가 이미 사용 중입니다`,
    1,
  );
  assertOneLineError(
    await runMain("server", "--port", String(port), "--lang", "en"),
    `error: Cannot start the server on 127.0.0.1:${port}: the address is already in use`,
    1,
  );
});

Deno.test("main server --help explains every flag and exits 0", async () => {
  const result = await runMain("server", "--help");
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stderr, "");
  for (
    const flag of [
      "--host",
      "--port",
      "-e ",
      "-b ",
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
    ]
  ) {
    assertStringIncludes(result.stdout, flag);
  }
  assertMatch(result.stdout, /server 12345 -e -b/);
});

Deno.test({
  name:
    "main server --motd FILE sends its first 20 lines, made safe, and CHAT_OP_PASSWORD sets /op",
  timeout: 30_000,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "chat-motd-" });
    try {
      const file = `${dir}/motd.txt`;
      const lines = [
        "Welcome \x1b[31mred\x1b[0m",
        ...[...Array(24).keys()].map((i) => `rule ${i}`),
      ];
      await Deno.writeTextFile(file, lines.join("\n") + "\n");
      const { child, port } = await startServerProcess(
        ["--motd", file, "--quiet"],
        (args) => spawnMain(args, "main.ts", { env: { CHAT_OP_PASSWORD: "teach" } }),
      );
      await using _child = child;
      await using alice = await LineClient.connect(port);
      await alice.join("alice");
      assertEquals(alice.received.slice(3, 5), ["Welcome \ufffd[31mred\ufffd[0m", "rule 0"]);
      await alice.send("/op teach");
      await alice.waitFor("운영자가 되었습니다.");
      assertEquals(alice.received.filter((l) => l.startsWith("rule ")).length, 19);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "main server --web 0 announces the web page's address and serves the page there",
  timeout: 30_000,
  fn: async () => {
    const { child, port } = await startServerProcess(["--web", "0"]);
    await using _child = child;
    const line = await child.stdout.waitFor(/^웹 페이지: http:\/\/127\.0\.0\.1:\d+\/$/);
    const webPort = Number(/:(\d+)\/$/.exec(line)![1]);
    assertNotEquals(webPort, port);
    const page = await rawRequest(webPort, getRequest(webPort, "/"));
    assertEquals(page.status, 200);
    assertStringIncludes(page.body, `<html lang="ko" data-max-line-bytes="8192">`);
  },
});

Deno.test("main server --web on a port in use exits non-zero with one line naming the page", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const result = await runMain("server", "--port", "0", "--web", String(port));
  assertOneLineError(result, `웹 페이지를 열 수 없습니다 (127.0.0.1:${port}): 주소가 이미`, 1);
});

Deno.test("main server: a file a flag names that cannot be read is one line naming the flag, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-files-" });
  try {
    const missing = `${dir}/missing.txt`;
    assertOneLineError(
      await runMain("server", "--port", "0", "--motd", missing),
      `오류: --motd 파일을 읽을 수 없습니다 (${missing}): 파일이 없습니다`,
      1,
    );
    assertOneLineError(
      await runMain("server", "--port", "0", "--motd", missing, "--lang", "en"),
      `error: Cannot read --motd ${missing}: no such file`,
      1,
    );
    assertOneLineError(
      await runMain("server", "--lang", "en", "--tls-cert", missing, "--tls-key", missing),
      `error: Cannot read --tls-cert ${missing}: no such file`,
      1,
    );
    assertOneLineError(
      await runMain("server", "--lang", "en", "--port", "0", "--motd", dir),
      `error: Cannot read --motd ${dir}: it is a directory`,
      1,
    );
    const garbage = `${dir}/garbage.pem`;
    await Deno.writeTextFile(garbage, "not a certificate\n");
    assertOneLineError(
      await runMain(
        "server",
        "--lang",
        "en",
        "--port",
        "0",
        "--tls-cert",
        garbage,
        "--tls-key",
        garbage,
      ),
      `error: Cannot use --tls-cert ${garbage}: no PEM certificate in it`,
      1,
    );
    assertOneLineError(
      await runMain("client", "--ca", missing),
      `오류: --ca 파일을 읽을 수 없습니다 (${missing}): 파일이 없습니다`,
      1,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('main client --nick "" names --nick, in the chosen language, exit 2', async () => {
  assertOneLineError(await runMain("client", "--nick", ""), "오류: --nick 값이 비어 있습니다");
  assertOneLineError(
    await runMain("client", "--nick", "", "--lang", "en"),
    "error: --nick must not be empty",
  );
});

/** Every line a child printed, on stdout and stderr. */
function allOutput(...children: Child[]): string {
  return children.map((child) => [...child.stdout.lines, ...child.stderr.lines].join("\n"))
    .join("\n");
}

/**
 * Starts a server with the passwords given by `serverArgs`/`serverEnv`, lets a
 * client in with the password given by `clientArgs`/`clientEnv` and has it
 * become an operator; returns both children's output once they are stopped.
 */
async function chatWithPasswords(
  server: { args: string[]; env?: Record<string, string> },
  client: { args: string[]; env?: Record<string, string> },
  opPassword: string,
): Promise<{ server: Child; client: Child }> {
  const ko = userText("ko");
  const started = await startServerProcess(
    server.args,
    (args) => spawnMain(args, "main.ts", { env: server.env }),
  );
  await using serverChild = started.child;
  {
    // The server asks for the password: it was read.
    await using probe = await LineClient.connect(started.port);
    assertEquals(await probe.nextLine(), ko.passwordPrompt);
  }
  await using clientChild = spawnMain(
    ["client", "--port", String(started.port), "--nick", "alice", ...client.args],
    "main.ts",
    { env: client.env },
  );
  await clientChild.stdout.waitFor((line) => line.includes(ko.connected));
  await clientChild.send(`/op ${opPassword}`);
  await clientChild.stdout.waitFor((line) => line.includes(ko.opGranted));
  serverChild.kill("SIGTERM");
  assertEquals((await serverChild.exit()).code, 0, serverChild.describe());
  // The client would wait for the server to come back: its user gives up (Ctrl-D).
  await clientChild.closeStdin();
  await clientChild.exit();
  return { server: serverChild, client: clientChild };
}

Deno.test({
  name: "main: passwords from --password-file and --op-password-file work and show in no output",
  timeout: 30_000,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "chat-secrets-" });
    try {
      const password = "class-sekrit-7";
      const opPassword = "op-sekrit-9";
      await Deno.writeTextFile(`${dir}/pw.txt`, `${password}\n`);
      await Deno.writeTextFile(`${dir}/op.txt`, `${opPassword}\r\nsecond line\n`);
      const { server, client } = await chatWithPasswords(
        { args: ["--password-file", `${dir}/pw.txt`, "--op-password-file", `${dir}/op.txt`] },
        { args: ["--password-file", `${dir}/pw.txt`] },
        opPassword,
      );
      const output = allOutput(server, client);
      for (const secret of [password, opPassword]) {
        assert(!output.includes(secret), `${secret} shown:\n${output}`);
      }
      assertEquals([server.stderr.lines, client.stderr.lines], [[], []], "no warning");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "main: passwords from CHAT_PASSWORD and CHAT_OP_PASSWORD work and show in no output",
  timeout: 30_000,
  fn: async () => {
    const password = "env-sekrit-3";
    const opPassword = "env-op-sekrit-4";
    const { server, client } = await chatWithPasswords(
      { args: [], env: { CHAT_PASSWORD: password, CHAT_OP_PASSWORD: opPassword } },
      { args: [], env: { CHAT_PASSWORD: password } },
      opPassword,
    );
    const output = allOutput(server, client);
    for (const secret of [password, opPassword]) {
      assert(!output.includes(secret), `${secret} shown:\n${output}`);
    }
    assertEquals([server.stderr.lines, client.stderr.lines], [[], []], "no warning");
  },
});

Deno.test({
  name: "main: a password given as a flag works, brings one warning line and is shown nowhere",
  timeout: 30_000,
  fn: async () => {
    const password = "flag-sekrit-5";
    const opPassword = "flag-op-sekrit-6";
    const { server, client } = await chatWithPasswords(
      { args: ["--password", password, "--op-password", opPassword] },
      { args: ["--password", password, "--lang", "en"] },
      opPassword,
    );
    const output = allOutput(server, client);
    for (const secret of [password, opPassword]) {
      assert(!output.includes(secret), `${secret} shown:\n${output}`);
    }
    assertEquals(server.stderr.lines, [
      "경고: --password로 준 비밀번호는 화면과 프로세스 목록에 보입니다. 대신 --password-file 파일이나 환경 변수 CHAT_PASSWORD를 쓰세요",
      "경고: --op-password로 준 비밀번호는 화면과 프로세스 목록에 보입니다. 대신 --op-password-file 파일이나 환경 변수 CHAT_OP_PASSWORD를 쓰세요",
    ]);
    assertEquals(client.stderr.lines, [
      "warning: a password given with --password shows on screen and in the process list; use --password-file FILE or set CHAT_PASSWORD instead",
    ]);
  },
});

Deno.test("main: a password file that cannot be read or has an empty first line is one line, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-secret-files-" });
  try {
    assertOneLineError(
      await runMain("server", "--port", "0", "--password-file", `${dir}/none`),
      `오류: --password-file 파일을 읽을 수 없습니다 (${dir}/none): 파일이 없습니다`,
      1,
    );
    await Deno.writeTextFile(`${dir}/empty.txt`, "\nsekrit on line two\n");
    const result = await runMain(
      "client",
      "--lang",
      "en",
      "--op-password-file",
      `${dir}/empty.txt`,
    );
    assertOneLineError(result, "Unknown option: --op-password-file (see client --help)");
    const empty = await runMain(
      "server",
      "--lang",
      "en",
      "--port",
      "0",
      "--op-password-file",
      `${dir}/empty.txt`,
    );
    assertOneLineError(
      empty,
      `error: Cannot use --op-password-file ${dir}/empty.txt: its first line is empty`,
      1,
    );
    assert(!empty.stderr.includes("sekrit"));
    assertOneLineError(
      await runMain("server", "--password", "x", "--password-file", `${dir}/empty.txt`),
      "오류: --password 옵션과 --password-file 옵션 중 하나만 주세요",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main server: a bad REDIS_URL is one line in the chosen language, password hidden", async () => {
  await using child = spawnMain(["server", "--port", "0", "--lang", "en"], "main.ts", {
    env: { REDIS_URL: "http://user:sekrit@127.0.0.1:6379" },
  });
  assertEquals((await child.exit()).code, 2, child.describe());
  assertEquals(child.stderr.lines, [
    'error: Invalid REDIS_URL: "http://***@127.0.0.1:6379" (expected redis://host:port[/db], or rediss:// for TLS)',
  ]);
});
