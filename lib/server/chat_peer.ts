/**
 * A chat connection at the edge: a {@linkcode TcpConnection} (carrying text lines,
 * or WebSocket messages when its decoder reads frames) adapted to the
 * transport-free {@linkcode ChatSession}. What differs between the two is only
 * the format: how events are written ({@linkcode EdgeFormat}).
 *
 * @module
 */

import type { Chat } from "../chat/chat.ts";
import { ChatSession, type ChatSessionOptions, type Peer } from "../chat/chat_session.ts";
import { closeCodeOf } from "../chat/close_code_of.ts";
import type { RoomEvent, UserEvent } from "../chat/events.ts";
import type { Format } from "../fanout/channel.ts";
import type { Outbox } from "../fanout/outbox.ts";
import type { ConnectionHandler, TcpConnection } from "../transport/tcp_connection.ts";
import type { ChatReason, TransportReason } from "../util/close_reason.ts";

/** How a kind of connection writes events: room events through the log, user events one by one. */
export interface EdgeFormat extends Format<RoomEvent> {
  /**
   * Renders an event for one recipient.
   *
   * @param event The event.
   * @returns The bytes to queue, or `undefined` for an event this format does not show.
   */
  encodeUserEvent(event: UserEvent): Uint8Array | undefined;
}

/** Options for {@linkcode ChatPeer}: the session's, and the format with ids. */
export interface ChatPeerOptions extends ChatSessionOptions {
  /**
   * The format taken when the client asks for ids (`/client ids`), shared by every
   * such connection. @default {none: the format stays (JSON carries ids anyway)}
   */
  tagged?: EdgeFormat;
}

/** A chat connection over TCP or TLS, speaking text lines or WebSocket frames. */
export class ChatPeer implements Peer, ConnectionHandler {
  /** The chat side of the connection. */
  readonly session: ChatSession;
  readonly #conn: TcpConnection;
  #format: EdgeFormat;
  readonly #tagged: EdgeFormat | undefined;
  #reason: ChatReason | undefined;

  /**
   * @param conn The connection.
   * @param chat The chat it joins.
   * @param format How events are written to it (shared by every connection of its kind).
   * @param options The first room, where to catch up from, the format with ids.
   */
  constructor(
    conn: TcpConnection,
    chat: Chat,
    format: EdgeFormat,
    options: ChatPeerOptions = {},
  ) {
    this.#conn = conn;
    this.#format = format;
    this.#tagged = options.tagged;
    this.session = new ChatSession(chat, this, options);
  }

  /** Why the chat ended the connection, or `undefined` when it did not (then ask the connection). */
  get reason(): ChatReason | undefined {
    return this.#reason;
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
  get format(): EdgeFormat {
    return this.#format;
  }

  /** @inheritdoc */
  send(event: UserEvent): boolean {
    const bytes = this.#format.encodeUserEvent(event);
    return bytes === undefined || this.#conn.outbox.trySend(bytes);
  }

  /** @inheritdoc */
  end(reason: ChatReason): void {
    if (this.#conn.ending) return;
    this.#reason = reason;
    // The reason is the close frame's text: the web page reads it.
    this.#conn.end(closeCodeOf(reason), reason);
  }

  /** @inheritdoc */
  drop(): void {
    this.#conn.drop("outboxFull");
  }

  /** @inheritdoc */
  useIds(): void {
    // Asked before joining: the user (and its room's log) is made with this format.
    if (this.#tagged !== undefined) this.#format = this.#tagged;
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
  ended(reason: TransportReason | undefined): void {
    // A bug ended it: the user is told before the close.
    this.session.ended(reason === "error");
  }
}
