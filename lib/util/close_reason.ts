/**
 * Why a connection ended: a code shared by the transports (which see the socket)
 * and the chat (which sees the protocol), rendered for the console by the catalog.
 *
 * @module
 */

/** Why a connection ended. */
export type CloseReason =
  // Seen by a transport.
  | "eof"
  | "reset"
  | "writeError"
  | "outboxFull"
  | "serverFull"
  | "error"
  | "protocolError"
  // Decided by the chat.
  | "quit"
  | "lineTooLong"
  | "nicknameTimeout"
  | "wrongPassword"
  | "flooding"
  | "kicked"
  | "banned"
  | "opPassword"
  | "unavailable"
  | "shutdown";
