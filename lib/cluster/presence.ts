/**
 * A user's presence as every server reads it from the `chat:users` hash: who,
 * where, on which server, since when.
 *
 * @module
 */

/** A user's presence, as every server reads it. */
export interface Presence {
  /** The nickname as registered. */
  nick: string;
  /** The room's name (`""` between rooms). */
  room: string;
  /** The room's key (`""` between rooms). */
  roomKey: string;
  /** The away reason (`""` without one), or `null` when present. */
  away: string | null;
  /** The user's IP address. */
  address: string;
  /** The id of the server the user is on. */
  server: string;
  /** The owner's token of the nickname's claim. */
  token: string;
  /** When the user came (`Date.now()`), for `/who` order. */
  since: number;
}
