/**
 * Checking what is read from Redis before it is believed. Redis holds what any
 * program (or person) with access wrote: an entry of the wrong shape must be
 * skipped and reported, never crash the server nor reach a client as it is.
 *
 * The parsers of this folder build on these checks and throw
 * {@linkcode MalformedEntryError}; the cluster reports it through its
 * `MalformedLog` and goes on.
 *
 * @module
 */

import { hasControlCharacters } from "../util/sanitize.ts";

/** An entry read from Redis does not have the shape this server writes. */
export class MalformedEntryError extends Error {
  override name = "MalformedEntryError";
}

/** A JSON object as parsed, before its fields are checked. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * What one field must be:
 * - `text`: a string without control characters (it may reach a terminal);
 * - `name`: the same, not empty;
 * - `textOrNull`: `text`, or `null`;
 * - `optionalText`: `text`, or absent;
 * - `time`: a finite number (milliseconds);
 * - `optionalCount`: a whole number, 0 or more (a ban's minutes), or absent;
 * - `names`: an array of `name`s (room keys), maybe empty;
 * - `optionalNames`: `names`, or absent;
 * - `object`: a JSON object (checked apart).
 */
export type FieldKind =
  | "text"
  | "name"
  | "textOrNull"
  | "optionalText"
  | "time"
  | "optionalCount"
  | "names"
  | "optionalNames"
  | "object";

/** The fields of an object, and what each must be. */
export type Shape = readonly (readonly [field: string, kind: FieldKind])[];

/**
 * Parses JSON that must be an object.
 *
 * @param json The text.
 * @returns The object.
 * @throws {MalformedEntryError} When it is not JSON, or not an object.
 */
export function parseJsonObject(json: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new MalformedEntryError("not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedEntryError("not a JSON object");
  }
  return value as JsonObject;
}

/**
 * Checks an object's fields against a shape: each field of the shape is what it
 * must be, and the object has no other field (it may be passed on as it is).
 *
 * @param object The object, from `JSON.parse`.
 * @param shape Its fields.
 * @throws {MalformedEntryError} On the first field that is wrong.
 */
export function checkShape(object: JsonObject, shape: Shape): void {
  let fields = 0;
  for (const [field, kind] of shape) {
    const value = object[field];
    // JSON has no undefined: an optional field that is undefined is absent.
    if (
      value === undefined &&
      (kind === "optionalText" || kind === "optionalCount" || kind === "optionalNames")
    ) continue;
    fields++;
    if (!fits(value, kind)) throw new MalformedEntryError(`"${field}" is not ${describe(kind)}`);
  }
  let own = 0;
  for (const _ in object) own++;
  if (own !== fields) throw new MalformedEntryError("unexpected fields");
}

/**
 * The value of one field of a raw stream entry (`[name, value, name, value…]`).
 *
 * @param fields The entry's fields.
 * @param name The field's name.
 * @returns Its value.
 * @throws {MalformedEntryError} When the entry has no such field.
 */
export function entryField(fields: readonly string[], name: string): string {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === name) return fields[i + 1];
  }
  throw new MalformedEntryError(`no "${name}" field`);
}

/**
 * Checks a text read as it is (a topic, an address).
 *
 * @param value The text.
 * @param what What it is, for the error.
 * @returns The text.
 * @throws {MalformedEntryError} When it holds control characters.
 */
export function checkText(value: string, what: string): string {
  if (hasControlCharacters(value)) {
    throw new MalformedEntryError(`${what} holds control characters`);
  }
  return value;
}

function fits(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "time":
      return typeof value === "number" && Number.isFinite(value);
    case "optionalCount":
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
    case "textOrNull":
      return value === null || isText(value);
    case "name":
      return isText(value) && value !== "";
    case "text":
    case "optionalText":
      return isText(value);
    case "names":
    case "optionalNames":
      return Array.isArray(value) && value.every((name) => isText(name) && name !== "");
  }
}

function isText(value: unknown): value is string {
  return typeof value === "string" && !hasControlCharacters(value);
}

function describe(kind: FieldKind): string {
  switch (kind) {
    case "object":
      return "an object";
    case "time":
      return "a number";
    case "optionalCount":
      return "a whole number, 0 or more";
    case "textOrNull":
      return "text or null";
    case "name":
      return "non-empty text";
    case "text":
    case "optionalText":
      return "text";
    case "names":
    case "optionalNames":
      return "a list of non-empty texts";
  }
}
