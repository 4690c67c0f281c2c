/**
 * The web port's names: which `Host` a request may carry and which origins are
 * the server's own pages, for every way the port can be bound. No sockets.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import { WebHosts } from "../../lib/server/web_hosts.ts";

function addr(hostname: string, port: number): Deno.NetAddr {
  return { transport: "tcp", hostname, port };
}

/** Which of `hosts` a `WebHosts` allows, as a list to compare whole. */
function allowedHosts(hosts: WebHosts, candidates: string[]): string[] {
  return candidates.filter((host) => hosts.allowsHost(host));
}

Deno.test("web hosts: bound to loopback, only the loopback names with the port are the server's", () => {
  const hosts = new WebHosts({ addr: addr("127.0.0.1", 8080) });
  assertEquals(
    allowedHosts(hosts, [
      "127.0.0.1:8080",
      "localhost:8080",
      "[::1]:8080",
      "[0:0:0:0:0:0:0:1]:8080",
      "127.0.0.1:8081",
      "127.0.0.1",
      "evil.example:8080",
      "127.0.0.1.evil.example:8080",
      "",
    ]),
    ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "[0:0:0:0:0:0:0:1]:8080"],
  );
  assertEquals(hosts.allowsHost(undefined), false);
});

Deno.test("web hosts: bound to every interface, the machine's addresses are its own, the wildcard is not", () => {
  let listings = 0;
  const hosts = new WebHosts({
    addr: addr("0.0.0.0", 8080),
    hostname: "0.0.0.0",
    interfaces: () => {
      listings++;
      return ["127.0.0.1", "192.168.1.7", "2001:db8::5", "fe80::1"];
    },
  });
  assertEquals(
    allowedHosts(hosts, [
      "192.168.1.7:8080",
      "[2001:db8::5]:8080",
      "localhost:8080",
      "192.168.1.7:9999",
      "192.168.1.8:8080",
      "0.0.0.0:8080",
      "evil.example:8080",
    ]),
    ["192.168.1.7:8080", "[2001:db8::5]:8080", "localhost:8080"],
  );
  // Misses list the addresses again at most once in a while, not once per request.
  for (let i = 0; i < 50; i++) hosts.allowsHost("evil.example:8080");
  assertEquals(listings, 1);
});

Deno.test("web hosts: bound to one address, that address and the name asked for are the server's", () => {
  const hosts = new WebHosts({
    addr: addr("192.0.2.7", 8080),
    hostname: "classroom.lan",
    interfaces: () => ["198.51.100.3"],
  });
  assertEquals(
    allowedHosts(hosts, ["192.0.2.7:8080", "classroom.lan:8080", "198.51.100.3:8080"]),
    ["192.0.2.7:8080", "classroom.lan:8080"],
  );
});

Deno.test("web hosts: on the scheme's default port the Host may leave the port out", () => {
  const plain = new WebHosts({ addr: addr("127.0.0.1", 80) });
  assertEquals(allowedHosts(plain, ["127.0.0.1", "127.0.0.1:80", "127.0.0.1:443"]), [
    "127.0.0.1",
    "127.0.0.1:80",
  ]);
  const tls = new WebHosts({ addr: addr("127.0.0.1", 443), tls: true });
  assertEquals(allowedHosts(tls, ["localhost", "localhost:443", "localhost:80"]), [
    "localhost",
    "localhost:443",
  ]);
});

Deno.test("web hosts: an origin is the server's when its scheme and host are, whatever Host was sent", () => {
  const hosts = new WebHosts({ addr: addr("127.0.0.1", 8080), allowed: ["[2001:db8::9]"] });
  const origins = [
    "http://127.0.0.1:8080",
    "http://localhost:8080",
    "http://[2001:db8::9]",
    "https://[2001:db8::9]:4443",
    "https://127.0.0.1:8080",
    "http://127.0.0.1:8081",
    "http://evil.example:8080",
    "null",
    "file://",
    "http://127.0.0.1:8080/path",
  ];
  assertEquals(origins.filter((origin) => hosts.allowsOrigin(origin)), origins.slice(0, 4));
});
