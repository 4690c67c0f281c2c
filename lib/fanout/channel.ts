/**
 * A channel: fan-out of events to subscribers, each event rendered once per format.
 *
 * Events published during one synchronous burst (for instance every line of one
 * read) are rendered in a microtask, once per format that has subscribers, into
 * that format's {@linkcode BroadcastLog}; every subscriber reads its format's log
 * through its own cursor. So every subscriber gets every event, in one and the
 * same order, and a burst costs each subscriber a comparison and a wake-up: no
 * rendering, no copy and no memory of its own. The channel does no I/O and never
 * waits: a subscriber whose outbox passes its limit is removed and told so.
 *
 * @module
 */

import { BroadcastLog } from "./broadcast_log.ts";
import type { Outbox } from "./outbox.ts";

/** How a channel turns events into bytes for one kind of subscriber (a wire format). */
export interface Format<E> {
  /**
   * Renders events and appends them to a log, in order.
   *
   * @param log The log of this format's subscribers.
   * @param events The events of one burst, oldest first.
   */
  append(log: BroadcastLog, events: readonly E[]): void;
}

/** What a channel needs of a subscriber. */
export interface Subscriber<E> {
  /** Where its share of the log is read from; only its writer takes from it. */
  readonly outbox: Outbox;
  /** The wire format it reads. Subscribers with the same format share one log. */
  readonly format: Format<E>;
  /**
   * Its outbox passed its limit. The channel has already removed it and discarded
   * what was waiting for it; the owner drops the connection.
   */
  overflowed(): void;
}

interface Group<E> {
  format: Format<E>;
  log: BroadcastLog;
  members: Set<Subscriber<E>>;
}

/** Fan-out of events to subscribers, in one order, each event rendered once per format. */
export class Channel<E> {
  #groups = new Map<Format<E>, Group<E>>();
  #size = 0;
  #pending: E[] = [];
  #scheduled = false;
  #flushTask = () => this.flush();

  /** The number of subscribers. */
  get size(): number {
    return this.#size;
  }

  /**
   * Tells whether a subscriber is in the channel.
   *
   * @param subscriber The subscriber.
   * @returns `true` when it receives this channel's events.
   */
  has(subscriber: Subscriber<E>): boolean {
    return this.#groups.get(subscriber.format)?.members.has(subscriber) ?? false;
  }

  /**
   * Adds a subscriber. It receives the events published from now on, not before.
   *
   * @param subscriber The subscriber.
   */
  add(subscriber: Subscriber<E>): void {
    // Events published before it came are not its to receive.
    this.flush();
    let group = this.#groups.get(subscriber.format);
    if (group === undefined) {
      group = { format: subscriber.format, log: new BroadcastLog(), members: new Set() };
      this.#groups.set(subscriber.format, group);
    }
    if (group.members.has(subscriber)) return;
    subscriber.outbox.subscribe(group.log);
    group.members.add(subscriber);
    this.#size++;
  }

  /**
   * Removes a subscriber. What was published before still reaches it.
   *
   * @param subscriber The subscriber.
   * @returns `true` when it was in the channel.
   */
  remove(subscriber: Subscriber<E>): boolean {
    const group = this.#groups.get(subscriber.format);
    if (group === undefined || !group.members.has(subscriber)) return false;
    this.flush();
    this.#forget(group, subscriber);
    subscriber.outbox.unsubscribe();
    return true;
  }

  /**
   * Sends an event to every subscriber. Never waits: it is rendered with the rest
   * of its burst, in a microtask (or at the next {@linkcode Channel.flush}).
   *
   * @param event The event.
   */
  publish(event: E): void {
    this.#pending.push(event);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flushTask);
    }
  }

  /**
   * Renders the pending events into each format's log and tells every subscriber,
   * now. Call it before sending a subscriber anything of its own, so that it sees
   * the events published before in order.
   */
  flush(): void {
    this.#scheduled = false;
    while (this.#pending.length > 0) {
      const events = this.#pending;
      this.#pending = [];
      let full: Subscriber<E>[] | undefined;
      for (const group of this.#groups.values()) {
        const log = group.log;
        group.format.append(log, events);
        let oldest = log.end;
        for (const member of group.members) {
          const outbox = member.outbox;
          if (!outbox.notifyAppended()) (full ??= []).push(member);
          else if (outbox.cursor < oldest) oldest = outbox.cursor;
        }
        log.trim(oldest);
      }
      // What the owners publish when told (leave notices) is handled by the next round.
      if (full !== undefined) { for (const member of full) this.#overflow(member); }
    }
  }

  #overflow(subscriber: Subscriber<E>): void {
    const group = this.#groups.get(subscriber.format);
    if (group !== undefined && group.members.has(subscriber)) this.#forget(group, subscriber);
    // Dropped: nothing more is sent to it, so nothing is kept for it.
    subscriber.outbox.discard();
    subscriber.overflowed();
  }

  #forget(group: Group<E>, subscriber: Subscriber<E>): void {
    group.members.delete(subscriber);
    this.#size--;
    // An empty group's log goes with it; the next subscriber of that format starts a new one.
    if (group.members.size === 0) this.#groups.delete(subscriber.format);
  }
}
