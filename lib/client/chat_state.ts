/**
 * What the client knows about its place in the chat, inferred from what the user
 * typed and what the server said: our nickname, our room, and who is in it. The
 * server sends no "you are now X in room Y" line; these rules recover it.
 *
 * @module
 */

import { nicknameKey, normalizeNickname } from "../chat/nickname.ts";
import { LOBBY, normalizeRoomName, roomKey } from "../chat/room_name.ts";
import { findCommand } from "../chat/commands/table.ts";
import type { ServerLine } from "./server_line.ts";

/**
 * The names of the join command the client follows (the English one first). The
 * command table is asked too, so an alias added there is followed as well.
 */
export const JOIN_COMMAND_NAMES: readonly string[] = ["/join", "/방"];

/** What a server line changed. */
export interface StateChange {
  /** Our room changed (the input prompt shows it). */
  room: boolean;
  /** Our nickname became known or changed. */
  nick: boolean;
}

const NO_CHANGE: StateChange = { room: false, nick: false };

/** Our nickname, room and room members, as far as the client can tell. */
export class ChatState {
  /** Sent as our nickname, not yet confirmed by the welcome line. */
  #pendingNick: string | undefined;
  #nick: string | undefined;
  #room = LOBBY;
  /** Rooms asked for with `/join`, oldest first, each waiting for its answer. */
  readonly #pendingRooms: string[] = [];
  /** Members of our room but us, by comparison key, least recently active first. */
  readonly #members = new Map<string, string>();
  /**
   * The server names each room we enter (`@room`, with ids): our joined notice no
   * longer needs to be matched with a `/join`.
   */
  #roomsTold = false;

  /** Our nickname once the server accepted it. */
  get nick(): string | undefined {
    return this.#nick;
  }

  /** Our room (`lobby` until a `/join` succeeds). */
  get room(): string {
    return this.#room;
  }

  /** The other members of our room the client has seen, most recently active first. */
  get members(): string[] {
    return [...this.#members.values()].reverse();
  }

  /**
   * Notes the nickname we sent (by `--nick` or typed at the prompt); it becomes
   * ours when the welcome line arrives.
   *
   * @param nick The nickname as sent.
   */
  nicknameSent(nick: string): void {
    this.#pendingNick = normalizeNickname(nick);
  }

  /**
   * Notes a line the user sent: `/join NAME` (or an alias) asks for a room, which
   * becomes ours when our joined notice arrives.
   *
   * @param line The line as sent.
   */
  typed(line: string): void {
    const [word, name] = line.trim().split(/\s+/, 2);
    if (word === undefined || name === undefined || !isJoinCommand(word)) return;
    this.#pendingRooms.push(normalizeRoomName(name));
  }

  /**
   * A new connection to the server: what was asked of the last one is void, and
   * who is in the room will be told again. The nickname and the room stay, for
   * the reconnection to ask for them.
   */
  newConnection(): void {
    this.#pendingNick = undefined;
    this.#pendingRooms.length = 0;
    this.#members.clear();
    this.#roomsTold = false;
  }

  /**
   * The server said which room we enter now (`@room`, after the room's history).
   *
   * @param room The room's name.
   * @returns What changed.
   */
  entered(room: string): StateChange {
    this.#roomsTold = true;
    const asked = this.#pendingRooms.findIndex((name) => roomKey(name) === roomKey(room));
    if (asked !== -1) this.#pendingRooms.splice(0, asked + 1);
    return this.#enter(room);
  }

  /**
   * Updates the state from a line the server sent.
   *
   * @param line The line, classified.
   * @returns What changed.
   */
  observe(line: ServerLine): StateChange {
    switch (line.kind) {
      case "connected":
        if (this.#pendingNick === undefined) return NO_CHANGE;
        this.#nick = this.#pendingNick;
        this.#pendingNick = undefined;
        this.#members.delete(nicknameKey(this.#nick));
        return { room: false, nick: true };
      case "joined":
        if (this.#isMe(line.nick)) {
          if (this.#roomsTold) return NO_CHANGE;
          const room = this.#pendingRooms.shift();
          if (room === undefined) return NO_CHANGE;
          return this.#enter(room);
        }
        this.#touch(line.nick);
        return NO_CHANGE;
      case "alreadyInRoom": {
        if (this.#roomsTold) {
          this.#pendingRooms.shift();
          return NO_CHANGE;
        }
        const asked = this.#pendingRooms.shift();
        if (asked === undefined || roomKey(asked) !== roomKey(line.room)) return NO_CHANGE;
        return roomKey(this.#room) === roomKey(line.room) ? NO_CHANGE : this.#enter(line.room);
      }
      case "joinRefused":
        this.#pendingRooms.shift();
        return NO_CHANGE;
      case "left":
      case "moved":
      case "kicked":
        this.#members.delete(nicknameKey(line.nick));
        return NO_CHANGE;
      case "renamed":
        if (this.#nick !== undefined && nicknameKey(line.from) === nicknameKey(this.#nick)) {
          this.#nick = line.to;
          return { room: false, nick: true };
        }
        this.#members.delete(nicknameKey(line.from));
        this.#touch(line.to);
        return NO_CHANGE;
      case "message":
      case "action":
        this.#touch(line.nick);
        return NO_CHANGE;
      case "who":
        // The whole list replaces what we knew; the first names of a longer one
        // (` and 21 more`) add to it, since the others are still there.
        if (line.more === 0) this.#members.clear();
        for (const nick of line.nicks) this.#touch(nick);
        return NO_CHANGE;
      default:
        return NO_CHANGE;
    }
  }

  #enter(room: string): StateChange {
    this.#room = room;
    this.#members.clear();
    return { room: true, nick: false };
  }

  #isMe(nick: string): boolean {
    const me = this.#nick ?? this.#pendingNick;
    return me !== undefined && nicknameKey(nick) === nicknameKey(me);
  }

  /** Records a member as just active (completion offers the most recent first). */
  #touch(nick: string): void {
    if (this.#isMe(nick)) return;
    const key = nicknameKey(nick);
    this.#members.delete(key);
    this.#members.set(key, nick);
  }
}

function isJoinCommand(word: string): boolean {
  const lower = word.toLowerCase();
  if (JOIN_COMMAND_NAMES.includes(lower)) return true;
  const command = findCommand(word);
  return command !== undefined && command.names.some((name) => JOIN_COMMAND_NAMES.includes(name));
}
