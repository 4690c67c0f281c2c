/**
 * What the server writes on its own console, in Korean and English: start-up,
 * connections, what was said, and why each connection ended.
 *
 * @module
 */

import type { CloseReason } from "../util/close_reason.ts";
import type { Lang } from "./lang.ts";

/**
 * Why the web port refused a request, as the console tells it: a `Host` that is
 * not one of the server's names, none at all, or an `Origin` that may not open
 * the chat.
 */
export type WebRefusal = "host" | "noHost" | "origin";

/** The server console's lines. */
export interface ConsoleText {
  listening(host: string, port: number): string;
  readonly waiting: string;
  /** Where the web page is (`--web`): the addresses to open in a browser. */
  webPage(urls: readonly string[]): string;
  /** Where IRC clients connect (`--irc`). */
  ircPort(address: string, tls: boolean): string;
  /**
   * What the server is: its mode, TLS, and who can reach it (the addresses others
   * use when it listens on every interface; `undefined` when it listens on one
   * address; `[]` when they cannot be listed).
   */
  serving(
    mode: "chat" | "echo" | "echo-broadcast",
    tls: boolean,
    reach: "local" | "all" | "one",
    addresses: readonly string[],
  ): string;
  logConnected(peer: string): string;
  logNickname(peer: string, nick: string): string;
  logDisconnected(peer: string, nick: string | undefined, reason: string): string;
  logEcho(peer: string, text: string): string;
  /** A room event as the room's members saw it (`line`), with the room. */
  logRoom(room: string, line: string): string;
  /** A whisper was sent; its text only with `--log-whispers`. */
  logWhisper(from: string, to: string, text: string | undefined): string;
  logAcceptError(message: string): string;
  /** The web port refused a request (`value`: the quoted header, `""` for `noHost`). */
  logWebRefused(peer: string, refusal: WebRefusal, value: string): string;
  /** An unexpected error (a bug), survived: where, and its stack. */
  logBug(peer: string | undefined, stack: string): string;
  readonly logShutdown: string;
  /** This server is part of a cluster. */
  cluster(url: string, serverId: string): string;
  /** Redis cannot be reached; connections are kept and it is retried. */
  redisUnreachable(reason: string): string;
  /** Redis is back. */
  readonly redisRestored: string;
  /** Another server stopped answering; its users were announced as gone. */
  serverReaped(serverId: string, users: number): string;
  /** Redis keeps nothing on disk: a restart loses the accounts, the bans, the history and the topics. */
  readonly redisNoPersistence: string;
  /** Redis lost its data while this server was away; its bans (addresses, nicknames) were published again. */
  redisDataLost(bans: number): string;
  /** This server was stalled past its heartbeat's reach: it claims its users' nicknames again. */
  stalled(ms: number): string;
  /** A user's nickname was taken meanwhile: renamed `to`, or disconnected (`undefined`). */
  nicknameLost(from: string, to: string | undefined): string;
  /** An entry in Redis had the wrong shape and was skipped (`what`: where it is). */
  redisMalformed(what: string, detail: string): string;
  /** A secret's variable that Deno may not read (no `--allow-env` for it). */
  envNotRead(name: string): string;
  /** Where the chat keeps its data: a file, or memory only (`undefined`). */
  data(path: string | undefined): string;
  /** The data file cannot be written now: the chat goes on from memory and retries. */
  dataUnwritable(path: string, reason: string): string;
  /** The data file can be written again; `lost` history lines could not be kept meanwhile. */
  dataWritable(path: string, lost: number): string;
  /**
   * An address started a burst of wrong password answers: its answers now wait
   * (told once per burst).
   */
  passwordBurst(address: string, failures: number): string;
  /** The server runs on several threads (`--workers`). */
  workers(count: number): string;
  /**
   * A worker failed: its connections are gone, its users' leaves were announced;
   * it was started again (`restarted`), or the server stops.
   */
  workerFailed(index: number, reason: string, users: number, restarted: boolean): string;
  /** Why a connection ended, in a few words. */
  reason(reason: CloseReason): string;
}

const KO_REASONS: Record<CloseReason, string> = {
  eof: "연결 끊김",
  reset: "연결 재설정",
  writeError: "쓰기 오류",
  outboxFull: "출력 버퍼 가득 참",
  serverFull: "서버 가득 참",
  tooManyFromAddress: "이 주소의 접속이 너무 많음",
  error: "오류",
  protocolError: "프로토콜 오류",
  quit: "종료",
  lineTooLong: "줄이 너무 김",
  nicknameTimeout: "닉네임 시간 초과",
  wrongPassword: "비밀번호 틀림",
  flooding: "도배",
  kicked: "강퇴",
  banned: "차단됨",
  opPassword: "운영자 비밀번호 3회 틀림",
  passwordLockout: "이 주소의 비밀번호 오답이 너무 많음",
  evicted: "서버가 가득 차 입장 전 연결이 자리를 내줌",
  accountPassword: "계정 비밀번호 틀림",
  reclaimed: "새 로그인이 닉네임을 가져감",
  unavailable: "채팅 사용 불가",
  shutdown: "서버 종료",
};

const EN_REASONS: Record<CloseReason, string> = {
  eof: "EOF",
  reset: "connection reset",
  writeError: "write error",
  outboxFull: "output buffer full",
  serverFull: "server full",
  tooManyFromAddress: "too many connections from the address",
  error: "error",
  protocolError: "protocol error",
  quit: "quit",
  lineTooLong: "line too long",
  nicknameTimeout: "nickname timeout",
  wrongPassword: "wrong password",
  flooding: "flooding",
  kicked: "kicked",
  banned: "banned",
  opPassword: "wrong operator password three times",
  passwordLockout: "too many wrong passwords from the address",
  evicted: "server full: gave its place before joining",
  accountPassword: "wrong account password",
  reclaimed: "nickname claimed by a new login",
  unavailable: "chat unavailable",
  shutdown: "shutdown",
};

const ko: ConsoleText = {
  listening: (host, port) => `서버가 ${host}:${port}에서 실행 중입니다.`,
  waiting: "클라이언트 연결을 기다리는 중...",
  webPage: (urls) => `웹 페이지: ${urls.join(", ")}`,
  ircPort: (address, tls) => `IRC${tls ? " (TLS)" : ""}: ${address}`,
  serving: (mode, tls, reach, addresses) =>
    [
      {
        chat: "채팅 모드",
        echo: "에코 모드 (보낸 사람에게)",
        "echo-broadcast": "에코 모드 (모두에게)",
      }[mode],
      ...(tls ? ["TLS"] : []),
      reach === "local"
        ? "이 컴퓨터에서만 접속할 수 있습니다 (다른 컴퓨터에 열려면 --host 0.0.0.0)"
        : reach === "all"
        ? addresses.length > 0
          ? `다른 컴퓨터에서 접속할 주소: ${addresses.join(", ")}`
          : "모든 네트워크 주소에서 접속을 받습니다"
        : undefined,
    ].filter((part) => part !== undefined).join(" · "),
  logConnected: (peer) => `연결됨: ${peer}`,
  logNickname: (peer, nick) => `닉네임 설정: ${peer} → ${nick}`,
  logDisconnected: (peer, nick, reason) =>
    `연결 종료: ${peer}${nick === undefined ? "" : ` (${nick})`} - ${reason}`,
  logEcho: (peer, text) => `${peer}> ${text}`,
  logRoom: (room, line) => `[${room}] ${line}`,
  logWhisper: (from, to, text) => `귓속말: ${from} → ${to}${text === undefined ? "" : `: ${text}`}`,
  logAcceptError: (message) => `연결 수락 실패: ${message}`,
  logWebRefused: (peer, refusal, value) =>
    `웹 요청 거부: ${peer} - ${
      {
        host: `이 서버의 이름이 아닌 Host ${value} (허용하려면 --web-host-allow)`,
        noHost: "Host 헤더 없음",
        origin: `허용되지 않은 Origin ${value} (허용하려면 --web-origin)`,
      }[refusal]
    }`,
  logBug: (peer, stack) => `예상하지 못한 오류${peer === undefined ? "" : ` (${peer})`}: ${stack}`,
  logShutdown: "서버를 종료합니다...",
  cluster: (url, id) => `클러스터: ${url} (이 서버: ${id})`,
  redisUnreachable: (reason) =>
    `Redis에 연결할 수 없습니다 (${reason}). 접속은 유지하고 다시 연결합니다...`,
  redisRestored: "Redis에 다시 연결되었습니다.",
  serverReaped: (id, n) => `서버 ${id}가 응답하지 않아 사용자 ${n}명의 퇴장을 알렸습니다.`,
  redisNoPersistence:
    "경고: Redis가 디스크에 아무것도 저장하지 않습니다 (RDB 스냅숏도 AOF도 없음). Redis가 다시 시작되면 계정, 차단, 기록, 주제가 사라집니다 (appendonly yes를 권합니다).",
  redisDataLost: (n) =>
    `Redis의 데이터가 사라졌습니다 (저장 없이 다시 시작?). 이 서버가 아는 차단 ${n}개를 다시 알렸습니다.`,
  stalled: (ms) =>
    `이 서버가 ${
      (ms / 1000).toFixed(1)
    }초 동안 멈춰 있었습니다 (다른 서버들이 죽은 것으로 볼 수 있는 시간). 아무것도 보내기 전에 사용자들의 닉네임을 다시 확보합니다...`,
  nicknameLost: (from, to) =>
    to === undefined
      ? `그동안 다른 사람이 ${from} 닉네임을 가져갔고 다른 닉네임도 없어 연결을 끊었습니다.`
      : `그동안 다른 사람이 ${from} 닉네임을 가져가서 ${to}(으)로 바꾸었습니다.`,
  redisMalformed: (what, detail) => `Redis의 잘못된 항목을 건너뜁니다: ${what} (${detail})`,
  envNotRead: (name) =>
    `참고: --allow-env=${name} 없이는 ${name} 환경 변수를 읽을 수 없어 사용하지 않습니다.`,
  data: (path) =>
    path === undefined
      ? "데이터: 메모리에만 둡니다 (--data none). 재시작하면 사라집니다"
      : `데이터: ${path} (기록, 주제, 계정, 차단이 재시작 후에도 남습니다)`,
  dataUnwritable: (path, reason) =>
    `데이터 파일 ${path}에 쓸 수 없습니다 (${reason}). 메모리로 계속하며 다시 시도합니다...`,
  dataWritable: (path, lost) =>
    `데이터 파일 ${path}에 다시 쓸 수 있습니다.${
      lost > 0 ? ` 그동안의 기록 중 ${lost}줄은 보관하지 못했습니다.` : ""
    }`,
  passwordBurst: (address, n) =>
    `비밀번호 추측 의심: ${address}에서 1분 안에 ${n}번 틀렸습니다. 이 주소의 답은 이제 기다렸다가 확인합니다.`,
  workers: (n) => `워커 ${n}개가 같은 포트에서 연결을 받습니다.`,
  workerFailed: (i, reason, n, restarted) =>
    `워커 ${i}번이 멈췄습니다 (${reason}). 사용자 ${n}명의 퇴장을 알렸습니다. ${
      restarted ? "워커를 다시 시작합니다." : "너무 자주 멈춰 서버를 종료합니다."
    }`,
  reason: (reason) => KO_REASONS[reason],
};

const en: ConsoleText = {
  listening: (host, port) => `Server running on ${host}:${port}.`,
  waiting: "Waiting for clients...",
  webPage: (urls) => `web page: ${urls.join(", ")}`,
  ircPort: (address, tls) => `IRC${tls ? " (TLS)" : ""}: ${address}`,
  serving: (mode, tls, reach, addresses) =>
    [
      {
        chat: "chat mode",
        echo: "echo mode (to the sender)",
        "echo-broadcast": "echo mode (to everyone)",
      }[mode],
      ...(tls ? ["TLS"] : []),
      reach === "local"
        ? "this machine only (--host 0.0.0.0 opens it to other machines)"
        : reach === "all"
        ? addresses.length > 0
          ? `others connect to: ${addresses.join(", ")}`
          : "listening on every network address"
        : undefined,
    ].filter((part) => part !== undefined).join(" · "),
  logConnected: (peer) => `connected: ${peer}`,
  logNickname: (peer, nick) => `nickname: ${peer} → ${nick}`,
  logDisconnected: (peer, nick, reason) =>
    `disconnected: ${peer}${nick === undefined ? "" : ` (${nick})`} - ${reason}`,
  logEcho: (peer, text) => `${peer}> ${text}`,
  logRoom: (room, line) => `[${room}] ${line}`,
  logWhisper: (from, to, text) =>
    `whisper: ${from} → ${to}${text === undefined ? "" : `: ${text}`}`,
  logAcceptError: (message) => `accept failed: ${message}`,
  logWebRefused: (peer, refusal, value) =>
    `web request refused: ${peer} - ${
      {
        host: `Host ${value} is not a name of this server (allow it with --web-host-allow)`,
        noHost: "no Host header",
        origin: `origin ${value} not allowed (allow it with --web-origin)`,
      }[refusal]
    }`,
  logBug: (peer, stack) => `unexpected error${peer === undefined ? "" : ` (${peer})`}: ${stack}`,
  logShutdown: "Shutting down...",
  cluster: (url, id) => `cluster: ${url} (this server: ${id})`,
  redisUnreachable: (reason) =>
    `Redis is unreachable (${reason}); keeping connections and reconnecting...`,
  redisRestored: "Redis is back.",
  serverReaped: (id, n) =>
    `server ${id} stopped answering: announced ${n} ${n === 1 ? "user" : "users"} as gone.`,
  redisNoPersistence:
    "warning: Redis keeps nothing on disk (neither RDB snapshots nor an append-only file): a restart of Redis loses the accounts, the bans, the history and the topics (appendonly yes is advised)",
  redisDataLost: (n) =>
    `Redis lost its data (restarted without persistence?): published again the ${n} ${
      n === 1 ? "ban" : "bans"
    } this server knows`,
  stalled: (ms) =>
    `this server was stalled for ${
      (ms / 1000).toFixed(1)
    } s (long enough for the others to count it as dead): claiming its users' nicknames again before it sends anything...`,
  nicknameLost: (from, to) =>
    to === undefined
      ? `${from}'s nickname was taken meanwhile and no other was free: disconnected`
      : `${from}'s nickname was taken meanwhile: renamed ${to}`,
  redisMalformed: (what, detail) => `skipping a malformed entry in Redis: ${what} (${detail})`,
  envNotRead: (name) => `note: ${name} is not read without --allow-env=${name}; it is not used.`,
  data: (path) =>
    path === undefined
      ? "data: in memory only (--data none); nothing survives a restart"
      : `data: ${path} (history, topics, accounts and bans survive a restart)`,
  dataUnwritable: (path, reason) =>
    `cannot write the data file ${path} (${reason}); going on in memory and retrying...`,
  dataWritable: (path, lost) =>
    `the data file ${path} can be written again${
      lost > 0 ? `; ${lost} history ${lost === 1 ? "line" : "lines"} could not be kept` : ""
    }.`,
  passwordBurst: (address, n) =>
    `password guessing? ${address} gave ${n} wrong passwords within a minute; its answers now wait before they are checked`,
  workers: (n) => `${n} workers accept connections on the same ports.`,
  workerFailed: (i, reason, n, restarted) =>
    `worker ${i} failed (${reason}): announced ${n} ${n === 1 ? "user" : "users"} as gone; ${
      restarted ? "starting it again." : "it failed too often: the server stops."
    }`,
  reason: (reason) => EN_REASONS[reason],
};

const TEXTS: Record<Lang, ConsoleText> = { ko, en };

/**
 * Returns the server console's lines in one language.
 *
 * @param lang The language.
 * @returns The catalog.
 */
export function consoleText(lang: Lang): ConsoleText {
  return TEXTS[lang];
}
