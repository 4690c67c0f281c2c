/**
 * The chat: the rooms of this server, the moves between rooms, and the seams to
 * the rest of the world: where rooms' events travel (the {@linkcode Bus}) and
 * where users are (the {@linkcode Directory}). It knows nothing of sockets: users
 * reach it through their sessions.
 *
 * On one server every step runs at once; in a cluster some wait for Redis, so the
 * methods that may wait return a value or a promise of it ({@linkcode MaybePromise}).
 *
 * @module
 */

import { type MaybePromise, whenReady } from "../util/maybe_async.ts";
import { PasswordCheck } from "../util/password.ts";
import type { Bans } from "./bans.ts";
import type { Bus } from "./bus.ts";
import type { Directory, Members, UserRef } from "./directory.ts";
import { MAX_MEMBERS_ON_ENTRY, notice, type RoomEntry, type RoomEvent } from "./events.ts";
import { LocalBus } from "./local_bus.ts";
import { LocalDirectory } from "./local_directory.ts";
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

/** The seams of a chat that is shared with other servers. */
export interface ChatCluster {
  /** Where rooms' events travel. */
  bus: Bus;
  /** Where users are. */
  directory: Directory;
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
  /** The console, when it wants to know. */
  readonly observer: ChatObserver | undefined;
  #rooms = new Map<string, Room>();
  #users = new Set<User>();
  #available = true;
  #availability = new Set<(available: boolean) => void>();

  /**
   * @param config The settings.
   * @param options A cluster to share the chat with (default: this process alone),
   *   and the console.
   */
  constructor(
    config: ChatConfig,
    options: { cluster?: ChatCluster; observer?: ChatObserver } = {},
  ) {
    this.config = config;
    this.bus = options.cluster?.bus ?? new LocalBus(config.historyLimit);
    this.directory = options.cluster?.directory ?? new LocalDirectory(() => this.#rooms.values());
    this.observer = options.observer;
    this.password = config.password === undefined ? undefined : new PasswordCheck(config.password);
    this.opPassword = config.opPassword === undefined
      ? undefined
      : new PasswordCheck(config.opPassword);
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
   * @returns The user, or `undefined`.
   */
  findUser(nickname: string): MaybePromise<UserRef | undefined> {
    return this.directory.find(nickname);
  }

  /**
   * Registers a user's nickname.
   *
   * @param user A user whose nickname is valid.
   * @returns `false` when the nickname is taken (compared ignoring case).
   * @throws {UnavailableError} (a rejected promise) When a cluster cannot be reached.
   */
  register(user: User): MaybePromise<boolean> {
    return whenReady(this.directory.claim(user), (claimed) => {
      if (claimed) this.#users.add(user);
      return claimed;
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
   * @returns `false` when another user has it.
   */
  rename(user: User, nickname: string): MaybePromise<boolean> {
    return this.directory.rename(user, nickname);
  }

  /**
   * The rooms with members, busiest first (then by name).
   *
   * @returns The rooms and their counts.
   */
  rooms(): MaybePromise<RoomEntry[]> {
    return this.directory.rooms();
  }

  /**
   * The members of a room, in the order they came.
   *
   * @param room The room.
   * @returns Their nicknames and away flags, and how many.
   */
  who(room: Room): MaybePromise<Members> {
    return this.directory.who(room);
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
  enter(user: User, typedName: string, greet?: () => void): MaybePromise<void> {
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
    return whenReady(this.#mayOpen(key), (allowed) => {
      if (user.gone) return;
      if (!allowed) {
        user.send(notice({ code: "roomsFull", max: this.config.maxRooms }));
        return;
      }
      const room = this.#rooms.get(key) ?? this.#open(name);
      this.leave(user, { movedTo: room.name });
      room.entering++;
      let entered: MaybePromise<void>;
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
   *   (the server is stopping); a move: the others see where the user went; a kick:
   *   the others see who kicked the user.
   */
  leave(
    user: User,
    how: "left" | "quiet" | { movedTo: string } | { by: string; reason: string | undefined },
  ): void {
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
      this.bus.publish(room.key, {
        type: "kicked",
        room: room.name,
        nick: user.nickname,
        by: how.by,
        reason: how.reason,
        time,
      });
    }
    this.#closeIfEmpty(room);
  }

  /**
   * Publishes an event to the user's room.
   *
   * @param user The user.
   * @param event The event (its room is the user's).
   * @returns `false` when it could not be sent, at once or once that is known.
   */
  publish(user: User, event: RoomEvent): MaybePromise<boolean> {
    const room = user.room;
    if (room === undefined) return true;
    return this.bus.publish(room.key, event);
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
    const unsent = () => {
      cancel();
      afterJoined();
    };
    if (sent === false) unsent();
    else if (sent instanceof Promise) void sent.then((ok) => ok || unsent());
  }

  /** Tells a newcomer who is in the room (completion and the page's list start right). */
  #tellMembers(user: User, room: Room): void {
    let members: MaybePromise<Members>;
    try {
      members = this.directory.who(room, MAX_MEMBERS_ON_ENTRY);
    } catch {
      return;
    }
    const tell = ({ users, total }: Members) => {
      if (user.gone || user.room !== room) return;
      user.send({ type: "members", room: room.name, users, total });
    };
    // Unreachable in a cluster: /who still works once it is back.
    if (members instanceof Promise) void members.then(tell, () => {});
    else tell(members);
  }

  /** Whether a room may be entered: it exists, or there is room for one more. */
  #mayOpen(key: string): MaybePromise<boolean> {
    if (this.#rooms.has(key)) return true;
    if (!this.bus.shared) return this.#rooms.size < this.config.maxRooms;
    // In a cluster the rooms with members anywhere count, the lobby always.
    return whenReady(this.directory.rooms(), (rooms) => {
      const keys = new Set(rooms.map((room) => roomKey(room.name)));
      keys.add(LOBBY);
      return keys.has(key) || keys.size < this.config.maxRooms;
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
