/**
 * What a line from the server is, as far as the client's display cares: a
 * message, an action, a whisper, a notice it must track (joins, leaves, moves,
 * renames, kicks, `/who` and the members told on entering, the history header,
 * the line cap), or any other notice.
 *
 * The patterns are built from the server's own catalog (`lib/catalog/user_text.ts`)
 * in every language, so the client recognises a server that speaks another
 * language than itself, and a changed string changes the pattern with it.
 *
 * @module
 */

import type { EndCause } from "../catalog/client_text.ts";
import { type Lang, LANGS } from "../catalog/lang.ts";
import { type UserText, userText } from "../catalog/user_text.ts";
import { MAX_NICKNAME_CHARS } from "../chat/nickname.ts";
import { MAX_ROOM_NAME_CHARS } from "../chat/room_name.ts";

/** A line from the server, classified. Every kind keeps the line as it came. */
export type ServerLine =
  /** `{nick}> {text}`. */
  | { kind: "message"; line: string; lang: Lang; nick: string; text: string }
  /** `* {nick} {text}`. */
  | { kind: "action"; line: string; lang: Lang; nick: string; text: string }
  /** `[귓속말] {nick}> {text}`: a whisper to us. */
  | { kind: "whisperReceived"; line: string; lang: Lang; nick: string; text: string }
  /** `[귓속말 전송] {nick}에게: {text}`: our whisper, as the server confirms it. */
  | { kind: "whisperSent"; line: string; lang: Lang; nick: string; text: string }
  /**
   * `-- 최근 메시지 {count}개 --`, or a catch-up's `-- 나간 뒤 메시지 {count}개 --`:
   * the next `count` lines carry their own time.
   */
  | { kind: "historyHeader"; line: string; count: number }
  /**
   * After a catch-up's header: the oldest `count` of its lines are not kept, so
   * `count` fewer lines follow.
   */
  | { kind: "historySkipped"; line: string; count: number }
  /** A wrong account password (not the last one: the server asks for a nickname again). */
  | { kind: "accountWrong"; line: string; nick: string }
  /** `/register` done: this nickname is ours, with the password just given. */
  | { kind: "registered"; line: string; nick: string }
  /** `/password` done: the new password is the account's. */
  | { kind: "passwordChanged"; line: string }
  /** `/unregister` done: the nickname has no password any more. */
  | { kind: "unregistered"; line: string; nick: string }
  /** `서버에 연결되었습니다.`: the nickname was accepted. */
  | { kind: "connected"; line: string }
  /** `{nick}님이 입장하셨습니다.` */
  | { kind: "joined"; line: string; nick: string }
  /** `{nick}님이 퇴장하셨습니다.`, or `{nick}님이 #{room} 방에서 나갔습니다.` (left our room only). */
  | { kind: "left"; line: string; nick: string }
  /** `{nick}님이 #{room} 방으로 이동하셨습니다.`: a member went to another room. */
  | { kind: "moved"; line: string; nick: string; room: string }
  /** `{from}님의 닉네임이 {to}(으)로 바뀌었습니다.` */
  | { kind: "renamed"; line: string; from: string; to: string }
  /** `{nick}님이 {by}님에 의해 강퇴되었습니다.` */
  | { kind: "kicked"; line: string; nick: string; by: string }
  /**
   * The `/who` reply, or the members told on entering a room: the members of our
   * room, or (`more` > 0) the first of them, and how many more there are.
   */
  | { kind: "who"; line: string; nicks: string[]; more: number }
  /** `이미 {room} 방에 있습니다.`: a `/join` to the room we are in. */
  | { kind: "alreadyInRoom"; line: string; room: string }
  /** A `/join` the server refused (bad name, too many rooms). */
  | { kind: "joinRefused"; line: string }
  /**
   * `한 줄이 너무 깁니다 (최대 {maxBytes}바이트)…`: the server's line cap; `closing`
   * when the server ends the session for it.
   */
  | { kind: "lineTooLong"; line: string; maxBytes: number; closing: boolean }
  /**
   * A line the server sends before it ends our session: a refusal (wrong password,
   * banned, full) or a removal (nickname timeout, flooding, kicked). Two of them end
   * it only when the connection closes right after: a wrong operator password (the
   * third in a row), and the chat being unavailable (a newcomer turned away is told
   * to try again later; a member, that the chat went away).
   */
  | { kind: "ending"; line: string; cause: EndCause; always: boolean }
  /** Anything else: a notice. */
  | { kind: "notice"; line: string };

/** The kinds that carry a nickname and a text (said by someone). */
export type SaidLine = Extract<
  ServerLine,
  { kind: "message" | "action" | "whisperReceived" | "whisperSent" }
>;

/**
 * A history line as the server sends it after the header: its own `[HH:MM] `, then
 * a message or an action.
 */
const HISTORY_LINE = /^\[(\d{2}:\d{2})\] (.*)$/su;

// Placeholders for the catalog's arguments: private-use characters never occur in
// the catalog's own text, and a number that does not either.
const A = "\uE000";
const B = "\uE001";
const C = "\uE002";
const NUMBER = 987_654_321;

const NICK = `[\\p{L}\\p{N}_-]{1,${MAX_NICKNAME_CHARS}}`;
const ROOM = `[\\p{L}\\p{N}_-]{1,${MAX_ROOM_NAME_CHARS}}`;
const TEXT = "[^]*";

/** Compiled patterns of one language. */
interface Patterns {
  lang: Lang;
  text: UserText;
  message: RegExp;
  action: RegExp;
  whisperReceived: RegExp;
  whisperSent: RegExp;
  history: RegExp[];
  joined: RegExp;
  left: RegExp;
  /** A member left our room and stays in others (an IRC user's part): without and with a reason. */
  parted: RegExp[];
  moved: RegExp;
  renamed: RegExp;
  /** Our nickname was taken while our server could not reach the others: a rename of ours. */
  nicknameLost: RegExp;
  kicked: RegExp;
  who: RegExp;
  whoAway: string;
  whoSeparator: string;
  alreadyInRoom: RegExp;
  joinRefused: RegExp[];
  lineTooLong: RegExp[];
  /** Exact lines that end the session, and whether they always do. */
  endings: Map<string, { cause: EndCause; always: boolean }>;
  serverFull: RegExp;
  tooManyFromAddress: RegExp;
  /** The third wrong operator password, closing. */
  opLockout: RegExp;
  kickedYou: RegExp[];
  bannedYou: RegExp[];
  /** Someone else was banned (and so left the room). */
  bannedBy: RegExp[];
  /** Accounts: the catch-up's header and its skipped line. */
  catchUp: RegExp[];
  catchUpSkipped: RegExp[];
  /** A wrong account password, and the third one (closing). */
  accountWrong: RegExp;
  accountLockout: RegExp;
  /** Another login took our nickname: this connection closes. */
  nicknameReclaimed: string;
  registered: RegExp;
  unregistered: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Turns a catalog line rendered with placeholders into an anchored pattern whose
 * named groups stand where the placeholders were.
 */
function compile(sample: string, groups: Record<string, string>): RegExp {
  let source = escapeRegExp(sample);
  for (const [placeholder, group] of Object.entries(groups)) {
    source = source.replace(escapeRegExp(placeholder), group);
  }
  return new RegExp(`^${source}$`, "u");
}

function patternsOf(lang: Lang): Patterns {
  const t = userText(lang);
  const said = { [A]: `(?<nick>${NICK})`, [B]: `(?<text>${TEXT})` };
  const number = { [String(NUMBER)]: "(?<n>\\d+)" };
  const whoNumber = t.who([]).replace("0", String(NUMBER));
  // The cut list's ending (` and 21 more`), as the catalog renders it.
  const whoMore = t.who([], NUMBER).slice(whoNumber.length);
  const awayOne = t.who([{ nick: A, away: true }]);
  const two = t.who([{ nick: A, away: false }, { nick: B, away: false }]);
  return {
    lang,
    text: t,
    message: compile(t.message(A, B), said),
    action: compile(t.action(A, B), said),
    whisperReceived: compile(t.whisperReceived(A, B), said),
    whisperSent: compile(t.whisperSent(A, B), said),
    // Singular and plural differ in English.
    history: [t.history(1).replace("1", String(NUMBER)), t.history(NUMBER)].map((sample) =>
      compile(sample, number)
    ),
    joined: compile(t.joined(A), { [A]: `(?<nick>${NICK})` }),
    left: compile(t.left(A), { [A]: `(?<nick>${NICK})` }),
    parted: [undefined, C].map((reason) =>
      compile(t.parted(A, B, reason), {
        [A]: `(?<nick>${NICK})`,
        [B]: `(?<room>${ROOM})`,
        [C]: `(?<reason>${TEXT})`,
      })
    ),
    moved: compile(t.moved(A, B), { [A]: `(?<nick>${NICK})`, [B]: `(?<room>${ROOM})` }),
    renamed: compile(t.renamed(A, B), { [A]: `(?<from>${NICK})`, [B]: `(?<to>${NICK})` }),
    nicknameLost: compile(t.nicknameLost(A, B), {
      [A]: `(?<from>${NICK})`,
      [B]: `(?<to>${NICK})`,
    }),
    kicked: compile(t.kicked(A, B, undefined), { [A]: `(?<nick>${NICK})`, [B]: `(?<by>${NICK})` }),
    // The list is as short as it can be, so that the cut list's ending is not in it.
    who: new RegExp(
      `^${escapeRegExp(whoNumber).replace(String(NUMBER), "(?<n>\\d+)")}(?<list>[^]*?)(?:${
        escapeRegExp(whoMore).replace(String(NUMBER), "(?<more>\\d+)")
      })?$`,
      "u",
    ),
    whoAway: awayOne.slice(awayOne.indexOf(A) + A.length),
    whoSeparator: two.slice(two.indexOf(A) + A.length, two.indexOf(B)),
    alreadyInRoom: compile(t.alreadyInRoom(A), { [A]: `(?<room>${ROOM})` }),
    joinRefused: [t.roomInvalid(NUMBER), t.roomsFull(NUMBER), t.tooManyRooms(NUMBER)].map((
      sample,
    ) => compile(sample, number)),
    // Refused and the connection goes on, or refused and closing.
    lineTooLong: [false, true].map((closing) => compile(t.lineTooLong(NUMBER, closing), number)),
    endings: new Map([
      [t.wrongPassword, { cause: { reason: "wrongPassword" }, always: true }],
      [t.passwordLockout, { cause: { reason: "passwordLockout" }, always: true }],
      [t.evicted, { cause: { reason: "evicted" }, always: true }],
      [t.banned, { cause: { reason: "banned" }, always: true }],
      [t.nicknameTimeout, { cause: { reason: "nicknameTimeout" }, always: true }],
      [t.flooding, { cause: { reason: "flooding" }, always: true }],
      [t.opWrong(1, false), { cause: { reason: "opPassword" }, always: false }],
      [t.internalError, { cause: { reason: "serverError" }, always: true }],
      [t.tryAgainLater, { cause: { reason: "unavailable" }, always: false }],
      [t.unavailable, { cause: { reason: "unavailable" }, always: false }],
    ]),
    serverFull: compile(t.serverFull(NUMBER), number),
    tooManyFromAddress: compile(t.tooManyFromAddress(NUMBER), number),
    opLockout: compile(t.opWrong(NUMBER, true), number),
    kickedYou: [
      compile(t.kickedYou(A, undefined), { [A]: `(?<by>${NICK})` }),
      compile(t.kickedYou(A, B), { [A]: `(?<by>${NICK})`, [B]: `(?<reason>${TEXT})` }),
    ],
    // A ban for some minutes or until lifted, with a reason or without.
    bannedYou: [0, NUMBER].flatMap((minutes) => [
      compile(t.bannedYou(A, minutes, undefined), { ...number, [A]: `(?<by>${NICK})` }),
      compile(t.bannedYou(A, minutes, B), {
        ...number,
        [A]: `(?<by>${NICK})`,
        [B]: `(?<reason>${TEXT})`,
      }),
    ]),
    bannedBy: [0, NUMBER].map((minutes) =>
      compile(t.bannedBy(A, B, minutes), {
        ...number,
        [A]: `(?<nick>${NICK})`,
        [B]: `(?<by>${NICK})`,
      })
    ),
    // Singular and plural differ in English.
    catchUp: [t.catchUp(1).replace("1", String(NUMBER)), t.catchUp(NUMBER)].map((sample) =>
      compile(sample, number)
    ),
    catchUpSkipped: [t.catchUpSkipped(1).replace("1", String(NUMBER)), t.catchUpSkipped(NUMBER)]
      .map((sample) => compile(sample, number)),
    accountWrong: compile(t.accountWrong(A, 1, false), { [A]: `(?<nick>${NICK})` }),
    accountLockout: compile(t.accountWrong(A, NUMBER, true), {
      ...number,
      [A]: `(?<nick>${NICK})`,
    }),
    nicknameReclaimed: t.nicknameReclaimed,
    registered: compile(t.registered(A), { [A]: `(?<nick>${NICK})` }),
    unregistered: compile(t.unregistered(A), { [A]: `(?<nick>${NICK})` }),
  };
}

const PATTERNS: readonly Patterns[] = LANGS.map(patternsOf);

/**
 * Classifies one line from the server (already sanitized, without its line ending).
 *
 * @param line The line.
 * @returns What it is; `notice` for anything not recognised.
 */
export function parseServerLine(line: string): ServerLine {
  for (const p of PATTERNS) {
    const said = matchSaid(p, line);
    if (said !== undefined) return said;
  }
  for (const p of PATTERNS) {
    const notice = matchNotice(p, line);
    if (notice !== undefined) return notice;
  }
  // The original server's notices can arrive glued in one read (it sends no `\n`):
  // the welcome still counts when it ends the line.
  if (PATTERNS.some((p) => line.endsWith(p.text.connected))) return { kind: "connected", line };
  return { kind: "notice", line };
}

function matchSaid(p: Patterns, line: string): SaidLine | undefined {
  for (const kind of ["message", "action", "whisperReceived", "whisperSent"] as const) {
    const groups = p[kind].exec(line)?.groups;
    if (groups !== undefined) {
      return { kind, line, lang: p.lang, nick: groups.nick, text: groups.text };
    }
  }
  return undefined;
}

function matchNotice(p: Patterns, line: string): ServerLine | undefined {
  if (line === p.text.connected) return { kind: "connected", line };
  let groups: Record<string, string> | undefined;
  for (const history of p.history) {
    groups = history.exec(line)?.groups;
    if (groups !== undefined) return { kind: "historyHeader", line, count: Number(groups.n) };
  }
  if ((groups = p.joined.exec(line)?.groups) !== undefined) {
    return { kind: "joined", line, nick: groups.nick };
  }
  if ((groups = p.left.exec(line)?.groups) !== undefined) {
    return { kind: "left", line, nick: groups.nick };
  }
  for (const parted of p.parted) {
    groups = parted.exec(line)?.groups;
    if (groups !== undefined) return { kind: "left", line, nick: groups.nick };
  }
  if ((groups = p.moved.exec(line)?.groups) !== undefined) {
    return { kind: "moved", line, nick: groups.nick, room: groups.room };
  }
  if ((groups = p.renamed.exec(line)?.groups) !== undefined) {
    return { kind: "renamed", line, from: groups.from, to: groups.to };
  }
  if ((groups = p.nicknameLost.exec(line)?.groups) !== undefined) {
    return { kind: "renamed", line, from: groups.from, to: groups.to };
  }
  if ((groups = p.kicked.exec(line)?.groups) !== undefined) {
    return { kind: "kicked", line, nick: groups.nick, by: groups.by };
  }
  for (const bannedBy of p.bannedBy) {
    groups = bannedBy.exec(line)?.groups;
    if (groups !== undefined) return { kind: "kicked", line, nick: groups.nick, by: groups.by };
  }
  if ((groups = p.who.exec(line)?.groups) !== undefined) {
    const more = groups.more === undefined ? 0 : Number(groups.more);
    return { kind: "who", line, nicks: whoNicks(p, groups.list), more };
  }
  if ((groups = p.alreadyInRoom.exec(line)?.groups) !== undefined) {
    return { kind: "alreadyInRoom", line, room: groups.room };
  }
  if (p.joinRefused.some((pattern) => pattern.test(line))) return { kind: "joinRefused", line };
  for (const [index, lineTooLong] of p.lineTooLong.entries()) {
    groups = lineTooLong.exec(line)?.groups;
    if (groups !== undefined) {
      return { kind: "lineTooLong", line, maxBytes: Number(groups.n), closing: index === 1 };
    }
  }
  const ending = p.endings.get(line);
  if (ending !== undefined) return { kind: "ending", line, ...ending };
  if (p.serverFull.test(line)) {
    return { kind: "ending", line, cause: { reason: "serverFull" }, always: true };
  }
  if (p.tooManyFromAddress.test(line)) {
    return { kind: "ending", line, cause: { reason: "tooManyFromAddress" }, always: true };
  }
  for (const kickedYou of p.kickedYou) {
    groups = kickedYou.exec(line)?.groups;
    if (groups !== undefined) {
      return { kind: "ending", line, cause: { reason: "kicked", by: groups.by }, always: true };
    }
  }
  for (const bannedYou of p.bannedYou) {
    groups = bannedYou.exec(line)?.groups;
    if (groups !== undefined) {
      return { kind: "ending", line, cause: { reason: "bannedBy", by: groups.by }, always: true };
    }
  }
  if (p.opLockout.test(line)) {
    return { kind: "ending", line, cause: { reason: "opPassword" }, always: true };
  }
  return matchAccountLine(p, line);
}

/** The lines of accounts: the catch-up, the login's answers, what changes a password. */
function matchAccountLine(p: Patterns, line: string): ServerLine | undefined {
  let groups: Record<string, string> | undefined;
  for (const catchUp of p.catchUp) {
    groups = catchUp.exec(line)?.groups;
    if (groups !== undefined) return { kind: "historyHeader", line, count: Number(groups.n) };
  }
  for (const skipped of p.catchUpSkipped) {
    groups = skipped.exec(line)?.groups;
    if (groups !== undefined) return { kind: "historySkipped", line, count: Number(groups.n) };
  }
  if (line === p.nicknameReclaimed) {
    return { kind: "ending", line, cause: { reason: "reclaimed" }, always: true };
  }
  if (p.accountLockout.test(line)) {
    return { kind: "ending", line, cause: { reason: "accountPassword" }, always: true };
  }
  if ((groups = p.accountWrong.exec(line)?.groups) !== undefined) {
    return { kind: "accountWrong", line, nick: groups.nick };
  }
  if ((groups = p.registered.exec(line)?.groups) !== undefined) {
    return { kind: "registered", line, nick: groups.nick };
  }
  if ((groups = p.unregistered.exec(line)?.groups) !== undefined) {
    return { kind: "unregistered", line, nick: groups.nick };
  }
  if (line === p.text.passwordChanged) return { kind: "passwordChanged", line };
  return undefined;
}

function whoNicks(p: Patterns, list: string): string[] {
  if (list === "") return [];
  return list.split(p.whoSeparator).map((entry) =>
    entry.endsWith(p.whoAway) ? entry.slice(0, -p.whoAway.length) : entry
  );
}

/** A line of the history block: the server's time, then what was said. */
export interface HistoryLine {
  /** The time as the server wrote it (`HH:MM`). */
  time: string;
  /** The rest of the line, classified. */
  line: ServerLine;
}

/**
 * Classifies a line that follows the history header: `[HH:MM] ` and a message or
 * an action.
 *
 * @param line The line (sanitized).
 * @returns The time and the classified rest, or `undefined` when the line does not
 *   start with a time (the history block is over).
 */
export function parseHistoryLine(line: string): HistoryLine | undefined {
  const match = HISTORY_LINE.exec(line);
  if (match === null) return undefined;
  return { time: match[1], line: parseServerLine(match[2]) };
}
