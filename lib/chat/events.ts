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

/** An event that every member of a room receives, in one order. */
export type RoomEvent =
  | { type: "message"; room: string; nick: string; text: string; time: number }
  | { type: "action"; room: string; nick: string; text: string; time: number }
  | { type: "joined"; room: string; nick: string; time: number }
  | { type: "left"; room: string; nick: string; time: number }
  /** A member went to another room (`to`, its name as created): not a quit. */
  | { type: "moved"; room: string; nick: string; to: string; time: number }
  | { type: "renamed"; room: string; from: string; to: string; time: number }
  | { type: "topic"; room: string; nick: string; text: string; time: number }
  /** A member was removed by an operator (see {@linkcode Removal}: `banMinutes` marks a ban). */
  | ({ type: "kicked"; room: string; nick: string; time: number } & Removal);

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

/** One ban of `/bans`. */
export interface BanEntry {
  /** The banned IP address. */
  address: string;
  /** When it ends (`Date.now()` time), or `undefined` until lifted (on one server: or until it stops). */
  until: number | undefined;
}

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
  /** Too many wrong passwords from the address lately: refused unchecked, and closing. */
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
  | { code: "banAdded"; nick: string; address: string; minutes: number }
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
  | { code: "tryAgainLater" };

/** The code of a {@linkcode Notice}. */
export type NoticeCode = Notice["code"];

/** An event for one user alone. */
export type UserEvent =
  | { type: "prompt"; prompt: "password" | "nickname" }
  | { type: "welcome"; nick: string }
  | { type: "notice"; notice: Notice }
  | { type: "motd"; lines: readonly string[] }
  | { type: "history"; room: string; events: readonly HistoryEvent[] }
  | { type: "whisper"; from: string; text: string }
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
