/**
 * Peer addresses as people write them.
 *
 * @module
 */

import { normalizeAddress } from "../util/ip_address.ts";

/**
 * Formats a peer address as `host:port` (`[host]:port` for IPv6), for the console.
 *
 * @param addr The address.
 * @returns The text.
 */
export function formatAddr(addr: Deno.Addr): string {
  if (addr.transport === "tcp" || addr.transport === "udp") {
    const host = hostOf(addr);
    return host.includes(":") ? `[${host}]:${addr.port}` : `${host}:${addr.port}`;
  }
  return addr.transport;
}

/**
 * The host part of a peer address, as bans compare it: an IPv4 address written as
 * `127.0.0.1` even when it arrived IPv4-mapped (`::ffff:127.0.0.1`).
 *
 * @param addr The address.
 * @returns The host, or the transport name for a non-IP address.
 */
export function hostOf(addr: Deno.Addr): string {
  if (addr.transport !== "tcp" && addr.transport !== "udp") return addr.transport;
  return normalizeAddress(addr.hostname);
}
