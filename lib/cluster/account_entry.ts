/**
 * How an account and its held whispers are kept in Redis, and their parsers: an
 * account is a hash (`chat:account:{key}`), a held whisper a JSON item of a list
 * (`chat:held:{key}`). What is read back is checked as every entry is.
 *
 * @module
 */

import type { Account, HeldWhisper, LastSeen } from "../chat/store.ts";
import { checkShape, checkText, MalformedEntryError, parseJsonObject } from "./_entry_shape.ts";

/** The fields of an account's hash. */
export const ACCOUNT_FIELD = {
  /** The nickname as registered. */
  nickname: "nick",
  /** The password hash with its parameters (opaque here). */
  passwordHash: "hash",
  /** `1`: an operator at login; `0`: not. */
  operator: "op",
  /** When it was registered (ms since the epoch). */
  created: "created",
  /** The room it was last in (absent before its first leave). */
  seenRoom: "seenRoom",
  /** The id of the last message or action of that room sent to it (absent: none). */
  seenId: "seenId",
  /** When it left (ms since the epoch). */
  seenTime: "seenTime",
} as const;

const WHOLE_NUMBER = /^\d{1,16}$/;

/**
 * An account as the fields and values of its hash (`HSET` arguments).
 *
 * @param account The account.
 * @returns `[field, value, field, value, …]`.
 */
export function accountFields(account: Account): string[] {
  const fields = [
    ACCOUNT_FIELD.nickname,
    account.nickname,
    ACCOUNT_FIELD.passwordHash,
    account.passwordHash,
    ACCOUNT_FIELD.operator,
    account.operator ? "1" : "0",
    ACCOUNT_FIELD.created,
    String(account.created),
  ];
  if (account.lastSeen !== undefined) fields.push(...lastSeenFields(account.lastSeen));
  return fields;
}

/**
 * Where an account was last, as fields and values of its hash (no id: none).
 *
 * @param lastSeen The room, the last id and the time.
 * @returns `[field, value, …]`.
 */
export function lastSeenFields(lastSeen: LastSeen): string[] {
  const fields = [
    ACCOUNT_FIELD.seenRoom,
    lastSeen.room,
    ACCOUNT_FIELD.seenTime,
    String(lastSeen.time),
  ];
  if (lastSeen.id !== undefined) fields.push(ACCOUNT_FIELD.seenId, lastSeen.id);
  return fields;
}

/**
 * Parses an account's hash as `HGETALL` returns it.
 *
 * @param key The nickname's key.
 * @param flat `[field, value, …]` (empty: no account).
 * @returns The account, or `undefined` when there is none.
 * @throws {MalformedEntryError} When a field is missing or wrong.
 */
export function parseAccount(key: string, flat: readonly string[]): Account | undefined {
  if (flat.length === 0) return undefined;
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i], flat[i + 1]);
  const field = (name: string): string => {
    const value = fields.get(name);
    if (value === undefined) throw new MalformedEntryError(`no "${name}" field`);
    return value;
  };
  const nickname = checkText(field(ACCOUNT_FIELD.nickname), "the nickname");
  if (nickname === "") throw new MalformedEntryError("the nickname is empty");
  const operator = field(ACCOUNT_FIELD.operator);
  if (operator !== "0" && operator !== "1") {
    throw new MalformedEntryError(`"${ACCOUNT_FIELD.operator}" is not 0 or 1`);
  }
  const room = fields.get(ACCOUNT_FIELD.seenRoom);
  const id = fields.get(ACCOUNT_FIELD.seenId);
  return {
    key,
    nickname,
    passwordHash: field(ACCOUNT_FIELD.passwordHash),
    operator: operator === "1",
    created: wholeNumber(field(ACCOUNT_FIELD.created), ACCOUNT_FIELD.created),
    lastSeen: room === undefined ? undefined : {
      room: checkText(room, "the room"),
      id: id === undefined ? undefined : checkText(id, "the last id"),
      time: wholeNumber(field(ACCOUNT_FIELD.seenTime), ACCOUNT_FIELD.seenTime),
    },
  };
}

/**
 * Parses a held whisper.
 *
 * @param json An item of the held whispers' list.
 * @returns The whisper.
 * @throws {MalformedEntryError} When it is not one.
 */
export function parseHeldWhisper(json: string): HeldWhisper {
  const object = parseJsonObject(json);
  checkShape(object, [["from", "name"], ["text", "text"], ["time", "time"]]);
  return object as unknown as HeldWhisper;
}

function wholeNumber(value: string, field: string): number {
  if (!WHOLE_NUMBER.test(value)) throw new MalformedEntryError(`"${field}" is not a whole number`);
  return Number(value);
}
