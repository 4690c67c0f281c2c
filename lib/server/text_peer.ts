/**
 * The text edge of a chat connection: a {@linkcode TcpConnection} carrying lines,
 * adapted to the transport-free {@linkcode ChatSession}.
 *
 * @module
 */

import type { Chat } from "../chat/chat.ts";
import { ChatSession, type Peer } from "../chat/chat_session.ts";
import type { UserEvent } from "../chat/events.ts";
import type { Outbox } from "../fanout/outbox.ts";
import type { ConnectionHandler, TcpConnection } from "../transport/tcp_connection.ts";
import type { CloseReason } from "../util/close_reason.ts";
import type { TextFormat } from "./text_format.ts";

/** A chat connection over TCP or TLS, speaking text lines. */
export class TextPeer implements Peer, ConnectionHandler {
  /** The chat side of the connection. */
  readonly session: ChatSession;
  readonly #conn: TcpConnection;
  readonly #format: TextFormat;

  /**
   * @param conn The connection.
   * @param chat The chat it joins.
   * @param format The text format of the server's language.
   */
  constructor(conn: TcpConnection, chat: Chat, format: TextFormat) {
    this.#conn = conn;
    this.#format = format;
    this.session = new ChatSession(chat, this);
  }

  /** @inheritdoc */
  get label(): string {
    return this.#conn.peer;
  }

  /** @inheritdoc */
  get address(): string {
    return this.#conn.address;
  }

  /** @inheritdoc */
  get outbox(): Outbox {
    return this.#conn.outbox;
  }

  /** @inheritdoc */
  get format(): TextFormat {
    return this.#format;
  }

  /** @inheritdoc */
  send(event: UserEvent): boolean {
    const text = this.#format.userText(event);
    return text === "" || this.#conn.sendText(text);
  }

  /** @inheritdoc */
  end(reason: CloseReason): void {
    this.#conn.end(reason);
  }

  /** @inheritdoc */
  drop(reason: CloseReason): void {
    this.#conn.drop(reason);
  }

  /** @inheritdoc */
  lines(lines: string[], now: number): void {
    this.session.lines(lines, now);
  }

  /** @inheritdoc */
  lineTooLong(maxBytes: number, closing: boolean): void {
    this.session.lineTooLong(maxBytes, closing);
  }

  /** @inheritdoc */
  ended(): void {
    this.session.ended();
  }
}
