/**
 * The option table: every setting of the command line, written once. Parsing,
 * `--help` (both languages, numbers taken from the defaults), the defaults of
 * `serve()`, the types of the parsed settings and of the server's options, and
 * the README check (`tests/cli/option_table_test.ts`) are all derived from it.
 *
 * To add a setting, add one row to the command's list (its flag, kind, default,
 * variable, checks and help in Korean and English), mark it `serve: true` when
 * `serve()` takes it as it is, then use it where it acts: for a server setting,
 * the server reads `options.FIELD` (its type is already there). Add its line to
 * the README's flag table; the test fails until you do. A secret gets a `…-file`
 * row that `fills` it and an `env`; a file's reading and a variable's come free.
 *
 * Each row carries its help in both languages, as each command of
 * `lib/chat/commands/` does: the row is the one place to read what a flag is.
 * The command line's other words are in `lib/catalog/cli_text.ts`.
 *
 * @module
 */

import type { CliCommand } from "../catalog/cli_text.ts";
import { DEFAULT_HISTORY_KEEP } from "../chat/store.ts";
import { DEFAULT_MAX_LINE_BYTES, MAX_REFUSED_LINE_BYTES } from "../transport/line_splitter.ts";
import { MAX_QUEUED_LINES } from "../util/line_pacer.ts";
import type { OptionRow } from "./option_row.ts";

/** Where the server keeps its data by default: in the working directory, as Redis keeps `dump.rdb`. */
export const DEFAULT_DATA_PATH = "chat.db";

/** The `--data` value that keeps everything in memory. */
export const NO_DATA = "none";

/** The most lines of a message of the day that are sent: a welcome, not a document. */
export const MAX_MOTD_LINES = 20;

/** The address both tools use by default: this machine only. */
const HOST = {
  flag: "host",
  field: "hostname",
  kind: "text",
  arg: "HOST",
  default: "127.0.0.1",
} as const;

/** The port of the original `main.py`. */
const PORT = { flag: "port", field: "port", kind: "port", arg: "PORT", default: 12345 } as const;

/** Every line's language; Korean, as the originals. */
const LANG = { flag: "lang", field: "lang", kind: "lang", arg: "ko|en", default: "ko" } as const;

const HELP = {
  flag: "help",
  short: "h",
  field: "help",
  kind: "action",
  help: { ko: "이 도움말", en: "show this help" },
} as const;

const VERSION = {
  flag: "version",
  short: "V",
  field: "version",
  kind: "action",
  help: { ko: "버전", en: "show the version" },
} as const;

/** `main.ts server`: the chat server, or the C original's echo server with `-e`. */
export const SERVER_OPTIONS = [
  {
    ...HOST,
    serve: true,
    help: {
      ko:
        "서버가 열 주소: 127.0.0.1은 이 컴퓨터에서만, 0.0.0.0은 LAN의 다른 컴퓨터에서도 접속할 수 있습니다",
      en:
        "address to bind: 127.0.0.1 is this machine only; 0.0.0.0 accepts connections from the LAN",
    },
  },
  {
    ...PORT,
    positional: 0,
    min: 0,
    serve: true,
    help: { ko: "포트 (0이면 빈 포트를 고릅니다)", en: "port (0 picks a free one)" },
  },
  {
    short: "e",
    field: "echo",
    kind: "switch",
    help: {
      ko: "에코 모드: 받은 줄을 보낸 사람에게만 돌려보냅니다",
      en: "echo mode: send each line back to its sender only",
    },
  },
  {
    short: "b",
    field: "broadcast",
    kind: "switch",
    help: {
      ko: "-e와 함께: 받은 줄을 보낸 사람을 포함한 모든 클라이언트에게 보냅니다",
      en: "with -e: send each line to every client, sender included",
    },
  },
  {
    ...LANG,
    serve: true,
    help: {
      ko: "보내고 기록하는 모든 줄과 이 도움말의 언어",
      en: "language of every line sent and logged, and of this help",
    },
  },
  {
    flag: "password",
    field: "password",
    kind: "secret",
    arg: "PASSWORD",
    env: "CHAT_PASSWORD",
    noteWhenUnread: true,
    serve: true,
    help: {
      ko: "서버 비밀번호: 닉네임보다 먼저 묻습니다 (화면에 보이므로 --password-file이 낫습니다)",
      en: "server password, asked before the nickname (shows on screen; prefer --password-file)",
    },
  },
  {
    flag: "password-file",
    field: "passwordFile",
    kind: "file",
    arg: "FILE",
    fills: "password",
    help: {
      ko: "서버 비밀번호를 FILE의 첫 줄에서 읽습니다",
      en: "read the server password from the first line of FILE",
    },
  },
  {
    flag: "op-password",
    field: "opPassword",
    kind: "secret",
    arg: "PASSWORD",
    env: "CHAT_OP_PASSWORD",
    serve: true,
    help: {
      ko:
        "/op 운영자 비밀번호: 운영자는 /kick, /ban을 하고 주제를 정할 수 있습니다 (화면에 보이므로 --op-password-file이 낫습니다)",
      en:
        "operator password for /op; operators may /kick, /ban and set topics (shows on screen; prefer --op-password-file)",
    },
  },
  {
    flag: "op-password-file",
    field: "opPasswordFile",
    kind: "file",
    arg: "FILE",
    fills: "opPassword",
    help: {
      ko: "운영자 비밀번호를 FILE의 첫 줄에서 읽습니다",
      en: "read the operator password from the first line of FILE",
    },
  },
  {
    flag: "history",
    field: "historyLimit",
    kind: "integer",
    arg: "N",
    min: 0,
    default: 50,
    serve: true,
    help: {
      ko: "방에 새로 들어온 사람에게 보여 줄 최근 메시지 수 (0이면 없음)",
      en: "recent messages a newcomer to a room is shown (0: none)",
    },
  },
  {
    flag: "history-keep",
    field: "historyKeep",
    kind: "integer",
    arg: "N",
    min: 0,
    default: DEFAULT_HISTORY_KEEP,
    serve: true,
    help: {
      ko:
        "방마다 데이터 파일에 저장해 두는 메시지 수 (적어도 --history만큼): 이보다 오래된 것은 지웁니다. --data none이면 메모리에 --history만큼만 둡니다",
      en:
        "messages each room keeps in the data file (at least --history); older ones are deleted. With --data none, memory keeps --history of them",
    },
  },
  {
    flag: "data",
    field: "data",
    kind: "text",
    arg: "PATH",
    default: DEFAULT_DATA_PATH,
    help: {
      ko:
        "기록, 주제, 계정, 차단을 두는 SQLite 파일 (없으면 만듭니다. 상대 경로는 작업 디렉터리 기준). none이면 메모리에만 두어 재시작하면 사라집니다",
      en:
        "the SQLite file that keeps history, topics, accounts and bans (made if missing; relative to the working directory); none keeps them in memory only, lost on restart",
    },
  },
  {
    flag: "max-rooms",
    field: "maxRooms",
    kind: "integer",
    arg: "N",
    min: 1,
    // Bounds memory against a user who makes rooms in a loop.
    default: 100,
    serve: true,
    help: { ko: "동시에 있을 수 있는 방 수 (로비 포함)", en: "rooms at once, the lobby included" },
  },
  {
    flag: "motd",
    field: "motdFile",
    kind: "file",
    arg: "FILE",
    help: {
      ko: `오늘의 메시지: 파일의 처음 ${MAX_MOTD_LINES}줄을 환영 인사 다음에 보냅니다`,
      en: `message of the day: its first ${MAX_MOTD_LINES} lines are sent after the welcome`,
    },
  },
  {
    flag: "tls-cert",
    field: "tlsCertFile",
    kind: "file",
    arg: "FILE",
    help: {
      ko: "PEM 인증서 체인: TLS로 서비스합니다 (--tls-key와 함께)",
      en: "PEM certificate chain: serve TLS (needs --tls-key)",
    },
  },
  {
    flag: "tls-key",
    field: "tlsKeyFile",
    kind: "file",
    arg: "FILE",
    help: { ko: "PEM 개인 키 (--tls-cert와 함께)", en: "PEM private key (needs --tls-cert)" },
  },
  {
    flag: "web",
    field: "webPort",
    kind: "port",
    arg: "PORT",
    min: 0,
    help: {
      ko:
        "웹 페이지 http://HOST:PORT/ 와 그 WebSocket /ws 도 엽니다: 브라우저 사용자도 같은 방에 들어옵니다 (--tls-cert가 있으면 HTTPS/WSS)",
      en:
        "also serve a web page at http://HOST:PORT/ and its WebSocket at /ws: browser users join the same rooms (HTTPS/WSS with --tls-cert)",
    },
  },
  {
    flag: "web-host",
    field: "webHost",
    kind: "text",
    arg: "HOST",
    help: { ko: "웹 페이지의 주소", en: "address of the web page" },
    defaultHelp: { ko: "--host와 같음", en: "the same as --host" },
  },
  {
    flag: "web-origin",
    field: "webOrigins",
    kind: "origins",
    arg: "ORIGIN",
    repeatable: true,
    help: {
      ko:
        "ORIGIN(https://example.org, 아무 곳이나 허용하려면 *)의 페이지도 WebSocket을 열 수 있게 합니다. 여러 번 쓰거나 쉼표로 나눕니다",
      en:
        "also let pages from ORIGIN (https://example.org, or * for any) open the WebSocket; repeat it or separate with commas",
    },
    defaultHelp: { ko: "페이지 자신의 출처만", en: "the page's own origin only" },
  },
  {
    flag: "web-host-allow",
    field: "webHostAllow",
    kind: "hosts",
    arg: "HOST",
    repeatable: true,
    help: {
      ko:
        "웹 페이지를 이 이름으로도 열 수 있게 허용합니다 (리버스 프록시 등; NAME 또는 NAME:PORT, 여러 번 또는 쉼표로). 이 서버 자신의 이름과 주소는 항상 허용됩니다",
      en:
        "also accept the web page under this name (a reverse proxy's; NAME or NAME:PORT, repeatable or comma-separated); the server's own names and addresses are always allowed",
    },
    defaultHelp: { ko: "이 서버의 이름과 주소만", en: "this server's own names and addresses" },
  },
  {
    flag: "irc",
    field: "ircPort",
    kind: "port",
    arg: "PORT",
    min: 0,
    help: {
      ko:
        "IRC 클라이언트(irssi, WeeChat, 봇)도 이 포트로 받습니다: 같은 방(#방이름), 닉네임, 기록 (--tls-cert가 있으면 TLS)",
      en:
        "also serve IRC clients (irssi, WeeChat, bots) on this port: the same rooms (#room), nicknames and history (TLS with --tls-cert)",
    },
  },
  {
    flag: "irc-host",
    field: "ircHost",
    kind: "text",
    arg: "HOST",
    help: { ko: "IRC 포트의 주소", en: "address of the IRC port" },
    defaultHelp: { ko: "--host와 같음", en: "the same as --host" },
  },
  {
    flag: "irc-name",
    field: "ircName",
    kind: "text",
    arg: "NAME",
    help: {
      ko: "IRC 클라이언트에게 보이는 서버 이름 (numeric의 출처, PONG)",
      en: "the server's name as IRC clients see it (the source of numerics, PONG)",
    },
    defaultHelp: { ko: "tcp-chat.server", en: "tcp-chat.server" },
  },
  {
    flag: "redis",
    field: "redisUrl",
    kind: "redis-url",
    arg: "URL",
    env: "REDIS_URL",
    help: {
      ko:
        "클러스터에 참여합니다: 같은 Redis를 쓰는 서버들은 하나의 채팅입니다 (redis://[user:pass@]host:port[/db], TLS는 rediss://). 방, 닉네임, 접속 상태는 공유하고 제한(클라이언트 수, 도배 방지)은 서버마다 따로입니다",
      en:
        "join a cluster: several servers on one Redis are one chat (redis://[user:pass@]host:port[/db], rediss:// for TLS). Rooms, nicknames and presence are shared; limits (clients, flood control) stay per server",
    },
  },
  {
    flag: "workers",
    field: "workers",
    kind: "integer",
    arg: "N",
    min: 1,
    default: 1,
    help: {
      ko:
        "연결을 받는 스레드(워커) 수: 모든 워커가 같은 포트에서 연결을 받고, 방의 순서와 닉네임, 접속 상태, 차단, 데이터 파일은 주 스레드가 하나로 관리합니다. 1은 워커 없이 한 스레드 (채팅 모드, --redis 없이만)",
      en:
        "threads (workers) that accept connections: every worker serves the same ports; the main thread keeps the rooms' order, nicknames, presence, bans and the data file, once. 1 is one thread, no worker (chat mode, without --redis only)",
    },
  },
  {
    flag: "quiet",
    field: "quiet",
    kind: "switch",
    serve: true,
    help: {
      ko: "시작과 종료만 기록합니다 (접속과 메시지는 기록하지 않음)",
      en: "log only start and shutdown, not each connection and message",
    },
  },
  {
    flag: "log-whispers",
    field: "logWhispers",
    kind: "switch",
    serve: true,
    help: {
      ko: "귓속말의 내용도 기록합니다 (기본은 보냈다는 사실만)",
      en: "log what whispers say (by default only that one was sent)",
    },
  },
  {
    flag: "max-line-bytes",
    field: "maxLineBytes",
    kind: "integer",
    arg: "N",
    min: 1,
    default: DEFAULT_MAX_LINE_BYTES,
    serve: true,
    section: "limits",
    help: {
      ko: `한 줄의 최대 바이트 수: 더 긴 줄은 쌓아 두지 않고 알림과 함께 버립니다. 줄바꿈 없이 ${
        MAX_REFUSED_LINE_BYTES / 1024 / 1024
      } MiB를 넘게 보내면 연결을 끊습니다`,
      en:
        `longest line in bytes; a longer line is refused with a notice and dropped without being buffered; a stream with no newline for over ${
          MAX_REFUSED_LINE_BYTES / 1024 / 1024
        } MiB is cut off`,
    },
  },
  {
    flag: "max-outbox-bytes",
    field: "maxOutboxBytes",
    kind: "integer",
    arg: "N",
    min: 1024,
    // Room for a full burst of the longest lines (40 × 8 KiB) from one sender.
    default: 512 * 1024,
    serve: true,
    section: "limits",
    help: {
      ko:
        "한 클라이언트에게 보내려고 기다리는 출력의 최대 바이트 수: 읽지 않는 클라이언트는 메모리를 늘리거나 다른 사람을 느리게 하는 대신 여기서 끊깁니다",
      en:
        "output waiting for one client; a client that stops reading is dropped at this limit instead of growing memory or slowing anyone down",
    },
  },
  {
    flag: "max-clients",
    field: "maxClients",
    kind: "integer",
    arg: "N",
    min: 1,
    default: 1000,
    serve: true,
    section: "limits",
    help: {
      ko:
        "동시 접속 수: 메모리와 파일 디스크립터를 제한합니다. 가득 차면 아직 입장하지 않은 가장 오래된 연결이 새로 온 사람에게 자리를 내줍니다",
      en:
        "connections at once; bounds memory and file descriptors. When full, the oldest connection that has not joined yet gives its place to a newcomer",
    },
  },
  {
    flag: "max-per-address",
    field: "maxPerAddress",
    kind: "integer",
    arg: "N",
    min: 1,
    // One machine cannot fill the server; a classroom behind one NAT address needs more.
    default: 20,
    serve: true,
    section: "limits",
    help: {
      ko:
        "한 IP 주소에서 동시에 열 수 있는 연결 수 (TCP, WebSocket, 웹 요청 합계): 한 사람이 서버를 채우지 못하게 합니다",
      en:
        "connections at once from one IP address (TCP, WebSocket and web requests together); one machine cannot fill the server",
    },
  },
  {
    flag: "nick-timeout",
    field: "nicknameTimeoutMs",
    kind: "seconds",
    arg: "SECONDS",
    min: 0,
    // Frees slots held by silent connections.
    default: 60_000,
    serve: true,
    section: "limits",
    help: {
      ko:
        "비밀번호와 닉네임을 보낼 때까지의 시간 (0이면 제한 없음): 말없이 자리만 차지하는 연결을 정리합니다",
      en:
        "time to send the password and a nickname (0: none); frees slots held by silent connections",
    },
  },
  {
    flag: "rate",
    field: "rateLinesPerSecond",
    kind: "number",
    arg: "LINES",
    min: 0,
    default: 20,
    serve: true,
    section: "limits",
    help: {
      ko:
        `클라이언트마다 초당 줄 수 (0이면 제한 없음): 넘는 줄은 차례를 기다리고 (몰아 보낼 때마다 알림 한 번), ${MAX_QUEUED_LINES}줄 넘게 기다리는 클라이언트는 연결이 끊깁니다`,
      en:
        `lines per second per client (0: no limit); lines over it wait their turn (one notice per burst); a client with more than ${MAX_QUEUED_LINES} lines waiting is disconnected`,
    },
  },
  {
    flag: "burst",
    field: "rateBurst",
    kind: "integer",
    arg: "LINES",
    min: 1,
    default: 40,
    serve: true,
    section: "limits",
    help: { ko: "한 번에 몰아 보낼 수 있는 줄 수", en: "lines a client may send at once" },
  },
  HELP,
  VERSION,
] as const satisfies readonly OptionRow[];

/** `main.ts client`: the terminal client. */
export const CLIENT_OPTIONS = [
  {
    ...HOST,
    positional: 0,
    help: { ko: "서버 주소", en: "server address" },
  },
  {
    ...PORT,
    positional: 1,
    min: 1,
    help: { ko: "서버 포트", en: "server port" },
  },
  {
    ...LANG,
    help: {
      ko: "클라이언트 자신의 메시지와 이 도움말의 언어 (서버는 어느 언어든 알아듣습니다)",
      en:
        "language of the client's own messages and of this help (it understands a server in either language)",
    },
  },
  {
    flag: "nick",
    field: "nick",
    kind: "text",
    arg: "NAME",
    help: { ko: "닉네임을 물으면 NAME으로 답합니다", en: "answer the nickname prompt with NAME" },
  },
  {
    flag: "password",
    field: "password",
    kind: "secret",
    arg: "PASSWORD",
    env: "CHAT_PASSWORD",
    help: {
      ko:
        "비밀번호를 물으면 답합니다. 없으면 클라이언트가 묻습니다 (터미널에서는 화면에 보이지 않게)",
      en: "answer the password prompt; without it the client asks (without echo on a terminal)",
    },
  },
  {
    flag: "password-file",
    field: "passwordFile",
    kind: "file",
    arg: "FILE",
    fills: "password",
    help: {
      ko: "비밀번호를 물으면 FILE의 첫 줄로 답합니다",
      en: "answer the password prompt with the first line of FILE",
    },
  },
  {
    // No flag on purpose: flags show in `ps` and in `deno task`'s echo of the command.
    field: "accountPassword",
    kind: "secret",
    arg: "PASSWORD",
    env: "CHAT_ACCOUNT_PASSWORD",
    help: {
      ko:
        "등록한 닉네임의 비밀번호를 물으면 이 환경 변수로 답합니다 (플래그는 ps에 보이므로 없습니다). 틀렸거나 없으면 화면에 보이지 않게 입력합니다",
      en:
        "answer a registered nickname's password prompt with this variable (no flag: it would show in ps); if it is wrong or unset, you type it without echo",
    },
  },
  {
    flag: "tls",
    field: "tls",
    kind: "switch",
    help: { ko: "TLS로 접속합니다", en: "connect with TLS" },
  },
  {
    flag: "ca",
    field: "caFile",
    kind: "file",
    arg: "FILE",
    help: {
      ko: "믿을 PEM 인증서 (자체 서명한 서버용; --tls를 켭니다)",
      en: "PEM certificate to trust, for a self-signed server (implies --tls)",
    },
  },
  {
    flag: "timestamps",
    field: "timestamps",
    kind: "switch",
    negatable: true,
    default: true,
    help: { ko: "줄 앞에 [HH:MM]을 붙이지 않습니다", en: "no [HH:MM] before each line" },
  },
  {
    flag: "color",
    field: "color",
    kind: "choice",
    arg: "WHEN",
    choices: ["auto", "always", "never"],
    default: "auto",
    help: {
      ko: "색: auto (터미널이고 NO_COLOR가 없을 때), always, never",
      en: "colours: auto (on a terminal, unless NO_COLOR is set), always, never",
    },
  },
  {
    flag: "bell",
    field: "bell",
    kind: "choice",
    arg: "WHEN",
    choices: ["off", "mention", "all"],
    default: "mention",
    help: {
      ko: "터미널 벨: mention (내 닉네임이 불리거나 귓속말), all (모든 줄), off",
      en:
        "ring the terminal bell: mention (mentions of your nickname, and whispers), all (every line), off",
    },
  },
  HELP,
  VERSION,
] as const satisfies readonly OptionRow[];

/**
 * `main.ts` alone: the menu (1 = server, 2 = client). Its flags are passed on to
 * the tool chosen, which reads them by its own rows (the client refuses port 0).
 */
export const MENU_OPTIONS = [
  {
    ...HOST,
    help: {
      ko: "서버의 주소: 1이면 서버가 여는 주소, 2면 클라이언트가 접속할 주소",
      en: "the server's address: where 1 (the server) listens, or where 2 (the client) connects",
    },
  },
  {
    ...PORT,
    min: 0,
    help: {
      ko: "서버의 포트: 1이면 서버가 여는 포트 (0이면 빈 포트), 2면 클라이언트가 접속할 포트",
      en: "the server's port: where 1 listens (0 picks a free one), or where 2 connects",
    },
  },
  {
    ...LANG,
    help: { ko: "메뉴와 고른 도구의 언어", en: "language of the menu and of the tool chosen" },
  },
  HELP,
  VERSION,
] as const satisfies readonly OptionRow[];

/** Each command's rows. */
export const COMMAND_OPTIONS: Readonly<Record<CliCommand, readonly OptionRow[]>> = {
  menu: MENU_OPTIONS,
  server: SERVER_OPTIONS,
  client: CLIENT_OPTIONS,
};

/** A row of the server's table. */
export type ServerRow = (typeof SERVER_OPTIONS)[number];
/** A row of the client's table. */
export type ClientRow = (typeof CLIENT_OPTIONS)[number];
/** A row of the menu's table. */
export type MenuRow = (typeof MENU_OPTIONS)[number];
