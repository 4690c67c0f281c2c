/**
 * Redis addresses as users give them: `redis://[user:pass@]host:port[/db]` or
 * `rediss://` for TLS.
 *
 * @module
 */

import { UsageError } from "../util/errors.ts";

/**
 * Checks a Redis URL.
 *
 * @param text The URL as given.
 * @returns The URL, unchanged.
 * @throws {UsageError} When it is not a `redis://` or `rediss://` URL with a host.
 */
export function checkRedisUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`Invalid Redis URL: "${text}" (expected redis://host:port)`);
  }
  if ((url.protocol !== "redis:" && url.protocol !== "rediss:") || url.hostname === "") {
    throw new UsageError(`Invalid Redis URL: "${text}" (expected redis://host:port)`);
  }
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) {
    throw new UsageError(`Invalid Redis URL: "${text}" (the database is a number: /0)`);
  }
  return text;
}

/**
 * A Redis URL fit for the console: the password replaced by `***`.
 *
 * @param text A valid Redis URL.
 * @returns The URL without its password.
 */
export function redactRedisUrl(text: string): string {
  const url = new URL(text);
  if (url.password !== "") url.password = "***";
  return url.toString().replace(/\/$/, "");
}
