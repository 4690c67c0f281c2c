/**
 * Open connections per IP address, for `--max-per-address`: one machine (or one
 * NAT) cannot fill the server by itself.
 *
 * @module
 */

import type { ConnectionCounts } from "./options.ts";

/** Counts open connections per address; an address with none is forgotten. */
export class AddressCounts implements ConnectionCounts {
  #counts = new Map<string, number>();
  #total = 0;

  /** @inheritdoc */
  total(): number {
    return this.#total;
  }

  /**
   * @param address The IP address, as bans compare it.
   * @returns Its open connections.
   */
  count(address: string): number {
    return this.#counts.get(address) ?? 0;
  }

  /**
   * A connection from the address was accepted.
   *
   * @param address The IP address.
   */
  add(address: string): void {
    this.#total++;
    this.#counts.set(address, this.count(address) + 1);
  }

  /**
   * A connection from the address closed.
   *
   * @param address The IP address.
   */
  remove(address: string): void {
    this.#total--;
    const left = this.count(address) - 1;
    if (left > 0) this.#counts.set(address, left);
    else this.#counts.delete(address);
  }
}
