/**
 * Where a cluster keeps its state in Redis: one prefix, one function per kind of key.
 *
 * @module
 */

/**
 * Every key of the chat starts with this (fixed): a second chat on the same Redis
 * server uses another database (`redis://host:port/1`).
 */
export const KEY_PREFIX = "chat:";

/** The Redis keys of one chat. */
export const keys = {
  /** A room's stream of events (`XADD`): one order for every server, and its history. */
  room: (roomKey: string): string => `${KEY_PREFIX}room:${roomKey}`,
  /** A server's inbox stream: whispers and kicks for its users. */
  inbox: (serverId: string): string => `${KEY_PREFIX}inbox:${serverId}`,
  /** Bans and unbans, for every server. */
  control: `${KEY_PREFIX}control`,
  /** A nickname's claim: the owner's token, with an expiry the owner renews. */
  nick: (nickKey: string): string => `${KEY_PREFIX}nick:${nickKey}`,
  /** Presence: nickname key → who, where, since when (JSON). */
  users: `${KEY_PREFIX}users`,
  /** The nickname keys of one server's users, for when it dies. */
  serverUsers: (serverId: string): string => `${KEY_PREFIX}server:${serverId}:users`,
  /** Live servers: id → last heartbeat (Redis time, ms). */
  servers: `${KEY_PREFIX}servers`,
  /** Bans in force: address → end (ms since the epoch; `0` until lifted). */
  bans: `${KEY_PREFIX}bans`,
  /**
   * The identity of Redis's data: set once, by the first server. A server that finds
   * it missing or changed after a cut knows Redis lost its data meanwhile. Not a
   * history epoch (the `<epoch>` of an event id is the store's, `Store.epoch`).
   */
  dataId: `${KEY_PREFIX}data-id`,
  /** Room topics: room key → text. */
  topics: `${KEY_PREFIX}topics`,
  /**
   * The epoch of history ids (`<epoch>.<stream id>`): set once with `SET NX`; a new one
   * after Redis lost its data makes the ids handed out before unknown.
   */
  epoch: `${KEY_PREFIX}epoch`,
  /** An account (hash): nickname, password hash, operator flag, created, last seen. */
  account: (nickKey: string): string => `${KEY_PREFIX}account:${nickKey}`,
  /** The whispers held for an offline account (list of JSON, oldest first). */
  held: (nickKey: string): string => `${KEY_PREFIX}held:${nickKey}`,
  /** Nickname bans in force: nickname key → JSON `{name, until, by, reason}` (`until` 0: until lifted). */
  nickBans: `${KEY_PREFIX}nick-bans`,
  /** An address's wrong password answers in the window: one member each, scored by time (ms). */
  attempts: (address: string): string => `${KEY_PREFIX}attempts:${address}`,
};

/** The one field of each stream entry: a room's event (JSON) and an inbox or control item (JSON). */
export const ENTRY_FIELD = {
  /** A room stream's entry. */
  event: "e",
  /** An inbox's or the control stream's entry. */
  item: "m",
} as const;
