/**
 * The WebSocket opening handshake, server side (RFC 6455, section 4.2): check
 * an upgrade request and answer it with `101 Switching Protocols`.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { HttpError, httpResponse, type RequestHead } from "./http_head.ts";

/** The RFC's fixed GUID, appended to the client's key before hashing. */
const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** A client key is 16 random bytes in base 64. */
const KEY_PATTERN = /^[A-Za-z0-9+/]{22}==$/;

/**
 * Computes `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`.
 *
 * @param key The client's key.
 * @returns The base-64 SHA-1 of the key and the GUID.
 */
export function acceptKey(key: string): string {
  return createHash("sha1").update(key + WEBSOCKET_GUID).digest("base64");
}

/**
 * Tells whether a request asks for a WebSocket (`Upgrade: websocket`).
 *
 * @param head The request head.
 * @returns `true` when it does, valid or not.
 */
export function isUpgradeRequest(head: RequestHead): boolean {
  return head.headers.get("upgrade")?.toLowerCase().split(/\s*,\s*/).includes("websocket") ??
    false;
}

/**
 * Checks an upgrade request: `GET` with no body, HTTP/1.1, `Connection: Upgrade`,
 * `Upgrade: websocket`, version 13 and a well-formed key.
 *
 * @param head The request head.
 * @returns The client's key.
 * @throws {HttpError} 405 for another method, 426 for another version of the
 *   protocol or no upgrade, 400 for a malformed request or one with a body.
 */
export function checkUpgrade(head: RequestHead): string {
  if (head.method !== "GET") {
    throw new HttpError(405, `Cannot upgrade a ${head.method} request: use GET`);
  }
  // What follows the head is read as frames: a body would be taken for them.
  const length = head.headers.get("content-length");
  if (head.headers.has("transfer-encoding") || (length !== undefined && !/^0+$/.test(length))) {
    throw new HttpError(
      400,
      "Cannot upgrade a request with a body: a WebSocket handshake has none",
    );
  }
  if (!isUpgradeRequest(head)) {
    throw new HttpError(426, "This is a WebSocket endpoint: connect with a WebSocket client");
  }
  if (head.version !== "1.1") throw new HttpError(400, "Cannot upgrade: HTTP/1.1 required");
  const connection = head.headers.get("connection")?.toLowerCase().split(/\s*,\s*/) ?? [];
  if (!connection.includes("upgrade")) {
    throw new HttpError(400, "Cannot upgrade: the Connection header must include Upgrade");
  }
  if (head.headers.get("sec-websocket-version") !== "13") {
    throw new HttpError(426, "Cannot upgrade: only WebSocket version 13 is supported");
  }
  const key = head.headers.get("sec-websocket-key") ?? "";
  if (!KEY_PATTERN.test(key)) {
    throw new HttpError(400, "Cannot upgrade: Sec-WebSocket-Key is missing or malformed");
  }
  return key;
}

/**
 * Makes the `101 Switching Protocols` response.
 *
 * @param key The client's key.
 * @returns The bytes to write.
 */
export function upgradeResponse(key: string): Uint8Array {
  return httpResponse(101, {
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Accept": acceptKey(key),
  });
}
