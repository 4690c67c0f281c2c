import { assertEquals } from "@std/assert";
import { userText } from "../lib/catalog/user_text.ts";
import { Child, ROOT, startServerProcess } from "./_helpers.ts";

const ko = userText("ko");

Deno.test("the bundled file runs a server and a client (deno run --allow-net only)", {
  timeout: 30_000,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-bundle-" });
  try {
    const bundle = `${dir}/chat.js`;
    // The command of `deno task bundle`, into a temporary directory.
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "-o", bundle, "main.ts"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(build.code, 0, new TextDecoder().decode(build.stderr));

    // Run from the temporary directory: no deno.json, no node_modules, one file.
    const run = (args: string[]) =>
      new Child(Deno.execPath(), ["run", "--allow-net", bundle, ...args], { cwd: dir });
    const { child: server, port } = await startServerProcess([], run);
    await using _server = server;
    await using alice = run(["client", "--port", String(port), "--nick", "alice"]);
    await alice.stdout.waitFor(ko.connected);
    await using bob = run(["client", "127.0.0.1", String(port)]);
    await bob.stdout.waitFor(ko.nicknamePrompt);
    await bob.send("bob");
    await alice.stdout.waitFor(ko.joined("bob"));
    await bob.send("번들에서 안녕");
    await alice.stdout.waitFor(ko.message("bob", "번들에서 안녕"));
    await bob.send("/종료");
    assertEquals((await bob.exit()).code, 0);
    await alice.stdout.waitFor(ko.left("bob"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
