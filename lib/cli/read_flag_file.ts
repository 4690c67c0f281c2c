/**
 * The files flags name (`--motd`, `--tls-cert`, `--ca`, …), read so that a failure
 * is one line that names the flag, in the chosen language, without the runtime's
 * own words (`readfile '/x'`, `os error 2`).
 *
 * @module
 */

import type { CliText } from "../catalog/cli_text.ts";
import { StartError } from "../util/errors.ts";

/** What a PEM file must hold for each flag that takes one. */
const PEM_MARKERS = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  key: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
} as const;

/**
 * Reads a file that a flag names.
 *
 * @param flag The flag (`--motd`).
 * @param path The path given.
 * @param text The language of the error.
 * @param pem What a PEM file must hold, when it is one.
 * @returns The file's text.
 * @throws {StartError} When it cannot be read, or a PEM file lacks what it must hold.
 */
export async function readFlagFile(
  flag: string,
  path: string,
  text: CliText,
  pem?: keyof typeof PEM_MARKERS,
): Promise<string> {
  let contents: string;
  try {
    contents = await Deno.readTextFile(path);
  } catch (error) {
    throw new StartError(text.cannotRead(flag, path, describeError(error, text)));
  }
  if (pem !== undefined && !PEM_MARKERS[pem].test(contents)) {
    const reason = pem === "certificate" ? text.noPemCertificate : text.noPemKey;
    throw new StartError(text.cannotUse(flag, path, reason));
  }
  return contents;
}

/**
 * Says in a few words why a file or a socket operation failed: the common cases
 * in the chosen language, otherwise the system's first words without the
 * runtime's details (`(os error 2): readfile '/x'`).
 *
 * @param error What the operation threw.
 * @param text The language.
 * @returns The reason.
 */
export function describeError(error: unknown, text: CliText): string {
  if (error instanceof Deno.errors.NotFound) return text.noSuchFile;
  if (error instanceof Deno.errors.PermissionDenied) return text.permissionDenied;
  if (error instanceof Deno.errors.IsADirectory) return text.isDirectory;
  if (error instanceof Deno.errors.AddrInUse) return text.addressInUse;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Deno.errors.NotCapable) {
    const flag = /--allow-[a-z-]+/.exec(message);
    if (flag !== null) return text.notAllowed(flag[0]);
  }
  return message.split("\n")[0].replace(/ \(os error \d+\).*$/, "");
}
