/**
 * The text edge with ids: for a client that asked for them before joining
 * (`/client ids`, our terminal client), each message or action line carries its
 * event's id in front, `@{id} alice> hi`, and so do history and catch-up lines
 * (`@{id} [12:00] alice> hi`), and each room the connection enters is named,
 * `@room math`, after that room's history or catch-up (the ids before it are that
 * room's). The client remembers the last id it showed and resumes from it
 * (`/resume ROOM ID`) after a reconnect. Lines without an id (joins, notices) are
 * as in {@linkcode TextFormat}; plain `nc` users never get this format. One
 * instance per server and language: its clients share one log per room.
 *
 * @module
 */

import type { HistoryEvent, RoomEvent, UserEvent } from "../chat/events.ts";
import { clock, TextFormat } from "./text_format.ts";

/** The text format with each history event's id in front of its line. */
export class TaggedTextFormat extends TextFormat {
  /**
   * Renders a room event as one line: `@{id} ` first for a message or action that has one.
   *
   * @param event The event.
   * @returns The line, without `\n`.
   */
  override roomLine(event: RoomEvent): string {
    const line = super.roomLine(event);
    if (event.type !== "message" && event.type !== "action") return line;
    return event.id === undefined ? line : `@${event.id} ${line}`;
  }

  /**
   * Renders a history or catch-up line: `@{id} [HH:MM] alice> hi`.
   *
   * @param event The event.
   * @returns The line, without `\n`.
   */
  override historyLine(event: HistoryEvent): string {
    const line = `[${clock(event.time)}] ${super.roomLine(event)}`;
    return event.id === undefined ? line : `@${event.id} ${line}`;
  }

  /**
   * Renders a user event as lines: as the text format does, and the room the
   * connection enters as `@room ROOM` (the plain text tells it by no line).
   *
   * @param event The event.
   * @returns The lines, without `\n`.
   */
  override userLines(event: UserEvent): string[] {
    if (event.type === "room") return [`@room ${event.room}`];
    return super.userLines(event);
  }
}
