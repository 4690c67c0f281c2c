/**
 * What the server says to people: every line a chat or echo client receives, in
 * Korean (the default, with the original program's exact strings) and English.
 *
 * @module
 */

import type { Lang } from "./lang.ts";

/** The lines the server sends to clients. */
export interface UserText {
  readonly nicknamePrompt: string;
  readonly passwordPrompt: string;
  readonly wrongPassword: string;
  joined(nick: string): string;
  readonly connected: string;
  left(nick: string): string;
  /** A member went to another room (the room as `#name`). */
  moved(nick: string, room: string): string;
  /** A member left this room (`#name`) and stays in its others (an IRC `PART`). */
  parted(nick: string, room: string, reason: string | undefined): string;
  message(nick: string, text: string): string;
  action(nick: string, text: string): string;
  whisperReceived(from: string, text: string): string;
  whisperSent(to: string, text: string): string;
  noSuchUser(nick: string): string;
  readonly whisperUsage: string;
  unknownCommand(command: string): string;
  usage(usage: string): string;
  /** `/who`, and the members told on entering (`total` when the list is cut). */
  who(entries: readonly { nick: string; away: boolean }[], total?: number): string;
  rooms(entries: readonly { name: string; count: number }[]): string;
  /** The first line of `/help`. */
  readonly helpTitle: string;
  /** The lines of `/help` before the commands: what a plain line and a whisper are. */
  readonly helpBasics: readonly (readonly [usage: string, help: string])[];
  /** What marks an operator command in `/help`. */
  readonly helpOpMark: string;
  nicknameInvalid(maxChars: number): string;
  nicknameTaken(nick: string): string;
  /** A line over the cap: dropped, or (`closing`) the stream went on and is cut off. */
  lineTooLong(maxBytes: number, closing: boolean): string;
  serverFull(maxClients: number): string;
  /** Refused at the door: `max` connections from the address already. */
  tooManyFromAddress(max: number): string;
  /** The server is full and this connection had not joined: it gives its place to a newcomer. */
  readonly evicted: string;
  /** Someone took your nickname while this server could not speak for you: you are `to` now. */
  nicknameLost(from: string, to: string): string;
  readonly nicknameTimeout: string;
  readonly rateLimited: string;
  readonly flooding: string;
  readonly shuttingDown: string;
  history(count: number): string;
  renamed(from: string, to: string): string;
  readonly markedAway: string;
  readonly welcomeBack: string;
  readonly notAway: string;
  away(nick: string, reason: string | undefined): string;
  topic(text: string): string;
  readonly noTopic: string;
  topicSet(nick: string, text: string): string;
  readonly opGranted: string;
  /** A wrong operator password; the `failures`-th in a row closes the connection (`closing`). */
  opWrong(failures: number, closing: boolean): string;
  readonly opOnly: string;
  readonly opUnset: string;
  /** Too many wrong passwords from the address (any password): refused unchecked, and closing. */
  readonly passwordLockout: string;
  kickedYou(by: string, reason: string | undefined): string;
  /** You were banned: for `minutes` (`0`: until lifted). */
  bannedYou(by: string, minutes: number, reason: string | undefined): string;
  kicked(nick: string, by: string, reason: string | undefined): string;
  /** The room sees a ban: for `minutes` (`0`: until lifted). */
  bannedBy(nick: string, by: string, minutes: number): string;
  /** The answer to `/kick`. */
  kickDone(nick: string): string;
  readonly banned: string;
  /** The server failed on this connection and closes it. */
  readonly internalError: string;
  readonly cannotKickSelf: string;
  /** `/ban` done; `nickname`: the user's registered nickname too. */
  banAdded(nick: string, address: string, minutes: number, nickname?: boolean): string;
  unbanned(address: string): string;
  notBanned(address: string): string;
  /** `/bans`: addresses, and registered nicknames (`nickname`). */
  bans(
    entries: readonly { name: string; nickname: boolean; minutesLeft: number | undefined }[],
  ): string;
  readonly noBans: string;
  roomInvalid(maxChars: number): string;
  roomsFull(max: number): string;
  alreadyInRoom(room: string): string;
  /** Entering one more room would pass the most rooms a user may be in at once. */
  tooManyRooms(max: number): string;
  /** The chat cannot be used for now; what the user types is sent when it is back. */
  readonly unavailable: string;
  /** The chat is back (what was typed meanwhile follows). */
  readonly available: string;
  /** A step could not be done and was dropped (a newcomer is turned away). */
  readonly tryAgainLater: string;
  // --- Accounts ---
  /** The prompt of a registered nickname's password. */
  accountPrompt(nick: string): string;
  /** `/password` alone: the current password. */
  readonly currentPasswordPrompt: string;
  /** `/password` alone: the new one. */
  readonly newPasswordPrompt: string;
  /** The header of a catch-up: `total` lines came since the user left. */
  catchUp(total: number): string;
  /** After the catch-up's header: the oldest `skipped` of them are not shown. */
  catchUpSkipped(skipped: number): string;
  registered(nick: string): string;
  alreadyRegistered(nick: string): string;
  readonly notRegistered: string;
  passwordTooShort(minChars: number): string;
  passwordTooLong(maxBytes: number): string;
  readonly passwordChanged: string;
  readonly passwordChangeCancelled: string;
  unregistered(nick: string): string;
  /** A wrong account password; the `failures`-th in one connection closes it (`closing`). */
  accountWrong(nick: string, failures: number, closing: boolean): string;
  nicknameRegistered(nick: string): string;
  nicknameBanned(nick: string): string;
  readonly nicknameReclaimed: string;
  reclaimRefused(nick: string): string;
  whisperHeld(nick: string): string;
  whisperHeldFull(nick: string, max: number): string;
  readonly deopped: string;
  deoppedBy(by: string): string;
  deopDone(nick: string): string;
  readonly notAnOperator: string;
  notOperator(nick: string): string;
  nickUnbanned(nick: string): string;
  nickNotBanned(nick: string): string;
}

const ko: UserText = {
  nicknamePrompt: "닉네임을 입력하세요:",
  passwordPrompt: "비밀번호를 입력하세요:",
  wrongPassword: "비밀번호가 틀렸습니다.",
  joined: (nick) => `${nick}님이 입장하셨습니다.`,
  connected: "서버에 연결되었습니다.",
  left: (nick) => `${nick}님이 퇴장하셨습니다.`,
  moved: (nick, room) => `${nick}님이 #${room} 방으로 이동하셨습니다.`,
  parted: (nick, room, reason) =>
    `${nick}님이 #${room} 방에서 나갔습니다.${reason === undefined ? "" : ` 사유: ${reason}`}`,
  message: (nick, text) => `${nick}> ${text}`,
  action: (nick, text) => `* ${nick} ${text}`,
  whisperReceived: (from, text) => `[귓속말] ${from}> ${text}`,
  whisperSent: (to, text) => `[귓속말 전송] ${to}에게: ${text}`,
  noSuchUser: () => "해당 닉네임의 사용자가 없습니다.",
  whisperUsage: "사용법: @닉네임 메시지",
  unknownCommand: (command) => `알 수 없는 명령어입니다: ${command} (도움말: /help)`,
  usage: (usage) => `사용법: ${usage}`,
  who: (entries, total = entries.length) =>
    `접속자 ${total}명: ${entries.map((e) => e.away ? `${e.nick} (자리비움)` : e.nick).join(", ")}${
      total > entries.length ? ` 외 ${total - entries.length}명` : ""
    }`,
  rooms: (entries) => `방 목록: ${entries.map((e) => `${e.name} (${e.count})`).join(", ")}`,
  helpTitle: "명령어:",
  helpBasics: [["메시지", "이 방의 모두에게 보내기"], ["@닉네임 메시지", "귓속말"]],
  helpOpMark: " (운영자)",
  nicknameInvalid: (max) =>
    `닉네임은 1~${max}자의 글자, 숫자, _, -만 쓸 수 있습니다 (보이지 않는 문자, 섞인 문자 체계는 안 됩니다). 다른 닉네임을 입력하세요.`,
  nicknameTaken: (nick) => `이미 사용 중인 닉네임입니다: ${nick}`,
  lineTooLong: (max, closing) =>
    `한 줄이 너무 깁니다 (최대 ${max}바이트). ${
      closing ? "연결을 종료합니다." : "이 줄은 전송되지 않았습니다."
    }`,
  serverFull: (max) => `서버가 가득 찼습니다 (최대 ${max}명). 나중에 다시 접속하세요.`,
  tooManyFromAddress: (max) =>
    `이 주소에서 접속이 너무 많습니다 (최대 ${max}개). 나중에 다시 접속하세요.`,
  evicted:
    "서버가 가득 차서 아직 입장하지 않은 연결이 새로 온 사람에게 자리를 내줍니다. 다시 접속하세요.",
  nicknameLost: (from, to) =>
    `이 서버가 다른 서버들과 연결되지 않은 동안 다른 사람이 닉네임 ${from}을(를) 가져가서, 닉네임이 ${to}(으)로 바뀌었습니다.`,
  nicknameTimeout: "닉네임 입력 시간이 지났습니다. 연결을 종료합니다.",
  rateLimited: "메시지를 너무 빨리 보내고 있어 조금씩 나누어 전달합니다.",
  flooding: "메시지를 너무 많이 보내 연결을 종료합니다.",
  shuttingDown: "서버가 종료됩니다.",
  history: (n) => `-- 최근 메시지 ${n}개 --`,
  renamed: (from, to) => `${from}님의 닉네임이 ${to}(으)로 바뀌었습니다.`,
  markedAway: "자리 비움으로 표시되었습니다.",
  welcomeBack: "다시 오신 것을 환영합니다.",
  notAway: "자리 비움 상태가 아닙니다.",
  away: (nick, reason) =>
    reason === undefined
      ? `${nick}님은 자리 비움 중입니다.`
      : `${nick}님은 자리 비움 중입니다: ${reason}`,
  topic: (text) => `주제: ${text}`,
  noTopic: "설정된 주제가 없습니다.",
  topicSet: (nick, text) => `${nick}님이 주제를 설정했습니다: ${text}`,
  opGranted: "운영자가 되었습니다.",
  opWrong: (failures, closing) =>
    closing
      ? `운영자 비밀번호가 ${failures}번 틀려 연결을 종료합니다.`
      : "운영자 비밀번호가 틀렸습니다.",
  opOnly: "운영자만 할 수 있습니다.",
  opUnset: "이 서버에는 운영자 비밀번호가 설정되어 있지 않습니다.",
  passwordLockout:
    "이 주소에서 비밀번호를 너무 많이 틀렸습니다. 1분 뒤에 다시 시도하세요. 연결을 종료합니다.",
  kickedYou: (by, reason) =>
    `${by}님에 의해 강퇴되었습니다.${reason === undefined ? "" : ` 사유: ${reason}`}`,
  bannedYou: (by, minutes, reason) =>
    `${by}님에 의해 ${minutes === 0 ? "해제될 때까지" : `${minutes}분 동안`} 차단되었습니다.${
      reason === undefined ? "" : ` 사유: ${reason}`
    }`,
  kicked: (nick, by) => `${nick}님이 ${by}님에 의해 강퇴되었습니다.`,
  bannedBy: (nick, by, minutes) =>
    `${nick}님이 ${by}님에 의해 ${
      minutes === 0 ? "해제될 때까지" : `${minutes}분 동안`
    } 차단되었습니다.`,
  kickDone: (nick) => `${nick}님을 강퇴했습니다.`,
  banned: "이 서버에서 차단되었습니다.",
  internalError: "서버 오류로 연결을 종료합니다.",
  cannotKickSelf: "자기 자신은 강퇴할 수 없습니다.",
  banAdded: (nick, address, minutes, nickname) =>
    `${nick}님(${address})${nickname ? "과 그 닉네임" : ""}을 ${
      minutes === 0 ? "해제할 때까지" : `${minutes}분 동안`
    } 차단했습니다.`,
  unbanned: (address) => `${address}의 차단을 풀었습니다.`,
  notBanned: (address) => `${address}는 차단되어 있지 않습니다.`,
  bans: (entries) =>
    `차단 목록: ${
      entries.map((e) =>
        `${e.name} (${e.nickname ? "닉네임, " : ""}${
          e.minutesLeft === undefined ? "해제할 때까지" : `${e.minutesLeft}분 남음`
        })`
      ).join(", ")
    }`,
  noBans: "차단된 주소가 없습니다.",
  roomInvalid: (max) =>
    `방 이름은 1~${max}자의 글자, 숫자, _, -만 쓸 수 있습니다 (보이지 않는 문자, 섞인 문자 체계는 안 됩니다).`,
  roomsFull: (max) => `방을 더 만들 수 없습니다 (최대 ${max}개). 있는 방에 들어가세요.`,
  alreadyInRoom: (room) => `이미 ${room} 방에 있습니다.`,
  tooManyRooms: (max) => `방에 더 들어갈 수 없습니다 (한 번에 최대 ${max}개). 먼저 방을 나가세요.`,
  unavailable: "지금은 채팅을 사용할 수 없습니다. 입력한 내용은 다시 연결되면 전송됩니다.",
  available: "채팅을 다시 사용할 수 있습니다.",
  tryAgainLater: "채팅을 잠시 사용할 수 없습니다. 잠시 후 다시 시도하세요.",
  accountPrompt: (nick) => `${nick}의 비밀번호를 입력하세요:`,
  currentPasswordPrompt: "현재 비밀번호를 입력하세요:",
  newPasswordPrompt: "새 비밀번호를 입력하세요:",
  catchUp: (total) => `-- 나간 뒤 메시지 ${total}개 --`,
  catchUpSkipped: (skipped) => `-- 그중 앞의 ${skipped}개는 보관되어 있지 않습니다 --`,
  registered: (nick) =>
    `${nick} 닉네임을 등록했습니다. 이제 이 닉네임으로 접속하면 비밀번호를 묻습니다.`,
  alreadyRegistered: (nick) => `${nick} 닉네임은 이미 등록되어 있습니다.`,
  notRegistered: "이 닉네임으로 로그인해 있지 않습니다. 등록하려면: /register 비밀번호",
  passwordTooShort: (min) => `비밀번호는 ${min}자 이상이어야 합니다.`,
  passwordTooLong: (max) => `비밀번호가 너무 깁니다 (최대 ${max}바이트).`,
  passwordChanged: "비밀번호를 바꿨습니다.",
  passwordChangeCancelled: "비밀번호를 바꾸지 않았습니다.",
  unregistered: (nick) => `${nick} 닉네임의 등록을 해제했습니다.`,
  accountWrong: (nick, failures, closing) =>
    closing
      ? `비밀번호가 ${failures}번 틀려 연결을 종료합니다.`
      : `${nick}의 비밀번호가 틀렸습니다.`,
  nicknameRegistered: (nick) =>
    `${nick}은(는) 등록된 닉네임입니다. 그 닉네임으로 접속해 비밀번호를 입력해야 쓸 수 있습니다.`,
  nicknameBanned: (nick) => `${nick} 닉네임은 차단되었습니다.`,
  nicknameReclaimed: "다른 곳에서 이 닉네임으로 로그인하여 연결을 종료합니다.",
  reclaimRefused: (nick) =>
    `${nick} 닉네임은 다른 서버에서 사용 중입니다. 그 연결이 끝난 뒤 다시 로그인하세요.`,
  whisperHeld: (nick) => `${nick}님은 접속해 있지 않습니다. 로그인하면 귓속말을 전해 드립니다.`,
  whisperHeldFull: (nick, max) =>
    `${nick}님에게 전할 귓속말이 이미 ${max}개 쌓여 있어 이 귓속말은 보관하지 않았습니다.`,
  deopped: "더 이상 운영자가 아닙니다.",
  deoppedBy: (by) => `${by}님이 운영자 권한을 해제했습니다.`,
  deopDone: (nick) => `${nick}님은 더 이상 운영자가 아닙니다.`,
  notAnOperator: "운영자가 아닙니다.",
  notOperator: (nick) => `${nick}님은 운영자가 아닙니다.`,
  nickUnbanned: (nick) => `${nick} 닉네임의 차단을 풀었습니다.`,
  nickNotBanned: (nick) => `${nick} 닉네임은 차단되어 있지 않습니다.`,
};

const en: UserText = {
  nicknamePrompt: "Enter your nickname:",
  passwordPrompt: "Enter the password:",
  wrongPassword: "Wrong password.",
  joined: (nick) => `${nick} has joined.`,
  connected: "Connected to the server.",
  left: (nick) => `${nick} has left.`,
  moved: (nick, room) => `${nick} went to #${room}.`,
  parted: (nick, room, reason) =>
    `${nick} left #${room}.${reason === undefined ? "" : ` Reason: ${reason}`}`,
  message: (nick, text) => `${nick}> ${text}`,
  action: (nick, text) => `* ${nick} ${text}`,
  whisperReceived: (from, text) => `[whisper] ${from}> ${text}`,
  whisperSent: (to, text) => `[whisper sent] to ${to}: ${text}`,
  noSuchUser: () => "No user with that nickname.",
  whisperUsage: "Usage: @nickname message",
  unknownCommand: (command) => `Unknown command: ${command} (help: /help)`,
  usage: (usage) => `Usage: ${usage}`,
  who: (entries, total = entries.length) =>
    `${total} online: ${entries.map((e) => e.away ? `${e.nick} (away)` : e.nick).join(", ")}${
      total > entries.length ? ` and ${total - entries.length} more` : ""
    }`,
  rooms: (entries) => `Rooms: ${entries.map((e) => `${e.name} (${e.count})`).join(", ")}`,
  helpTitle: "Commands:",
  helpBasics: [["message", "send to everyone in your room"], ["@nickname message", "whisper"]],
  helpOpMark: " (operators)",
  nicknameInvalid: (max) =>
    `A nickname is 1 to ${max} letters, digits, _ or - (no invisible characters, no mixed scripts). Enter another nickname.`,
  nicknameTaken: (nick) => `Nickname already taken: ${nick}`,
  lineTooLong: (max, closing) =>
    `Line too long (at most ${max} bytes). ${
      closing ? "Closing the connection." : "This line was not sent."
    }`,
  serverFull: (max) => `The server is full (at most ${max} clients). Try again later.`,
  tooManyFromAddress: (max) =>
    `Too many connections from your address (at most ${max}). Try again later.`,
  evicted:
    "The server is full: a connection that has not joined yet gives its place to a newcomer. Connect again.",
  nicknameLost: (from, to) =>
    `While this server could not reach the others, someone else took the nickname ${from}: you are now ${to}.`,
  nicknameTimeout: "Took too long to choose a nickname. Closing the connection.",
  rateLimited: "You are sending fast: your lines go out a little later.",
  flooding: "Too many messages. Closing the connection.",
  shuttingDown: "The server is shutting down.",
  history: (n) => `-- ${n} recent ${n === 1 ? "message" : "messages"} --`,
  renamed: (from, to) => `${from} is now known as ${to}.`,
  markedAway: "You are marked as away.",
  welcomeBack: "Welcome back.",
  notAway: "You are not marked as away.",
  away: (nick, reason) => reason === undefined ? `${nick} is away.` : `${nick} is away: ${reason}`,
  topic: (text) => `Topic: ${text}`,
  noTopic: "No topic is set.",
  topicSet: (nick, text) => `${nick} set the topic: ${text}`,
  opGranted: "You are now an operator.",
  opWrong: (failures, closing) =>
    closing
      ? `Wrong operator password, ${failures} times: closing the connection.`
      : "Wrong operator password.",
  opOnly: "Only operators can do that.",
  opUnset: "No operator password is set on this server.",
  passwordLockout:
    "Too many wrong passwords from your address: try again in a minute. Closing the connection.",
  kickedYou: (by, reason) =>
    `You were kicked by ${by}.${reason === undefined ? "" : ` Reason: ${reason}`}`,
  bannedYou: (by, minutes, reason) =>
    `You were banned by ${by} ${banLength(minutes)}.${
      reason === undefined ? "" : ` Reason: ${reason}`
    }`,
  kicked: (nick, by) => `${nick} was kicked by ${by}.`,
  bannedBy: (nick, by, minutes) => `${nick} was banned by ${by} ${banLength(minutes)}.`,
  kickDone: (nick) => `Kicked ${nick}.`,
  banned: "You are banned from this server.",
  internalError: "Server error. Closing the connection.",
  cannotKickSelf: "You cannot kick yourself.",
  banAdded: (nick, address, minutes, nickname) =>
    `Banned ${nick} (${address})${nickname ? " and the nickname" : ""} ${
      minutes === 0 ? "until lifted" : `for ${minutes} ${minutes === 1 ? "minute" : "minutes"}`
    }.`,
  unbanned: (address) => `Unbanned ${address}.`,
  notBanned: (address) => `${address} is not banned.`,
  bans: (entries) =>
    `Bans: ${
      entries.map((e) =>
        `${e.name} (${e.nickname ? "nickname, " : ""}${
          e.minutesLeft === undefined ? "until lifted" : `${e.minutesLeft} min left`
        })`
      ).join(", ")
    }`,
  noBans: "No addresses are banned.",
  roomInvalid: (max) =>
    `A room name is 1 to ${max} letters, digits, _ or - (no invisible characters, no mixed scripts).`,
  roomsFull: (max) => `No more rooms can be made (at most ${max}). Join an existing room.`,
  alreadyInRoom: (room) => `You are already in ${room}.`,
  tooManyRooms: (max) => `You cannot enter more rooms (at most ${max} at once). Leave one first.`,
  unavailable: "The chat is unavailable for now; what you type is sent when it is back.",
  available: "The chat is available again.",
  tryAgainLater: "The chat is temporarily unavailable, try again shortly.",
  accountPrompt: (nick) => `Password for ${nick}:`,
  currentPasswordPrompt: "Current password:",
  newPasswordPrompt: "New password:",
  catchUp: (total) => `-- ${total} ${total === 1 ? "message" : "messages"} since you left --`,
  catchUpSkipped: (skipped) =>
    `-- the first ${skipped} of them ${skipped === 1 ? "is" : "are"} no longer kept --`,
  registered: (nick) => `Registered ${nick}: from now on this nickname asks for its password.`,
  alreadyRegistered: (nick) => `${nick} is already registered.`,
  notRegistered: "You are not logged in to a registered nickname. To register: /register PASSWORD",
  passwordTooShort: (min) => `A password needs at least ${min} characters.`,
  passwordTooLong: (max) => `That password is too long (at most ${max} bytes).`,
  passwordChanged: "Your password was changed.",
  passwordChangeCancelled: "Your password was not changed.",
  unregistered: (nick) => `${nick} is no longer registered.`,
  accountWrong: (nick, failures, closing) =>
    closing
      ? `Wrong password, ${failures} times: closing the connection.`
      : `Wrong password for ${nick}.`,
  nicknameRegistered: (nick) => `${nick} is registered: log in with it to use it.`,
  nicknameBanned: (nick) => `The nickname ${nick} is banned.`,
  nicknameReclaimed: "Your nickname was claimed by a new login.",
  reclaimRefused: (nick) =>
    `${nick} is in use on another server: log in again once that connection ends.`,
  whisperHeld: (nick) => `${nick} is offline: your whisper will be delivered when they log in.`,
  whisperHeldFull: (nick, max) =>
    `${nick} is offline with ${max} whispers waiting already: yours was not kept.`,
  deopped: "You are no longer an operator.",
  deoppedBy: (by) => `${by} removed your operator status.`,
  deopDone: (nick) => `${nick} is no longer an operator.`,
  notAnOperator: "You are not an operator.",
  notOperator: (nick) => `${nick} is not an operator.`,
  nickUnbanned: (nick) => `Unbanned the nickname ${nick}.`,
  nickNotBanned: (nick) => `The nickname ${nick} is not banned.`,
};

/** How long a ban lasts, in English: `for 5 minutes`, or `until the ban is lifted`. */
function banLength(minutes: number): string {
  if (minutes === 0) return "until the ban is lifted";
  return `for ${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

const TEXTS: Record<Lang, UserText> = { ko, en };

/**
 * Returns what the server says to people, in one language.
 *
 * @param lang The language.
 * @returns The catalog.
 */
export function userText(lang: Lang): UserText {
  return TEXTS[lang];
}

/**
 * The nickname and password prompts of every language, so that a client can answer
 * a server that speaks another language than itself.
 */
export const PROMPTS: {
  readonly nickname: readonly string[];
  readonly password: readonly string[];
} = {
  nickname: [ko.nicknamePrompt, en.nicknamePrompt],
  password: [ko.passwordPrompt, en.passwordPrompt],
};
