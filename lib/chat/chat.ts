/**
 * The chat: who is here (the one registry of nicknames), the rooms, the bans, and
 * the moves between rooms. It knows nothing of sockets: users reach it through
 * their sessions, and rooms' events travel through a {@linkcode Bus}.
 *
 * @module
 */

import { PasswordCheck } from "../util/password.ts";
import { Bans } from "./bans.ts";
import type { Bus } from "./bus.ts";
import { notice, type RoomEntry, type RoomEvent, type WhoEntry } from "./events.ts";
import { LocalBus } from "./local_bus.ts";
import { nicknameKey } from "./nickname.ts";
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

/** What the chat tells the server console. Every method is optional to act on. */
export interface ChatObserver {
  /** A connection chose its nickname. */
  nickname(peer: string, nick: string): void;
  /** A room showed an event. */
  roomEvent(event: RoomEvent): void;
  /** A whisper was delivered. */
  whisper(from: string, to: string, text: string): void;
}

/** The shared state of one server's chat. */
export class Chat {
  /** The settings. */
  readonly config: Readonly<ChatConfig>;
  /** Where rooms' events travel. */
  readonly bus: Bus;
  /** Addresses that may not connect. */
  readonly bans: Bans = new Bans();
  /** The server password check, when there is one. */
  readonly password: PasswordCheck | undefined;
  /** The operator password check, when there is one. */
  readonly opPassword: PasswordCheck | undefined;
  /** The console, when it wants to know. */
  readonly observer: ChatObserver | undefined;
  #users = new Map<string, User>();
  #rooms = new Map<string, Room>();

  /**
   * @param config The settings.
   * @param options The bus (default: in this process) and the console.
   */
  constructor(config: ChatConfig, options: { bus?: Bus; observer?: ChatObserver } = {}) {
    this.config = config;
    this.bus = options.bus ?? new LocalBus(config.historyLimit);
    this.observer = options.observer;
    this.password = config.password === undefined ? undefined : new PasswordCheck(config.password);
    this.opPassword = config.opPassword === undefined
      ? undefined
      : new PasswordCheck(config.opPassword);
  }

  /** The number of joined users. */
  get userCount(): number {
    return this.#users.size;
  }

  /**
   * Finds a user by nickname, ignoring case.
   *
   * @param nickname The nickname.
   * @returns The user, or `undefined`.
   */
  findUser(nickname: string): User | undefined {
    return this.#users.get(nicknameKey(nickname));
  }

  /**
   * Registers a user's nickname.
   *
   * @param user A user whose nickname is valid.
   * @returns `false` when the nickname is taken (compared ignoring case).
   */
  register(user: User): boolean {
    if (this.#users.has(user.key)) return false;
    this.#users.set(user.key, user);
    return true;
  }

  /**
   * Frees a user's nickname at once.
   *
   * @param user The user.
   */
  unregister(user: User): void {
    if (this.#users.get(user.key) === user) this.#users.delete(user.key);
  }

  /**
   * Renames a user; changing only the case of one's own nickname is allowed.
   *
   * @param user The user.
   * @param nickname A valid nickname.
   * @returns `false` when another user has it.
   */
  rename(user: User, nickname: string): boolean {
    const key = nicknameKey(nickname);
    const holder = this.#users.get(key);
    if (holder !== undefined && holder !== user) return false;
    this.#users.delete(user.key);
    user.rename(nickname);
    this.#users.set(key, user);
    return true;
  }

  /**
   * The rooms with members, busiest first (then by name).
   *
   * @returns The rooms and their counts.
   */
  rooms(): RoomEntry[] {
    return [...this.#rooms.values()]
      .filter((room) => room.members.size > 0)
      .map((room) => ({ name: room.name, count: room.members.size }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  }

  /**
   * The members of a room, in the order they came.
   *
   * @param room The room.
   * @returns Their nicknames and away flags.
   */
  who(room: Room): WhoEntry[] {
    return [...room.members].map((user) => ({
      nick: user.nickname,
      away: user.away !== undefined,
    }));
  }

  /**
   * Moves a user into a room (creating it), or tells the user why not. The user
   * gets the room's history first, then everyone in the room, the user included,
   * sees the joined notice; then `greet` runs; then the user gets the topic.
   *
   * @param user The user.
   * @param typedName The room's name as typed (`#math` and `Math` are `math`).
   * @param greet Runs right after the joined notice (the welcome of a first join).
   */
  enter(user: User, typedName: string, greet?: () => void): void {
    const name = normalizeRoomName(typedName);
    if (!isValidRoomName(name)) {
      user.send(notice({ code: "roomInvalid", maxChars: MAX_ROOM_NAME_CHARS }));
      return;
    }
    const key = roomKey(name);
    let room = this.#rooms.get(key);
    if (room !== undefined && room === user.room) {
      user.send(notice({ code: "alreadyInRoom", room: room.name }));
      return;
    }
    if (room === undefined && this.#rooms.size >= this.config.maxRooms) {
      user.send(notice({ code: "roomsFull", max: this.config.maxRooms }));
      return;
    }
    this.leave(user, "left");
    room ??= this.#open(name);
    const history = this.bus.history(room.key, this.config.historyLimit);
    if (!(history instanceof Promise) && history.length > 0) {
      user.send({ type: "history", room: room.name, events: history });
    }
    room.add(user);
    user.send({ type: "room", room: room.name });
    this.bus.publish(room.key, {
      type: "joined",
      room: room.name,
      nick: user.nickname,
      time: Date.now(),
    });
    greet?.();
    if (room.topic !== undefined) user.send({ type: "topic", room: room.name, text: room.topic });
  }

  /**
   * Takes a user out of its room. The room vanishes when empty, unless it is the lobby.
   *
   * @param user The user.
   * @param how `"left"`: the others see the leave notice; `"quiet"`: nobody is told
   *   (the server is stopping); a kick: the others see who kicked the user.
   */
  leave(
    user: User,
    how: "left" | "quiet" | { by: string; reason: string | undefined },
  ): void {
    const room = user.room;
    if (room === undefined) return;
    room.remove(user);
    const time = Date.now();
    if (how === "left") {
      this.bus.publish(room.key, { type: "left", room: room.name, nick: user.nickname, time });
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
    if (room.members.size === 0 && room.key !== LOBBY) {
      this.#rooms.delete(room.key);
      this.bus.close(room.key);
    }
  }

  /**
   * Publishes an event to the user's room.
   *
   * @param user The user.
   * @param event The event (its room is the user's).
   * @returns `false` when it could not be sent now.
   */
  publish(user: User, event: RoomEvent): boolean {
    const room = user.room;
    if (room === undefined) return true;
    return this.bus.publish(room.key, event);
  }

  #open(name: string): Room {
    const room = new Room(name, this.observer && ((event) => this.observer!.roomEvent(event)));
    this.#rooms.set(room.key, room);
    this.bus.open(room.key, room.deliver);
    return room;
  }
}
