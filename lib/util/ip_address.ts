/**
 * IP addresses written the way bans compare them.
 *
 * @module
 */

/**
 * Writes an IP address the way bans compare it: lower case, an IPv4-mapped IPv6
 * address (`::ffff:127.0.0.1`) as plain IPv4 (`127.0.0.1`).
 *
 * @param address An IP address.
 * @returns The same address, normalised.
 */
export function normalizeAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  return mapped === null ? lower : mapped[1];
}
