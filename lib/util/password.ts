/**
 * The room password check.
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";

/** Checks a candidate against the room password in constant time. */
export class PasswordCheck {
  #digest: Uint8Array;

  /**
   * @param password The room password.
   */
  constructor(password: string) {
    this.#digest = sha256(password);
  }

  /**
   * Compares in time that depends on neither the password nor the candidate:
   * both are hashed to 32 bytes, then compared with `timingSafeEqual`.
   *
   * @param candidate What the client sent.
   * @returns `true` when it is the password.
   */
  matches(candidate: string): boolean {
    return timingSafeEqual(sha256(candidate), this.#digest);
  }
}

function sha256(text: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(text, "utf8").digest());
}
