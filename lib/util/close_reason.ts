/**
 * Why a connection ended, in two vocabularies: the transport's (what it saw on
 * the socket) and the chat's (what it decided). The transport knows only its own
 * reasons and a few close codes ({@linkcode CloseCode}); the chat maps each of its
 * reasons onto one of those codes (`lib/chat/close_code_of.ts`). The console
 * words both (`lib/catalog/console_text.ts`).
 *
 * @module
 */

/** Why a connection ended, as its transport saw it. */
export type TransportReason =
  /** The peer closed its side. */
  | "eof"
  /** The peer reset the connection. */
  | "reset"
  /** A write failed for another reason than the peer being gone. */
  | "writeError"
  /** The peer stopped reading: its output passed the limit. */
  | "outboxFull"
  /** Turned away at the door: too many connections. */
  | "serverFull"
  /** Turned away at the door: too many connections from its address. */
  | "tooManyFromAddress"
  /** A bug: an unexpected throw while reading or handling what was read. */
  | "error"
  /** The peer broke the wire protocol (a bad WebSocket frame). */
  | "protocolError"
  /** The peer kept streaming without a line end far past the cap. */
  | "lineTooLong";

/** Why the chat (or an echo session) ended a connection. */
export type ChatReason =
  | "quit"
  | "nicknameTimeout"
  | "wrongPassword"
  | "flooding"
  | "kicked"
  | "banned"
  | "opPassword"
  /** Too many wrong passwords from its address lately (any password): refused unchecked. */
  | "passwordLockout"
  /** The server was full and it had not joined yet: it made room for a newcomer. */
  | "evicted"
  /** Three wrong account passwords in one connection. */
  | "accountPassword"
  /** A new login to the same account took the nickname (ghost reclaim). */
  | "reclaimed"
  | "unavailable"
  | "shutdown";

/** Why a connection ended, for the console: the transport's reasons and the chat's. */
export type CloseReason = TransportReason | ChatReason;

/**
 * How a connection closes, as its protocol tells the peer (a WebSocket close
 * code; plain TCP has only its FIN).
 */
export type CloseCode =
  /** The purpose is fulfilled (`/quit`, or the peer closed first). */
  | "normal"
  /** The server is going away (shutdown). */
  | "goingAway"
  /** The peer broke the wire protocol. */
  | "protocolError"
  /** The peer broke a rule (kicked, banned, flooding...). */
  | "policyViolation"
  /** A message far larger than the line cap. */
  | "messageTooBig"
  /** The server failed. */
  | "internalError"
  /** Nothing is wrong with the peer: the server cannot serve it now. */
  | "tryAgainLater";
