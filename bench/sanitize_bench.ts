/**
 * The cost of `sanitizeText`, which runs on every line a client sends: for the lines
 * people type, and for the ones it rewrites.
 *
 * Run: `deno bench bench/sanitize_bench.ts`
 *
 * @module
 */

import { sanitizeText } from "../lib/util/sanitize.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Lines as the server has them: decoded from bytes, so flat strings. */
const LINES: Record<string, string> = Object.fromEntries(
  Object.entries({
    "ascii, 40 characters": "hello everyone, how is the build going?",
    "ascii, 200 characters": "The quick brown fox jumps over the lazy dog. ".repeat(5).slice(
      0,
      200,
    ),
    "korean, 40 characters": "안녕하세요 여러분, 오늘 빌드는 어떻게 되어 가나요? 잘 되길 바랍니다!",
    "emoji": "nice work 👍 🎉 thanks",
    "emoji with VS16 and ZWJ": "love it ❤️ 👨‍👩‍👧 great",
    "71 spaces and a fake line": " ".repeat(71) + "alice2> fake",
    "300 combining marks": "e" + "\u0301".repeat(300),
    "escape sequence": "\x1b[31mred\x1b[0m text",
  }).map(([name, line]) => [name, decoder.decode(encoder.encode(line))]),
);

for (const [name, line] of Object.entries(LINES)) {
  Deno.bench(name, () => {
    sanitizeText(line);
  });
}
