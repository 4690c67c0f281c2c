/**
 * `main.ts server --workers N` as a real subprocess: chatting, SIGTERM, and the
 * flags it cannot be used with.
 *
 * @module
 */

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { type Child, MAIN_PERMISSIONS, ROOT, startServerProcess } from "../_helpers.ts";
import { LineClient } from "../_server_helpers.ts";

const STARTUP_TIMEOUT_MS = 20_000;
/** Clients opened: with two workers, all of them on one is a 1-in-128 chance. */
const CLIENTS = 8;

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
  name: "main server --workers 2 serves one chat and exits 0 on SIGTERM after telling every client",
  timeout: 60_000,
  fn: async () => {
    await using server = await startServerProcess(
      ["--workers", "2"],
      undefined,
      STARTUP_TIMEOUT_MS,
    );
    const { child, port } = server;
    await withOutput(child, async () => {
      assert(child.stdout.lines.includes("워커 2개가 같은 포트에서 연결을 받습니다."));
      const clients: LineClient[] = [];
      try {
        for (let i = 0; i < CLIENTS; i++) {
          const c = await LineClient.connect(port);
          clients.push(c);
          await c.join(`c${i}`);
        }
        await clients[0].send("모두 안녕");
        for (const c of clients) await c.waitFor("c0> 모두 안녕");
        child.kill("SIGTERM");
        for (const c of clients) {
          const rest = await c.waitClosed();
          assertEquals(rest[rest.length - 1], "서버가 종료됩니다.");
        }
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
      assertEquals((await child.exit(STARTUP_TIMEOUT_MS)).code, 0);
      assertEquals(child.stderr.lines, []);
      // Said once, by the coordinator, however many workers stopped.
      assertEquals(child.stdout.lines.filter((l) => l === "서버를 종료합니다...").length, 1);
    });
  },
});

/** Runs `main.ts` to completion and returns its exit code and output. */
async function runMain(...args: string[]): Promise<{ code: number; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...MAIN_PERMISSIONS, "main.ts", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

Deno.test("main server --workers with -e, --redis or --irc is a usage error of one line", async () => {
  const echo = await runMain("server", "--port", "0", "-e", "--workers", "2", "--lang", "en");
  assertEquals(echo.code, 2);
  assertEquals(echo.stderr, "error: --workers works in chat mode only (not with -e)\n");
  const redis = await runMain(
    "server",
    "--port",
    "0",
    "--redis",
    "redis://127.0.0.1:1",
    "--workers",
    "2",
  );
  assertEquals(redis.code, 2);
  assertStringIncludes(redis.stderr, "--workers 옵션은 --redis와 함께 쓸 수 없습니다");
  assertEquals(redis.stderr.trim().split("\n").length, 1);
  const irc = await runMain(
    "server",
    "--port",
    "0",
    "--irc",
    "0",
    "--workers",
    "2",
    "--lang",
    "en",
  );
  assertEquals(irc.code, 2);
  assertEquals(
    irc.stderr,
    "error: --workers cannot be used with --irc: IRC is served by one thread for now\n",
  );
});

Deno.test("main server --workers on a port in use says so in one line, status 1", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = taken.addr;
  const result = await runMain(
    "server",
    "--port",
    String(port),
    "--data",
    "none",
    "--workers",
    "2",
    "--lang",
    "en",
  );
  assertEquals(result.code, 1);
  assertEquals(result.stderr.trim().split("\n").length, 1);
  assertStringIncludes(result.stderr, String(port));
});
