/**
 * History ids in a cluster: `"<epoch>.<stream id>"`, where the stream id is the
 * entry's id in the room's Redis stream (`<ms>-<n>`) and the epoch is random per
 * Redis data set (`chat:epoch`, made anew when Redis lost its data): an id from
 * before such a loss is unknown, and its holder a newcomer. Every server gives a
 * line the same id, so a user catches up on any server. Clients treat ids as
 * opaque.
 *
 * @module
 */

const ID = /^([0-9a-z]+)\.(\d{1,20})-(\d{1,20})$/;
/** The largest part of a stream id (Redis keeps each as an unsigned 64-bit number). */
const MAX_PART = 0xffff_ffff_ffff_ffffn;

/** A stream id, as two numbers for comparing. */
type StreamId = readonly [ms: bigint, n: bigint];

/**
 * Makes a line's id.
 *
 * @param epoch The cluster's epoch.
 * @param streamId The entry's id in its room's stream.
 * @returns The id.
 */
export function streamEventId(epoch: string, streamId: string): string {
  return `${epoch}.${streamId}`;
}

/**
 * Reads a line's id, as a client sent it back.
 *
 * @param id The id.
 * @returns Its epoch and stream id, or `undefined` when it is not a cluster's id.
 */
export function parseStreamEventId(id: string): { epoch: string; streamId: string } | undefined {
  const match = ID.exec(id);
  if (match === null) return undefined;
  // Redis refuses a stream id past 64 bits: such an id is none of ours.
  if (BigInt(match[2]) > MAX_PART || BigInt(match[3]) > MAX_PART) return undefined;
  return { epoch: match[1], streamId: `${match[2]}-${match[3]}` };
}

/**
 * Compares two stream ids (`<ms>-<n>`) as Redis orders them.
 *
 * @param a One id.
 * @param b The other.
 * @returns Negative when `a` comes first, 0 when equal, positive when after.
 */
export function compareStreamIds(a: string, b: string): number {
  const [am, an] = split(a);
  const [bm, bn] = split(b);
  if (am !== bm) return am < bm ? -1 : 1;
  return an === bn ? 0 : an < bn ? -1 : 1;
}

function split(id: string): StreamId {
  const dash = id.indexOf("-");
  return dash < 0 ? [BigInt(id), 0n] : [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}
