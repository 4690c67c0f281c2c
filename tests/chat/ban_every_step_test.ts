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
import type { Directory, Members, TakeOver, UserRef } from "../../lib/chat/directory.ts";
import type { Removal, RoomEntry, UserEvent } from "../../lib/chat/events.ts";
import { LocalBus } from "../../lib/chat/local_bus.ts";
import { LocalDirectory } from "../../lib/chat/local_directory.ts";
import type { Room } from "../../lib/chat/room.ts";
import type { User } from "../../lib/chat/user.ts";
import { FakePeer, join, microtasks, testChat, testConfig } from "./_fake_peer.ts";

const BANNED = "이 서버에서 차단되었습니다.";
const SHARED = "198.51.100.7";

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

  get waiting(): number {
    return this.#answers.length;
  }

  /** Answers the oldest claim. */
  answer(): void {
    this.#answers.shift()?.();
  }

  get bans(): Bans {
    return this.local.bans;
  }
  claim(user: User): Promise<boolean> {
    return new Promise((resolve) => this.#answers.push(() => resolve(this.local.claim(user))));
  }
  takeOver(user: User): Promise<TakeOver> {
    return new Promise((resolve) => this.#answers.push(() => resolve(this.local.takeOver(user))));
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
}
