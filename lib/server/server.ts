/**
 * The server: wires a transport (the TCP listener and its connections) to the
 * chat (or to the echo modes), and owns the lifecycle: listen, serve, shut down.
 * With `web`, a second listener serves the page and its WebSocket; a WebSocket
 * member is a {@linkcode TcpConnection} like any other (its decoder reads
 * frames), on the same rooms, limits and fan-out.
 *
 * The accept loop never waits on a client: each connection gets its own task
 * ({@linkcode TcpConnection.run}), and the loop goes straight back to `accept()`.
 *
 * @module
 */

import { type ConsoleText, consoleText } from "../catalog/console_text.ts";
import { userText } from "../catalog/user_text.ts";
import { Chat, type ChatObserver } from "../chat/chat.ts";
import { MemoryStore } from "../chat/memory_store.ts";
import type { Store } from "../chat/store.ts";
import { type AttemptsObserver, LocalPasswordAttempts } from "../chat/password_attempts.ts";
import { Channel } from "../fanout/channel.ts";
import { formatAddr, hostOf } from "../transport/address.ts";
import { type ConnectionHandler, TcpConnection } from "../transport/tcp_connection.ts";
import { TcpListener } from "../transport/tcp_listener.ts";
import { WebSocketDecoder } from "../transport/websocket_decoder.ts";
import { ConsoleLog } from "../util/console_log.ts";
import type { ChatReason } from "../util/close_reason.ts";
import { stackOf, WebListenError } from "../util/errors.ts";
import { pageHtml } from "../web/page.ts";
import { type EchoRoom, EchoSession } from "./echo_session.ts";
import { JsonFormat } from "./json_format.ts";
import type { ServerCluster } from "../chat/cluster.ts";
import {
  type ConnectionCounts,
  type ResolvedServeOptions,
  resolveServeOptions,
  type ServeOptions,
} from "./options.ts";
import { TaggedTextFormat } from "./tagged_text_format.ts";
import { TextFormat } from "./text_format.ts";
import { AddressCounts } from "./address_counts.ts";
import { ChatPeer } from "./chat_peer.ts";
import { WebGate, type WebUpgrade } from "./web_gate.ts";
import { IrcFormat } from "../irc/irc_format.ts";
import { type IrcServerInfo, IrcSession } from "../irc/irc_session.ts";
import { MAX_IRC_LINE_BYTES } from "../transport/irc_message.ts";
import { IrcListenError } from "../util/errors.ts";

/** What the server needs of each connection it serves. */
interface Served {
  /** Tells the client the server is stopping, then closes after flushing. */
  shutdown(): void;
  /**
   * The server is full: a connection that has not joined yet makes room (told, and
   * closing). @returns Whether it did. @default {absent: never (echo sessions)}
   */
  yieldPlace?(): boolean;
}

/** A running chat server. */
export class ChatServer implements AsyncDisposable {
  /** The address the server listens on (the real port when `0` was asked for). */
  readonly addr: Deno.NetAddr;
  /** The address of the web page and its WebSocket, when `web` is set. */
  readonly webAddr: Deno.NetAddr | undefined;
  /** The address of the IRC port, when `irc` is set. */
  readonly ircAddr: Deno.NetAddr | undefined;
  /** Settles when the server has stopped and every connection is closed. */
  readonly finished: Promise<void>;
  #listener: TcpListener;
  #webListener: TcpListener | undefined;
  #webGate: WebGate | undefined;
  #ircListener: TcpListener | undefined;
  /** What every IRC connection shares: its room formats (one log per tag variant). */
  #irc: IrcServerInfo | undefined;
  /** The JSON format every WebSocket member shares (one log per room). */
  #jsonFormat: JsonFormat;
  #log: ConsoleLog;
  #text: ConsoleText;
  #options: ResolvedServeOptions;
  #chat: Chat;
  #cluster: ServerCluster | undefined;
  #store: Store | undefined;
  #format: TextFormat;
  /** The text format with ids, for clients that ask for them (`/client ids`). */
  #taggedFormat: TaggedTextFormat;
  #echo: EchoRoom;
  /** Open connections, oldest first. */
  #served = new Set<Served>();
  /** Connections that made room for a newcomer and are closing: no longer counted. */
  #leaving = new Set<Served>();
  /**
   * Open connections (and web requests) per address, for `maxPerAddress`, and in
   * all: this server's own, or the whole process's (workers).
   */
  #perAddress: ConnectionCounts;
  /** Resolved when the last connection closes after shutdown began. */
  #allClosed = Promise.withResolvers<void>();
  #rejections = new Set<Promise<void>>();
  #closing = false;
  #onAbort = () => void this.shutdown();

  /**
   * Prefer {@linkcode serve}.
   *
   * @param options The settings.
   * @throws {Deno.errors.AddrInUse} When the port is taken.
   */
  constructor(options: ServeOptions = {}) {
    const o = resolveServeOptions(options);
    if (o.web !== undefined && o.mode !== "chat") {
      throw new TypeError("Cannot serve the web page in an echo mode: it needs chat mode");
    }
    if (o.irc !== undefined && o.mode !== "chat") {
      throw new TypeError("Cannot serve IRC in an echo mode: it needs chat mode");
    }
    this.#options = o;
    this.#perAddress = o.counts ?? new AddressCounts();
    this.#text = consoleText(o.lang);
    this.#log = options.log ?? new ConsoleLog();
    const observer = o.quiet ? undefined : this.#consoleObserver();
    if (o.cluster !== undefined) {
      const text = this.#text;
      this.#cluster = o.cluster({
        // The chat's users hear of an outage from it: one line each way, lines held meanwhile.
        joined: (label, serverId) => {
          this.#log.info(text.cluster(label, serverId));
          this.#chat.setAvailable(true);
        },
        unreachable: (reason) => {
          this.#log.info(text.redisUnreachable(reason));
          this.#chat.setAvailable(false);
        },
        restored: () => {
          this.#log.info(text.redisRestored);
          this.#chat.setAvailable(true);
        },
        reaped: (server, users) => this.#log.info(text.serverReaped(server, users)),
        noPersistence: () => this.#log.info(text.redisNoPersistence),
        dataLost: (bans) => this.#log.info(text.redisDataLost(bans)),
        stalled: (ms) => {
          this.#log.info(text.stalled(ms));
          this.#chat.setAvailable(false);
        },
        nicknameLost: (from, to) => this.#log.info(text.nicknameLost(from, to)),
        malformed: (what, detail) => this.#log.info(text.redisMalformed(what, detail)),
      });
    }
    const cluster = this.#cluster;
    if (o.mode === "chat") this.#store = this.#openStore();
    // Said under --quiet too: a guessing address is what an operator must hear of.
    const attemptsObserver: AttemptsObserver = {
      burst: (address, failures) => this.#log.info(this.#text.passwordBurst(address, failures)),
    };
    const attempts = o.passwordAttempts?.(attemptsObserver) ??
      cluster?.passwordAttempts?.(attemptsObserver) ??
      new LocalPasswordAttempts({ observer: attemptsObserver });
    // The resolved options hold every field of the chat's settings, under the same names.
    this.#chat = new Chat(o, {
      observer,
      attempts,
      store: this.#store,
      cluster: cluster && {
        bus: cluster,
        directory: cluster,
        ready: () => cluster.available !== false,
      },
      reportBug: (error, peer) => this.#logBug(error, peer),
    });
    // A user the cluster renames (its nickname taken meanwhile) gets no account's nickname.
    cluster?.reserveNicknames?.((key) => this.#chat.nicknameReserved(key));
    this.#format = new TextFormat(o.lang);
    this.#taggedFormat = new TaggedTextFormat(o.lang);
    this.#jsonFormat = new JsonFormat(o.lang);
    this.#echo = {
      channel: o.mode === "echo-broadcast" ? new Channel<string>() : undefined,
      text: userText(o.lang),
      consoleText: this.#text,
      log: o.quiet ? undefined : this.#log,
      rateLinesPerSecond: o.rateLinesPerSecond,
      rateBurst: o.rateBurst,
    };
    try {
      this.#listener = new TcpListener({
        hostname: o.hostname,
        port: o.port,
        tls: o.tls,
        reusePort: o.reusePort,
        onConnection: (conn) => this.#accept(conn),
        onAcceptError: (message) => this.#log.info(this.#text.logAcceptError(message)),
      });
      this.addr = this.#listener.addr;
      this.webAddr = o.web === undefined ? undefined : this.#listenWeb();
      this.ircAddr = o.irc === undefined ? undefined : this.#listenIrc();
    } catch (error) {
      // Nothing will serve: the data file is released for the next start.
      void this.#store?.close();
      throw error;
    }
    if (o.onListen !== undefined) {
      o.onListen(this.addr);
    } else {
      this.#log.plain(this.#text.listening(this.addr.hostname, this.addr.port));
      this.#log.plain(this.#text.serving(o.mode, o.tls !== undefined, ...reachOf(this.addr)));
      if (this.webAddr !== undefined) {
        this.#log.plain(this.#text.webPage(webUrls(this.webAddr, o.tls !== undefined)));
      }
      if (this.ircAddr !== undefined) {
        this.#log.plain(this.#text.ircPort(formatAddr(this.ircAddr), o.tls !== undefined));
      }
      if (this.#store !== undefined && cluster === undefined) {
        this.#log.plain(this.#text.data(this.#store.location));
      }

      this.#log.plain(this.#text.waiting);
    }
    o.signal?.addEventListener("abort", this.#onAbort, { once: true });
    void cluster?.start();
    this.finished = this.#serve();
    if (o.signal?.aborted) void this.shutdown();
  }

  /** The number of open connections. */
  get connections(): number {
    return this.#served.size;
  }

  /** The chat (rooms, users, bans) this server serves. */
  get chat(): Chat {
    return this.#chat;
  }

  /**
   * Stops accepting, tells every client the server is shutting down, flushes
   * their output (bounded), and closes every connection.
   *
   * @returns When everything is closed (the same as {@linkcode ChatServer.finished}).
   */
  shutdown(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      this.#log.plain(this.#text.logShutdown);
      this.#listener.close();
      this.#webListener?.close();
      this.#webGate?.close();
      this.#ircListener?.close();
      for (const served of this.#served) served.shutdown();
    }
    return this.finished;
  }

  /** Shuts the server down. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  async #serve(): Promise<void> {
    await this.#listener.finished;
    await this.#webListener?.finished;
    await this.#ircListener?.finished;
    await this.#webGate?.finished();
    if (this.#served.size > 0) await this.#allClosed.promise;
    await Promise.all(this.#rejections);
    // After every user's leave notice was queued: the connection sends them, then closes.
    await this.#cluster?.stop();
    // Last: what the leaving users said is written, then the file is released.
    await this.#store?.close();
    this.#options.signal?.removeEventListener("abort", this.#onAbort);
    await this.#log.flushed();
  }

  #accept(conn: Deno.Conn): void {
    const o = this.#options;
    if (this.#closing) {
      // Accepted while the listener was closing: nobody will serve it.
      this.#reject(conn, userText(o.lang).shuttingDown, "serverFull");
      return;
    }
    const address = hostOf(conn.remoteAddr);
    if (this.#perAddress.count(address) >= o.maxPerAddress) {
      this.#reject(
        conn,
        userText(o.lang).tooManyFromAddress(o.maxPerAddress),
        "tooManyFromAddress",
      );
      return;
    }
    if (!this.#roomForOneMore()) {
      this.#reject(conn, userText(o.lang).serverFull(o.maxClients), "serverFull");
      return;
    }
    this.#perAddress.add(address);
    const connection = new TcpConnection(conn, {
      maxLineBytes: o.maxLineBytes,
      maxOutboxBytes: o.maxOutboxBytes,
    });
    if (!o.quiet) this.#log.info(this.#text.logConnected(connection.peer));
    if (o.mode === "chat") {
      const peer = new ChatPeer(connection, this.#chat, this.#format, {
        tagged: this.#taggedFormat,
      });
      this.#run(connection, address, peer, peer.session, () => peer.session.nickname);
      peer.session.start();
    } else {
      const echo = new EchoSession(connection, this.#echo);
      this.#run(connection, address, echo, echo, () => undefined);
      echo.start();
    }
  }

  /** Connections that count against `maxClients`: TCP and WebSocket, and web requests. */
  #clients(): number {
    // Counted with the other servers of this process (workers): every connection and
    // web request of theirs, from its accept to its close.
    if (this.#options.counts !== undefined) {
      return this.#options.counts.total() - this.#leaving.size;
    }
    return this.#served.size - this.#leaving.size + (this.#webGate?.pending ?? 0);
  }

  /**
   * Whether one more connection may come in: there is room, or a connection that
   * has not joined yet makes room (the oldest first: idle sockets cannot keep users
   * out), or else the oldest web request still being read.
   */
  #roomForOneMore(): boolean {
    if (this.#clients() < this.#options.maxClients) return true;
    for (const served of this.#served) {
      if (this.#leaving.has(served) || served.yieldPlace?.() !== true) continue;
      this.#leaving.add(served);
      return true;
    }
    return this.#webGate?.dropOldest() ?? false;
  }

  /**
   * Binds the web port (TLS too when the chat has it). A failure closes the chat's
   * listener, so that nothing is left open.
   */
  #listenWeb(): Deno.NetAddr {
    const o = this.#options;
    const web = o.web!;
    const hostname = web.hostname ?? o.hostname;
    try {
      this.#webListener = new TcpListener({
        hostname,
        port: web.port,
        tls: o.tls,
        reusePort: o.reusePort,
        onConnection: (conn) => this.#acceptWeb(conn),
        onAcceptError: (message) => this.#log.info(this.#text.logAcceptError(message)),
      });
    } catch (error) {
      this.#listener.close();
      throw new WebListenError(hostname, web.port, error);
    }
    // Made once the port is known: the server's own names include it.
    const text = this.#text;
    this.#webGate = new WebGate({
      html: pageHtml({ lang: o.lang, maxLineBytes: o.maxLineBytes }),
      addr: this.#webListener.addr,
      hostname,
      origins: web.origins,
      hosts: web.hosts,
      tls: o.tls !== undefined,
      onRefused: o.quiet
        ? undefined
        : (peer, refusal, value) => this.#log.info(text.logWebRefused(peer, refusal, value)),
    });
    return this.#webListener.addr;
  }

  /** Binds the IRC port (TLS too when the chat has it). */
  #listenIrc(): Deno.NetAddr {
    const o = this.#options;
    const irc = o.irc!;
    const hostname = irc.hostname ?? o.hostname;
    try {
      this.#ircListener = new TcpListener({
        hostname,
        port: irc.port,
        tls: o.tls,
        onConnection: (conn) => this.#acceptIrc(conn),
        onAcceptError: (message) => this.#log.info(this.#text.logAcceptError(message)),
      });
    } catch (error) {
      // Nothing is left open: the chat's listener and the web page's close too.
      this.#listener.close();
      this.#webListener?.close();
      this.#webGate?.close();
      throw new IrcListenError(hostname, irc.port, error);
    }
    this.#irc = {
      name: irc.name ?? "tcp-chat.server",
      network: "tcp-chat",
      version: "tcp-chat-1.0.0",
      created: new Date().toUTCString(),
      formats: {
        none: new IrcFormat("none"),
        time: new IrcFormat("time"),
        all: new IrcFormat("all"),
      },
      text: this.#format,
      identities: new Map(),
      ping: irc.ping,
    };
    return this.#ircListener.addr;
  }

  /** An IRC client: a TCP connection with the IRC line cap, on the same chat. */
  #acceptIrc(conn: Deno.Conn): void {
    const o = this.#options;
    const address = hostOf(conn.remoteAddr);
    if (this.#closing) {
      this.#reject(conn, "ERROR :Server shutting down\r", "serverFull");
      return;
    }
    if (this.#perAddress.count(address) >= o.maxPerAddress) {
      this.#reject(conn, "ERROR :Too many connections from your address\r", "tooManyFromAddress");
      return;
    }
    if (!this.#roomForOneMore()) {
      this.#reject(conn, "ERROR :Server full\r", "serverFull");
      return;
    }
    this.#perAddress.add(address);
    const connection = new TcpConnection(conn, {
      maxLineBytes: MAX_IRC_LINE_BYTES,
      maxOutboxBytes: o.maxOutboxBytes,
    });
    if (!o.quiet) this.#log.info(this.#text.logConnected(connection.peer));
    const session = new IrcSession(connection, this.#chat, this.#irc!);
    this.#run(connection, address, session, session, () => session.nickname);
    session.start();
  }

  #acceptWeb(conn: Deno.Conn): void {
    const o = this.#options;
    const gate = this.#webGate!;
    const address = hostOf(conn.remoteAddr);
    if (this.#closing) {
      gate.refuse(conn, 503, userText(o.lang).shuttingDown);
    } else if (this.#perAddress.count(address) >= o.maxPerAddress) {
      gate.refuse(conn, 503, userText(o.lang).tooManyFromAddress(o.maxPerAddress));
    } else if (!this.#roomForOneMore()) {
      gate.refuse(conn, 503, userText(o.lang).serverFull(o.maxClients));
    } else {
      // Counted from the request on: one address cannot hold many requests open either.
      this.#perAddress.add(address);
      gate.accept(
        conn,
        (upgraded, upgrade) => this.#startWebSocket(upgraded, upgrade, address),
        () => this.#perAddress.remove(address),
      );
    }
  }

  /** A WebSocket is open: it joins the chat as a TCP client does. */
  #startWebSocket(conn: Deno.Conn, upgrade: WebUpgrade, address: string): void {
    const o = this.#options;
    if (this.#closing) {
      this.#perAddress.remove(address);
      try {
        conn.close();
      } catch {
        // Already closed.
      }
      return;
    }
    const connection = new TcpConnection(conn, {
      maxLineBytes: o.maxLineBytes,
      maxOutboxBytes: o.maxOutboxBytes,
      decoder: new WebSocketDecoder({ maxLineBytes: o.maxLineBytes }),
      pending: upgrade.rest,
    });
    connection.outbox.trySend(upgrade.response);
    if (!o.quiet) this.#log.info(this.#text.logConnected(connection.peer));
    const peer = new ChatPeer(connection, this.#chat, this.#jsonFormat, {
      firstRoom: upgrade.room,
      since: upgrade.since,
    });
    this.#run(connection, address, peer, peer.session, () => peer.session.nickname);
    peer.session.start();
  }

  #run(
    connection: TcpConnection,
    address: string,
    handler: ConnectionHandler & { readonly reason: ChatReason | undefined },
    served: Served,
    nickname: () => string | undefined,
  ): void {
    this.#served.add(served);
    // Not awaited: the accept loop goes straight back to accept(). run() never rejects.
    void connection.run(handler).then(() => {
      const failure = connection.failure;
      if (failure !== undefined) this.#logBug(failure.error, connection.peer);
      if (!this.#options.quiet) {
        // The session's reason when it ended the connection, else the transport's.
        const reason = handler.reason ?? connection.reason ?? "eof";
        this.#log.info(
          this.#text.logDisconnected(connection.peer, nickname(), this.#text.reason(reason)),
        );
      }
      this.#served.delete(served);
      this.#leaving.delete(served);
      this.#perAddress.remove(address);
      if (this.#closing && this.#served.size === 0) this.#allClosed.resolve();
    });
  }

  /**
   * Opens what the chat remembers: the store the options make, a cluster's, or one
   * in memory. It keeps at least what newcomers are shown.
   *
   * @throws {DataFileError} When the data file cannot be used.
   */
  #openStore(): Store {
    const o = this.#options;
    // A cluster's is shared by every server, in its Redis.
    if (o.store === undefined && this.#cluster?.store !== undefined) return this.#cluster.store;
    // In memory, what the server always kept: `--history` lines of at most `--max-rooms`
    // rooms (keeping `--history-keep` long lines of many rooms could take gigabytes).
    if (o.store === undefined) {
      return new MemoryStore({ historyKeep: o.historyLimit, maxRooms: o.maxRooms });
    }
    const historyKeep = Math.max(o.historyKeep, o.historyLimit);
    const text = this.#text;
    let location = "";
    const log = {
      unwritable: (reason: string) => this.#log.info(text.dataUnwritable(location, reason)),
      writable: (lost: number) => this.#log.info(text.dataWritable(location, lost)),
    };
    const store = o.store({ log, historyKeep });
    location = store.location ?? "";
    return store;
  }

  /** Sends one line to a connection over a limit and closes it, without waiting. */
  #reject(conn: Deno.Conn, line: string, reason: "serverFull" | "tooManyFromAddress"): void {
    const done = (async () => {
      try {
        await conn.write(new TextEncoder().encode(line + "\n"));
      } catch {
        // The peer is gone already.
      } finally {
        try {
          conn.close();
        } catch {
          // Already closed.
        }
      }
    })().finally(() => this.#rejections.delete(done));
    this.#rejections.add(done);
    if (!this.#options.quiet) {
      this.#log.info(
        this.#text.logDisconnected(
          formatAddr(conn.remoteAddr),
          undefined,
          this.#text.reason(reason),
        ),
      );
    }
  }

  /** An unexpected throw, survived: logged with its stack, under `--quiet` too. */
  #logBug(error: unknown, peer: string | undefined): void {
    this.#log.info(this.#text.logBug(peer, stackOf(error)));
  }

  #consoleObserver(): ChatObserver {
    const log = this.#log;
    const text = this.#text;
    const logWhispers = this.#options.logWhispers;
    return {
      nickname: (peer, nick) => log.info(text.logNickname(peer, nick)),
      roomEvent: this.#options.logRoomEvents === false
        ? () => {}
        : (event) => log.info(text.logRoom(event.room, this.#format.roomLine(event))),
      // Whispers are private: the console says that one was sent, not what it said.
      whisper: (from, to, whisper) =>
        log.info(text.logWhisper(from, to, logWhispers ? whisper : undefined)),
    };
  }
}

/**
 * Who can reach a server bound to an address: this machine only (loopback), every
 * machine (a wildcard address: the addresses others can use, when the
 * `networkInterfaces` permission lets us list them), or the one address given.
 *
 * @param addr The bound address.
 * @returns The reach and, for a wildcard, the `host:port` others can use.
 */
export function reachOf(addr: Deno.NetAddr): ["local" | "all" | "one", string[]] {
  const host = addr.hostname;
  if (host === "127.0.0.1" || host === "::1" || host.startsWith("127.")) return ["local", []];
  if (host !== "0.0.0.0" && host !== "::") return ["one", []];
  try {
    const addresses = Deno.networkInterfaces()
      .filter((i) => i.family === "IPv4" && !i.address.startsWith("127."))
      .map((i) => `${i.address}:${addr.port}`);
    return ["all", [...new Set(addresses)]];
  } catch {
    // No permission to list the interfaces: say only that every address listens.
    return ["all", []];
  }
}

/**
 * The addresses to open the web page at, as the start-up line shows them.
 *
 * @param addr The web listener's address.
 * @param tls Whether it serves HTTPS.
 * @returns The URLs (the machine's own addresses for a wildcard bind).
 */
export function webUrls(addr: Deno.NetAddr, tls: boolean): string[] {
  const scheme = tls ? "https" : "http";
  const [reach, addresses] = reachOf(addr);
  if (reach === "all") {
    const hosts = addresses.length > 0 ? addresses : [`127.0.0.1:${addr.port}`];
    return hosts.map((host) => `${scheme}://${host}/`);
  }
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return [`${scheme}://${host}:${addr.port}/`];
}

/**
 * Starts a chat server, like `Deno.serve` starts an HTTP server.
 *
 * @param options The settings.
 * @returns The running server.
 * @throws {Deno.errors.AddrInUse} When the port is taken.
 *
 * @example
 * ```ts
 * await using server = serve({ port: 0, onListen: () => {} });
 * console.log(server.addr.port);
 * ```
 */
export function serve(options: ServeOptions = {}): ChatServer {
  return new ChatServer(options);
}
