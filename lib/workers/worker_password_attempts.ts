/**
 * A worker's counts of wrong password answers: the coordinator keeps them for the
 * whole process, so guesses spread over the workers count together.
 *
 * @module
 */

import type { AttemptVerdict, PasswordAttempts, PasswordKind } from "../chat/password_attempts.ts";
import type { WorkerLink } from "./worker_link.ts";

/** The coordinator's counts, as a worker asks them. */
export class WorkerPasswordAttempts implements PasswordAttempts {
  #link: WorkerLink;

  /** @param link The line to the coordinator. */
  constructor(link: WorkerLink) {
    this.#link = link;
  }

  /** @inheritdoc */
  verdict(address: string): Promise<AttemptVerdict> {
    return this.#link.ask<AttemptVerdict>((id) => ({ op: "verdict", id, address }));
  }

  /** @inheritdoc */
  failed(address: string, kind: PasswordKind): void {
    this.#link.send({ op: "failed", address, kind });
  }
}
