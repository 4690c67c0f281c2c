/**
 * The web page: one HTML file with its CSS and JavaScript, embedded in the
 * program (a text import, so the bundle and the compiled binary carry it and
 * nothing is read from disk at run time), and the Content-Security-Policy that
 * lets exactly its own inline script and style run.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { Lang } from "../catalog/lang.ts";
import PAGE_TEMPLATE from "./page.html" with { type: "text" };

/** Options for {@linkcode pageHtml}. */
export interface PageOptions {
  /** The page's language (the server's `--lang`). */
  lang: Lang;
  /** The line cap, so that the page refuses a longer line before sending it. */
  maxLineBytes: number;
}

/**
 * The page with the server's settings filled in. They go into attributes of the
 * `<html>` element, never into the script, so the script's hash never changes.
 *
 * @param options The language and the line cap.
 * @returns The HTML.
 */
export function pageHtml(options: PageOptions): string {
  return PAGE_TEMPLATE
    .replace("%LANG%", options.lang)
    .replace("%MAX_LINE_BYTES%", String(options.maxLineBytes));
}

/**
 * The page's policy: nothing may load or run but its own inline script and
 * style (by their hashes, computed here at start-up), and it may connect only to
 * its own origin (its WebSocket). No frames, no forms sent anywhere, no base URL.
 */
export const PAGE_CSP: string = [
  "default-src 'none'",
  `script-src ${hashOf(inline(PAGE_TEMPLATE, "script"))}`,
  `style-src ${hashOf(inline(PAGE_TEMPLATE, "style"))}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The text of the page's one inline element of a kind (`script`, `style`). */
function inline(html: string, tag: "script" | "style"): string {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (match === null) throw new Error(`Cannot find the page's <${tag}>`);
  return match[1];
}

/** A CSP source for text: `'sha256-…'` of its UTF-8 bytes. */
function hashOf(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}
