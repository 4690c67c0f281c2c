/**
 * A directory that knows users on "another server": they are found, and kicking
 * one waits for the test to say whether the cluster took it, as Redis answers
 * later. Everyone else is local, in memory.
 *
 * @module
 */

import type { Bans } from "../../lib/chat/bans.ts";
import type { ChatCluster } from "../../lib/chat/chat.ts";
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
import type { MaybePromise } from "../../lib/util/maybe_async.ts";

/** A local directory plus remote users whose kicks are answered by the test. */
export class RemoteDirectory implements Directory {
  /** The kicks of remote users asked for, in order. */
  readonly kicks: { nick: string; removal: Removal }[] = [];
  #local = new LocalDirectory(() => []);
  #remote: Map<string, UserRef>;
  #answers: ((taken: boolean) => void)[] = [];

  /**
   * @param remote The nicknames of users on another server.
   */
  constructor(remote: string[]) {
    this.#remote = new Map(
      remote.map((nickname) => [nickname, { nickname, away: undefined, address: "198.51.100.9" }]),
    );
  }

  /** A bus and this directory, for the chat's `cluster` option. */
  get cluster(): ChatCluster {
    return { bus: new LocalBus(50), directory: this };
  }

  get bans(): Bans {
    return this.#local.bans;
  }

  get nicknameBans(): Bans<"nickname"> {
    return this.#local.nicknameBans;
  }

  claim(user: User): boolean {
    return !this.#remote.has(user.nickname) && this.#local.claim(user);
  }

  /** A nickname held on "another server" is not taken from there, as in the Redis directory. */
  takeOver(user: User): TakeOver {
    if (this.#remote.has(user.nickname)) return { claimed: false, ghost: undefined };
    return this.#local.takeOver(user);
  }

  rename(user: User, nickname: string): boolean {
    return !this.#remote.has(nickname) && this.#local.rename(user, nickname);
  }

  release(user: User): void {
    this.#local.release(user);
  }

  changed(): void {}

  find(nickname: string): UserRef | undefined {
    return this.#remote.get(nickname) ?? this.#local.find(nickname);
  }

  deliver(to: UserRef, event: UserEvent): boolean {
    return this.#local.deliver(to, event);
  }

  kick(target: UserRef, removal: Removal): MaybePromise<boolean> {
    if (!this.#remote.has(target.nickname)) return this.#local.kick(target, removal);
    this.kicks.push({ nick: target.nickname, removal });
    const { promise, resolve } = Promise.withResolvers<boolean>();
    this.#answers.push(resolve);
    return promise;
  }

  who(room: Room, limit?: number): Members {
    return this.#local.who(room, limit);
  }

  rooms(): RoomEntry[] {
    return this.#local.rooms();
  }

  ban(address: string, minutes: number): void {
    this.#local.ban(address, minutes);
  }

  unban(address: string): boolean {
    return this.#local.unban(address);
  }

  banNickname(ban: NicknameBan): void {
    this.#local.banNickname(ban);
  }

  unbanNickname(key: string): boolean {
    return this.#local.unbanNickname(key);
  }

  /**
   * Answers every kick still waiting.
   *
   * @param taken Whether the cluster took them.
   */
  answerKicks(taken: boolean): void {
    for (const answer of this.#answers.splice(0)) answer(taken);
  }
}
