/**
 * The chat's typed events. The core emits them; each transport renders them at
 * its edge (text lines in the server's language, JSON for the web page), once per
 * event and format, never once per recipient.
 *
 * @module
 */

/**
 * An operator's removal of a user: `/kick`, or `/ban` (a kick whose address is
 * then refused). In JSON (the `kicked` room event and `kickedYou`): `by`,
 * `reason` (absent without one) and, for a ban only, `banMinutes`: how long the
 * address is refused, `0` until the ban is lifted.
 */
export interface Removal {
  /** The operator's nickname. */
  by: string;
  /** The reason given, or `undefined`. */
  reason: string | undefined;
  /** For a ban: its minutes (`0`: until lifted); absent for a kick. */
  banMinutes?: number;
}

/**
 * An event that every member of a room receives, in one order. Messages and
 * actions get an `id` when the bus orders them (`"<epoch>.<seq>"`, opaque to
 * clients: see `event_id.ts`); a catch-up starts after one.
 */
export type RoomEvent =
  | { type: "message"; room: string; nick: string; text: string; time: number; id?: string }
  | { type: "action"; room: string; nick: string; text: string; time: number; id?: string }
  | { type: "joined"; room: string; nick: string; time: number }
  /**
   * A member left the chat. `rooms`: see {@linkcode UserWideEvent}.
   */
  | { type: "left"; room: string; nick: string; time: number; rooms?: string[] }
  /** A member went to another room (`to`, its name as created): not a quit. */
  | { type: "moved"; room: string; nick: string; to: string; time: number }
  /** A member left this room and stays in its others (an IRC `PART`), with its reason if any. */
  | { type: "parted"; room: string; nick: string; reason?: string; time: number }
  /** A member changed its nickname. `rooms`: see {@linkcode UserWideEvent}. */
  | { type: "renamed"; room: string; from: string; to: string; time: number; rooms?: string[] }
  | { type: "topic"; room: string; nick: string; text: string; time: number }
  /** A member was removed by an operator (see {@linkcode Removal}: `banMinutes` marks a ban). */
  | ({ type: "kicked"; room: string; nick: string; time: number } & Removal);

/**
 * The room events about a user rather than a room: its rename and its leaving the
 * chat. Each of the user's rooms gets one; when there were several, every copy
 * carries `rooms`: the keys of all of them, in the order the user entered them. A
 * connection in several of those rooms is shown the event once, from the first
 * of them it is in (see `UserWideFormat` in `user.ts`).
 */
export type UserWideEvent = Extract<RoomEvent, { type: "left" | "renamed" }>;

/**
 * Tells whether a room event is about a user rather than a room.
 *
 * @param event The event.
 * @returns `true` for a rename and for leaving the chat.
 */
export function isUserWideEvent(event: RoomEvent): event is UserWideEvent {
  return event.type === "left" || event.type === "renamed";
}

/** The events a room keeps as history: what people said. */
export type HistoryEvent = Extract<RoomEvent, { type: "message" | "action" }>;

/**
 * Tells whether a room event belongs in the room's history.
 *
 * @param event The event.
 * @returns `true` for messages and actions.
 */
export function isHistoryEvent(event: RoomEvent): event is HistoryEvent {
  return event.type === "message" || event.type === "action";
}

/**
 * The most members named on entering a room: a newcomer learns who is there, and a
 * join storm into a big room costs each newcomer a bounded line, not the whole room.
 */
export const MAX_MEMBERS_ON_ENTRY = 100;

/** One line of `/who`. */
export interface WhoEntry {
  /** The nickname. */
  nick: string;
  /** Whether the user is away. */
  away: boolean;
}

/** One room of `/rooms`. */
export interface RoomEntry {
  /** The room's name as it was created. */
  name: string;
  /** Its members. */
  count: number;
}

/**
 * One ban of `/bans`: an address, or a registered nickname (`nick`, as it was
 * written when it was banned).
 */
export type BanEntry =
  | {
    /** The banned IP address. */
    address: string;
    /** When it ends (`Date.now()` time), or `undefined` until lifted (on one server: or until it stops). */
    until: number | undefined;
  }
  | {
    /** The banned nickname: a login to its account is refused from any address. */
    nick: string;
    /** When it ends (`Date.now()` time), or `undefined` until lifted. */
    until: number | undefined;
  };

/** One command of `/help`. */
export interface HelpEntry {
  /** The command and its aliases, `/join` first. */
  names: readonly string[];
  /** How to call it, per language (`/join ROOM`). */
  usage: { readonly ko: string; readonly en: string };
  /** What it does, per language, one line. */
  help: { readonly ko: string; readonly en: string };
  /** Whether it is for operators. */
  op: boolean;
}

/** A reply or notice for one user, with no data of its own beyond its parameters. */
export type Notice =
  | { code: "nicknameInvalid"; maxChars: number }
  | { code: "nicknameTaken"; nick: string }
  | { code: "noSuchUser"; nick: string }
  | { code: "whisperUsage" }
  | { code: "unknownCommand"; command: string }
  | { code: "usage"; usage: { readonly ko: string; readonly en: string } }
  | { code: "lineTooLong"; maxBytes: number; closing: boolean }
  | { code: "nicknameTimeout" }
  | { code: "rateLimited" }
  | { code: "flooding" }
  | { code: "shuttingDown" }
  | { code: "wrongPassword" }
  | { code: "markedAway" }
  | { code: "welcomeBack" }
  | { code: "notAway" }
  | { code: "noTopic" }
  | { code: "opGranted" }
  /** `closing`: the `failures`-th wrong password in a row ends the connection. */
  | { code: "opWrong"; failures: number; closing: boolean }
  | { code: "opOnly" }
  | { code: "opUnset" }
  /**
   * Too many wrong passwords from the address lately (the server password, `/op`
   * and account passwords count together): the answer was not checked, and the
   * connection closes.
   */
  | { code: "passwordLockout" }
  /** The server is full and this connection had not joined: it makes room, and closes. */
  | { code: "evicted" }
  /**
   * Someone else took the user's nickname while its server could not speak for it
   * (cut off or stalled): it is now `to`.
   */
  | { code: "nicknameLost"; from: string; to: string }
  | { code: "banned" }
  | { code: "roomInvalid"; maxChars: number }
  | { code: "roomsFull"; max: number }
  | { code: "alreadyInRoom"; room: string }
  /** Entering one more room would pass `max`, the most rooms a user may be in at once. */
  | { code: "tooManyRooms"; max: number }
  /** `nickname`: the user's registered nickname is banned too. */
  | { code: "banAdded"; nick: string; address: string; minutes: number; nickname?: boolean }
  | { code: "unbanned"; address: string }
  | { code: "notBanned"; address: string }
  | { code: "noBans" }
  | { code: "cannotKickSelf" }
  /** The answer to `/kick`: the user is on its way out, wherever it was. */
  | { code: "kickDone"; nick: string }
  /** The server failed on this connection (a bug) and closes it. */
  | { code: "internalError" }
  /** The chat cannot be used for now (a cluster cut off from Redis); what is typed waits. */
  | { code: "unavailable" }
  /** The chat is usable again after being unavailable. */
  | { code: "available" }
  /** A step could not be done and was dropped (a newcomer is turned away): try again. */
  | { code: "tryAgainLater" }
  // --- Accounts ---
  /** `/register` done: the nickname asks for its password from now on. */
  | { code: "registered"; nick: string }
  /** `/register` of a nickname that has an account already. */
  | { code: "alreadyRegistered"; nick: string }
  /** `/password`, `/unregister` by a user not logged in to its nickname's account. */
  | { code: "notRegistered" }
  /** A new password is too short. */
  | { code: "passwordTooShort"; minChars: number }
  /** A new password is too long. */
  | { code: "passwordTooLong"; maxBytes: number }
  /** `/password` done. */
  | { code: "passwordChanged" }
  /** `/password` alone, answered with an empty line: nothing changed. */
  | { code: "passwordChangeCancelled" }
  /** `/unregister` done: the nickname is anyone's again. */
  | { code: "unregistered"; nick: string }
  /**
   * A wrong account password (at login, `/password`, `/unregister`); `closing`:
   * the `failures`-th in one connection ends it.
   */
  | { code: "accountWrong"; nick: string; failures: number; closing: boolean }
  /** `/nick` to a registered nickname: it takes a login. */
  | { code: "nicknameRegistered"; nick: string }
  /** A nickname whose account is banned: refused at the nickname prompt and by `/nick`. */
  | { code: "nicknameBanned"; nick: string }
  /** Your connection is closed: a new login took your nickname (ghost reclaim). */
  | { code: "nicknameReclaimed" }
  /** A login whose nickname is held on another server of the cluster, which cannot take it over. */
  | { code: "reclaimRefused"; nick: string }
  /** A whisper to an offline registered user is held for its next login. */
  | { code: "whisperHeld"; nick: string }
  /** A whisper to an offline registered user who has `max` held already: not kept. */
  | { code: "whisperHeldFull"; nick: string; max: number }
  /** `/deop` of yourself done. */
  | { code: "deopped" }
  /** Another operator removed your operator status. */
  | { code: "deoppedBy"; by: string }
  /** `/deop NICK` done. */
  | { code: "deopDone"; nick: string }
  /** `/deop` of yourself when you are not one. */
  | { code: "notAnOperator" }
  /** `/deop NICK` of someone who is not one. */
  | { code: "notOperator"; nick: string }
  /** `/unban NICK` done. */
  | { code: "nickUnbanned"; nick: string }
  /** `/unban NICK` of a nickname that is not banned. */
  | { code: "nickNotBanned"; nick: string };

/** The code of a {@linkcode Notice}. */
export type NoticeCode = Notice["code"];

/** An event for one user alone. */
export type UserEvent =
  | { type: "prompt"; prompt: "password" | "nickname" }
  /** The nickname is registered: send its account's password next. */
  | { type: "prompt"; prompt: "account"; nick: string }
  /** `/password` alone asks the current password, then the new one. */
  | { type: "prompt"; prompt: "currentPassword" | "newPassword" }
  | { type: "welcome"; nick: string }
  | { type: "notice"; notice: Notice }
  | { type: "motd"; lines: readonly string[] }
  | { type: "history"; room: string; events: readonly HistoryEvent[] }
  /**
   * On logging in (or resuming with an id): the room's messages and actions after
   * the last one the user had, instead of `history`. `skipped`: how many more came
   * meanwhile that are not in `events` (the oldest: no longer kept).
   */
  | { type: "catchUp"; room: string; events: readonly HistoryEvent[]; skipped: number }
  /** A whisper to you; `time` only for one held while you were offline. */
  | { type: "whisper"; from: string; text: string; time?: number }
  | { type: "whisperSent"; to: string; text: string }
  | { type: "away"; nick: string; reason: string | undefined }
  | { type: "who"; room: string; users: readonly WhoEntry[] }
  /**
   * The room's members, told once on entering: the first `users` of `total`, in the
   * order they came (a big room's list is cut at {@linkcode MAX_MEMBERS_ON_ENTRY}).
   */
  | { type: "members"; room: string; users: readonly WhoEntry[]; total: number }
  | { type: "rooms"; rooms: readonly RoomEntry[] }
  | { type: "topic"; room: string; text: string }
  | { type: "bans"; bans: readonly BanEntry[] }
  | { type: "help"; commands: readonly HelpEntry[] }
  /** You were removed by an operator (JSON: `kickedYou`; `banMinutes` marks a ban). */
  | ({ type: "kicked" } & Removal)
  | { type: "renamed"; from: string; to: string }
  | { type: "room"; room: string };

/**
 * Makes a notice event.
 *
 * @param notice The notice.
 * @returns The event.
 */
export function notice(notice: Notice): UserEvent {
  return { type: "notice", notice };
}
