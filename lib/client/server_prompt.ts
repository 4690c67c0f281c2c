/**
 * The server's prompts, told apart in every language of the catalog: the server
 * password, the nickname, a registered nickname's password (`Password for alice:`),
 * and the two of `/password` alone (`Current password:`, `New password:`). Every
 * one but the nickname asks for a secret, which is never echoed.
 *
 * @module
 */

import { LANGS } from "../catalog/lang.ts";
import { userText } from "../catalog/user_text.ts";
import { MAX_NICKNAME_CHARS } from "../chat/nickname.ts";

/** The prompts the client knows. */
export type PromptKind = "nickname" | "password" | "account" | "currentPassword" | "newPassword";

/** A prompt, as the server sent it. */
export interface ServerPrompt {
  kind: PromptKind;
  /** The server's prompt, trimmed. */
  prompt: string;
  /** The registered nickname an `account` prompt asks the password of. */
  nick?: string;
}

/** A placeholder for the nickname in a catalog line: never in the catalog's own text. */
const NICK_MARK = "\uE000";
const NICK = `([\\p{L}\\p{N}_-]{1,${MAX_NICKNAME_CHARS}})`;

/** The exact prompts of every language, by kind. */
const EXACT: ReadonlyMap<string, PromptKind> = new Map(
  LANGS.flatMap((lang) => {
    const t = userText(lang);
    return [
      [t.nicknamePrompt, "nickname"],
      [t.passwordPrompt, "password"],
      [t.currentPasswordPrompt, "currentPassword"],
      [t.newPasswordPrompt, "newPassword"],
    ] as const;
  }),
);

/** `Password for {nick}:` in every language. */
const ACCOUNT: readonly RegExp[] = LANGS.map((lang) => {
  const [before, after] = userText(lang).accountPrompt(NICK_MARK).split(NICK_MARK);
  return new RegExp(`^${escapeRegExp(before)}${NICK}${escapeRegExp(after)}$`, "u");
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Tells whether a line from the server is a prompt, and which.
 *
 * @param line The line (sanitized), its trailing blanks included or not.
 * @returns The prompt, or `undefined` for any other line.
 */
export function parsePrompt(line: string): ServerPrompt | undefined {
  const prompt = line.trimEnd();
  const kind = EXACT.get(prompt);
  if (kind !== undefined) return { kind, prompt };
  for (const pattern of ACCOUNT) {
    const match = pattern.exec(prompt);
    if (match !== null) return { kind: "account", prompt, nick: match[1] };
  }
  return undefined;
}

/**
 * Whether a prompt asks for a secret: its answer is typed without echo on a
 * terminal and never shown.
 *
 * @param kind The prompt.
 * @returns `false` for the nickname only.
 */
export function asksSecret(kind: PromptKind): boolean {
  return kind !== "nickname";
}
