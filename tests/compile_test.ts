import { assert, assertEquals } from "@std/assert";
import { userText } from "../lib/catalog/user_text.ts";
import { DENORT_UNREACHABLE_MESSAGE, isDenortDownloadFailure } from "../scripts/compile.ts";
import { Child, ROOT, startServerProcess } from "./_helpers.ts";

const ko = userText("ko");
const decoder = new TextDecoder();
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Can `deno compile` build a working binary here? It needs a `denort` runtime from
 * Deno's release server (or DENORT_BIN). Probed once with a one-line program, so
 * the tests below either run or say in their name why they were skipped.
 */
async function probeCompile(): Promise<{ works: boolean; reason: string }> {
  const dir = await Deno.makeTempDir({ prefix: "chat-compile-probe-" });
  try {
    const source = `${dir}/probe.ts`;
    const binary = `${dir}/probe${Deno.build.os === "windows" ? ".exe" : ""}`;
    await Deno.writeTextFile(source, 'console.log("compiled probe ran");\n');
    // Where the network drops packets instead of refusing, the download could hang.
    const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["compile", "-o", binary, source],
      stdout: "piped",
      stderr: "piped",
      signal,
    }).output();
    if (signal.aborted) {
      return { works: false, reason: `deno compile took over ${PROBE_TIMEOUT_MS} ms (no denort?)` };
    }
    if (!build.success) {
      const stderr = decoder.decode(build.stderr);
      if (isDenortDownloadFailure(stderr)) {
        return { works: false, reason: "deno compile cannot download denort here" };
      }
      // Any other failure is a real one: let the test run and show it.
      return { works: true, reason: "" };
    }
    const run = await new Deno.Command(binary, { stdout: "piped", stderr: "null", stdin: "null" })
      .output();
    if (decoder.decode(run.stdout).trim() !== "compiled probe ran") {
      return { works: false, reason: "DENORT_BIN does not name a denort runtime" };
    }
    return { works: true, reason: "" };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const probe = await probeCompile();

async function runCompileScript(output: string): Promise<Deno.CommandOutput> {
  return await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-run", "--allow-read", "scripts/compile.ts", "-o", output],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test(
  `the compiled binary runs a server and a client${
    probe.works ? "" : ` (skipped: ${probe.reason})`
  }`,
  { ignore: !probe.works, timeout: 60_000 },
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "chat-compile-" });
    try {
      const binary = `${dir}/chat${Deno.build.os === "windows" ? ".exe" : ""}`;
      const build = await runCompileScript(binary);
      assertEquals(build.code, 0, decoder.decode(build.stderr));
      const run = (args: string[]) => new Child(binary, args, { cwd: dir });
      const { child: server, port } = await startServerProcess([], run);
      await using _server = server;
      await using alice = run(["client", "--port", String(port), "--nick", "alice"]);
      await alice.stdout.waitFor(ko.connected);
      await using bob = run(["client", "--port", String(port), "--nick", "bob"]);
      await bob.stdout.waitFor(ko.connected);
      await bob.send("바이너리에서 안녕");
      await alice.stdout.waitFor(ko.message("bob", "바이너리에서 안녕"));
      await bob.send("/quit");
      assertEquals((await bob.exit()).code, 0);
      await alice.stdout.waitFor(ko.left("bob"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test(
  `deno task compile fails in one clear line when denort cannot be downloaded${
    probe.works ? " (skipped: deno compile works here)" : ""
  }`,
  { ignore: probe.works || probe.reason !== "deno compile cannot download denort here" },
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "chat-compile-" });
    try {
      const build = await runCompileScript(`${dir}/chat`);
      assertEquals(build.code, 1);
      const stderr = decoder.decode(build.stderr).trimEnd().split("\n");
      // deno's own progress lines may come first; the failure is one line, last.
      assertEquals(stderr.at(-1), DENORT_UNREACHABLE_MESSAGE);
      assert(!stderr.some((line) => /backtrace|^\s+at |Caused by/i.test(line)), stderr.join("\n"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
