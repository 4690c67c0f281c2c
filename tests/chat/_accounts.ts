/**
 * Accounts for the chat tests: accounts made straight in the store, logins
 * through the prompts of fake peers, waits for lines that come after a password
 * hash (which takes real time, off the event loop), and a chat whose store the
 * test holds (its bus gives history events their ids, `"<epoch>.<seq>"`).
 *
 * @module
 */

import { Chat, type ChatConfig, type ChatOptions } from "../../lib/chat/chat.ts";
import { MemoryStore } from "../../lib/chat/memory_store.ts";
import { nicknameKey } from "../../lib/chat/nickname.ts";
import type { Account, Store } from "../../lib/chat/store.ts";
import { hashPassword } from "../../lib/util/password_hash.ts";
import { EN_FORMAT, FakePeer, microtasks, testConfig } from "./_fake_peer.ts";

/** How long a test waits for a line before failing (a hash takes ~0.1 s; the machine is shared). */
export const WAIT_MS = 10_000;

/**
 * Waits until a peer has received a line that matches, among the lines not yet
 * taken. Polls the event loop: the line may come after a hash made on another thread.
 *
 * @param peer The peer.
 * @param match The line, or a pattern.
 * @param count How many such lines to wait for. @default {1}
 * @param timeoutMs The safety net.
 * @returns The `count`-th such line.
 */
export async function waitForLine(
  peer: FakePeer,
  match: string | RegExp,
  count = 1,
  timeoutMs = WAIT_MS,
): Promise<string> {
  const test = (line: string) => typeof match === "string" ? line === match : match.test(line);
  const deadline = Date.now() + timeoutMs;
  while (true) {
    await microtasks();
    const found = peer.lines().filter(test);
    if (found.length >= count) return found[count - 1];
    if (Date.now() > deadline) {
      throw new Error(
        `No line ${match} within ${timeoutMs} ms; got ${JSON.stringify(peer.lines())}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * Waits until a peer's connection is closed.
 *
 * @param peer The peer.
 * @param timeoutMs The safety net.
 */
export async function waitClosed(peer: FakePeer, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (peer.closed === undefined) {
    if (Date.now() > deadline) throw new Error(`Not closed; got ${JSON.stringify(peer.lines())}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await microtasks();
}

/**
 * Makes an account straight in the store.
 *
 * @param store The store.
 * @param nickname The nickname.
 * @param password Its password.
 * @param fields Other fields (`operator`, `lastSeen`).
 * @returns The account.
 */
export async function addAccount(
  store: Store,
  nickname: string,
  password: string,
  fields: Partial<Account> = {},
): Promise<Account> {
  const account: Account = {
    key: nicknameKey(nickname),
    nickname,
    passwordHash: await hashPassword(password),
    operator: false,
    created: Date.now(),
    lastSeen: undefined,
    ...fields,
  };
  store.createAccount(account);
  return account;
}

/**
 * Logs in through the prompts as an English-speaking peer and waits for the
 * members line that ends entering its room; what it received is kept (not taken).
 *
 * @param chat The chat.
 * @param nick The nickname.
 * @param password The password.
 * @param options As for {@linkcode FakePeer}, and lines sent before the nickname.
 * @returns The peer.
 */
export async function logIn(
  chat: Chat,
  nick: string,
  password: string,
  options: ConstructorParameters<typeof FakePeer>[1] & { before?: string[] } = {},
): Promise<FakePeer> {
  const peer = new FakePeer(chat, { format: EN_FORMAT, ...options });
  peer.session.start();
  peer.type(...(options.before ?? []), nick);
  await waitForLine(peer, /^Password for /);
  peer.type(password);
  await waitForLine(peer, /^\d+ online: /);
  return peer;
}

/**
 * Makes a chat on a store in memory that the test can reach (its bus numbers the
 * history events and writes them there, as every chat's bus does).
 *
 * @param overrides Chat settings.
 * @param options More chat options (attempts).
 * @returns The chat and its store.
 */
export function numberedChat(
  overrides: Partial<ChatConfig> = {},
  options: ChatOptions = {},
): { chat: Chat; store: MemoryStore } {
  const store = new MemoryStore();
  const chat = new Chat(testConfig(overrides), { ...options, store });
  return { chat, store };
}
