/**
 * Bans of one kind: IP addresses that may not connect, or registered nicknames
 * (by their key) whose account may not log in; each until a time, or until lifted.
 *
 * @module
 */

import type { BanEntry } from "./events.ts";

/** What a {@linkcode Bans} refuses. */
export type BansKind = "address" | "nickname";

/** A ban of an address, as `/bans` lists it. */
export type AddressBan = Extract<BanEntry, { address: string }>;

/** A ban of a registered nickname, as `/bans` lists it (the nickname as written). */
export type NicknameBanEntry = Extract<BanEntry, { nick: string }>;

/** The entry a {@linkcode Bans} of kind `K` lists. */
export type BanEntryOf<K extends BansKind> = K extends "address" ? AddressBan : NicknameBanEntry;

/**
 * The bans of one kind, as one server knows them. The kind is in the type, so an
 * address ban list (what a cluster publishes again) never holds a nickname.
 */
export class Bans<K extends BansKind = "address"> {
  /** What it refuses. */
  readonly kind: K;
  /** Target → end time (`Date.now()` time), or `undefined` until lifted. */
  #until = new Map<string, number | undefined>();
  /** A nickname as it was written, by key: `/bans` shows it (the key is not meant to be). */
  #names = new Map<string, string>();

  /**
   * @param kind What it refuses.
   */
  constructor(kind: K) {
    this.kind = kind;
  }

  /**
   * Bans a target for some minutes.
   *
   * @param target The IP address, as the transport writes it (or a nickname's key).
   * @param minutes How long; `0` until lifted.
   * @param now The current time. @default {Date.now()}
   */
  add(target: string, minutes: number, now: number = Date.now()): void {
    this.set(target, minutes === 0 ? undefined : now + minutes * 60_000);
  }

  /**
   * Bans a target until a given time (a ban read back, or made on another server).
   *
   * @param target The IP address, or a nickname's key.
   * @param until When it ends (`Date.now()` time), or `undefined` until lifted.
   * @param name A nickname as it was written, for `/bans`. @default {the target}
   */
  set(target: string, until: number | undefined, name?: string): void {
    this.#until.set(target, until);
    if (name === undefined) this.#names.delete(target);
    else this.#names.set(target, name);
  }

  /**
   * Lifts a ban.
   *
   * @param target The IP address, or a nickname's key.
   * @param now The current time. @default {Date.now()}
   * @returns `false` when it was not banned.
   */
  remove(target: string, now: number = Date.now()): boolean {
    const banned = this.has(target, now);
    this.#forget(target);
    return banned;
  }

  /**
   * Tells whether a target is banned now. Expired bans are forgotten.
   *
   * @param target The IP address, or a nickname's key.
   * @param now The current time. @default {Date.now()}
   * @returns `true` when it is refused.
   */
  has(target: string, now: number = Date.now()): boolean {
    if (!this.#until.has(target)) return false;
    const until = this.#until.get(target);
    if (until !== undefined && until <= now) {
      this.#forget(target);
      return false;
    }
    return true;
  }

  /**
   * The bans in force, in the order they were made, as `/bans` lists them.
   *
   * @param now The current time. @default {Date.now()}
   * @returns The bans.
   */
  list(now: number = Date.now()): BanEntryOf<K>[] {
    const out: BanEntry[] = [];
    for (const [target, until] of [...this.#until]) {
      if (!this.has(target, now)) continue;
      out.push(
        this.kind === "address"
          ? { address: target, until }
          : { nick: this.#names.get(target) ?? target, until },
      );
    }
    // Each entry was made by `kind`, which is `K`.
    return out as BanEntryOf<K>[];
  }

  /**
   * The bans in force with their targets (a nickname ban's key beside the name
   * `/bans` shows), for a cluster that publishes them again.
   *
   * @param now The current time. @default {Date.now()}
   * @returns The target, the name as written (the target for an address) and the end.
   */
  keyedList(now: number = Date.now()): { key: string; name: string; until: number | undefined }[] {
    const out: { key: string; name: string; until: number | undefined }[] = [];
    for (const [target, until] of [...this.#until]) {
      if (this.has(target, now)) {
        out.push({ key: target, name: this.#names.get(target) ?? target, until });
      }
    }
    return out;
  }

  #forget(target: string): void {
    this.#until.delete(target);
    this.#names.delete(target);
  }
}
