/**
 * `deno task compile`: builds one executable, `dist/chat`, with `deno compile` and
 * only the permissions the tool needs.
 *
 * `deno compile` downloads its runtime (`denort`) from Deno's release server unless
 * `DENORT_BIN` names a local one. On a machine that reaches only npm the download
 * fails with a multi-line error and a backtrace; this script turns that case into
 * one line and exit status 1. Every other output of `deno compile` is passed through.
 *
 * Usage: `deno run --allow-run --allow-read --allow-env scripts/compile.ts [-o PATH]`
 *
 * @module
 */

import { TextLineStream } from "@std/streams/text-line-stream";

/** The permissions baked into the binary: what `main.ts` needs, nothing more. */
export const BINARY_PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-read",
  // The data file (`--data`, `chat.db` by default), wherever it is named.
  "--allow-write",
  "--allow-env=CHAT_PASSWORD,CHAT_OP_PASSWORD,CHAT_ACCOUNT_PASSWORD,REDIS_URL,REDIS_DEBUG_MAINTENANCE,REDIS_EMIT_DIAGNOSTICS",
  "--allow-sys=networkInterfaces",
];

/**
 * The V8 flags of `deno task server`, baked into the binary: a smaller young
 * generation keeps the heap of a busy server close to what it really holds.
 */
export const V8_FLAGS = "--v8-flags=--max-semi-space-size=4";

/** The line printed when the runtime cannot be downloaded. */
export const DENORT_UNREACHABLE_MESSAGE: string =
  "Cannot compile: deno compile must download its " +
  "runtime (denort) from Deno's release server, which this machine cannot reach; set " +
  'DENORT_BIN to a local denort binary, or use "deno task bundle" for a single-file build';

const ROOT = new URL("../", import.meta.url);
const DEFAULT_OUTPUT = "dist/chat";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Tells whether the error text of a failed `deno compile` says that the `denort`
 * download failed (DNS, refused, TLS, HTTP error), as opposed to a problem with
 * the program or a bad `DENORT_BIN`.
 *
 * @param errorText The error part of `deno compile`'s stderr.
 * @returns `true` for a failed runtime download.
 */
export function isDenortDownloadFailure(errorText: string): boolean {
  const text = errorText.replace(ANSI, "");
  return /denort/i.test(text) && !/Could not find denort/i.test(text) &&
    /(error sending request|dns error|Connect|timed out|status code|Setting up base binary)/i
      .test(text);
}

async function main(args: string[]): Promise<number> {
  let output = DEFAULT_OUTPUT;
  if (args.length === 2 && (args[0] === "-o" || args[0] === "--output")) {
    // deno compile runs in the project root: make a relative path the caller's.
    output = /^([a-zA-Z]:)?[\\/]/.test(args[1]) ? args[1] : `${Deno.cwd()}/${args[1]}`;
  } else if (args.length !== 0) {
    console.error("Usage: scripts/compile.ts [-o PATH]");
    return 2;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["compile", ...BINARY_PERMISSIONS, V8_FLAGS, "-o", output, "main.ts"],
    cwd: ROOT,
    stdin: "null",
    stdout: "inherit",
    stderr: "piped",
  }).spawn();

  // Progress lines pass through as they come; from deno's "error:" line on, the
  // text is held back until we know whether it is the download failure.
  const held: string[] = [];
  const lines = child.stderr.pipeThrough(new TextDecoderStream()).pipeThrough(
    new TextLineStream(),
  );
  for await (const line of lines) {
    if (held.length > 0 || line.replace(ANSI, "").startsWith("error:")) held.push(line);
    else console.error(line);
  }
  const status = await child.status;
  if (status.success) return 0;
  // A backtrace (RUST_BACKTRACE=1) tells the user nothing about their build.
  const backtrace = held.findIndex((line) => line.startsWith("Stack backtrace:"));
  if (backtrace !== -1) held.length = backtrace;
  const errorText = held.join("\n").trimEnd();
  if (isDenortDownloadFailure(errorText)) {
    console.error(DENORT_UNREACHABLE_MESSAGE);
  } else if (errorText !== "") {
    console.error(errorText);
  }
  return 1;
}

if (import.meta.main) {
  Deno.exitCode = await main(Deno.args);
}
