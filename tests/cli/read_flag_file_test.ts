import { assertEquals, assertRejects } from "@std/assert";
import { cliText } from "../../lib/catalog/cli_text.ts";
import { describeError, readFlagFile } from "../../lib/cli/read_flag_file.ts";
import { StartError } from "../../lib/util/errors.ts";

const ko = cliText("ko");
const en = cliText("en");

Deno.test("describeError says why in the chosen language, without the runtime's details", () => {
  const notCapable = new Deno.errors.NotCapable(
    'Requires read access to "/etc/motd", run again with the --allow-read flag',
  );
  assertEquals(describeError(notCapable, ko), "--allow-read 없이는 허용되지 않습니다");
  assertEquals(describeError(notCapable, en), "not allowed without --allow-read");
  const notFound = new Deno.errors.NotFound(
    "No such file or directory (os error 2): readfile '/nonexistent'",
  );
  assertEquals(describeError(notFound, en), "no such file");
  assertEquals(describeError(new Deno.errors.PermissionDenied("x"), ko), "권한이 없습니다");
  assertEquals(describeError(new Deno.errors.AddrInUse("x"), en), "the address is already in use");
  const other = new Deno.errors.AddrNotAvailable("Cannot assign requested address (os error 99)");
  assertEquals(describeError(other, en), "Cannot assign requested address");
  assertEquals(describeError("two\nlines", en), "two");
});

Deno.test("readFlagFile reads a file, and refuses a PEM file without what it must hold", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chat-pem-" });
  try {
    const key = `${dir}/key.pem`;
    await Deno.writeTextFile(
      key,
      "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
    );
    assertEquals((await readFlagFile("--tls-key", key, en, "key")).length > 0, true);
    const error = await assertRejects(
      () => readFlagFile("--tls-cert", key, ko, "certificate"),
      StartError,
    );
    assertEquals(
      error.message,
      `--tls-cert 파일을 사용할 수 없습니다 (${key}): PEM 인증서가 들어 있지 않습니다`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
