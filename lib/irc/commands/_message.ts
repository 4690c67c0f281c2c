/**
 * What PRIVMSG and NOTICE share: a message to a channel (the room's line, exactly
 * as a typed line; CTCP ACTION is `/me`) or to a nickname (a whisper, held for an
 * offline registered user). Other CTCPs to a nickname (VERSION, PING, TIME) are
 * answered by the server for that user and go no further. NOTICE never gets an
 * error numeric back (RFC 1459).
 *
 * @module
 */

import { MAX_HELD_WHISPERS } from "../../chat/store.ts";
import { nicknameKey, normalizeNickname } from "../../chat/nickname.ts";
import { notice } from "../../chat/events.ts";
import { type Step, whenReady } from "../../util/maybe_async.ts";
import { hostmask } from "../irc_format.ts";
import { ERR } from "../numerics.ts";
import type { IrcSession } from "../irc_session.ts";
import type { IrcContext } from "./command.ts";

/** Targets one PRIVMSG may name (`TARGMAX`): one, as a typed line has one room. */
export const MAX_MESSAGE_TARGETS = 1;

/**
 * Sends a PRIVMSG or NOTICE.
 *
 * @param ctx The verb's context.
 * @param isNotice Whether it is a NOTICE (no error numerics back).
 * @returns When done.
 */
export function sendMessage(ctx: IrcContext, isNotice: boolean): Step {
  const { session, params } = ctx;
  const verb = isNotice ? "NOTICE" : "PRIVMSG";
  if (params.length === 0 || params[0] === "") {
    if (!isNotice) session.numeric(ERR.NORECIPIENT, `No recipient given (${verb})`);
    return;
  }
  const text = params[1] ?? "";
  if (text === "") {
    if (!isNotice) session.numeric(ERR.NOTEXTTOSEND, "No text to send");
    return;
  }
  const target = params[0].split(",")[0];
  // deno-lint-ignore no-control-regex
  const ctcp = /^\x01([A-Za-z]+)(?: (.*?))?\x01?$/s.exec(text);
  if (target.startsWith("#")) return toChannel(session, target, text, ctcp, isNotice);
  return toNick(session, target, text, ctcp, isNotice);
}

function toChannel(
  session: IrcSession,
  target: string,
  text: string,
  ctcp: RegExpExecArray | null,
  isNotice: boolean,
): Step {
  const user = session.user!;
  const room = session.roomOf(target);
  if (room === undefined) {
    if (!isNotice) session.numeric(ERR.CANNOTSENDTOCHAN, target, "Cannot send to channel");
    return;
  }
  let type: "message" | "action" = "message";
  let body = text;
  if (ctcp !== null) {
    if (ctcp[1].toUpperCase() !== "ACTION") return;
    type = "action";
    body = ctcp[2] ?? "";
  }
  if (body.trim() === "") return;
  session.chat.publish(user, {
    type,
    room: room.name,
    nick: user.nickname,
    text: body,
    time: Date.now(),
  }, room);
}

function toNick(
  session: IrcSession,
  target: string,
  text: string,
  ctcp: RegExpExecArray | null,
  isNotice: boolean,
): Step {
  const user = session.user!;
  const chat = session.chat;
  let body = text;
  if (ctcp !== null) {
    const kind = ctcp[1].toUpperCase();
    if (kind !== "ACTION") {
      if (!isNotice) answerCtcp(session, target, kind, ctcp[2]);
      return;
    }
    body = `* ${user.nickname} ${ctcp[2] ?? ""}`;
  }
  return chat.findUser(target, (found) => {
    if (user.gone) return;
    if (found === undefined) {
      if (isNotice) return;
      const key = nicknameKey(normalizeNickname(target));
      return whenReady(chat.store.account(key), (account) => {
        if (user.gone) return;
        if (account === undefined) {
          session.numeric(ERR.NOSUCHNICK, target, "No such nick/channel");
          return;
        }
        const whisper = { from: user.nickname, text: body, time: Date.now() };
        return whenReady(chat.store.holdWhisper(key, whisper), (held) => {
          if (user.gone) return;
          user.send(notice(
            held
              ? { code: "whisperHeld", nick: account.nickname }
              : { code: "whisperHeldFull", nick: account.nickname, max: MAX_HELD_WHISPERS },
          ));
        });
      });
    }
    return chat.deliver(
      found,
      { type: "whisper", from: user.nickname, text: body },
      (delivered) => {
        if (user.gone) return;
        if (!delivered) {
          user.send(notice({ code: "tryAgainLater" }));
          return;
        }
        user.send({ type: "whisperSent", to: found.nickname, text: body });
        if (found.away !== undefined && !isNotice) {
          user.send({ type: "away", nick: found.nickname, reason: found.away || undefined });
        }
        chat.observer?.whisper(user.nickname, found.nickname, body);
      },
    );
  });
}

/** Answers a CTCP request for the user it names: the server speaks for every user. */
function answerCtcp(
  session: IrcSession,
  target: string,
  kind: string,
  arg: string | undefined,
): void {
  let reply: string | undefined;
  if (kind === "VERSION") reply = `VERSION ${session.info.version}`;
  else if (kind === "PING") reply = `PING ${arg ?? ""}`.trimEnd();
  else if (kind === "TIME") reply = `TIME ${new Date().toUTCString()}`;
  if (reply === undefined) return;
  session.sendLine(`:${hostmask(target)} NOTICE ${session.target} :\x01${reply}\x01`);
}
