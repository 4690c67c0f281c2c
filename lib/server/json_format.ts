/**
 * The JSON edge: chat events as WebSocket text frames of JSON, for the web page
 * and for bots. A page renders them in its own way and never parses the text
 * protocol's sentences.
 *
 * A room event is rendered once for all of its recipients: its frame (header and
 * payload: a server's frames are not masked, so they are the same bytes for
 * everyone) goes into the room's log, as the text edge's lines do. A user event
 * is rendered once, for its one recipient. The format is documented in the
 * README ("The JSON format").
 *
 * @module
 */

import type { EdgeFormat } from "./chat_peer.ts";
import type { Lang } from "../catalog/lang.ts";
import type { RoomEvent, UserEvent } from "../chat/events.ts";
import type { BroadcastLog } from "../fanout/broadcast_log.ts";
import {
  MAX_HEADER_BYTES,
  OPCODE_TEXT,
  textFrame,
  writeFrameHeader,
} from "../transport/websocket_frame.ts";
import { TextFormat } from "./text_format.ts";

/**
 * The buffer a burst of room events is framed in before it is copied into the
 * log: a burst of typical lines fits; a larger one is flushed in pieces.
 */
const SCRATCH_BYTES = 16 * 1024;

/** Chat events as JSON WebSocket frames; notices carry a text in one language. */
export class JsonFormat implements EdgeFormat {
  readonly #text: TextFormat;
  readonly #encoder = new TextEncoder();
  #scratch = new Uint8Array(SCRATCH_BYTES);

  /**
   * @param lang The language of the notices' `text`.
   */
  constructor(lang: Lang) {
    this.#text = new TextFormat(lang);
  }

  /** @inheritdoc */
  append(log: BroadcastLog, events: readonly RoomEvent[]): void {
    let scratch = this.#scratch;
    let used = 0;
    for (const event of events) {
      const json = this.roomJson(event);
      const worst = MAX_HEADER_BYTES + json.length * 3;
      if (used + worst > scratch.length) {
        if (used > 0) log.appendBytes(scratch.subarray(0, used));
        used = 0;
        // An event larger than the scratch buffer gets a buffer of its own.
        if (worst > scratch.length) scratch = new Uint8Array(worst);
      }
      // The payload goes after room for the longest header, then moves up to meet
      // the real one: its length is known only once it is encoded.
      const payloadAt = used + MAX_HEADER_BYTES;
      const { written } = this.#encoder.encodeInto(json, scratch.subarray(payloadAt));
      const header = writeFrameHeader(scratch, used, OPCODE_TEXT, written);
      if (header < MAX_HEADER_BYTES) {
        scratch.copyWithin(used + header, payloadAt, payloadAt + written);
      }
      used += header + written;
    }
    if (used > 0) log.appendBytes(scratch.subarray(0, used));
  }

  /**
   * Renders a room event as JSON: the event object as it is
   * (`{"type":"message","room":"lobby","nick":"bob","text":"hi","time":…}`), less
   * the `rooms` of a user-wide event.
   *
   * @param event The event.
   * @returns The JSON text.
   */
  roomJson(event: RoomEvent): string {
    if ((event.type === "left" || event.type === "renamed") && event.rooms !== undefined) {
      // The other rooms of the user are the chat's business, not the page's.
      const { rooms: _, ...shown } = event;
      return JSON.stringify(shown);
    }
    return JSON.stringify(event);
  }

  /**
   * Renders a user event as JSON. Personal events whose name a room event also
   * has get a name of their own: `renamed` (you) is `nick`, `kicked` (you) is
   * `kickedYou`.
   *
   * @param event The event.
   * @returns The JSON text.
   */
  userJson(event: UserEvent): string {
    switch (event.type) {
      case "notice":
        return JSON.stringify({
          type: "notice",
          ...event.notice,
          text: this.#text.notice(event.notice),
        });
      case "renamed":
        return JSON.stringify({ type: "nick", nick: event.to, from: event.from });
      case "kicked":
        return JSON.stringify({
          type: "kickedYou",
          by: event.by,
          reason: event.reason,
          banMinutes: event.banMinutes,
        });
      default:
        return JSON.stringify(event);
    }
  }

  /**
   * Renders a user event as one WebSocket text frame.
   *
   * @param event The event.
   * @returns The frame's bytes.
   */
  userFrame(event: UserEvent): Uint8Array {
    return textFrame(this.userJson(event));
  }

  /** @inheritdoc */
  encodeUserEvent(event: UserEvent): Uint8Array {
    return this.userFrame(event);
  }
}
