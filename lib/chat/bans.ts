/**
 * Bans of one kind: IP addresses that may not connect, or registered nicknames
 * (by their key) whose account may not log in; each until a time, or until lifted.
 *
 * @module
 */

import type { BanEntry } from "./events.ts";

/** What a {@linkcode Bans} refuses. */
export type BansKind = "address" | "nickname";

/** The bans of one kind, as one server knows them. */
export class Bans {
  /** What it refuses. */
  readonly kind: BansKind;
  /** Target → end time (`Date.now()` time), or `undefined` until lifted. */
  #until = new Map<string, number | undefined>();
  /** A nickname as it was written, by key: `/bans` shows it (the key is not meant to be). */
  #names = new Map<string, string>();

  /**
   * @param kind What it refuses. @default {"address"}
   */
  constructor(kind: BansKind = "address") {
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
  list(now: number = Date.now()): BanEntry[] {
    const out: BanEntry[] = [];
    for (const [target, until] of [...this.#until]) {
      if (!this.has(target, now)) continue;
      out.push(
        this.kind === "address"
          ? { address: target, until }
          : { nick: this.#names.get(target) ?? target, until },
      );
    }
    return out;
  }

  #forget(target: string): void {
    this.#until.delete(target);
    this.#names.delete(target);
  }
}
