/**
 * The server irctest runs against (see docs/irc.md): a chat server with its IRC
 * port named `My.Little.Server` (irctest expects that name), no flood control, no
 * history (irctest reuses channel names and expects them new), and a control port
 * where the irctest controller makes accounts (`REGISTER NAME PASSWORD`), as
 * other servers' controllers make them through their services. Accounts made there
 * skip `/register`'s 8-character minimum (irctest's passwords are shorter), and the
 * per-address limiter of wrong passwords is off.
 *
 * Usage: `deno run -A scripts/irctest/server.ts IRC_PORT CONTROL_PORT [--password P]
 * [--op-password P]`
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { nicknameKey } from "../../lib/chat/nickname.ts";
import { serve } from "../../lib/server/server.ts";
import { hashPassword } from "../../lib/util/password_hash.ts";

const args = parseArgs(Deno.args, { string: ["password", "op-password"] });
const [ircPort, controlPort] = args._.map(Number);
const text = (value: unknown) => typeof value === "string" ? value : undefined;
const server = serve({
  port: 0,
  irc: { port: ircPort, name: "My.Little.Server" },
  rateLinesPerSecond: 0,
  maxPerAddress: 1000,
  historyLimit: 0,
  quiet: true,
  password: text(args.password),
  opPassword: text(args["op-password"]),
  onListen: () => {},
  // irctest sends every wrong password from 127.0.0.1: the guessing limiter would
  // slow it down and lock it out.
  passwordAttempts: () => ({ verdict: () => ({ delayMs: 0, lockedOut: false }), failed: () => {} }),
});
const control = Deno.listen({ hostname: "127.0.0.1", port: controlPort });
console.log(`irctest server: IRC on ${ircPort}, control on ${controlPort}`);
for await (const conn of control) {
  const line = new TextDecoder().decode((await conn.readable.getReader().read()).value);
  const [verb, name, password] = line.trim().split(" ");
  let answer = "ERROR\n";
  if (verb === "REGISTER" && name !== undefined) {
    // irctest registers the same names again in later tests, maybe with other passwords.
    await server.chat.store.deleteAccount(nicknameKey(name));
    const created = await server.chat.store.createAccount({
      key: nicknameKey(name),
      nickname: name,
      passwordHash: await hashPassword(password ?? ""),
      operator: false,
      created: Date.now(),
      lastSeen: undefined,
    });
    answer = created ? "OK\n" : "EXISTS\n";
  }
  const writer = conn.writable.getWriter();
  await writer.write(new TextEncoder().encode(answer));
  await writer.close().catch(() => {});
}
