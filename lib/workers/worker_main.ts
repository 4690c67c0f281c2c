/**
 * A worker's entry point: a whole chat server (listeners, connections, rooms,
 * fan-out) on the port every worker shares, whose bus, directory, store and
 * password counts are the coordinator's, reached by messages.
 *
 * Its first message is its {@linkcode WorkerInit}; then batches of
 * {@linkcode ToWorker} items. It says `listening` once it listens (with the real
 * ports), and `stopped` once its server has stopped (every client told and closed).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { serve } from "../server/server.ts";
import { ConsoleLog } from "../util/console_log.ts";
import type { ToCoordinator, ToWorker, WorkerInit } from "./messages.ts";
import { SharedCounts } from "./shared_counts.ts";
import { WorkerCluster } from "./worker_cluster.ts";
import { WorkerLink } from "./worker_link.ts";
import { WorkerStore } from "./worker_store.ts";

const decoder = new TextDecoder();

function start(init: WorkerInit): void {
  const link = new WorkerLink(self);
  // One writer for the console: lines go to the coordinator, whole.
  const log = new ConsoleLog({
    sink: {
      write(bytes: Uint8Array): Promise<number> {
        link.send({ op: "log", text: decoder.decode(bytes) });
        return Promise.resolve(bytes.length);
      },
    },
  });
  const cluster = new WorkerCluster({
    link,
    worker: init.index,
    epoch: init.epoch,
    historyLimit: init.serve.historyLimit ?? 0,
    bans: init.bans,
  });
  const controller = new AbortController();
  const server = serve({
    ...init.serve,
    reusePort: true,
    counts: new SharedCounts(init.counts, init.index),
    logRoomEvents: false,
    log,
    cluster: () => cluster,
    store: () => new WorkerStore(link, init.epoch, init.location),
    signal: controller.signal,
    onListen: () => {},
  });
  // A login on another worker took a user's nickname: the coordinator told its room; it
  // leaves this worker's room without a word and is told why (as a ghost on one server).
  cluster.directory.onReclaim = (user) => {
    server.chat.leave(user, "quiet");
    server.chat.unregister(user);
    user.reclaimed();
  };
  link.send({ op: "listening", port: server.addr.port, webPort: server.webAddr?.port });
  let stopping = false;
  const receive = (batch: ToWorker[]) => {
    link.receive(batch);
    if (!stopping && batch.some((item) => item.t === "shutdown")) {
      stopping = true;
      controller.abort();
    }
  };
  self.onmessage = (event: MessageEvent<ToWorker[]>) => receive(event.data);
  void server.finished.then(async () => {
    await log.flushed();
    link.send({ op: "stopped" });
    link.flush();
  });
}

self.onmessage = (event: MessageEvent<WorkerInit>) => {
  try {
    start(event.data);
  } catch (error) {
    // Said by the coordinator (a port taken, say): this worker never served.
    const message = error instanceof Error ? error.message : String(error);
    const failed: ToCoordinator[] = [{ op: "startFailed", message }];
    self.postMessage(failed);
  }
};
