/**
 * A test format that shows a rename or a quit once per connection, as IRC's `NICK`
 * and `QUIT` do: nothing in the room logs, `~ …` lines through `encodeUserWide`.
 *
 * @module
 */

import { isUserWideEvent, type RoomEvent, type UserWideEvent } from "../../lib/chat/events.ts";
import type { UserWideFormat } from "../../lib/chat/user.ts";
import type { BroadcastLog } from "../../lib/fanout/broadcast_log.ts";
import { TextFormat } from "../../lib/server/text_format.ts";

const encoder = new TextEncoder();

/** English text, with renames and quits shown once per connection; counts its renders of those. */
export class OncePerUserFormat extends TextFormat implements UserWideFormat {
  /** How many user-wide events it rendered. */
  renders = 0;

  constructor() {
    super("en");
  }

  /** Renders every room event but the user-wide ones, as the text format does. */
  override append(log: BroadcastLog, events: readonly RoomEvent[]): void {
    super.append(log, events.filter((event) => !isUserWideEvent(event)));
  }

  /** `~ alice is alicia`, `~ alice quit`. */
  encodeUserWide(event: UserWideEvent): Uint8Array {
    this.renders++;
    return encoder.encode(
      event.type === "renamed" ? `~ ${event.from} is ${event.to}\n` : `~ ${event.nick} quit\n`,
    );
  }
}
