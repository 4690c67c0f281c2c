/**
 * A worker's directory: nicknames are claimed, and presence is kept, by the
 * coordinator (one place for the whole process, so two workers claiming one
 * nickname at once cannot both win); a user on another worker is reached through
 * the coordinator, which hands whispers and kicks to that worker. Bans are the
 * coordinator's too; each worker keeps a copy that every change reaches, so a
 * connection's ban is checked at once.
 *
 * @module
 */

import { Bans } from "../chat/bans.ts";
import type { Directory, Members, NicknameBan, TakeOver, UserRef } from "../chat/directory.ts";
import type { Removal, RoomEntry, UserEvent } from "../chat/events.ts";
import { nicknameKey } from "../chat/nickname.ts";
import type { Room } from "../chat/room.ts";
import type { User } from "../chat/user.ts";
import type { BanChange, PresenceEntry, UserState } from "./messages.ts";
import type { WorkerLink } from "./worker_link.ts";

/** A user on another worker, as `find` gives it. */
export class OtherWorkerUser implements UserRef {
  /**
   * @param nickname The nickname as registered.
   * @param away The away reason, or `undefined`.
   * @param address The IP address.
   * @param worker The worker that holds it.
   * @param userId Its id there.
   */
  constructor(
    readonly nickname: string,
    readonly away: string | undefined,
    readonly address: string,
    readonly worker: number,
    readonly userId: number,
  ) {}
}

/** What the coordinator answers to `takeOver`. */
export interface TakeOverAnswer {
  /** Whether the user has the nickname now. */
  claimed: boolean;
  /** The id of this worker's user that held it, if any. */
  ghost: number | undefined;
}

/** The directory of one worker. */
export class WorkerDirectory implements Directory {
  /** @inheritdoc */
  readonly bans: Bans = new Bans("address");
  /** @inheritdoc */
  readonly nicknameBans: Bans<"nickname"> = new Bans("nickname");
  #link: WorkerLink;
  #worker: number;
  #nextId = 1;
  /** This worker's users with a nickname, by key. */
  #local = new Map<string, User>();
  #ids = new WeakMap<User, number>();
  #byId = new Map<number, User>();

  /**
   * @param link The line to the coordinator.
   * @param worker This worker's number.
   * @param bans The bans in force when it starts.
   */
  constructor(link: WorkerLink, worker: number, bans: readonly BanChange[]) {
    this.#link = link;
    this.#worker = worker;
    for (const ban of bans) this.applyBan(ban);
  }

  /** This worker's users with a nickname. */
  get size(): number {
    return this.#local.size;
  }

  /**
   * A ban made or lifted elsewhere (or at start): this worker's copy follows.
   *
   * @param change The ban.
   */
  applyBan(change: BanChange): void {
    const bans = change.kind === "address" ? this.bans : this.nicknameBans;
    if (change.lifted) bans.remove(change.target);
    else bans.set(change.target, change.until, change.name);
  }

  /**
   * A whisper for a user of this worker, from another.
   *
   * @param userId The user's id.
   * @param event The event.
   */
  deliverHere(userId: number, event: UserEvent): void {
    this.#byId.get(userId)?.send(event);
  }

  /** What a worker does with a user whose nickname a login on another worker took. */
  onReclaim: (user: User) => void = (user) => user.reclaimed();

  /**
   * A login on another worker took the nickname of a user of this worker: it is no
   * longer in the directory, and goes (see {@linkcode WorkerDirectory.onReclaim}).
   *
   * @param userId The user's id.
   */
  reclaimHere(userId: number): void {
    const user = this.#byId.get(userId);
    if (user === undefined) return;
    this.#forget(user);
    this.onReclaim(user);
  }

  /**
   * A kick or ban of a user of this worker, from another.
   *
   * @param userId The user's id.
   * @param removal Who, why, how long.
   */
  kickHere(userId: number, removal: Removal): void {
    this.#byId.get(userId)?.kick(removal);
  }

  /** @inheritdoc */
  claim(user: User): boolean | Promise<boolean> {
    if (this.#local.has(user.key)) return false;
    return this.#link.ask<boolean>((id) => ({ op: "claim", id, user: this.#state(user) })).then(
      (claimed) => {
        if (claimed) this.#local.set(user.key, user);
        else this.#forget(user);
        return claimed;
      },
    );
  }

  /** @inheritdoc */
  takeOver(user: User): TakeOver | Promise<TakeOver> {
    return this.#link.ask<TakeOverAnswer>((id) => ({
      op: "takeOver",
      id,
      user: this.#state(user),
    })).then(({ claimed, ghost }) => {
      if (!claimed) {
        this.#forget(user);
        return { claimed, ghost: undefined };
      }
      const holder = ghost === undefined ? undefined : this.#byId.get(ghost);
      if (holder !== undefined) this.#forget(holder);
      this.#local.set(user.key, user);
      return { claimed, ghost: holder === user ? undefined : holder };
    });
  }

  /** @inheritdoc */
  rename(user: User, nickname: string): boolean | Promise<boolean> {
    if (this.#local.get(user.key) !== user) return false;
    const holder = this.#local.get(nicknameKey(nickname));
    if (holder !== undefined && holder !== user) return false;
    const userId = this.#idOf(user);
    const oldKey = user.key;
    return this.#link.ask<boolean>((id) => ({ op: "rename", id, userId, oldKey, nickname })).then(
      (renamed) => {
        if (!renamed || this.#local.get(oldKey) !== user) return false;
        this.#local.delete(oldKey);
        user.rename(nickname);
        this.#local.set(user.key, user);
        return true;
      },
    );
  }

  /** @inheritdoc */
  release(user: User): void {
    if (this.#local.get(user.key) !== user) return;
    this.#link.send({ op: "release", userId: this.#idOf(user), key: user.key });
    this.#forget(user);
  }

  /** @inheritdoc */
  changed(user: User): void {
    if (this.#local.get(user.key) !== user) return;
    // The coordinator reads its items in order: whoever asks after this sees it.
    this.#link.send({ op: "changed", user: this.#state(user) });
  }

  /** @inheritdoc */
  find(nickname: string): UserRef | undefined | Promise<UserRef | undefined> {
    const local = this.#local.get(nicknameKey(nickname));
    if (local !== undefined) return local;
    return this.#link.ask<PresenceEntry | undefined>((id) => ({ op: "find", id, nickname })).then(
      (entry) => {
        if (entry === undefined) return undefined;
        // One of ours after all (it came or was renamed meanwhile): the local user.
        if (entry.worker === this.#worker) return this.#byId.get(entry.userId);
        return new OtherWorkerUser(
          entry.nick,
          entry.away,
          entry.address,
          entry.worker,
          entry.userId,
        );
      },
    );
  }

  /** @inheritdoc */
  deliver(to: UserRef, event: UserEvent): boolean {
    if (to instanceof OtherWorkerUser) {
      this.#link.send({ op: "deliver", worker: to.worker, userId: to.userId, event });
      return true;
    }
    (to as User).send(event);
    return true;
  }

  /** @inheritdoc */
  kick(target: UserRef, removal: Removal): boolean {
    if (target instanceof OtherWorkerUser) {
      this.#link.send({ op: "kick", worker: target.worker, userId: target.userId, removal });
      return true;
    }
    (target as User).kick(removal);
    return true;
  }

  /** @inheritdoc */
  who(room: Room, limit = Infinity): Promise<Members> {
    // Infinity does not survive a message as a number of its own: -1 is "all".
    const most = Number.isFinite(limit) ? limit : -1;
    return this.#link.ask<Members>((id) => ({ op: "who", id, room: room.key, limit: most }));
  }

  /** @inheritdoc */
  rooms(): Promise<RoomEntry[]> {
    return this.#link.ask<RoomEntry[]>((id) => ({ op: "rooms", id }));
  }

  /** @inheritdoc */
  ban(address: string, minutes: number): void {
    this.#change({ kind: "address", target: address, lifted: false, until: banEnd(minutes) });
  }

  /** @inheritdoc */
  unban(address: string): boolean {
    const banned = this.bans.has(address);
    this.#change({ kind: "address", target: address, lifted: true });
    return banned;
  }

  /** @inheritdoc */
  banNickname(ban: NicknameBan): void {
    this.#change({
      kind: "nickname",
      target: ban.key,
      lifted: false,
      until: banEnd(ban.minutes),
      name: ban.name,
      by: ban.by,
      reason: ban.reason,
    });
  }

  /** @inheritdoc */
  unbanNickname(key: string): boolean {
    const banned = this.nicknameBans.has(key);
    this.#change({ kind: "nickname", target: key, lifted: true });
    return banned;
  }

  /** Applies a ban here at once, and has the coordinator keep it and tell the others. */
  #change(change: BanChange): void {
    this.applyBan(change);
    this.#link.send({ op: "ban", change });
  }

  #state(user: User): UserState {
    return {
      userId: this.#idOf(user),
      nick: user.nickname,
      address: user.address,
      room: user.room?.name ?? "",
      roomKey: user.room?.key ?? "",
      away: user.away,
    };
  }

  #idOf(user: User): number {
    let id = this.#ids.get(user);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(user, id);
    }
    // Set again after a refused claim forgot it (the user tries another nickname).
    this.#byId.set(id, user);
    return id;
  }

  #forget(user: User): void {
    if (this.#local.get(user.key) === user) this.#local.delete(user.key);
    const id = this.#ids.get(user);
    if (id !== undefined) this.#byId.delete(id);
  }
}

/** When a ban of `minutes` made now ends; `0`: never. */
function banEnd(minutes: number): number | undefined {
  return minutes === 0 ? undefined : Date.now() + minutes * 60_000;
}
