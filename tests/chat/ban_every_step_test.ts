/**
 * A ban applies at every step before joining, not only at arrival (issue 19, item
 * 3): a connection opened before the ban, waiting at a prompt, is refused at its
 * next line and at the moment of joining. Through fake peers: no socket, no timing.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import type { Bans } from "../../lib/chat/bans.ts";
import { Chat } from "../../lib/chat/chat.ts";
import type {
  Directory,
  Members,
  NicknameBan,
  TakeOver,
  UserRef,
} from "../../lib/chat/directory.ts";
import type { Removal, RoomEntry, UserEvent } from "../../lib/chat/events.ts";
import { LocalBus } from "../../lib/chat/local_bus.ts";
import { LocalDirectory } from "../../lib/chat/local_directory.ts";
import type { Room } from "../../lib/chat/room.ts";
import type { User } from "../../lib/chat/user.ts";
import {
  type AttemptVerdict,
  FREE_FAILURES,
  LocalPasswordAttempts,
  type PasswordAttempts,
} from "../../lib/chat/password_attempts.ts";
import { within } from "../fixtures/waiter.ts";
import { addAccount, logIn, WAIT_MS, waitClosed, waitForLine } from "./_accounts.ts";
import { EN_FORMAT, FakePeer, join, microtasks, testChat, testConfig } from "./_fake_peer.ts";

const BANNED = "이 서버에서 차단되었습니다.";
const SHARED = "198.51.100.7";
const ACCOUNT_PROMPT = "alice의 비밀번호를 입력하세요:";

/** The counts of one process, and how many times they were asked. */
class CountingAttempts extends LocalPasswordAttempts {
  asked = 0;
  override verdict(address: string): AttemptVerdict {
    this.asked++;
    return super.verdict(address);
  }
}

Deno.test("ban: a connection held at the nickname prompt is refused at its next line; members from the address stay", async () => {
  const chat = testChat();
  const op = await join(chat, "op", { address: SHARED });
  const spare = new FakePeer(chat, { address: SHARED });
  spare.session.start();
  spare.take();
  chat.directory.ban(SHARED, 10);
  spare.type("mallory");
  await microtasks();
  assertEquals(spare.take(), [BANNED]);
  assertEquals(spare.closed, { how: "end", reason: "banned" });
  assertEquals(chat.userCount, 1, "only the operator is in");
  op.take();
  op.type("/who");
  assertEquals(op.take(), ["접속자 1명: op"]);
});

Deno.test("ban: a connection held at the password prompt is refused at its next line, unchecked", () => {
  const chat = testChat({ password: "s3cret" });
  const spare = new FakePeer(chat, { address: SHARED });
  spare.session.start();
  assertEquals(spare.take(), ["비밀번호를 입력하세요:"]);
  chat.directory.ban(SHARED, 0);
  spare.type("s3cret");
  assertEquals(spare.take(), [BANNED]);
  assertEquals(spare.closed?.reason, "banned");
});

Deno.test("ban: a nickname claim that comes back after the ban does not join, and frees the nickname", async () => {
  const directory = new SlowClaims();
  const chat = new Chat(testConfig(), { cluster: { bus: new LocalBus(50), directory } });
  const spare = new FakePeer(chat, { address: SHARED });
  spare.session.start();
  spare.take();
  spare.type("mallory");
  assertEquals(directory.waiting, 1, "the claim is on its way");
  chat.directory.ban(SHARED, 5);
  directory.answer();
  await microtasks();
  assertEquals(spare.take(), [BANNED]);
  assertEquals(spare.closed?.reason, "banned");
  assertEquals(chat.userCount, 0);
  assertEquals(directory.local.find("mallory"), undefined, "the nickname is free again");
});

/** A chat with the account `alice`, its wrong answers counted in `attempts`. */
async function accountChat(
  attempts: PasswordAttempts = new LocalPasswordAttempts(),
  directory?: Directory,
): Promise<Chat> {
  const chat = new Chat(
    testConfig(),
    directory === undefined ? { attempts } : {
      attempts,
      cluster: { bus: new LocalBus(50), directory },
    },
  );
  await addAccount(chat.store, "alice", "alices password");
  return chat;
}

/** A connection from the shared address, at alice's password prompt. */
async function atAccountPrompt(chat: Chat): Promise<FakePeer> {
  const peer = new FakePeer(chat, { address: SHARED });
  peer.session.start();
  peer.type("alice");
  await waitForLine(peer, ACCOUNT_PROMPT);
  peer.take();
  return peer;
}

Deno.test("ban: a connection held at an account's password prompt is refused at its next line, its password unchecked", async () => {
  const attempts = new CountingAttempts();
  const chat = await accountChat(attempts);
  const spare = await atAccountPrompt(chat);
  chat.directory.ban(SHARED, 10);
  spare.type("alices password");
  await waitClosed(spare);
  assertEquals(spare.take(), [BANNED]);
  assertEquals(spare.closed, { how: "end", reason: "banned" });
  assertEquals(attempts.asked, 0, "the answer never reached the password gate");
  assertEquals(chat.userCount, 0);
});

Deno.test("ban: a login whose address is banned while its answer waits does not join, and takes no ghost's place", async () => {
  const attempts = new LocalPasswordAttempts();
  // Past the free wrong answers: the next answer from the address waits.
  for (let i = 0; i < FREE_FAILURES; i++) attempts.failed(SHARED, "account");
  const chat = await accountChat(attempts);
  const alice = await logIn(chat, "alice", "alices password", { address: "203.0.113.5" });
  const spare = await atAccountPrompt(chat);
  spare.type("alices password");
  chat.directory.ban(SHARED, 10);
  await waitClosed(spare);
  assertEquals(spare.take(), [BANNED]);
  assertEquals(spare.closed?.reason, "banned");
  assertEquals(alice.closed, undefined, "the one logged in keeps its nickname");
  assertEquals(chat.userCount, 1);
});

Deno.test("ban: a login to a nickname banned while its password was asked is refused: told, and the nickname prompt again", async () => {
  const chat = await accountChat();
  const spare = new FakePeer(chat, { address: SHARED, format: EN_FORMAT });
  spare.session.start();
  spare.type("alice");
  await waitForLine(spare, "Password for alice:");
  spare.take();
  chat.directory.banNickname({
    key: "alice",
    name: "alice",
    minutes: 0,
    by: "op",
    reason: undefined,
  });
  spare.type("alices password");
  await waitForLine(spare, "The nickname alice is banned.");
  assertEquals(spare.take(), ["The nickname alice is banned.", "Enter your nickname:"]);
  assertEquals(spare.session.user, undefined);
  assertEquals(chat.userCount, 0);
  // Another nickname is not banned.
  spare.type("bob");
  await waitForLine(spare, "1 online: bob");
});

Deno.test("ban: a login whose claim comes back after the ban of its address does not join, and frees the nickname", async () => {
  const directory = new SlowClaims();
  const chat = await accountChat(new LocalPasswordAttempts(), directory);
  const spare = await atAccountPrompt(chat);
  spare.type("alices password");
  await within(directory.arrived, "the claim to be on its way", WAIT_MS);
  assertEquals(directory.waiting, 1);
  chat.directory.ban(SHARED, 5);
  directory.answer();
  await waitClosed(spare);
  assertEquals(spare.take(), [BANNED]);
  assertEquals(spare.closed?.reason, "banned");
  assertEquals(chat.userCount, 0);
  assertEquals(directory.local.find("alice"), undefined, "the nickname is free again");
});

Deno.test("ban: another address at a prompt is not refused", async () => {
  const chat = testChat();
  const other = new FakePeer(chat, { address: "203.0.113.5" });
  other.session.start();
  chat.directory.ban(SHARED, 5);
  other.type("alice");
  await microtasks();
  assertEquals(other.closed, undefined);
  assertEquals(chat.userCount, 1);
});

/** A directory whose claims are answered when the test says so, as Redis answers later. */
class SlowClaims implements Directory {
  readonly local = new LocalDirectory(() => []);
  #answers: (() => void)[] = [];
  #arrived = Promise.withResolvers<void>();

  get waiting(): number {
    return this.#answers.length;
  }

  /** Resolves once a claim is waiting for its answer. */
  get arrived(): Promise<void> {
    return this.#arrived.promise;
  }

  /** Answers the oldest claim. */
  answer(): void {
    this.#answers.shift()?.();
  }

  get bans(): Bans {
    return this.local.bans;
  }
  get nicknameBans(): Bans<"nickname"> {
    return this.local.nicknameBans;
  }
  claim(user: User): Promise<boolean> {
    return this.#later(() => this.local.claim(user));
  }
  takeOver(user: User): Promise<TakeOver> {
    return this.#later(() => this.local.takeOver(user));
  }
  #later<T>(answer: () => T): Promise<T> {
    return new Promise((resolve) => {
      this.#answers.push(() => resolve(answer()));
      this.#arrived.resolve();
    });
  }
  rename(user: User, nickname: string): boolean {
    return this.local.rename(user, nickname);
  }
  release(user: User): void {
    this.local.release(user);
  }
  changed(): void {}
  find(nickname: string): UserRef | undefined {
    return this.local.find(nickname);
  }
  deliver(to: UserRef, event: UserEvent): boolean {
    return this.local.deliver(to, event);
  }
  kick(target: UserRef, removal: Removal): boolean {
    return this.local.kick(target, removal);
  }
  who(room: Room, limit?: number): Members {
    return this.local.who(room, limit);
  }
  rooms(): RoomEntry[] {
    return this.local.rooms();
  }
  ban(address: string, minutes: number): void {
    this.local.ban(address, minutes);
  }
  unban(address: string): boolean {
    return this.local.unban(address);
  }
  banNickname(ban: NicknameBan): void {
    this.local.banNickname(ban);
  }
  unbanNickname(key: string): boolean {
    return this.local.unbanNickname(key);
  }
}
