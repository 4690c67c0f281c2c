import { assertEquals, assertStringIncludes } from "@std/assert";
import { clientText } from "../../lib/catalog/client_text.ts";
import { consoleText } from "../../lib/catalog/console_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { runMenu } from "../../lib/cli/menu.ts";
import { openPlainInput } from "../../lib/client/line_input.ts";
import { type Child, ROOT, spawnMain, TextSink, TypedLines } from "../_helpers.ts";
import { tempDir } from "../store/_files.ts";

const ko = { ...userText("ko"), ...clientText("ko"), ...consoleText("ko") };
const TEST_TIMEOUT_MS = 20_000;
/** The menu starts both tools on the default port unless --port says otherwise. */
const DEFAULT_PORT = 12345;

/** Whether the default port is free now (the menu tests need it). */
function defaultPortIsFree(): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port: DEFAULT_PORT }).close();
    return true;
  } catch {
    return false;
  }
}
const portFree = defaultPortIsFree();

/**
 * The menu, run in a temporary folder: a server chosen there keeps its `chat.db`
 * there, not in the project.
 */
async function menuInTempDir(args: string[]): Promise<Child & { dir: string }> {
  const dir = await tempDir();
  const child = spawnMain(args, `${ROOT}main.ts`, { cwd: dir.path });
  const dispose = child[Symbol.asyncDispose].bind(child);
  return Object.assign(child, {
    dir: dir.path,
    [Symbol.asyncDispose]: async () => {
      await dispose();
      await dir[Symbol.asyncDispose]();
    },
  });
}
const portNote = portFree ? "" : ` (skipped: port ${DEFAULT_PORT} is in use on this machine)`;

Deno.test("menu maps 1 and 2, trims, and asks again after anything else", async () => {
  const typed = new TypedLines();
  const shown = new TextSink();
  using input = openPlainInput({ readable: typed.readable, writer: shown });
  for (const line of ["3", "", "one", " 2 "]) typed.type(line);
  assertEquals(await runMenu(input, ko), "client");
  assertEquals(shown.lines.filter((line) => line === ko.menuInvalid).length, 3);
  assertEquals(shown.lines.filter((line) => line === ko.menuPrompt).length, 4);
  typed.type("1");
  assertEquals(await runMenu(input, ko), "server");
  typed.end();
  assertEquals(await runMenu(input, ko), null);
});

Deno.test("main.ts menu refuses other choices and exits 0 at end of input", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using menu = spawnMain([]);
  await menu.send("3");
  await menu.stdout.waitFor(ko.menuInvalid);
  await menu.send("server");
  await menu.stdout.waitFor(ko.menuInvalid);
  await menu.closeStdin();
  assertEquals((await menu.exit()).code, 0);
  assertEquals(menu.stderr.lines, []);
});

Deno.test("main.ts --lang en shows the menu in English", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using menu = spawnMain(["--lang", "en"]);
  await menu.send("3");
  await menu.stdout.waitFor(clientText("en").menuInvalid);
  assertStringIncludes(menu.stdout.lines.join("\n"), clientText("en").menuPrompt.trim());
  await menu.closeStdin();
  assertEquals((await menu.exit()).code, 0);
});

Deno.test(
  `main.ts menu: 1 starts the server and 2 clients chat on port ${DEFAULT_PORT}${portNote}`,
  {
    ignore: !portFree,
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    await using server = await menuInTempDir([]);
    await server.send("1");
    await server.stdout.waitFor(ko.listening("127.0.0.1", DEFAULT_PORT));
    await using mina = spawnMain([]);
    await mina.send("2");
    await mina.stdout.waitFor(ko.nicknamePrompt);
    await mina.send("미나");
    await mina.stdout.waitFor(ko.connected);
    await using jun = spawnMain([]);
    await jun.send(" 2");
    await jun.stdout.waitFor(ko.nicknamePrompt);
    await jun.send("준");
    await jun.stdout.waitFor(ko.connected);
    await jun.send("안녕, 미나");
    await mina.stdout.waitFor(ko.message("준", "안녕, 미나"));
    // The server's shutdown reaches the clients, which wait for it to come back
    // until their user gives up (Ctrl-D).
    server.kill("SIGTERM");
    assertEquals((await server.exit()).code, 0);
    for (const client of [mina, jun]) {
      await client.stdout.waitFor(ko.shuttingDown);
      await client.stdout.waitFor(ko.connectionLost(0.5));
      await client.closeStdin();
      assertEquals((await client.exit()).code, 0);
    }
  },
);

Deno.test(`main.ts menu: 2 with no server on port ${DEFAULT_PORT} fails in one line${portNote}`, {
  ignore: !portFree,
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using menu = spawnMain([]);
  await menu.send("2");
  assertEquals((await menu.exit()).code, 1);
  assertEquals(menu.stderr.lines.length, 1, menu.describe());
  assertEquals(
    menu.stderr.lines[0].startsWith(`서버에 연결할 수 없습니다 (127.0.0.1:12345): `),
    true,
  );
});

Deno.test(
  "main.ts -- --port 0 --host 0.0.0.0 --lang en: the menu asks 1 or 2 and 1 serves there, 2 connects there",
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async () => {
    const en = { ...userText("en"), ...clientText("en"), ...consoleText("en") };
    // As `deno task start -- --port 0 --host 0.0.0.0 --lang en` passes them.
    await using server = await menuInTempDir([
      "--",
      "--port",
      "0",
      "--host",
      "0.0.0.0",
      "--lang",
      "en",
    ]);
    await server.send("1");
    const listening = /^Server running on 0\.0\.0\.0:(\d+)\.$/;
    const port = Number(listening.exec(await server.stdout.waitFor(listening))![1]);
    await using client = spawnMain(["--port", String(port), "--host", "127.0.0.1", "--lang", "en"]);
    await client.send("2");
    await client.stdout.waitFor((line) => line.includes(en.nicknamePrompt));
    await client.send("mina");
    await client.stdout.waitFor((line) => line.includes(en.connected));
    // The menu asked nothing but 1 or 2: the server's prompts came next.
    for (const child of [server, client]) {
      assertEquals(
        child.stdout.lines.filter((line) => line.includes(en.menuPrompt.trim())).length,
        1,
      );
      assertEquals(child.stderr.lines, [], child.describe());
    }
    server.kill("SIGTERM");
    assertEquals((await server.exit()).code, 0);
    await client.stdout.waitFor((line) => line.includes(en.connectionLost(0.5)));
    await client.closeStdin();
    assertEquals((await client.exit()).code, 0);
  },
);

Deno.test("main.ts --port 0, then 2: the client refuses port 0 in one line, exit 2", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using menu = spawnMain(["--port", "0"]);
  await menu.send("2");
  assertEquals((await menu.exit()).code, 2, menu.describe());
  assertEquals(menu.stderr.lines, [
    '오류: 잘못된 --port 값: "0" (1부터 65535까지의 숫자여야 합니다)',
  ]);
});

Deno.test("main.ts --port with a bad value is refused before the menu", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  await using menu = spawnMain(["--port", "x", "--lang", "en"]);
  assertEquals((await menu.exit()).code, 2, menu.describe());
  assertEquals(menu.stderr.lines, [
    'error: Invalid --port: "x" (expected a number from 0 to 65535)',
  ]);
  assertEquals(menu.stdout.lines, [], "no menu");
});
