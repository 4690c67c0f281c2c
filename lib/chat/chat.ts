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
  type HistoryEvent,
  MAX_MEMBERS_ON_ENTRY,
  notice,
  type Removal,
  type RoomEntry,
  type RoomEvent,
  type UserEvent,
} from "./events.ts";
import { LocalBus } from "./local_bus.ts";
import { LocalDirectory } from "./local_directory.ts";
import { MemoryStore } from "./memory_store.ts";
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
import type { Account, HistorySince, Store } from "./store.ts";
import type { User } from "./user.ts";

/**
 * The most lines of a catch-up: older ones are counted as skipped (and the
 * user's output limit may cut it further: see {@linkcode CATCH_UP_OUTBOX_SHARE}).
 */
export const MAX_CATCH_UP_EVENTS = 1000;

/**
 * A catch-up takes at most this share of the user's output limit (the newest lines
 * that fit; the rest are counted as skipped): the user must not be dropped for
 * being sent what it missed, with held whispers and its room's traffic still to come.
 */
export const CATCH_UP_OUTBOX_SHARE = 1 / 4;

/**
 * The most rooms one user may be in at once (IRC clients join several; text, `nc`
 * and web users are in one). Each room costs its connection a cursor, a presence
 * entry and a share of every fan-out; IRC advertises it as `CHANLIMIT=#:20`.
 */
export const MAX_ROOMS_PER_USER = 20;

/** How a user leaves a room: see {@linkcode Chat.leave}. */
export type Leaving =
  | "left"
  | "quiet"
  | { movedTo: string }
  | { parted: string | undefined }
  | Removal;

/** Options for {@linkcode Chat.enter}. */
export interface EnterOptions {
  /**
   * Keep the rooms the user is in and add this one (an IRC `JOIN`), instead of
   * moving out of its current room (a text or web user's `/join`). Past
   * {@linkcode MAX_ROOMS_PER_USER} rooms it is refused (`tooManyRooms`).
   * @default {false}
   */
  keep?: boolean;
  /** Runs right after the joined notice (the welcome of a first join). @default {nothing} */
  greet?: () => void;
  /**
   * The id of the last message the user had in this room (a login, a resume): it
   * gets what it missed (`catchUp`) instead of the history, when the id is known
   * here. @default {none: the history}
   */
  since?: string;
}

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
  /**
   * What the chat remembers (accounts, bans, topics, history by id).
   * @default {a MemoryStore: nothing survives the process}
   */
  store?: Store;
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
  /** What the chat remembers. */
  readonly store: Store;
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
  /** Before a room renders: what it shows is stored first. */
  #sync = () => this.bus.sync();
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
    this.store = options.store ??
      new MemoryStore({ historyKeep: config.historyLimit, maxRooms: config.maxRooms });
    this.bus = options.cluster?.bus ?? new LocalBus(config.historyLimit, this.store);
    this.directory = options.cluster?.directory ??
      new LocalDirectory(() => this.#rooms.values(), this.store);
    this.observer = options.observer;
    this.directory.watchReclaims?.((ghost) => this.#dropGhost(ghost));
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
   * Registers the nickname of a user who logged in to its account, whoever holds
   * it. A holder on this server (a dead laptop, a stalled socket, a second device)
   * is told why and closed, and the user takes its place in its room: nobody there
   * sees a leave or a join.
   *
   * A holder on another server of a cluster is closed by its server, and the user
   * takes its place in its room here, as unseen.
   *
   * @param user A user whose password was right.
   * @param then Gets `false` when the nickname is held where it cannot be taken
   *   from (a holder another server cannot be told about).
   * @returns When `then` is done.
   */
  login(user: User, then: (claimed: boolean) => Step): Step {
    return whenReady(this.directory.takeOver(user), ({ claimed, ghost, rooms }) => {
      if (!claimed) return then(false);
      this.#users.add(user);
      if (ghost !== undefined) this.#handOver(ghost, user);
      else if (rooms !== undefined) return this.#takePlaces(user, rooms, 0, then);
      return then(true);
    });
  }

  /**
   * Puts a user who displaced a holder on another server into that holder's rooms
   * (from the `index`th on, in order), without a joined notice (the rooms saw no
   * leave either), then runs `then`.
   */
  #takePlaces(
    user: User,
    names: readonly string[],
    index: number,
    then: (claimed: boolean) => Step,
  ): Step {
    if (index >= names.length) return then(true);
    const next = () => this.#takePlaces(user, names, index + 1, then);
    const typed = normalizeRoomName(names[index]);
    if (!isValidRoomName(typed)) return next();
    const room = this.#rooms.get(roomKey(typed)) ?? this.#open(typed);
    room.entering++;
    let step: Step;
    try {
      step = whenReady(room.opened, () => {
        if (!user.gone) {
          room.add(user);
          this.#detach(this.directory.changed(user));
        }
        return next();
      });
    } catch (error) {
      this.#entered(room);
      this.unregister(user);
      throw error;
    }
    if (!(step instanceof Promise)) {
      this.#entered(room);
      return;
    }
    return step.then(
      () => this.#entered(room),
      (error) => {
        this.#entered(room);
        if (user.room === undefined) this.unregister(user);
        throw error;
      },
    );
  }

  /**
   * A login on another server took a user's nickname: the user leaves its rooms
   * unseen (the new login took its place there) and is told why and closed.
   */
  #dropGhost(ghost: User): void {
    for (const room of [...ghost.rooms.values()]) {
      room.remove(ghost);
      this.#closeIfEmpty(room);
    }
    this.#users.delete(ghost);
    ghost.reclaimed();
    ghost.gone = true;
  }

  /**
   * Tells whether a nickname may be taken and how: banned, or registered.
   *
   * @param key The nickname's key (`nicknameKey()`).
   * @param then Gets whether the nickname is banned, and its account if it has one.
   * @returns When `then` is done.
   */
  nicknameStatus(
    key: string,
    then: (banned: boolean, account: Account | undefined) => Step,
  ): Step {
    // Asked when the account is back: a ban made while the store answered counts.
    return whenReady(
      this.store.account(key),
      (account) => then(this.directory.nicknameBans.has(key), account),
    );
  }

  /**
   * Tells whether only a login may give a nickname: it is registered, or banned.
   *
   * @param key The nickname's key (`nicknameKey()`).
   * @returns `true` when a user may not be given it otherwise (by a rename).
   */
  async nicknameReserved(key: string): Promise<boolean> {
    return this.directory.nicknameBans.has(key) || await this.store.account(key) !== undefined;
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
   * Finds a room of this server by name (as typed: `#math` and `Math` are `math`).
   *
   * @param typedName The name.
   * @returns The room, or `undefined` when no member here is in it.
   */
  findRoom(typedName: string): Room | undefined {
    return this.#rooms.get(roomKey(normalizeRoomName(typedName)));
  }

  /**
   * Moves a user into a room (creating it), or adds the room to the user's rooms
   * (`keep`), or tells the user why not (a notice: `roomInvalid`, `alreadyInRoom`,
   * `roomsFull`, `tooManyRooms`). The user gets the room's history first, then
   * everyone in the room, the user included, sees the joined notice; then `greet`
   * runs; then the user gets the topic and the room's members. On a move the room
   * the user leaves sees where it went. The room becomes the user's current one.
   *
   * @param user The user.
   * @param typedName The room's name as typed (`#math` and `Math` are `math`).
   * @param options Keep the other rooms, the welcome, where to catch up from.
   * @returns When the user is in the room (at once on one server).
   */
  enter(user: User, typedName: string, options: EnterOptions = {}): Step {
    const { keep = false, greet, since } = options;
    const name = normalizeRoomName(typedName);
    if (!isValidRoomName(name)) {
      user.send(notice({ code: "roomInvalid", maxChars: MAX_ROOM_NAME_CHARS }));
      return;
    }
    const key = roomKey(name);
    const existing = this.#rooms.get(key);
    if (existing !== undefined && (keep ? user.rooms.has(key) : existing === user.room)) {
      user.send(notice({ code: "alreadyInRoom", room: existing.name }));
      return;
    }
    if (keep && this.#roomsFullFor(user)) return;
    return this.#mayOpen(key, (allowed) => {
      if (user.gone) return;
      if (!allowed) {
        user.send(notice({ code: "roomsFull", max: this.config.maxRooms }));
        return;
      }
      // Another entry may have come first while the cluster answered.
      if (keep && (user.rooms.has(key) || this.#roomsFullFor(user))) return;
      const room = this.#rooms.get(key) ?? this.#open(name);
      if (!keep && user.room !== undefined) this.leave(user, { movedTo: room.name }, user.room);
      room.entering++;
      let entered: Step;
      try {
        entered = whenReady(
          room.opened,
          () =>
            this.#firstLines(user, room, since, () => {
              // Several entries at once (one IRC line's channels) meet the limit here.
              if (keep && (user.rooms.has(key) || this.#roomsFullFor(user))) return;
              room.add(user);
              this.directory.changed(user);
              user.send({ type: "room", room: room.name });
              this.#announce(user, room, greet);
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
   * Welcomes a user who took over a ghost's place in its rooms (see
   * {@linkcode Chat.login}), with no joined notice: for the rooms the user never
   * left. Each of its rooms other than the current one first (in the order
   * entered): the room's history, the room, the topic and the members; then the
   * current room: what it missed there (with `since`) or its history, the room,
   * `greet`, the topic and the members.
   *
   * @param user The user, in the ghost's rooms.
   * @param greet The welcome.
   * @param since The id of the last message the user's client showed in its current room.
   * @returns When done (at once on one server).
   */
  rejoin(user: User, greet: () => void, since?: string): Step {
    const current = user.room;
    if (current === undefined) return;
    const others = [...user.rooms.values()].filter((room) => room !== current);
    const welcome = (room: Room, greet: (() => void) | undefined, since: string | undefined) =>
      this.#firstLines(user, room, since, () => {
        if (user.gone || user.rooms.get(room.key) !== room) return;
        user.send({ type: "room", room: room.name });
        greet?.();
        if (room.topic !== undefined) {
          user.send({ type: "topic", room: room.name, text: room.topic });
        }
        this.#tellMembers(user, room);
      });
    const next = (i: number): Step =>
      i < others.length
        ? whenReady(welcome(others[i], undefined, undefined), () => next(i + 1))
        : welcome(current, greet, since);
    return next(0);
  }

  /**
   * Takes a user out of one room, or out of every room it is in. A room vanishes
   * when empty, unless it is the lobby.
   *
   * @param user The user.
   * @param how `"left"`: the others see the leave notice (the user left the chat);
   *   `"quiet"`: nobody is told (the server is stopping); a move (`movedTo`): the
   *   others see where the user went; a part (`parted`, with its reason): the
   *   others see it left this room; a kick or a ban: the others see who did it (and
   *   how long a ban lasts).
   * @param room The one room to leave. @default {every room of the user for
   *   leaving the chat (`"left"`, `"quiet"`, a kick or a ban), the current room for
   *   a move or a part}
   */
  leave(user: User, how: Leaving, room?: Room): void {
    const one = typeof how === "object" && ("movedTo" in how || "parted" in how);
    const current = user.room;
    if (current === undefined) return;
    if (room !== undefined || one) {
      const target = room ?? current;
      if (user.rooms.get(target.key) !== target) return;
      this.#leaveRoom(user, target, how, Date.now(), undefined);
      // A move's next room tells presence; a user that stays in the chat tells it now.
      if (typeof how !== "object" || !("movedTo" in how)) {
        this.#detach(this.directory.changed(user));
      }
      return;
    }
    // Leaving the chat: a logged-in user catches up from its current room next time.
    this.#recordLastSeen(user, current);
    const rooms = [...user.rooms.values()];
    // One event per room; a connection that shares several with the user is shown one.
    const keys = rooms.length > 1 ? rooms.map((each) => each.key) : undefined;
    const time = Date.now();
    for (const each of rooms) this.#leaveRoom(user, each, how, time, keys);
  }

  /**
   * Publishes a user's rename in every room it is in, without waiting (as
   * {@linkcode Chat.publish} does). A connection that shares several of them with
   * the user is shown it once when its format shows user-wide events once
   * (see `UserWideFormat`); text and web connections are in one room.
   *
   * @param user The user, renamed already.
   * @param from Its nickname before.
   * @throws {UnavailableError} While the chat is unavailable: nothing is sent.
   */
  publishRename(user: User, from: string): void {
    const rooms = [...user.rooms.values()];
    if (rooms.length === 0) return;
    this.#mustBeAvailable();
    const keys = rooms.length > 1 ? rooms.map((room) => room.key) : undefined;
    const time = Date.now();
    for (const room of rooms) {
      const event: RoomEvent = { type: "renamed", room: room.name, from, to: user.nickname, time };
      if (keys !== undefined) event.rooms = keys;
      this.#publishIn(user, room, event);
    }
  }

  /**
   * Publishes an event to one of the user's rooms, without waiting: the next line
   * may go at once (one connection to a cluster keeps them in order, and sends
   * again what a cut caught in flight). An event that was lost all the same is said
   * so to the user (`tryAgainLater`), once that is known.
   *
   * @param user The user.
   * @param event The event (its room is `room`'s).
   * @param room One of the user's rooms. @default {its current room}
   * @throws {UnavailableError} While the chat is unavailable: nothing is sent (the
   *   session runs the line again when it is back).
   */
  publish(user: User, event: RoomEvent, room: Room | undefined = user.room): void {
    if (room === undefined || user.rooms.get(room.key) !== room) return;
    this.#mustBeAvailable();
    this.#publishIn(user, room, event);
  }

  #publishIn(user: User, room: Room, event: RoomEvent): void {
    this.#detach(whenReady(this.bus.publish(room.key, event), (sent) => {
      if (!sent && !user.gone) user.send(notice({ code: "tryAgainLater" }));
    }));
  }

  /** Takes the user out of one room and publishes how. */
  #leaveRoom(
    user: User,
    room: Room,
    how: Leaving,
    time: number,
    rooms: string[] | undefined,
  ): void {
    room.remove(user);
    const nick = user.nickname;
    if (how === "left") {
      const left: RoomEvent = { type: "left", room: room.name, nick, time };
      if (rooms !== undefined) left.rooms = rooms;
      this.bus.publish(room.key, left);
    } else if (typeof how === "object" && "movedTo" in how) {
      this.bus.publish(room.key, { type: "moved", room: room.name, nick, to: how.movedTo, time });
    } else if (typeof how === "object" && "parted" in how) {
      const parted: RoomEvent = { type: "parted", room: room.name, nick, time };
      if (how.parted !== undefined) parted.reason = how.parted;
      this.bus.publish(room.key, parted);
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

  /** Whether the user is in as many rooms as it may be: it is told so. */
  #roomsFullFor(user: User): boolean {
    if (user.rooms.size < MAX_ROOMS_PER_USER) return false;
    user.send(notice({ code: "tooManyRooms", max: MAX_ROOMS_PER_USER }));
    return true;
  }

  /**
   * Publishes the newcomer's joined notice; the welcome (`greet`) and the topic come
   * right after it is shown, which a cluster does only when it comes back from Redis.
   */
  #announce(user: User, room: Room, greet: (() => void) | undefined): void {
    const time = Date.now();
    const nick = user.nickname;
    const afterJoined = () => {
      if (user.gone || user.rooms.get(room.key) !== room) return;
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

  /**
   * Sends a user entering a room its first lines: what it missed since `since` when
   * the store knows that id, else the room's history; then runs `then` (which makes
   * it a member). The room's later events wait meanwhile, so that none is missed or
   * shown twice.
   */
  #firstLines(user: User, room: Room, since: string | undefined, then: () => void): Step {
    return whenReady(this.bus.history(room.key, this.config.historyLimit), (read) => {
      let step: Step;
      try {
        const caught: MaybePromise<HistorySince | undefined> = since === undefined
          ? undefined
          : this.store.historySince(room.key, since, MAX_CATCH_UP_EVENTS);
        step = whenReady(caught, (caughtUp) => {
          if (user.gone) return;
          if (caughtUp?.known === true) {
            user.send(catchUp(room.name, caughtUp, user.outbox.limitBytes * CATCH_UP_OUTBOX_SHARE));
          } else if (read.events.length > 0) {
            user.send({ type: "history", room: room.name, events: read.events });
          }
          then();
        });
      } catch (error) {
        read.resume();
        throw error;
      }
      if (step instanceof Promise) return step.finally(() => read.resume());
      read.resume();
      return;
    });
  }

  /**
   * A new login takes the place of a ghost of its account: in each of its rooms
   * first (so no room empties and nobody is told), the ghost's current room current
   * again, then the ghost is told and closed.
   */
  #handOver(ghost: User, user: User): void {
    const current = ghost.room;
    for (const room of [...ghost.rooms.values()]) {
      room.add(user);
      room.remove(ghost);
    }
    if (current !== undefined) user.setCurrentRoom(current);
    this.#users.delete(ghost);
    ghost.reclaimed();
    ghost.gone = true;
    this.#detach(this.directory.changed(user));
  }

  /**
   * Records where a logged-in user leaves the chat from: its room and the id the
   * room's numbering stands at (the bus's: see {@linkcode Room.lastId}). A bus that
   * gives no ids records the room alone: the next login enters it as a newcomer.
   */
  #recordLastSeen(user: User, room: Room): void {
    if (!user.loggedIn) return;
    const lastSeen = { room: room.name, id: room.lastId, time: Date.now() };
    try {
      this.#detach(whenReady(this.store.setLastSeen(user.account!, lastSeen), () => {}));
    } catch (error) {
      // The user leaves all the same.
      this.reportBug(error, undefined);
    }
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
      if (user.gone || user.rooms.get(room.key) !== room) return;
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
    const room = new Room(
      name,
      this.observer && ((event) => this.observer!.roomEvent(event)),
      this.#sync,
    );
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

/**
 * Makes the catch-up event: the newest of the events that fit in `budgetBytes`
 * (an upper bound of their size on the wire), the others counted as skipped.
 */
function catchUp(room: string, read: HistorySince, budgetBytes: number): UserEvent {
  const events: readonly HistoryEvent[] = read.events;
  let first = events.length;
  let bytes = 0;
  while (first > 0) {
    const event = events[first - 1];
    // UTF-8 takes at most 3 bytes per UTF-16 unit; the rest covers time, id and markup.
    bytes += (event.nick.length + event.text.length) * 3 + 96;
    if (bytes > budgetBytes) break;
    first--;
  }
  return {
    type: "catchUp",
    room,
    events: first === 0 ? events : events.slice(first),
    skipped: read.skipped + first,
  };
}

function rethrow(error: unknown): never {
  throw error;
}
