/**
 * A worker entry point for tests: the real one, which throws (an uncaught error,
 * as a bug would) when it is handed a whisper saying "crash now".
 *
 * @module
 */

/// <reference lib="deno.worker" />

import "../../lib/workers/worker_main.ts";

self.addEventListener("message", (event: MessageEvent<unknown>) => {
  if (!Array.isArray(event.data)) return;
  for (const item of event.data as { t?: string; event?: { text?: string } }[]) {
    if (item.t === "deliver" && item.event?.text === "crash now") {
      setTimeout(() => {
        throw new Error("a bug in a worker");
      });
    }
  }
});
