/**
 * A fake connection for the chat core, as Deno's standard library tests HTTP with
 * a mock `Deno.Conn`: a real outbox drained by hand and the real text format, no
 * socket and no timing.
 *
 * @module
 */

import { Chat, type ChatConfig } from "../../lib/chat/chat.ts";
import { ChatSession, type ChatSessionOptions, type Peer } from "../../lib/chat/chat_session.ts";
import type { UserEvent } from "../../lib/chat/events.ts";
import { Outbox } from "../../lib/fanout/outbox.ts";
import { TaggedTextFormat } from "../../lib/server/tagged_text_format.ts";
import { TextFormat } from "../../lib/server/text_format.ts";
import type { ChatReason, CloseReason } from "../../lib/util/close_reason.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The Korean text format every fake peer of a test shares (one log per room). */
export const KO_FORMAT: TextFormat = new TextFormat("ko");
/** The English one. */
export const EN_FORMAT: TextFormat = new TextFormat("en");
/** The English one with ids (`/client ids`). */
export const EN_TAGGED_FORMAT: TextFormat = new TaggedTextFormat("en");
/** The Korean one with ids. */
export const KO_TAGGED_FORMAT: TextFormat = new TaggedTextFormat("ko");

/** Settings for tests: no timers, no flood control, history on. */
export function testConfig(overrides: Partial<ChatConfig> = {}): ChatConfig {
  return {
    historyLimit: 50,
    maxRooms: 100,
    password: undefined,
    opPassword: undefined,
    motd: [],
    nicknameTimeoutMs: 0,
    rateLinesPerSecond: 0,
    rateBurst: 40,
    ...overrides,
  };
}

/**
 * Makes a chat for tests.
 *
 * @param overrides Settings on top of {@linkcode testConfig}.
 * @returns The chat.
 */
export function testChat(overrides: Partial<ChatConfig> = {}): Chat {
  return new Chat(testConfig(overrides));
}

/** A connection with a real outbox that the test drains, like a writer task. */
export class FakePeer implements Peer {
  readonly outbox: Outbox;
  format: TextFormat;
  readonly session: ChatSession;
  readonly label: string;
  readonly address: string;
  /** How it ended: `end` (flushed) or `drop` (at once), with the reason. */
  closed: { how: "end" | "drop"; reason: CloseReason } | undefined;
  /** Every user event sent, as given. */
  readonly events: UserEvent[] = [];
  #received = "";

  /**
   * @param chat The chat.
   * @param options Output limit, format, address.
   */
  constructor(
    chat: Chat,
    options: {
      limitBytes?: number;
      format?: TextFormat;
      address?: string;
      session?: ChatSessionOptions;
    } = {},
  ) {
    this.outbox = new Outbox(options.limitBytes ?? 1 << 20);
    this.format = options.format ?? KO_FORMAT;
    this.address = options.address ?? "192.0.2.1";
    this.label = `${this.address}:40000`;
    this.session = new ChatSession(chat, this, options.session);
  }

  send(event: UserEvent): boolean {
    this.events.push(event);
    const text = this.format.userText(event);
    return text === "" || this.outbox.trySend(encoder.encode(text));
  }

  end(reason: ChatReason): void {
    this.closed ??= { how: "end", reason };
    this.outbox.close();
    this.session.ended();
  }

  drop(): void {
    this.closed ??= { how: "drop", reason: "outboxFull" };
    this.session.ended();
  }

  useIds(): void {
    if (this.format === EN_FORMAT) this.format = EN_TAGGED_FORMAT;
    else if (this.format === KO_FORMAT) this.format = KO_TAGGED_FORMAT;
  }

  /** Types lines, as one read. */
  type(...lines: string[]): void {
    this.session.lines(lines, performance.now());
  }

  /** Every line received so far, in order (takes what is waiting first). */
  lines(): string[] {
    this.#drain();
    return this.#received === "" ? [] : this.#received.slice(0, -1).split("\n");
  }

  /** The lines received since the last call of `take` (or since the start). */
  take(): string[] {
    const lines = this.lines();
    this.#received = "";
    return lines;
  }

  #drain(): void {
    for (let piece = this.outbox.takeNow(); piece !== undefined; piece = this.outbox.takeNow()) {
      this.#received += decoder.decode(piece);
    }
  }
}

/** Lets the channels' scheduled flushes run. */
export function microtasks(): Promise<void> {
  return new Promise((resolve) => queueMicrotask(resolve));
}

/**
 * Connects a fake peer and joins it with a nickname (the prompt and welcome lines
 * are consumed).
 *
 * @param chat The chat.
 * @param nick The nickname.
 * @param options As for {@linkcode FakePeer}.
 * @returns The joined peer.
 */
export async function join(
  chat: Chat,
  nick: string,
  options: ConstructorParameters<typeof FakePeer>[1] = {},
): Promise<FakePeer> {
  const peer = new FakePeer(chat, options);
  peer.session.start();
  peer.type(nick);
  await microtasks();
  return peer;
}
