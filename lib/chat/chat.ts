/**
 * The chat: the rooms of this server, the moves between rooms, and the seams to
 * the rest of the world: where rooms' events travel (the {@linkcode Bus}) and
 * where users are (the {@linkcode Directory}). It knows nothing of sockets: users
 * reach it through their sessions.
 *
 * On one server every step runs at once; in a cluster some wait for Redis. A method
 * whose result may come later takes what to do with it as a callback and returns
 * only when that is done (a {@linkcode Step}, see `lib/util/maybe_async.ts`): no
 * caller holds a result that might be a promise, so none can test one for truth.
 *
 * A cluster cut off from Redis makes the chat unavailable ({@linkcode Chat.available};
 * each member is told once each way). One rule for a member's step then:
 * - While the chat is unavailable, a step that must reach the other servers is not
 *   tried: it throws {@linkcode UnavailableError} (a rejected step when it was cut
 *   off midway), and the member's session puts the line back in its held pacer;
 *   it runs again, first, when the chat is back. No line of its own.
 * - While the chat is available, a write that a cut catches in flight is sent again
 *   by the cluster once Redis is back. One that is really lost (Redis refused it,
 *   the server is stopping) is said to its sender with `tryAgainLater`: it is gone,
 *   and cannot be put back in order behind the lines that went after it.
 *
 * @module
 */

import { UnavailableError } from "../util/errors.ts";
import { type MaybePromise, type Step, whenReady } from "../util/maybe_async.ts";
import { PasswordCheck } from "../util/password.ts";
import type { Bans } from "./bans.ts";
import type { Bus } from "./bus.ts";
import type { Directory, Members, UserRef } from "./directory.ts";
import {
  MAX_MEMBERS_ON_ENTRY,
  notice,
  type Removal,
  type RoomEntry,
  type RoomEvent,
  type UserEvent,
} from "./events.ts";
import { LocalBus } from "./local_bus.ts";
import { LocalDirectory } from "./local_directory.ts";
import { LocalPasswordAttempts, type PasswordAttempts } from "./password_attempts.ts";
import { PasswordGate } from "./password_gate.ts";
import { Room } from "./room.ts";
import {
  isValidRoomName,
  LOBBY,
  MAX_ROOM_NAME_CHARS,
  normalizeRoomName,
  roomKey,
} from "./room_name.ts";
import type { User } from "./user.ts";

/** The chat's settings; the server's options module gives every default. */
export interface ChatConfig {
  /** Messages and actions each room keeps and shows to newcomers; `0`: none. */
  historyLimit: number;
  /** The most rooms at once, the lobby included. */
  maxRooms: number;
  /** The server password, asked before the nickname, or `undefined`. */
  password: string | undefined;
  /** The operator password (`/op`), or `undefined`: no operators. */
  opPassword: string | undefined;
  /** Lines sent after the welcome line. */
  motd: readonly string[];
  /** Milliseconds to send the password and a valid nickname; `0` waits forever. */
  nicknameTimeoutMs: number;
  /** Lines per second a user may send on average; `0` turns flood control off. */
  rateLinesPerSecond: number;
  /** Lines a user may send at once. */
  rateBurst: number;
}

/** What the chat tells the server console. */
export interface ChatObserver {
  /** A connection chose its nickname. */
  nickname(peer: string, nick: string): void;
  /** A room showed an event. */
  roomEvent(event: RoomEvent): void;
  /** A whisper was delivered. */
  whisper(from: string, to: string, text: string): void;
}

/**
 * Where the chat reports a bug: an unexpected throw that it survived (a line that
 * could not be handled, a step that nobody waited for).
 *
 * @param error What was thrown, with its stack.
 * @param peer The connection it happened on (`host:port`), when there is one.
 */
export type BugReport = (error: unknown, peer: string | undefined) => void;

/** Options for {@linkcode Chat}. */
export interface ChatOptions {
  /** A cluster to share the chat with. @default {this process alone} */
  cluster?: ChatCluster;
  /** The console, when it wants to know. @default {undefined} */
  observer?: ChatObserver;
  /**
   * Wrong password answers per address (the server password, `/op`, accounts); a
   * cluster's are shared by every server. @default {counts in this process's memory}
   */
  attempts?: PasswordAttempts;
  /**
   * Where bugs go (the server logs them with their stack). @default {rethrow: the
   * bug surfaces where it happened (a test fails)}
   */
  reportBug?: BugReport;
}

/** The seams of a chat that is shared with other servers. */
export interface ChatCluster {
  /** Where rooms' events travel. */
  bus: Bus;
  /** Where users are. */
  directory: Directory;
  /**
   * Whether the cluster can be used now. Asked before each step that reaches the
   * other servers: a server that was stalled finds it here, before it sends
   * anything (the step then waits, as in an outage). @default {always}
   */
  ready?(): boolean;
}

/** The shared state of one server's chat. */
export class Chat {
  /** The settings. */
  readonly config: Readonly<ChatConfig>;
  /** Where rooms' events travel. */
  readonly bus: Bus;
  /** Where users are. */
  readonly directory: Directory;
  /** The server password check, when there is one. */
  readonly password: PasswordCheck | undefined;
  /** The operator password check, when there is one. */
  readonly opPassword: PasswordCheck | undefined;
  /** Wrong password answers per address, across connections. */
  readonly attempts: PasswordAttempts;
  /**
   * Where every password answer is checked, through {@linkcode Chat.attempts}: it
   * waits or is refused as they say, one answer per address at a time.
   */
  readonly passwords: PasswordGate;
  /** The console, when it wants to know. */
  readonly observer: ChatObserver | undefined;
  /** Where bugs go. */
  readonly reportBug: BugReport;
  #rooms = new Map<string, Room>();
  #users = new Set<User>();
  #available = true;
  #availability = new Set<(available: boolean) => void>();
  #clusterReady: (() => boolean) | undefined;

  /**
   * @param config The settings.
   * @param options A cluster to share the chat with, the console, where bugs go.
   */
  constructor(config: ChatConfig, options: ChatOptions = {}) {
    this.config = config;
    this.reportBug = options.reportBug ?? rethrow;
    this.bus = options.cluster?.bus ?? new LocalBus(config.historyLimit);
    this.directory = options.cluster?.directory ?? new LocalDirectory(() => this.#rooms.values());
    this.observer = options.observer;
    this.#clusterReady = options.cluster?.ready;
    this.password = config.password === undefined ? undefined : new PasswordCheck(config.password);
    this.opPassword = config.opPassword === undefined
      ? undefined
      : new PasswordCheck(config.opPassword);
    this.attempts = options.attempts ?? new LocalPasswordAttempts();
    this.passwords = new PasswordGate(this.attempts);
  }

  /** The addresses that may not connect. */
  get bans(): Bans {
    return this.directory.bans;
  }

  /**
   * Whether the chat can be used now: always on one server; in a cluster, not
   * while Redis cannot be reached.
   */
  get available(): boolean {
    return this.#available;
  }

  /**
   * The server learned that the chat became unavailable, or available again: every
   * session that watches is told once per change.
   *
   * @param available Whether it can be used now.
   */
  setAvailable(available: boolean): void {
    if (available === this.#available) return;
    this.#available = available;
    for (const listener of this.#availability) listener(available);
  }

  /**
   * Calls `listener` at each change of {@linkcode Chat.available}.
   *
   * @param listener What to call.
   * @returns A function that stops the calls.
   */
  watchAvailability(listener: (available: boolean) => void): () => void {
    this.#availability.add(listener);
    return () => this.#availability.delete(listener);
  }

  /** The number of users joined on this server. */
  get userCount(): number {
    return this.#users.size;
  }

  /**
   * Finds a user by nickname, ignoring case, on any server.
   *
   * @param nickname The nickname.
   * @param then Gets the user, or `undefined`.
   * @returns When `then` is done.
   */
  findUser(nickname: string, then: (user: UserRef | undefined) => Step): Step {
    return whenReady(this.directory.find(nickname), then);
  }

  /**
   * Registers a user's nickname.
   *
   * @param user A user whose nickname is valid.
   * @param then Gets `false` when the nickname is taken (compared ignoring case).
   * @returns When `then` is done.
   * @throws {UnavailableError} (a rejected step) When a cluster cannot be reached.
   */
  register(user: User, then: (claimed: boolean) => Step): Step {
    return whenReady(this.directory.claim(user), (claimed) => {
      if (claimed) this.#users.add(user);
      return then(claimed);
    });
  }

  /**
   * Frees a user's nickname at once; the user is gone.
   *
   * @param user The user.
   */
  unregister(user: User): void {
    user.gone = true;
    if (this.#users.delete(user)) this.directory.release(user);
  }

  /**
   * Renames a user; changing only the case of one's own nickname is allowed.
   *
   * @param user The user.
   * @param nickname A valid nickname.
   * @param then Gets `false` when another user has it.
   * @returns When `then` is done.
   */
  rename(user: User, nickname: string, then: (renamed: boolean) => Step): Step {
    return whenReady(this.directory.rename(user, nickname), then);
  }

  /**
   * The user's room or away state changed: everyone who asks from now on sees it.
   *
   * @param user The user.
   * @returns When every server sees it (at once on one server).
   */
  changed(user: User): Step {
    return this.directory.changed(user);
  }

  /**
   * Sends an event to a user wherever it is (a whisper).
   *
   * @param to The user.
   * @param event The event.
   * @param then Gets `false` when it was lost (a cluster that refused it).
   * @returns When `then` is done.
   * @throws {UnavailableError} While the chat is unavailable: nothing is tried.
   */
  deliver(to: UserRef, event: UserEvent, then: (delivered: boolean) => Step): Step {
    this.#mustBeAvailable();
    return whenReady(this.directory.deliver(to, event), then);
  }

  /**
   * Removes a user on an operator's word, wherever it is: it is told why (and for
   * a ban, for how long), its room sees it, its connection ends.
   *
   * @param target The user.
   * @param removal Who removes it, why, and for a ban how long.
   * @param then Gets `false` when it was lost (a cluster that refused it).
   * @returns When `then` is done.
   * @throws {UnavailableError} While the chat is unavailable: nothing is tried.
   */
  kick(target: UserRef, removal: Removal, then: (kicked: boolean) => Step): Step {
    this.#mustBeAvailable();
    return whenReady(this.directory.kick(target, removal), then);
  }

  /**
   * The rooms with members, busiest first (then by name).
   *
   * @param then Gets the rooms and their counts.
   * @returns When `then` is done.
   */
  rooms(then: (rooms: RoomEntry[]) => Step): Step {
    return whenReady(this.directory.rooms(), then);
  }

  /**
   * The members of a room, in the order they came.
   *
   * @param room The room.
   * @param then Gets their nicknames and away flags, and how many.
   * @returns When `then` is done.
   */
  who(room: Room, then: (members: Members) => Step): Step {
    return whenReady(this.directory.who(room), then);
  }

  /**
   * Moves a user into a room (creating it), or tells the user why not. The user
   * gets the room's history first, then everyone in the room, the user included,
   * sees the joined notice; then `greet` runs; then the user gets the topic and the
   * room's members. The room the user leaves sees where it went.
   *
   * @param user The user.
   * @param typedName The room's name as typed (`#math` and `Math` are `math`).
   * @param greet Runs right after the joined notice (the welcome of a first join).
   * @returns When the user is in the room (at once on one server).
   */
  enter(user: User, typedName: string, greet?: () => void): Step {
    const name = normalizeRoomName(typedName);
    if (!isValidRoomName(name)) {
      user.send(notice({ code: "roomInvalid", maxChars: MAX_ROOM_NAME_CHARS }));
      return;
    }
    const key = roomKey(name);
    const existing = this.#rooms.get(key);
    if (existing !== undefined && existing === user.room) {
      user.send(notice({ code: "alreadyInRoom", room: existing.name }));
      return;
    }
    return this.#mayOpen(key, (allowed) => {
      if (user.gone) return;
      if (!allowed) {
        user.send(notice({ code: "roomsFull", max: this.config.maxRooms }));
        return;
      }
      const room = this.#rooms.get(key) ?? this.#open(name);
      this.leave(user, { movedTo: room.name });
      room.entering++;
      let entered: Step;
      try {
        entered = whenReady(
          room.opened,
          () =>
            whenReady(this.bus.history(room.key, this.config.historyLimit), (read) => {
              try {
                if (user.gone) return;
                if (read.events.length > 0) {
                  user.send({ type: "history", room: room.name, events: read.events });
                }
                room.add(user);
                this.directory.changed(user);
                user.send({ type: "room", room: room.name });
                this.#announce(user, room, greet);
              } finally {
                read.resume();
              }
            }),
        );
      } catch (error) {
        this.#entered(room);
        throw error;
      }
      if (entered instanceof Promise) return entered.finally(() => this.#entered(room));
      this.#entered(room);
      return;
    });
  }

  /**
   * Takes a user out of its room. The room vanishes when empty, unless it is the lobby.
   *
   * @param user The user.
   * @param how `"left"`: the others see the leave notice; `"quiet"`: nobody is told
   *   (the server is stopping); a move: the others see where the user went; a kick
   *   or a ban: the others see who did it (and how long a ban lasts).
   */
  leave(user: User, how: "left" | "quiet" | { movedTo: string } | Removal): void {
    const room = user.room;
    if (room === undefined) return;
    room.remove(user);
    const time = Date.now();
    const nick = user.nickname;
    if (how === "left") {
      this.bus.publish(room.key, { type: "left", room: room.name, nick, time });
    } else if (typeof how === "object" && "movedTo" in how) {
      this.bus.publish(room.key, { type: "moved", room: room.name, nick, to: how.movedTo, time });
    } else if (how !== "quiet") {
      const kicked: RoomEvent = {
        type: "kicked",
        room: room.name,
        nick,
        by: how.by,
        reason: how.reason,
        time,
      };
      if (how.banMinutes !== undefined) kicked.banMinutes = how.banMinutes;
      this.bus.publish(room.key, kicked);
    }
    this.#closeIfEmpty(room);
  }

  /**
   * Publishes an event to the user's room, without waiting: the next line may go at
   * once (one connection to a cluster keeps them in order, and sends again what a
   * cut caught in flight). An event that was lost all the same is said so to the
   * user (`tryAgainLater`), once that is known.
   *
   * @param user The user.
   * @param event The event (its room is the user's).
   * @throws {UnavailableError} While the chat is unavailable: nothing is sent (the
   *   session runs the line again when it is back).
   */
  publish(user: User, event: RoomEvent): void {
    const room = user.room;
    if (room === undefined) return;
    this.#mustBeAvailable();
    this.#detach(whenReady(this.bus.publish(room.key, event), (sent) => {
      if (!sent && !user.gone) user.send(notice({ code: "tryAgainLater" }));
    }));
  }

  /**
   * Publishes the newcomer's joined notice; the welcome (`greet`) and the topic come
   * right after it is shown, which a cluster does only when it comes back from Redis.
   */
  #announce(user: User, room: Room, greet: (() => void) | undefined): void {
    const time = Date.now();
    const nick = user.nickname;
    const afterJoined = () => {
      if (user.gone || user.room !== room) return;
      greet?.();
      if (room.topic !== undefined) user.send({ type: "topic", room: room.name, text: room.topic });
      this.#tellMembers(user, room);
    };
    const cancel = room.onceShown(
      (event) => event.type === "joined" && event.nick === nick && event.time === time,
      afterJoined,
    );
    const sent = this.bus.publish(room.key, { type: "joined", room: room.name, nick, time });
    this.#detach(whenReady(sent, (shown) => {
      if (shown) return;
      cancel();
      afterJoined();
    }));
  }

  /** Tells a newcomer who is in the room (completion and the page's list start right). */
  #tellMembers(user: User, room: Room): void {
    let members: MaybePromise<Members>;
    try {
      members = this.directory.who(room, MAX_MEMBERS_ON_ENTRY);
    } catch {
      return;
    }
    // Unreachable in a cluster: /who still works once it is back.
    this.#detach(whenReady(members, ({ users, total }) => {
      if (user.gone || user.room !== room) return;
      user.send({ type: "members", room: room.name, users, total });
    }));
  }

  /** Whether a room may be entered: it exists, or there is room for one more. */
  #mayOpen(key: string, then: (allowed: boolean) => Step): Step {
    if (this.#rooms.has(key)) return then(true);
    if (!this.bus.shared) return then(this.#rooms.size < this.config.maxRooms);
    // In a cluster the rooms with members anywhere count, the lobby always.
    return whenReady(this.directory.rooms(), (rooms) => {
      const keys = new Set(rooms.map((room) => roomKey(room.name)));
      keys.add(LOBBY);
      return then(keys.has(key) || keys.size < this.config.maxRooms);
    });
  }

  /** A member's step that must reach the other servers is not tried while they cannot be. */
  #mustBeAvailable(): void {
    // The cluster's answer may make the chat unavailable on the spot (a stall found).
    if (this.#clusterReady?.() === false || !this.#available) {
      throw new UnavailableError("The chat is unavailable");
    }
  }

  /**
   * Lets a step that nobody waits for finish on its own. A cluster that cannot be
   * reached is no bug: what it would have done is left undone.
   */
  #detach(step: Step): void {
    if (!(step instanceof Promise)) return;
    step.catch((error) => {
      if (!(error instanceof UnavailableError)) this.reportBug(error, undefined);
    });
  }

  #open(name: string): Room {
    const room = new Room(name, this.observer && ((event) => this.observer!.roomEvent(event)));
    this.#rooms.set(room.key, room);
    room.opened = this.bus.open(room);
    return room;
  }

  #entered(room: Room): void {
    room.entering--;
    this.#closeIfEmpty(room);
  }

  #closeIfEmpty(room: Room): void {
    if (room.members.size > 0 || room.entering > 0 || room.key === LOBBY) return;
    if (this.#rooms.get(room.key) !== room) return;
    this.#rooms.delete(room.key);
    this.bus.close(room.key);
  }
}

function rethrow(error: unknown): never {
  throw error;
}
