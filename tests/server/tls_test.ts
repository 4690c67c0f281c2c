/**
 * TLS (issue 4, item 9). Each test makes its own self-signed certificate for
 * 127.0.0.1 with `openssl` in a temporary directory (nothing secret is
 * committed); without `openssl` the tests are skipped and say so in their names.
 *
 * @module
 */

import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { CERT_ONE_LINER, clientText } from "../../lib/catalog/client_text.ts";
import { userText } from "../../lib/catalog/user_text.ts";
import { spawnMain, startServerProcess } from "../_helpers.ts";
import { LineClient, startServer } from "../_server_helpers.ts";
import { RawClient } from "../fixtures/raw_client.ts";
import { makeTestCert, OPENSSL_AVAILABLE } from "../fixtures/tls_cert.ts";

const m = userText("ko");
const TEST_TIMEOUT_MS = 20_000;
const SKIPPED = OPENSSL_AVAILABLE ? "" : " (skipped: openssl not found)";

async function connectTls(port: number, cert: string): Promise<LineClient> {
  return new LineClient(await Deno.connectTls({ hostname: "127.0.0.1", port, caCerts: [cert] }));
}

Deno.test({
  name: `tls: two clients that trust the certificate join and chat${SKIPPED}`,
  ignore: !OPENSSL_AVAILABLE,
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using cert = await makeTestCert();
    await using s = startServer({ tls: { cert: cert.cert, key: cert.key } });
    await using alice = await connectTls(s.port, cert.cert);
    await alice.join("alice");
    await using bob = await connectTls(s.port, cert.cert);
    await bob.join("bob");
    await alice.send("secret 한국어");
    await bob.waitFor("alice> secret 한국어");
    await bob.send("@alice psst");
    await alice.waitFor("[귓속말] bob> psst");
    await alice.send("/quit");
    await alice.waitClosed();
    await bob.waitFor(m.left("alice"));
  },
});

Deno.test({
  name:
    `tls: plain TCP clients against the TLS server get nothing readable and do not break it${SKIPPED}`,
  ignore: !OPENSSL_AVAILABLE,
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using cert = await makeTestCert();
    await using s = startServer({ tls: { cert: cert.cert, key: cert.key } });
    await using alice = await connectTls(s.port, cert.cert);
    await alice.join("alice");

    // One speaks the chat protocol in clear text, one sends garbage, one says nothing.
    await using talker = await RawClient.connect(s.port);
    await talker.write("mallory\nhello everyone\n");
    await using garbage = await RawClient.connect(s.port);
    await garbage.write(new Uint8Array(64 * 1024).map((_, i) => (i * 7919) & 0xff));
    await using silent = await RawClient.connect(s.port);
    for (const c of [talker, garbage]) {
      await c.waitClosed();
      assert(!c.text.includes(m.nicknamePrompt), "a plain client read the prompt");
    }
    assertEquals(silent.ended, false);
    assertEquals(silent.text, "", "the server sent a plain client readable bytes");

    // The server is unharmed: a new TLS client joins, and nothing leaked into the room.
    await using bob = await connectTls(s.port, cert.cert);
    await bob.join("bob");
    await alice.send("still here");
    await bob.waitFor("alice> still here");
    assertEquals(alice.received.filter((l) => l.includes("mallory") || l.includes("hello")), []);
  },
});

Deno.test({
  name:
    `tls: a client that does not trust the certificate fails its handshake; the server keeps serving${SKIPPED}`,
  ignore: !OPENSSL_AVAILABLE,
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using cert = await makeTestCert();
    await using s = startServer({ tls: { cert: cert.cert, key: cert.key } });
    await assertRejects(async () => {
      const conn = await Deno.connectTls({ hostname: "127.0.0.1", port: s.port });
      try {
        await conn.handshake();
      } finally {
        conn.close();
      }
    });
    await using alice = await connectTls(s.port, cert.cert);
    await alice.join("alice");
  },
});

Deno.test({
  name: `tls: main.ts server --tls-cert --tls-key serves TLS${SKIPPED}`,
  ignore: !OPENSSL_AVAILABLE,
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    await using cert = await makeTestCert();
    const { child, port } = await startServerProcess([
      "--tls-cert",
      cert.certFile,
      "--tls-key",
      cert.keyFile,
    ]);
    await using _child = child;
    await using alice = await connectTls(port, cert.cert);
    await alice.join("alice");
    await alice.send("over tls");
    await alice.waitFor("alice> over tls");
    await using plain = await RawClient.connect(port);
    await plain.write("bob\n");
    await plain.waitClosed();
    assert(!plain.text.includes(m.nicknamePrompt));
    child.kill("SIGTERM");
    await alice.waitFor("서버가 종료됩니다.");
    await alice.waitClosed();
    await alice.close();
    assertEquals((await child.exit()).code, 0, child.describe());
    assertStringIncludes(child.stdout.lines.join("\n"), "연결 종료", child.describe());
  },
});

Deno.test({
  name:
    `tls: the client refuses a certificate made as a CA with the one-liner that works, and accepts that one${SKIPPED}`,
  ignore: !OPENSSL_AVAILABLE,
  timeout: TEST_TIMEOUT_MS,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "chat-tls-one-liner-" });
    try {
      // The usual one-liner: OpenSSL marks the certificate as a CA.
      const usual = await new Deno.Command("openssl", {
        args: ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
          .concat(["-keyout", `${dir}/ca-key.pem`, "-out", `${dir}/ca-cert.pem`])
          .concat(["-subj", "/CN=localhost"]),
        stdout: "null",
        stderr: "null",
      }).output();
      assert(usual.success);
      // The documented one (lib/catalog/client_text.ts), run in the same directory.
      const documented = await new Deno.Command("sh", {
        args: ["-c", CERT_ONE_LINER],
        cwd: dir,
        stdout: "null",
        stderr: "null",
      }).output();
      assert(documented.success);
      for (const [name, refused] of [["ca-", true], ["", false]] as const) {
        const { child, port } = await startServerProcess([
          "--tls-cert",
          `${dir}/${name}cert.pem`,
          "--tls-key",
          `${dir}/${name}key.pem`,
          "--quiet",
        ]);
        await using _server = child;
        await using client = spawnMain([
          "client",
          "--port",
          String(port),
          "--ca",
          `${dir}/${name}cert.pem`,
          "--nick",
          "bob",
        ]);
        if (refused) {
          assertEquals((await client.exit()).code, 1);
          assertStringIncludes(client.stderr.lines.join("\n"), "CaUsedAsEndEntity");
          assertEquals(client.stderr.lines.at(-1), clientText("ko").caCertificate);
        } else {
          await client.stdout.waitFor((l) => l.includes("bob님이 입장하셨습니다."));
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
