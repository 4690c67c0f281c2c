/**
 * The message catalog: every line a person sees, in Korean (the default, with the
 * original program's exact strings) and English.
 *
 * @module
 */

/** A language the catalog speaks. */
export type Lang = "ko" | "en";

/** The languages the catalog speaks, for flag validation. */
export const LANGS: readonly Lang[] = ["ko", "en"];

/** Every user-facing line of the server, the client and the menu. */
export interface Messages {
  // Server to client, chat mode.
  readonly nicknamePrompt: string;
  readonly passwordPrompt: string;
  readonly wrongPassword: string;
  joined(nick: string): string;
  readonly connected: string;
  left(nick: string): string;
  message(nick: string, text: string): string;
  whisperReceived(from: string, text: string): string;
  whisperSent(to: string, text: string): string;
  readonly noSuchUser: string;
  readonly whisperUsage: string;
  unknownCommand(command: string): string;
  who(nicks: readonly string[]): string;
  readonly help: readonly string[];
  nicknameInvalid(maxChars: number): string;
  nicknameTaken(nick: string): string;
  lineTooLong(maxBytes: number): string;
  serverFull(maxClients: number): string;
  readonly nicknameTimeout: string;
  readonly rateLimited: string;
  readonly flooding: string;
  readonly shuttingDown: string;
  // Server console.
  listening(host: string, port: number): string;
  readonly waiting: string;
  logConnected(peer: string): string;
  logNickname(peer: string, nick: string): string;
  logDisconnected(peer: string, nick: string | undefined, reason: string): string;
  logEcho(peer: string, text: string): string;
  logAcceptError(message: string): string;
  readonly logShutdown: string;
  // Client and menu.
  readonly menuPrompt: string;
  readonly menuInvalid: string;
  readonly connectionClosed: string;
  cannotConnect(host: string, port: number, reason: string): string;
  readonly passwordInputPrompt: string;
}

const ko: Messages = {
  nicknamePrompt: "닉네임을 입력하세요:",
  passwordPrompt: "비밀번호를 입력하세요:",
  wrongPassword: "비밀번호가 틀렸습니다.",
  joined: (nick) => `${nick}님이 입장하셨습니다.`,
  connected: "서버에 연결되었습니다.",
  left: (nick) => `${nick}님이 퇴장하셨습니다.`,
  message: (nick, text) => `${nick}> ${text}`,
  whisperReceived: (from, text) => `[귓속말] ${from}> ${text}`,
  whisperSent: (to, text) => `[귓속말 전송] ${to}에게: ${text}`,
  noSuchUser: "해당 닉네임의 사용자가 없습니다.",
  whisperUsage: "사용법: @닉네임 메시지",
  unknownCommand: (command) => `알 수 없는 명령어입니다: ${command} (도움말: /help)`,
  who: (nicks) => `접속자 ${nicks.length}명: ${nicks.join(", ")}`,
  help: [
    "명령어:",
    "  메시지          모두에게 보내기",
    "  @닉네임 메시지  귓속말",
    "  /who, /접속자   접속자 목록",
    "  /help, /도움말  이 도움말",
    "  /종료, /quit    나가기",
  ],
  nicknameInvalid: (max) =>
    `닉네임은 1~${max}자의 글자, 숫자, _, -만 쓸 수 있습니다. 다른 닉네임을 입력하세요.`,
  nicknameTaken: (nick) => `이미 사용 중인 닉네임입니다: ${nick}`,
  lineTooLong: (max) => `한 줄이 너무 깁니다 (최대 ${max}바이트). 연결을 종료합니다.`,
  serverFull: (max) => `서버가 가득 찼습니다 (최대 ${max}명). 나중에 다시 접속하세요.`,
  nicknameTimeout: "닉네임 입력 시간이 지났습니다. 연결을 종료합니다.",
  rateLimited: "메시지를 너무 빨리 보내고 있습니다. 이 메시지는 전송되지 않았습니다.",
  flooding: "메시지를 너무 많이 보내 연결을 종료합니다.",
  shuttingDown: "서버가 종료됩니다.",
  listening: (host, port) => `서버가 ${host}:${port}에서 실행 중입니다.`,
  waiting: "클라이언트 연결을 기다리는 중...",
  logConnected: (peer) => `연결됨: ${peer}`,
  logNickname: (peer, nick) => `닉네임 설정: ${peer} → ${nick}`,
  logDisconnected: (peer, nick, reason) =>
    `연결 종료: ${peer}${nick === undefined ? "" : ` (${nick})`} - ${reason}`,
  logEcho: (peer, text) => `${peer}> ${text}`,
  logAcceptError: (message) => `연결 수락 실패: ${message}`,
  logShutdown: "서버를 종료합니다...",
  menuPrompt: "서버를 시작하려면 1, 클라이언트를 시작하려면 2를 입력하세요: ",
  menuInvalid: "잘못된 선택입니다. 1 또는 2를 입력하세요.",
  connectionClosed: "서버와의 연결이 종료되었습니다.",
  cannotConnect: (host, port, reason) => `서버에 연결할 수 없습니다 (${host}:${port}): ${reason}`,
  passwordInputPrompt: "비밀번호:",
};

const en: Messages = {
  nicknamePrompt: "Enter your nickname:",
  passwordPrompt: "Enter the password:",
  wrongPassword: "Wrong password.",
  joined: (nick) => `${nick} has joined.`,
  connected: "Connected to the server.",
  left: (nick) => `${nick} has left.`,
  message: (nick, text) => `${nick}> ${text}`,
  whisperReceived: (from, text) => `[whisper] ${from}> ${text}`,
  whisperSent: (to, text) => `[whisper sent] to ${to}: ${text}`,
  noSuchUser: "No user with that nickname.",
  whisperUsage: "Usage: @nickname message",
  unknownCommand: (command) => `Unknown command: ${command} (help: /help)`,
  who: (nicks) => `${nicks.length} online: ${nicks.join(", ")}`,
  help: [
    "Commands:",
    "  message            send to everyone",
    "  @nickname message  whisper",
    "  /who               who is online",
    "  /help              this help",
    "  /quit              leave",
  ],
  nicknameInvalid: (max) =>
    `A nickname is 1 to ${max} letters, digits, _ or -. Enter another nickname.`,
  nicknameTaken: (nick) => `Nickname already taken: ${nick}`,
  lineTooLong: (max) => `Line too long (at most ${max} bytes). Closing the connection.`,
  serverFull: (max) => `The server is full (at most ${max} clients). Try again later.`,
  nicknameTimeout: "Took too long to choose a nickname. Closing the connection.",
  rateLimited: "You are sending too fast. This message was not sent.",
  flooding: "Too many messages. Closing the connection.",
  shuttingDown: "The server is shutting down.",
  listening: (host, port) => `Server running on ${host}:${port}.`,
  waiting: "Waiting for clients...",
  logConnected: (peer) => `connected: ${peer}`,
  logNickname: (peer, nick) => `nickname: ${peer} → ${nick}`,
  logDisconnected: (peer, nick, reason) =>
    `disconnected: ${peer}${nick === undefined ? "" : ` (${nick})`} - ${reason}`,
  logEcho: (peer, text) => `${peer}> ${text}`,
  logAcceptError: (message) => `accept failed: ${message}`,
  logShutdown: "Shutting down...",
  menuPrompt: "Enter 1 to start the server, 2 to start the client: ",
  menuInvalid: "Invalid choice. Enter 1 or 2.",
  connectionClosed: "The connection to the server was closed.",
  cannotConnect: (host, port, reason) => `Cannot connect to ${host}:${port}: ${reason}`,
  passwordInputPrompt: "Password:",
};

const CATALOGS: Record<Lang, Messages> = { ko, en };

/**
 * Returns the messages of one language.
 *
 * @param lang The language, `"ko"` (the default) or `"en"`.
 * @returns The catalog of that language.
 */
export function messagesFor(lang: Lang = "ko"): Messages {
  return CATALOGS[lang];
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
