/**
 * The echo modes of the C original: each line goes back to its sender (`-e`), or
 * to every connected client, the sender included (`-e -b`). No nicknames, no
 * notices but the limits'.
 *
 * @module
 */

import type { ConsoleText } from "../catalog/console_text.ts";
import type { UserText } from "../catalog/user_text.ts";
import type { BroadcastLog } from "../fanout/broadcast_log.ts";
import type { Channel, Format, Subscriber } from "../fanout/channel.ts";
import type { Outbox } from "../fanout/outbox.ts";
import { closeCodeOf } from "../chat/close_code_of.ts";
import type { ConnectionHandler, TcpConnection } from "../transport/tcp_connection.ts";
import type { ChatReason, TransportReason } from "../util/close_reason.ts";
import type { ConsoleLog } from "../util/console_log.ts";
import { LinePacer } from "../util/line_pacer.ts";
import { sanitizeText } from "../util/sanitize.ts";

/** Lines as they are: the echo-broadcast channel's format. */
export const RAW_LINES: Format<string> = {
  append(log: BroadcastLog, lines: readonly string[]): void {
    log.append(lines.join("\n") + "\n");
  },
};

/** What every echo connection of a server shares. */
export interface EchoRoom {
  /** Every line to everyone (`-e -b`), or `undefined` (`-e`: back to the sender). */
  channel: Channel<string> | undefined;
  /** The lines the limits send. */
  text: UserText;
  /** The console's lines. */
  consoleText: ConsoleText;
  /** The console, or `undefined` under `--quiet`. */
  log: ConsoleLog | undefined;
  /** Lines per second per client; `0`: no limit. */
  rateLinesPerSecond: number;
  /** Lines at once per client. */
  rateBurst: number;
}

/** One echo connection. */
export class EchoSession implements ConnectionHandler, Subscriber<string> {
  readonly #conn: TcpConnection;
  readonly #room: EchoRoom;
  readonly #pacer: LinePacer;
  #ended = false;
  #reason: ChatReason | undefined;

  /**
   * @param conn The connection.
   * @param room What the server's echo connections share.
   */
  constructor(conn: TcpConnection, room: EchoRoom) {
    this.#conn = conn;
    this.#room = room;
    this.#pacer = new LinePacer({
      linesPerSecond: room.rateLinesPerSecond,
      burst: room.rateBurst,
      run: (line) => this.#echo(line),
      delayed: () => this.#own(room.text.rateLimited),
      flooding: () => {
        this.#own(room.text.flooding);
        this.#end("flooding");
      },
    });
  }

  /** Why the session ended the connection, or `undefined` when it did not (then ask the connection). */
  get reason(): ChatReason | undefined {
    return this.#reason;
  }

  /** @inheritdoc */
  get outbox(): Outbox {
    return this.#conn.outbox;
  }

  /** @inheritdoc */
  readonly format: Format<string> = RAW_LINES;

  /** Starts receiving the others' lines (echo-broadcast). */
  start(): void {
    this.#room.channel?.add(this);
  }

  /** @inheritdoc */
  lines(lines: string[], now: number): void {
    if (!this.#ended) this.#pacer.push(lines.map(sanitizeText), now);
  }

  /** @inheritdoc */
  lineTooLong(maxBytes: number, closing: boolean): void {
    this.#own(this.#room.text.lineTooLong(maxBytes, closing));
  }

  /** @inheritdoc */
  ended(reason: TransportReason | undefined): void {
    // A bug ended it: the client is told before the close.
    if (reason === "error" && !this.#ended) this.#own(this.#room.text.internalError);
    this.#ended = true;
    this.#pacer.close();
    this.#room.channel?.remove(this);
  }

  /** @inheritdoc */
  overflowed(): void {
    this.#ended = true;
    this.#pacer.close();
    this.#conn.drop("outboxFull");
  }

  /** The server is stopping: tell the client, flush, close. */
  shutdown(): void {
    if (this.#ended) return;
    this.#room.channel?.remove(this);
    this.#own(this.#room.text.shuttingDown);
    this.#end("shutdown");
  }

  #end(reason: ChatReason): void {
    if (this.#conn.ending) return;
    this.#reason = reason;
    this.#conn.end(closeCodeOf(reason), reason);
  }

  #echo(line: string): void {
    if (this.#ended) return;
    this.#room.log?.info(this.#room.consoleText.logEcho(this.#conn.peer, line));
    if (this.#room.channel !== undefined) this.#room.channel.publish(line);
    else this.#own(line);
  }

  #own(line: string): void {
    this.#room.channel?.flush();
    if (!this.#conn.sendText(line + "\n")) {
      this.#room.channel?.remove(this);
      this.#conn.outbox.discard();
      this.overflowed();
    }
  }
}
