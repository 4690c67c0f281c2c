/**
 * `CAP LS [302] | LIST | REQ :caps | END`: capability negotiation (IRCv3). `LS` and
 * `REQ` before registration hold it until `END`; `REQ` is all or nothing (`ACK` or
 * `NAK`); an unknown subcommand is `410`.
 *
 * @module
 */

import { ERR } from "../numerics.ts";
import { IRC_CAPS } from "../irc_session.ts";
import type { IrcCommand } from "./command.ts";

/** `CAP`. */
export const cap: IrcCommand = {
  name: "CAP",
  minParams: 1,
  preRegistration: true,
  run({ session, params }) {
    const sub = params[0].toUpperCase();
    const source = `:${session.info.name} CAP ${session.target}`;
    switch (sub) {
      case "LS": {
        const v302 = Number(params[1] ?? "0") >= 302;
        const list = [...IRC_CAPS].map(([name, value]) =>
          v302 && value !== "" ? `${name}=${value}` : name
        );
        session.sendLine(`${source} LS :${list.join(" ")}`);
        if (!session.registered) session.negotiating(true);
        return;
      }
      case "LIST":
        session.sendLine(`${source} LIST :${[...session.caps].join(" ")}`);
        return;
      case "REQ": {
        const wanted = (params[1] ?? "").split(" ").filter((name) => name !== "");
        if (!session.registered) session.negotiating(true);
        if (session.requestCaps(wanted)) {
          session.chooseFormat();
          session.sendLine(`${source} ACK :${wanted.join(" ")}`);
        } else session.sendLine(`${source} NAK :${wanted.join(" ")}`);
        return;
      }
      case "END":
        if (session.registered) return;
        return session.negotiating(false);
      default:
        session.numeric(ERR.INVALIDCAPCMD, params[0], "Invalid CAP command");
    }
  },
};
