/**
 * `AUTHENTICATE`: SASL `PLAIN` (RFC 4616) against the chat's accounts, before
 * registration. `PLAIN` is answered `AUTHENTICATE +`; the credentials come base64
 * in chunks of 400 bytes (a shorter chunk, or `+`, ends them); `*` aborts. Right:
 * `900` and `903`; registration then logs in to the account (under its nickname,
 * or, when NICK gave another, under that one until NICK takes the account's). Wrong: `904`;
 * a chunk over 400 bytes `905`; credentials past 1600 bytes `904` (the rest of
 * their chunks are dropped).
 * The password is checked as every password is (the address's limiter).
 *
 * @module
 */

import { ERR, RPL } from "../numerics.ts";
import { hostmask } from "../irc_format.ts";
import type { IrcCommand } from "./command.ts";

/** The most bytes of base64 credentials taken: a name, a password and their NULs. */
const MAX_SASL_BYTES = 4 * 400;

/** `AUTHENTICATE`. */
export const authenticate: IrcCommand = {
  name: "AUTHENTICATE",
  minParams: 1,
  preRegistration: true,
  run({ session, params }) {
    const arg = params[0];
    if (session.registered || session.saslAccount !== undefined) {
      session.numeric(ERR.SASLALREADY, "You have already authenticated using SASL");
      return;
    }
    if (!session.caps.has("sasl")) {
      session.numeric(ERR.SASLFAIL, "SASL authentication failed");
      return;
    }
    const state = session.sasl;
    if (arg === "*") {
      session.setSasl(undefined);
      session.numeric(ERR.SASLABORTED, "SASL authentication aborted");
      return;
    }
    if (state === undefined) {
      if (arg.toUpperCase() !== "PLAIN") {
        session.numeric(RPL.SASLMECHS, "PLAIN", "are available SASL mechanisms");
        session.numeric(ERR.SASLFAIL, "SASL authentication failed");
        return;
      }
      session.setSasl({ chunks: "" });
      session.sendLine("AUTHENTICATE +");
      return;
    }
    if (state.failed === true) {
      // The rest of a refused long message: dropped up to its last chunk.
      if (arg.length < 400) session.setSasl(undefined);
      return;
    }
    if (arg.length > 400) {
      session.setSasl(undefined);
      session.numeric(ERR.SASLTOOLONG, "SASL message too long");
      return;
    }
    const chunks = state.chunks + (arg === "+" ? "" : arg);
    if (chunks.length > MAX_SASL_BYTES) {
      session.setSasl(arg.length === 400 ? { chunks: "", failed: true } : undefined);
      session.numeric(ERR.SASLFAIL, "SASL authentication failed");
      return;
    }
    if (arg.length === 400) {
      session.setSasl({ chunks });
      return;
    }
    session.setSasl(undefined);
    const credentials = decodePlain(chunks);
    if (credentials === undefined) {
      session.numeric(ERR.SASLFAIL, "SASL authentication failed");
      return;
    }
    return session.authenticate(credentials.name, credentials.password, (account) => {
      if (account === undefined) {
        session.numeric(ERR.SASLFAIL, "SASL authentication failed");
        return;
      }
      session.numeric(
        RPL.LOGGEDIN,
        hostmask(account.nickname),
        account.nickname,
        `You are now logged in as ${account.nickname}`,
      );
      session.numeric(RPL.SASLSUCCESS, "SASL authentication successful");
    });
  },
};

/**
 * Reads `authzid NUL authcid NUL password` from base64; an authzid must be the
 * authcid (or empty): logging in as someone else is not offered.
 */
function decodePlain(base64: string): { name: string; password: string } | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
  const parts = text.split("\0");
  if (parts.length !== 3) return undefined;
  const [authz, name, password] = parts;
  if (name === "" || (authz !== "" && authz !== name)) return undefined;
  return { name, password };
}
