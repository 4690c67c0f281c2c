import { assertEquals } from "@std/assert";
import { BroadcastLog, LOG_BLOCK_BYTES } from "../../lib/fanout/broadcast_log.ts";

const decoder = new TextDecoder();

function read(log: BroadcastLog, from: number, to: number): string {
  let text = "";
  for (let at = from; at < to;) {
    const piece = log.view(at, to);
    text += decoder.decode(piece);
    at += piece.length;
  }
  return text;
}

Deno.test("broadcast log appendBytes copies bytes in order after text, and views read them back", () => {
  const log = new BroadcastLog();
  log.append("line\n");
  const bytes = new TextEncoder().encode("frame");
  log.appendBytes(bytes);
  bytes.fill(0); // The caller may reuse its buffer: the log kept a copy.
  log.append("둘\n");
  assertEquals(log.end, 5 + 5 + 4);
  assertEquals(read(log, 0, log.end), "line\nframe둘\n");
});

Deno.test("broadcast log appendBytes starts a new block when the current one is full, and takes large chunks whole", () => {
  const log = new BroadcastLog();
  log.appendBytes(new Uint8Array(LOG_BLOCK_BYTES - 10).fill(0x61));
  log.appendBytes(new Uint8Array(20).fill(0x62));
  // A view never spans two blocks: the second chunk starts a block of its own.
  assertEquals(log.view(LOG_BLOCK_BYTES - 20, log.end).length, 10);
  assertEquals(read(log, LOG_BLOCK_BYTES - 12, log.end), "aa" + "b".repeat(20));
  const big = new Uint8Array(3 * LOG_BLOCK_BYTES).fill(0x63);
  log.appendBytes(big);
  const start = log.end - big.length;
  assertEquals(log.view(start, log.end).length, big.length);
  log.trim(start);
  assertEquals(read(log, start, log.end), "c".repeat(big.length));
});
