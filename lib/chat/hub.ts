/**
 * The hub: who is in the room, their nicknames, and fan-out. It does no I/O and
 * never waits: it appends broadcasts to the room's log, tells each member's
 * outbox, and drops a member whose outbox is full.
 *
 * @module
 */

import { BroadcastLog } from "../fanout/broadcast_log.ts";
import type { Messages } from "../catalog/catalog.ts";
import type { Outbox } from "../fanout/outbox.ts";
import { nicknameKey } from "./protocol.ts";

/** What the hub needs of a connection. */
export interface Member {
  /** The connection's outbox; only its writer task takes from it. */
  readonly outbox: Outbox;
  /** Closes the member's connection at once, without flushing; called after the hub removed it. */
  drop(): void;
}

/** Options for {@linkcode Hub}. */
export interface HubOptions {
  /** The catalog the join and leave notices come from. */
  messages: Messages;
}

/**
 * The room. Lines broadcast during one synchronous burst (for instance every line
 * of one read) are encoded once, in a microtask, into the room's log that every
 * member reads through its own cursor: every member gets every broadcast, in one
 * and the same order, and a burst costs each member a comparison and a wake-up,
 * no copy and no memory.
 */
export class Hub {
  #messages: Messages;
  #encoder = new TextEncoder();
  #log = new BroadcastLog();
  /** Everyone who receives broadcasts, in joining order. */
  #members = new Set<Member>();
  #nicknames = new Map<Member, string>();
  #byKey = new Map<string, Member>();
  #pending: string[] = [];
  #flushScheduled = false;

  /**
   * @param options The catalog.
   */
  constructor(options: HubOptions) {
    this.#messages = options.messages;
  }

  /** The number of members (joined chat users, or echo-broadcast connections). */
  get size(): number {
    return this.#members.size;
  }

  /**
   * The nicknames online, in joining order.
   * @returns The nicknames.
   */
  nicknames(): string[] {
    return [...this.#nicknames.values()];
  }

  /**
   * The nickname of a member.
   * @param member The member.
   * @returns Its nickname, or `undefined` when it has none (not joined, or echo mode).
   */
  nicknameOf(member: Member): string | undefined {
    return this.#nicknames.get(member);
  }

  /**
   * Finds a member by nickname, ignoring case.
   * @param nickname The nickname.
   * @returns The member and its nickname as registered, or `undefined`.
   */
  find(nickname: string): { member: Member; nickname: string } | undefined {
    const member = this.#byKey.get(nicknameKey(nickname));
    if (member === undefined) return undefined;
    return { member, nickname: this.#nicknames.get(member)! };
  }

  /**
   * Adds a member with a nickname and tells everyone, the newcomer included.
   * The caller validates the nickname first (see `isValidNickname`).
   *
   * @param member The connection.
   * @param nickname A valid nickname.
   * @returns `false` when the nickname is taken (compared ignoring case).
   */
  join(member: Member, nickname: string): boolean {
    const key = nicknameKey(nickname);
    if (this.#byKey.has(key)) return false;
    this.#byKey.set(key, member);
    this.#nicknames.set(member, nickname);
    this.#subscribe(member);
    this.broadcast(this.#messages.joined(nickname));
    return true;
  }

  /**
   * Adds a member without a nickname (echo-broadcast mode): it receives
   * broadcasts, and nobody is told it came or went.
   *
   * @param member The connection.
   */
  add(member: Member): void {
    this.#subscribe(member);
  }

  /**
   * Removes a member. When it had a nickname, everyone else is told it left. Safe
   * to call more than once: the notice goes out exactly once.
   *
   * @param member The connection.
   * @param notify Tell the others (`false` at shutdown, when everyone leaves).
   * @returns `true` when it was a member.
   */
  remove(member: Member, notify = true): boolean {
    if (!this.#members.has(member)) return false;
    // What was broadcast before it left still reaches it (its own last line, say).
    this.flush();
    this.#members.delete(member);
    member.outbox.unsubscribe();
    const nickname = this.#nicknames.get(member);
    if (nickname !== undefined) {
      this.#nicknames.delete(member);
      this.#byKey.delete(nicknameKey(nickname));
      if (notify) this.broadcast(this.#messages.left(nickname));
    }
    return true;
  }

  /**
   * Sends a line to every member. Never waits.
   *
   * @param line The line, without `\n`.
   */
  broadcast(line: string): void {
    this.#pending.push(line, "\n");
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /**
   * Sends lines to one connection (member or not), after every broadcast made
   * before, so that it sees them in order. Never waits.
   *
   * @param member The connection.
   * @param lines The lines, without `\n`.
   * @returns `false` when its outbox was full; it was then removed and dropped.
   */
  send(member: Member, ...lines: string[]): boolean {
    this.flush();
    const bytes = this.#encoder.encode(lines.join("\n") + "\n");
    if (member.outbox.trySend(bytes)) return true;
    this.#overflow([member]);
    return false;
  }

  /** Appends the pending broadcast lines to the log and tells every member, now. */
  flush(): void {
    this.#flushScheduled = false;
    while (this.#pending.length > 0) {
      this.#log.append(this.#pending.join(""));
      this.#pending = [];
      let full: Member[] | undefined;
      let oldest = this.#log.end;
      for (const member of this.#members) {
        const outbox = member.outbox;
        if (!outbox.notifyAppended()) (full ??= []).push(member);
        else if (outbox.cursor < oldest) oldest = outbox.cursor;
      }
      this.#log.trim(oldest);
      // Leave notices of dropped members are broadcast in turn: loop until none.
      if (full !== undefined) this.#overflow(full);
    }
  }

  #subscribe(member: Member): void {
    // Lines broadcast before it came are not its to receive.
    this.flush();
    member.outbox.subscribe(this.#log);
    this.#members.add(member);
  }

  #overflow(members: Member[]): void {
    for (const member of members) {
      // Dropped: nothing more is sent to it, so nothing is kept for it.
      member.outbox.discard();
      this.remove(member);
      member.drop();
    }
  }
}
