/**
 * What the client and the start menu say themselves (not what the server sends),
 * in Korean and English.
 *
 * @module
 */

import type { Lang } from "./lang.ts";

/**
 * Why the server ended a session, as its last line said: each is a refusal or a
 * removal, so the client exits with a failure status.
 */
export type EndCause =
  | {
    reason:
      | "wrongPassword"
      | "banned"
      | "serverFull"
      | "tooManyFromAddress"
      | "evicted"
      | "nicknameTimeout"
      | "flooding"
      | "lineTooLong"
      | "opPassword"
      | "passwordLockout"
      | "unavailable"
      | "serverError"
      | "accountPassword"
      | "reclaimed";
  }
  | { reason: "kicked"; by: string }
  | { reason: "bannedBy"; by: string };

/** The client's and the menu's own lines. */
export interface ClientText {
  readonly menuPrompt: string;
  readonly menuInvalid: string;
  readonly connectionClosed: string;
  cannotConnect(host: string, port: number, reason: string): string;
  /**
   * Why a self-signed certificate made with the usual one-liner is refused (it is
   * marked as a CA), and the one-liner that works.
   */
  readonly caCertificate: string;
  /** A typed line over the server's cap went as several messages. */
  lineSplit(messages: number, maxBytes: number): string;
  /** A typed command over the server's cap was not sent (a command cannot be split). */
  commandTooLong(maxBytes: number): string;
  /** Why the session ended, in the client's language (one line on stderr). */
  ended(cause: EndCause): string;
  /** The connection dropped: the client reconnects by itself after `seconds`. */
  connectionLost(seconds: number): string;
  /** A reconnection failed (`reason`): the next try comes after `seconds`. */
  reconnectFailed(reason: string, seconds: number): string;
  /** The reason when the server closed a new connection before the login was over. */
  readonly closedBeforeLogin: string;
  /** A line typed while there was no connection (shown with its secret masked). */
  notSent(line: string): string;
}

/**
 * A self-signed server certificate that the client accepts with `--ca`: the usual
 * `openssl req -x509` one-liner marks its certificate as a CA, which TLS refuses as
 * a server's own certificate (`CaUsedAsEndEntity`).
 */
export const CERT_ONE_LINER =
  "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 -keyout key.pem -out cert.pem -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -addext basicConstraints=critical,CA:FALSE";

const ko: ClientText = {
  menuPrompt: "서버를 시작하려면 1, 클라이언트를 시작하려면 2를 입력하세요: ",
  menuInvalid: "잘못된 선택입니다. 1 또는 2를 입력하세요.",
  connectionClosed: "서버와의 연결이 종료되었습니다.",
  cannotConnect: (host, port, reason) => `서버에 연결할 수 없습니다 (${host}:${port}): ${reason}`,
  caCertificate:
    `서버 인증서가 CA 인증서로 만들어졌습니다. 서버용으로 다시 만드세요: ${CERT_ONE_LINER}`,
  lineSplit: (messages, max) =>
    `줄이 너무 길어 ${messages}개의 메시지로 나누어 보냅니다 (메시지 하나에 최대 ${max}바이트).`,
  commandTooLong: (max) => `명령어가 너무 길어 보내지 않았습니다 (최대 ${max}바이트).`,
  ended: (cause) => {
    switch (cause.reason) {
      case "wrongPassword":
        return "비밀번호가 틀려 서버가 접속을 거부했습니다.";
      case "banned":
        return "이 주소는 서버에서 차단되어 접속이 거부되었습니다.";
      case "serverFull":
        return "서버가 가득 차서 접속이 거부되었습니다.";
      case "tooManyFromAddress":
        return "이 주소에서 접속이 너무 많아 접속이 거부되었습니다.";
      case "evicted":
        return "서버가 가득 차서, 입장하기 전에 서버가 연결을 끊었습니다.";
      case "nicknameTimeout":
        return "닉네임을 제때 입력하지 않아 서버가 연결을 끊었습니다.";
      case "flooding":
        return "메시지를 너무 많이 보내 서버가 연결을 끊었습니다.";
      case "lineTooLong":
        return "너무 긴 줄을 보내 서버가 연결을 끊었습니다.";
      case "opPassword":
        return "운영자 비밀번호를 너무 많이 틀려 서버가 연결을 끊었습니다.";
      case "passwordLockout":
        return "이 주소에서 비밀번호를 너무 많이 틀려 서버가 접속을 거부했습니다.";
      case "unavailable":
        return "채팅을 사용할 수 없어 서버가 연결을 끊었습니다.";
      case "kicked":
        return `${cause.by}님에게 강퇴되어 서버와의 연결이 끊겼습니다.`;
      case "bannedBy":
        return `${cause.by}님에게 차단되어 서버와의 연결이 끊겼습니다.`;
      case "serverError":
        return "서버 오류로 서버가 연결을 끊었습니다.";
      case "accountPassword":
        return "닉네임의 비밀번호를 너무 많이 틀려 서버가 연결을 끊었습니다.";
      case "reclaimed":
        return "다른 곳에서 이 닉네임으로 로그인하여 서버가 연결을 끊었습니다.";
    }
  },
  connectionLost: (seconds) =>
    `서버와의 연결이 끊겼습니다. ${seconds}초 뒤에 다시 연결합니다 (그만두려면 Ctrl-C).`,
  reconnectFailed: (reason, seconds) =>
    `다시 연결하지 못했습니다 (${reason}). ${seconds}초 뒤에 다시 시도합니다.`,
  closedBeforeLogin: "서버가 연결을 닫았습니다",
  notSent: (line) => `연결이 끊겨 있어 보내지 못했습니다: ${line}`,
};

const en: ClientText = {
  menuPrompt: "Enter 1 to start the server, 2 to start the client: ",
  menuInvalid: "Invalid choice. Enter 1 or 2.",
  connectionClosed: "The connection to the server was closed.",
  cannotConnect: (host, port, reason) => `Cannot connect to ${host}:${port}: ${reason}`,
  caCertificate:
    `The server's certificate was made as a CA certificate; make one for a server: ${CERT_ONE_LINER}`,
  lineSplit: (messages, max) =>
    `Line too long: sending it as ${messages} messages (at most ${max} bytes each).`,
  commandTooLong: (max) => `Command too long (at most ${max} bytes): not sent.`,
  ended: (cause) => {
    switch (cause.reason) {
      case "wrongPassword":
        return "Refused by the server: wrong password.";
      case "banned":
        return "Refused by the server: this address is banned.";
      case "serverFull":
        return "Refused by the server: it is full.";
      case "tooManyFromAddress":
        return "Refused by the server: too many connections from this address.";
      case "evicted":
        return "Disconnected by the server: it is full and this connection had not joined yet.";
      case "nicknameTimeout":
        return "Disconnected by the server: no nickname was chosen in time.";
      case "flooding":
        return "Disconnected by the server: too many messages.";
      case "lineTooLong":
        return "Disconnected by the server: a line was too long.";
      case "opPassword":
        return "Disconnected by the server: too many wrong operator passwords.";
      case "passwordLockout":
        return "Refused by the server: too many wrong passwords from this address.";
      case "unavailable":
        return "Disconnected by the server: the chat is unavailable.";
      case "kicked":
        return `Disconnected by the server: kicked by ${cause.by}.`;
      case "bannedBy":
        return `Disconnected by the server: banned by ${cause.by}.`;
      case "serverError":
        return "Disconnected by the server: a server error.";
      case "accountPassword":
        return "Disconnected by the server: too many wrong passwords for the nickname.";
      case "reclaimed":
        return "Disconnected by the server: a new login took the nickname.";
    }
  },
  connectionLost: (seconds) =>
    `The connection to the server was lost: reconnecting in ${seconds} s (Ctrl-C to stop).`,
  reconnectFailed: (reason, seconds) =>
    `Could not reconnect (${reason}): trying again in ${seconds} s.`,
  closedBeforeLogin: "the server closed the connection",
  notSent: (line) => `Not sent, there is no connection: ${line}`,
};

const TEXTS: Record<Lang, ClientText> = { ko, en };

/**
 * Returns the client's own lines in one language.
 *
 * @param lang The language.
 * @returns The catalog.
 */
export function clientText(lang: Lang): ClientText {
  return TEXTS[lang];
}
