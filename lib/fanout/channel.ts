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

/**
 * The log grows by at most this much between two looks at every member (for the
 * output limit, and to forget what every cursor has passed); in between, an append
 * touches only the members whose writer waits. In a join storm most writers are busy,
 * and looking at every member for every notice made the storm quadratic in CPU.
 */
export const FULL_SCAN_BYTES = 64 * 1024;

interface Group<E> {
  format: Format<E>;
  log: BroadcastLog;
  members: Set<Subscriber<E>>;
  /** Members whose writer waits for bytes (may hold members that left since: checked). */
  idle: Subscriber<E>[];
  /** The log's end at the last look at every member. */
  scannedAt: number;
  /** The smallest output limit of a member: the scan comes at least 4 times within it. */
  minLimitBytes: number;
}

/** Options for {@linkcode Channel}. */
export interface ChannelOptions {
  /**
   * Runs before pending events are rendered (once per render, not per event or
   * subscriber): what must happen before any subscriber can see them, such as
   * storing them. @default {nothing}
   */
  beforeRender?: () => void;
}

/** Fan-out of events to subscribers, in one order, each event rendered once per format. */
export class Channel<E> {
  #groups = new Map<Format<E>, Group<E>>();
  #beforeRender: (() => void) | undefined;
  #size = 0;
  #pending: E[] = [];
  #scheduled = false;
  #flushTask = () => this.flush();

  /**
   * @param options What runs before each render.
   */
  constructor(options: ChannelOptions = {}) {
    this.#beforeRender = options.beforeRender;
  }

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
      group = {
        format: subscriber.format,
        log: new BroadcastLog(),
        members: new Set(),
        idle: [],
        scannedAt: 0,
        minLimitBytes: Infinity,
      };
      this.#groups.set(subscriber.format, group);
    }
    if (group.members.has(subscriber)) return;
    const idle = group.idle;
    const outbox = subscriber.outbox;
    outbox.subscribe(group.log, () => group.idle.push(subscriber));
    group.members.add(subscriber);
    group.minLimitBytes = Math.min(group.minLimitBytes, outbox.limitBytes);
    if (outbox.sleeping) idle.push(subscriber);
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
    subscriber.outbox.unsubscribe(group.log);
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
    if (this.#pending.length > 0) this.#beforeRender?.();
    while (this.#pending.length > 0) {
      const events = this.#pending;
      this.#pending = [];
      let full: Set<Subscriber<E>> | undefined;
      for (const group of this.#groups.values()) {
        const log = group.log;
        group.format.append(log, events);
        // Wake the writers that wait; busy ones take the rest after their write.
        const idle = group.idle;
        group.idle = [];
        for (const member of idle) {
          if (!group.members.has(member)) continue;
          if (!member.outbox.notifyAppended()) (full ??= new Set()).add(member);
        }
        const scanEvery = Math.max(1, Math.min(FULL_SCAN_BYTES, group.minLimitBytes / 4));
        if (log.end - group.scannedAt >= scanEvery) full = this.#scan(group, full);
      }
      // What the owners publish when told (leave notices) is handled by the next round.
      if (full !== undefined) { for (const member of full) this.#overflow(member); }
    }
  }

  /** Looks at every member: who passed its output limit, and what every cursor has passed. */
  #scan(
    group: Group<E>,
    full: Set<Subscriber<E>> | undefined,
  ): Set<Subscriber<E>> | undefined {
    const log = group.log;
    let oldest = log.end;
    let minLimit = Infinity;
    for (const member of group.members) {
      const outbox = member.outbox;
      if (outbox.overLimit) (full ??= new Set()).add(member);
      else {
        const cursor = outbox.cursorIn(log);
        if (cursor < oldest) oldest = cursor;
      }
      if (outbox.limitBytes < minLimit) minLimit = outbox.limitBytes;
    }
    log.trim(oldest);
    group.scannedAt = log.end;
    group.minLimitBytes = minLimit;
    return full;
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
