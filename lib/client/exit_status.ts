/**
 * The client's exit statuses, and which way of ending a session gives which.
 *
 * | how the session ends                                                              | status     |
 * | --------------------------------------------------------------------------------- | ---------- |
 * | `/quit`, `/종료`, Ctrl-D, end of piped input; `q` to an echo server               | 0          |
 * | the same, while the client waits to reconnect                                     | 0          |
 * | the server closes and the client does not come back (an original; not joined yet) | 0          |
 * | our server's connection drops after joining (killed, reset, `서버가 종료됩니다.`) | reconnects |
 * | the server cannot be reached at start (refused, unknown host, TLS)                | 1          |
 * | a wrong password: `비밀번호가 틀렸습니다.`                                        | 1          |
 * | too many wrong passwords from the address (server, `/op`, account)                | 1          |
 * | a banned address: `이 서버에서 차단되었습니다.`                                   | 1          |
 * | a full server: `서버가 가득 찼습니다 (최대 N명). …`                               | 1          |
 * | too many connections from the address; made room before joining                   | 1          |
 * | no nickname in time: `닉네임 입력 시간이 지났습니다. …`                           | 1          |
 * | flooding: `메시지를 너무 많이 보내 연결을 종료합니다.`                            | 1          |
 * | a line far over the cap: `한 줄이 너무 깁니다 (…). 연결을 종료합니다.`            | 1          |
 * | kicked (or banned while in): `{by}님에 의해 강퇴되었습니다.`                      | 1          |
 * | a third wrong operator password, and the server closes                            | 1          |
 * | a third wrong account password in one connection                                  | 1          |
 * | a new login took the nickname: `다른 곳에서 이 닉네임으로 로그인하여 …`           | 1          |
 * | turned away: the chat is unavailable (a cluster without Redis)                    | 1          |
 * | Ctrl-C, or SIGINT (also while the client waits to reconnect)                      | 130        |
 *
 * What the user sees: the server's own line as it came (in the server's language);
 * then, for status 0 when the server closed first, `서버와의 연결이 종료되었습니다.`;
 * for status 1, one line on stderr saying why in the client's language
 * (`비밀번호가 틀려 서버가 접속을 거부했습니다.`, `Refused by the server: wrong
 * password.`). A refusal counts even when the user was leaving already, so
 * `printf 'hi\n' | chat client --password wrong` exits 1; a wrong operator password
 * and an unavailable chat count only when the server closed right after their line.
 * A refusal of a reconnection (a password lockout, too many connections from the
 * address, a full server making room) ends the run as a refusal at start does.
 *
 * @module
 */

/** The client's exit statuses (see the table above). */
export const EXIT_STATUS = {
  /** The user left, or the server closed a session the client does not come back to. */
  ok: 0,
  /** The server could not be reached, refused the session, or ended it for a reason. */
  failed: 1,
  /** Ctrl-C or SIGINT: 128 + 2, as shells report it. */
  interrupted: 130,
} as const;
