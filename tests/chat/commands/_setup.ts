/**
 * Shared set-up of the command tests: English peers (the exact strings)
 * joined to one chat, with what they received so far consumed.
 *
 * @module
 */

import type { Chat, ChatConfig } from "../../../lib/chat/chat.ts";
import { EN_FORMAT, type FakePeer, join, microtasks, testChat } from "../_fake_peer.ts";

/**
 * Makes a chat and joins English-speaking peers in order, then forgets what they
 * received while joining.
 *
 * @param nicks The nicknames.
 * @param overrides Chat settings.
 * @param chat The chat to join. @default {a test chat with `overrides`}
 * @returns The chat and the peers, in the order of `nicks`.
 */
export async function setup(
  nicks: string[],
  overrides: Partial<ChatConfig> = {},
  chat: Chat = testChat(overrides),
): Promise<{ chat: Chat; peers: FakePeer[] }> {
  const peers: FakePeer[] = [];
  for (const nick of nicks) peers.push(await join(chat, nick, { format: EN_FORMAT }));
  await microtasks();
  for (const peer of peers) peer.take();
  return { chat, peers };
}

/**
 * Types lines as one peer and lets the room flush.
 *
 * @param peer Who types.
 * @param lines What.
 */
export async function say(peer: FakePeer, ...lines: string[]): Promise<void> {
  peer.type(...lines);
  await microtasks();
}

export { EN_FORMAT, join, microtasks };
