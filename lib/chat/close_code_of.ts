/**
 * The chat's reasons to end a connection, mapped onto the few close codes a
 * transport knows: the transport never learns what a kick is.
 *
 * @module
 */

import type { ChatReason, CloseCode } from "../util/close_reason.ts";

const CLOSE_CODES: Record<ChatReason, CloseCode> = {
  quit: "normal",
  shutdown: "goingAway",
  // Nothing is wrong with the user: the cluster is away for now.
  unavailable: "tryAgainLater",
  nicknameTimeout: "policyViolation",
  wrongPassword: "policyViolation",
  flooding: "policyViolation",
  kicked: "policyViolation",
  banned: "policyViolation",
  opPassword: "policyViolation",
  passwordLockout: "policyViolation",
  // Nothing is wrong with it: it may come back and join.
  evicted: "tryAgainLater",
  accountPassword: "policyViolation",
  // The user is elsewhere now: a page must not reconnect and take it back.
  reclaimed: "normal",
};

/**
 * How a connection the chat ends for `reason` closes.
 *
 * @param reason Why the chat ends it.
 * @returns The close code its transport sends (a WebSocket close frame's code).
 */
export function closeCodeOf(reason: ChatReason): CloseCode {
  return CLOSE_CODES[reason];
}
