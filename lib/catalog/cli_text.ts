/**
 * What the command line says itself, in Korean and English: usage errors, the
 * frame of `--help` (each option's own line lives in its row of the option table)
 * and start-up errors. The language is the one `--lang` gives anywhere on the
 * line, Korean by default.
 *
 * @module
 */

import type { DataFileProblem } from "../util/errors.ts";
import type { Lang } from "./lang.ts";

/** The subcommands, as help and errors name them. */
export type CliCommand = "menu" | "server" | "client";

/** The command line's own lines. */
export interface CliText {
  /** How an error line starts on stderr. */
  error(message: string): string;
  unknownCommand(word: string): string;
  unknownOption(flag: string, command: CliCommand): string;
  unexpectedArgument(arg: string, command: CliCommand): string;
  /** A flag that takes a value came last, or before another flag. */
  missingValue(flag: string, arg: string): string;
  /** `--quiet=yes`: a switch takes no value. */
  noValue(flag: string): string;
  givenMoreThanOnce(flag: string): string;
  /** The bare-argument form (`server 12345`) and the flag (`--port`) both given. */
  givenTwice(arg: string, flag: string): string;
  mustNotBeEmpty(name: string): string;
  /** `Invalid --max-rooms: "x" (expected a whole number of at least 1)`. */
  invalid(name: string, value: string, expected: string): string;
  expectWholeNumber(min: number): string;
  expectNumber(min: number): string;
  expectPort(min: number): string;
  expectOneOf(choices: readonly string[]): string;
  readonly expectOrigin: string;
  readonly expectHost: string;
  readonly expectRedisUrl: string;
  /** `--web-host` without `--web PORT`. */
  needs(flag: string, other: string): string;
  /** `--password` and `--password-file` both given. */
  notBoth(first: string, second: string): string;
  /** A secret given as a flag shows on screen: how to keep it off. */
  secretOnScreen(flag: string, file: string | undefined, variable: string | undefined): string;
  /** A password inside a URL given as a flag (`--redis redis://:pw@host`). */
  passwordInUrl(flag: string, variable: string | undefined): string;
  readonly emptyFirstLine: string;
  /** `--tls-cert` without `--tls-key`, or the other way. */
  together(first: string, second: string): string;
  /** `--web` or `--redis` with `-e`. */
  chatModeOnly(flag: string): string;
  /** `--workers N` with `--redis`: a cluster member runs on one thread. */
  readonly workersWithRedis: string;
  /** `--irc` with more than one worker: IRC is served by one thread for now. */
  readonly workersWithIrc: string;
  webPortIsChatPort(port: number): string;
  /** `-b` without `-e`: the C original's own words, in both languages. */
  readonly broadcastNeedsEcho: string;
  /** A file a flag names cannot be read. */
  cannotRead(flag: string, path: string, reason: string): string;
  /** A file a flag names was read but holds the wrong thing. */
  cannotUse(flag: string, path: string, reason: string): string;
  readonly noPemCertificate: string;
  readonly noPemKey: string;
  cannotStart(host: string, port: number, reason: string): string;
  cannotServeWeb(host: string, port: number, reason: string): string;
  /** The data file (`--data`) cannot be used at start; nothing was written to it. */
  cannotUseData(path: string, reason: string): string;
  /**
   * Why the data file cannot be used (`detail`: the schema versions for `newer`,
   * the flag for `notAllowed`, the system's words for `other`).
   */
  dataProblem(problem: DataFileProblem, detail: string): string;
  readonly noSuchFile: string;
  readonly permissionDenied: string;
  readonly isDirectory: string;
  readonly addressInUse: string;
  /** Deno refused for want of a permission flag (`--allow-read`). */
  notAllowed(permission: string): string;
  /** `Usage: main.ts server [PORT] [options]`. */
  usage(command: string): string;
  /** The help's first paragraph for each command; `nc HOST PORT` uses the defaults. */
  intro(command: CliCommand, host: string, port: number): string;
  /** The help's last paragraph. */
  outro(command: CliCommand, host: string, port: number): string;
  /** The heading before each section of options. */
  section(section: "commands" | "options" | "limits"): string;
  /** The usage lines of the top-level help. */
  commands(): readonly (readonly [string, string])[];
  /** A row's default in help. */
  defaultIs(value: string): string;
  /** The variable a row reads when its flag is not given. */
  orVariable(name: string): string;
}

const ko: CliText = {
  error: (message) => `오류: ${message}`,
  unknownCommand: (word) => `알 수 없는 명령: ${word} ("server"나 "client"를 쓰세요. --help 참고)`,
  unknownOption: (flag, command) => `알 수 없는 옵션: ${flag} (${helpCommand(command)} 참고)`,
  unexpectedArgument: (arg, command) => `예상하지 못한 인자: ${arg} (${helpCommand(command)} 참고)`,
  missingValue: (flag, arg) => `${flag} 옵션에 값이 없습니다: ${flag} ${arg}`,
  noValue: (flag) => `${flag} 옵션은 값을 받지 않습니다`,
  givenMoreThanOnce: (flag) => `${flag} 옵션이 여러 번 주어졌습니다`,
  givenTwice: (arg, flag) => `${arg} 값이 두 번 주어졌습니다: 인자로, 그리고 ${flag} 옵션으로`,
  mustNotBeEmpty: (name) => `${name} 값이 비어 있습니다`,
  invalid: (name, value, expected) => `잘못된 ${name} 값: "${value}" (${expected})`,
  expectWholeNumber: (min) => `${min} 이상의 정수여야 합니다`,
  expectNumber: (min) => `${min} 이상의 수여야 합니다`,
  expectPort: (min) => `${min}부터 65535까지의 숫자여야 합니다`,
  expectOneOf: (choices) => `${choices.join(", ")} 중 하나여야 합니다`,
  expectOrigin: "https://example.org 같은 출처나 *여야 합니다",
  expectHost:
    "chat.example.org나 192.168.0.5:8080 같은 이름이나 주소여야 합니다 (포트는 생략 가능)",
  expectRedisUrl: "redis://host:port[/db] 형식이어야 합니다 (TLS는 rediss://)",
  needs: (flag, other) => `${flag} 옵션은 ${other}와 함께 써야 합니다`,
  notBoth: (first, second) => `${first} 옵션과 ${second} 옵션 중 하나만 주세요`,
  secretOnScreen: (flag, file, variable) =>
    `경고: ${flag}로 준 비밀번호는 화면과 프로세스 목록에 보입니다. 대신 ${
      [file && `${file} 파일`, variable && `환경 변수 ${variable}`].filter(Boolean).join("이나 ")
    }를 쓰세요`,
  passwordInUrl: (flag, variable) =>
    `경고: ${flag} 주소에 든 비밀번호는 화면과 프로세스 목록에 보입니다.${
      variable ? ` 대신 환경 변수 ${variable}를 쓰세요` : ""
    }`,
  emptyFirstLine: "첫 줄이 비어 있습니다",
  together: (first, second) => `${first} 옵션과 ${second} 옵션은 함께 써야 합니다`,
  chatModeOnly: (flag) => `${flag} 옵션은 채팅 모드에서만 쓸 수 있습니다 (-e와 함께 쓸 수 없음)`,
  workersWithRedis:
    "--workers 옵션은 --redis와 함께 쓸 수 없습니다: 클러스터의 각 서버는 한 스레드로 실행됩니다",
  workersWithIrc:
    "--workers 옵션은 --irc와 함께 쓸 수 없습니다: IRC는 아직 한 스레드로만 제공됩니다",
  webPortIsChatPort: (port) =>
    `--web ${port}: 채팅 포트와 같습니다. 웹 페이지에는 다른 포트를 주세요`,
  broadcastNeedsEcho: "-b option requires -e option",
  cannotRead: (flag, path, reason) => `${flag} 파일을 읽을 수 없습니다 (${path}): ${reason}`,
  cannotUse: (flag, path, reason) => `${flag} 파일을 사용할 수 없습니다 (${path}): ${reason}`,
  noPemCertificate: "PEM 인증서가 들어 있지 않습니다",
  noPemKey: "PEM 개인 키가 들어 있지 않습니다",
  cannotStart: (host, port, reason) => `서버를 시작할 수 없습니다 (${host}:${port}): ${reason}`,
  cannotServeWeb: (host, port, reason) => `웹 페이지를 열 수 없습니다 (${host}:${port}): ${reason}`,
  cannotUseData: (path, reason) =>
    `데이터 파일을 사용할 수 없습니다 (${path}): ${reason} (다른 파일은 --data PATH, 메모리만 쓰려면 --data none)`,
  dataProblem: (problem, detail) =>
    ({
      locked: "실행 중인 다른 서버가 쓰고 있습니다",
      newer: `이 프로그램보다 새 버전이 만든 파일입니다 (스키마 ${detail})`,
      corrupt: "채팅 데이터베이스가 아니거나 손상되었습니다",
      foreign: "다른 프로그램의 SQLite 데이터베이스입니다",
      readOnly: "파일에 쓸 수 없습니다 (읽기 전용)",
      folderReadOnly: "폴더에 쓸 수 없습니다 (파일 옆에 저널 파일을 만들어야 합니다)",
      noFolder: "폴더가 없습니다",
      isFolder: "파일이 아니라 폴더입니다",
      full: "디스크가 가득 찼습니다",
      notAllowed: `${detail} 없이는 허용되지 않습니다`,
      other: detail,
    })[problem],
  noSuchFile: "파일이 없습니다",
  permissionDenied: "권한이 없습니다",
  isDirectory: "디렉터리입니다",
  addressInUse: "주소가 이미 사용 중입니다",
  notAllowed: (permission) => `${permission} 없이는 허용되지 않습니다`,
  usage: (command) => `사용법: ${command} [옵션]`,
  intro: (command, host, port) =>
    ({
      menu: "tcp-chat: 여러 사람이 접속하는 TCP 채팅 서버와 그 클라이언트",
      server:
        `채팅 서버를 시작합니다 (Python main.py처럼). -e를 주면 에코 서버입니다 (C echo-server처럼. 원래처럼 "server ${port} -e -b"로도 실행할 수 있습니다).`,
      client:
        `채팅 (또는 에코) 서버에 접속합니다. 입력한 줄은 서버로 가고, 서버에서 온 줄은 오는 대로 보여 줍니다. C echo-client처럼 "client ${host} ${port}"로도 실행할 수 있습니다.`,
    })[command],
  outro: (command, host, port) =>
    ({
      menu: `누구나 nc로도 채팅할 수 있습니다:  nc ${host} ${port}`,
      server:
        "SIGINT (Ctrl-C)나 SIGTERM을 받으면 모든 클라이언트에게 알리고 남은 출력을 보낸 뒤 종료합니다 (종료 상태 0).",
      client: "나가려면 /종료나 /quit를 입력하세요 (또는 Ctrl-D).",
    })[command],
  section: (section) =>
    ({
      commands: "사용법:",
      options: "옵션:",
      limits: "제한 (각각 한 클라이언트로부터 다른 모두를 지킵니다):",
    })[section],
  commands: () => [
    ["main.ts [옵션]", "메뉴 (1 = 서버, 2 = 클라이언트)"],
    ["main.ts server [옵션]", "서버 시작 (main.ts server --help)"],
    ["main.ts client [옵션]", "클라이언트 시작 (main.ts client --help)"],
  ],
  defaultIs: (value) => `(기본값 ${value})`,
  orVariable: (name) => `(또는 환경 변수 ${name})`,
};

const en: CliText = {
  error: (message) => `error: ${message}`,
  unknownCommand: (word) => `Unknown command: ${word} (expected "server" or "client"; see --help)`,
  unknownOption: (flag, command) => `Unknown option: ${flag} (see ${helpCommand(command)})`,
  unexpectedArgument: (arg, command) => `Unexpected argument: ${arg} (see ${helpCommand(command)})`,
  missingValue: (flag, arg) => `${flag} needs a value: ${flag} ${arg}`,
  noValue: (flag) => `${flag} takes no value`,
  givenMoreThanOnce: (flag) => `${flag} is given more than once`,
  givenTwice: (arg, flag) => `${arg} is given twice: as an argument and with ${flag}`,
  mustNotBeEmpty: (name) => `${name} must not be empty`,
  invalid: (name, value, expected) => `Invalid ${name}: "${value}" (${expected})`,
  expectWholeNumber: (min) => `expected a whole number of at least ${min}`,
  expectNumber: (min) => `expected a number of at least ${min}`,
  expectPort: (min) => `expected a number from ${min} to 65535`,
  expectOneOf: (choices) => `expected ${choices.join(", ")}`,
  expectOrigin: "expected an origin like https://example.org, or *",
  expectHost: "expected a name or an address like chat.example.org or 192.168.0.5:8080",
  expectRedisUrl: "expected redis://host:port[/db], or rediss:// for TLS",
  needs: (flag, other) => `${flag} needs ${other}`,
  notBoth: (first, second) => `${first} and ${second}: give one, not both`,
  secretOnScreen: (flag, file, variable) =>
    `warning: a password given with ${flag} shows on screen and in the process list; use ${
      [file && `${file} FILE`, variable && `set ${variable}`].filter(Boolean).join(" or ")
    } instead`,
  passwordInUrl: (flag, variable) =>
    `warning: a password in the ${flag} URL shows on screen and in the process list${
      variable ? `; set ${variable} instead` : ""
    }`,
  emptyFirstLine: "its first line is empty",
  together: (first, second) => `${first} and ${second} go together`,
  chatModeOnly: (flag) => `${flag} works in chat mode only (not with -e)`,
  workersWithRedis:
    "--workers cannot be used with --redis: each server of a cluster runs on one thread",
  workersWithIrc: "--workers cannot be used with --irc: IRC is served by one thread for now",
  webPortIsChatPort: (port) => `--web ${port} is the chat's port too: give the page another port`,
  broadcastNeedsEcho: "-b option requires -e option",
  cannotRead: (flag, path, reason) => `Cannot read ${flag} ${path}: ${reason}`,
  cannotUse: (flag, path, reason) => `Cannot use ${flag} ${path}: ${reason}`,
  noPemCertificate: "no PEM certificate in it",
  noPemKey: "no PEM private key in it",
  cannotStart: (host, port, reason) => `Cannot start the server on ${host}:${port}: ${reason}`,
  cannotServeWeb: (host, port, reason) => `Cannot serve the web page on ${host}:${port}: ${reason}`,
  cannotUseData: (path, reason) =>
    `Cannot use the data file ${path}: ${reason} (--data PATH for another file, --data none for memory only)`,
  dataProblem: (problem, detail) =>
    ({
      locked: "another running server is using it",
      newer: `it was written by a newer version of this program (schema ${detail})`,
      corrupt: "it is not a chat database, or it is damaged",
      foreign: "it is another program's SQLite database",
      readOnly: "the file cannot be written (read-only)",
      folderReadOnly: "its folder cannot be written (the journal goes beside the file)",
      noFolder: "its folder does not exist",
      isFolder: "it is a folder, not a file",
      full: "the disk is full",
      notAllowed: `not allowed without ${detail}`,
      other: detail,
    })[problem],
  noSuchFile: "no such file",
  permissionDenied: "permission denied",
  isDirectory: "it is a directory",
  addressInUse: "the address is already in use",
  notAllowed: (permission) => `not allowed without ${permission}`,
  usage: (command) => `Usage: ${command} [options]`,
  intro: (command, host, port) =>
    ({
      menu: "tcp-chat: a multi-client TCP chat server and its client",
      server:
        `Starts the chat server (as the Python main.py), or with -e an echo server (as the C echo-server; "server ${port} -e -b" works as in the original).`,
      client:
        `Connects to a chat (or echo) server: lines you type go to the server, lines from the server are shown as they arrive. "client ${host} ${port}" works as the C echo-client.`,
    })[command],
  outro: (command, host, port) =>
    ({
      menu: `Anyone can also chat with plain nc:  nc ${host} ${port}`,
      server: "SIGINT (Ctrl-C) or SIGTERM: every client is told, output is flushed, exit 0.",
      client: "Type /종료 or /quit (or press Ctrl-D) to leave.",
    })[command],
  section: (section) =>
    ({
      commands: "Usage:",
      options: "Options:",
      limits: "Limits (each protects everyone else from one client):",
    })[section],
  commands: () => [
    ["main.ts [options]", "show the menu (1 = server, 2 = client)"],
    ["main.ts server [options]", "start the server (main.ts server --help)"],
    ["main.ts client [options]", "start the client (main.ts client --help)"],
  ],
  defaultIs: (value) => `(default ${value})`,
  orVariable: (name) => `(or set ${name})`,
};

function helpCommand(command: CliCommand): string {
  return command === "menu" ? "--help" : `${command} --help`;
}

const TEXTS: Record<Lang, CliText> = { ko, en };

/**
 * Returns the command line's own lines in one language.
 *
 * @param lang The language.
 * @returns The catalog.
 */
export function cliText(lang: Lang): CliText {
  return TEXTS[lang];
}
