import { assertEquals, assertThrows } from "@std/assert";
import { checkRedisUrl, redactRedisUrl } from "../../lib/cluster/redis_url.ts";
import { UsageError } from "../../lib/util/errors.ts";

Deno.test("redis url: redis:// and rediss:// with a host, an optional database", () => {
  for (const url of ["redis://127.0.0.1:6379", "rediss://cache.lan:6380/2", "redis://u:p@h:1"]) {
    assertEquals(checkRedisUrl(url), url);
  }
  for (const url of ["127.0.0.1:6379", "http://h:1", "redis://", "redis://h:1/x", "nonsense"]) {
    const error = assertThrows(() => checkRedisUrl(url), UsageError);
    assertEquals(error.message.includes("\n"), false);
  }
});

Deno.test("redis url: the password never reaches the console", () => {
  assertEquals(redactRedisUrl("redis://user:s3cret@h:6379/1"), "redis://user:***@h:6379/1");
  assertEquals(redactRedisUrl("redis://h:6379"), "redis://h:6379");
});
