/**
 * Address bans: which IP addresses may not connect, and until when.
 *
 * @module
 */

import type { BanEntry } from "./events.ts";

/** A ban of an address, as `/bans` lists it. */
export type AddressBan = Extract<BanEntry, { address: string }>;

/** The banned addresses of one server. */
export class Bans {
  /** Address → end time (`Date.now()` time), or `undefined` until lifted (on one server: or until it stops). */
  #until = new Map<string, number | undefined>();

  /**
   * Bans an address.
   *
   * @param address The IP address, as the transport writes it.
   * @param minutes How long; `0` until lifted (on one server: or until it stops).
   * @param now The current time. @default {Date.now()}
   */
  add(address: string, minutes: number, now: number = Date.now()): void {
    this.#until.set(address, minutes === 0 ? undefined : now + minutes * 60_000);
  }

  /**
   * Bans an address until a given time (a ban made on another server).
   *
   * @param address The IP address.
   * @param until When it ends (`Date.now()` time), or `undefined` until lifted.
   */
  set(address: string, until: number | undefined): void {
    this.#until.set(address, until);
  }

  /**
   * Lifts a ban.
   *
   * @param address The IP address.
   * @param now The current time. @default {Date.now()}
   * @returns `false` when it was not banned.
   */
  remove(address: string, now: number = Date.now()): boolean {
    const banned = this.has(address, now);
    this.#until.delete(address);
    return banned;
  }

  /**
   * Tells whether an address is banned now. Expired bans are forgotten.
   *
   * @param address The IP address.
   * @param now The current time. @default {Date.now()}
   * @returns `true` when it may not connect.
   */
  has(address: string, now: number = Date.now()): boolean {
    if (!this.#until.has(address)) return false;
    const until = this.#until.get(address);
    if (until !== undefined && until <= now) {
      this.#until.delete(address);
      return false;
    }
    return true;
  }

  /**
   * The bans in force, in the order they were made.
   *
   * @param now The current time. @default {Date.now()}
   * @returns The bans.
   */
  list(now: number = Date.now()): AddressBan[] {
    const out: AddressBan[] = [];
    for (const [address, until] of [...this.#until]) {
      if (this.has(address, now)) out.push({ address, until });
    }
    return out;
  }
}
