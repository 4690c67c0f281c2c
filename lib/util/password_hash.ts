/**
 * Account passwords: salted scrypt through `node:crypto`'s asynchronous `scrypt`
 * (it runs off the event loop, so a login never stalls the chat), the parameters
 * stored with the hash (`scrypt$N$r$p$salt$hash`, base64), and a constant-time
 * comparison. A password is never logged, echoed or kept in clear: only its hash
 * leaves this module.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * scrypt's CPU and memory cost `N` (2^14): about 85 ms of one core and 16 MiB per
 * hash here, so a login costs a user a blink while each guess costs a guesser the
 * same (and the per-address limiter allows at most 10 a minute). Higher costs
 * (OWASP's 2^17 takes 128 MiB) would let a burst of logins take gigabytes.
 */
export const SCRYPT_COST = 16_384;
/** scrypt's block size `r` (the usual 8: 1 KiB blocks). */
export const SCRYPT_BLOCK_SIZE = 8;
/** scrypt's parallelism `p` (1: the cost is paid on one core). */
export const SCRYPT_PARALLELISM = 1;
/** Random salt per password: two accounts with one password get different hashes. */
export const SALT_BYTES = 16;
/** The derived key stored: 256 bits. */
export const HASH_BYTES = 32;
/**
 * Hashes computed at once; more wait their turn. Each takes 16 MiB: a thousand
 * connections answering at the same moment must not take 16 GiB.
 */
export const MAX_CONCURRENT_HASHES = 2;
/** The fewest characters (code points) of a new password. */
export const MIN_PASSWORD_CHARS = 8;
/**
 * The most bytes (UTF-8) of a password: 1000 characters of any script fit (at most
 * 4 bytes each); a longer one is refused rather than hashed.
 */
export const MAX_PASSWORD_BYTES = 4096;

/** What is wrong with a new password, for the user's notice. */
export type PasswordProblem =
  | { code: "passwordTooShort"; minChars: number }
  | { code: "passwordTooLong"; maxBytes: number };

/** The most a stored hash may ask for: a tampered file cannot make us allocate gigabytes. */
const MAX_STORED_COST = 1 << 20;
const MAX_STORED_BLOCK_SIZE = 32;
const MAX_STORED_PARALLELISM = 16;

const ENCODED = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/;

const encoder = new TextEncoder();

/**
 * Checks a new password against the rules: at least {@linkcode MIN_PASSWORD_CHARS}
 * characters, at most {@linkcode MAX_PASSWORD_BYTES} bytes.
 *
 * @param password The password, as typed (trimmed).
 * @returns What is wrong, or `undefined` when it may be used.
 */
export function passwordProblem(password: string): PasswordProblem | undefined {
  if (encoder.encode(password).length > MAX_PASSWORD_BYTES) {
    return { code: "passwordTooLong", maxBytes: MAX_PASSWORD_BYTES };
  }
  let chars = 0;
  for (const _ of password.normalize("NFC")) chars++;
  if (chars < MIN_PASSWORD_CHARS) return { code: "passwordTooShort", minChars: MIN_PASSWORD_CHARS };
  return undefined;
}

/**
 * Hashes a password with a new random salt and the current parameters.
 *
 * @param password The password (NFC-normalised here, so that a Korean password
 *   typed on any system matches).
 * @returns The encoded hash: `scrypt$N$r$p$salt$hash`, salt and hash in base64.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const params = { N: SCRYPT_COST, r: SCRYPT_BLOCK_SIZE, p: SCRYPT_PARALLELISM };
  const hash = await derive(password, salt, params);
  return [
    "scrypt",
    params.N,
    params.r,
    params.p,
    salt.toString("base64"),
    hash.toString("base64"),
  ].join("$");
}

/**
 * Tells whether a password is the one an encoded hash was made from, with the
 * parameters stored in it; the comparison takes the same time wherever they differ.
 *
 * @param password The candidate.
 * @param encoded A hash from {@linkcode hashPassword}.
 * @returns `true` when it matches; `false` also for a hash that is not ours or
 *   asks for more than this module allows.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = ENCODED.exec(encoded);
  if (match === null) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (
    !powerOfTwo || N > MAX_STORED_COST || r < 1 || r > MAX_STORED_BLOCK_SIZE || p < 1 ||
    p > MAX_STORED_PARALLELISM
  ) {
    return false;
  }
  const salt = Buffer.from(match[4], "base64");
  const expected = Buffer.from(match[5], "base64");
  if (expected.length === 0) return false;
  const actual = await derive(password, salt, { N, r, p }, expected.length);
  return timingSafeEqual(actual, expected);
}

/** Hashes waiting for a turn, first come first served. */
const waiting: (() => void)[] = [];
let running = 0;

async function derive(
  password: string,
  salt: Uint8Array,
  params: { N: number; r: number; p: number },
  length = HASH_BYTES,
): Promise<Buffer> {
  if (running >= MAX_CONCURRENT_HASHES) {
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    // scrypt needs 128 * N * r bytes (and p blocks of 128 * r): room for that and a margin.
    const maxmem = 128 * params.N * params.r * 2 + 128 * params.r * params.p + (1 << 20);
    return await new Promise<Buffer>((resolve, reject) => {
      scrypt(
        password.normalize("NFC"),
        salt,
        length,
        { ...params, maxmem },
        (error, key) => error === null ? resolve(key) : reject(error),
      );
    });
  } finally {
    // The turn passes to the next one waiting (the count stays), or is given back.
    const next = waiting.shift();
    if (next !== undefined) next();
    else running--;
  }
}
