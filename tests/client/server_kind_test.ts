import { assertEquals } from "@std/assert";
import {
  ORIGINAL_MESSAGE_BYTES,
  ServerKind,
  SILENT_SERVER_WAIT_MS,
} from "../../lib/client/server_kind.ts";

const START_MS = 5_000;
const DEFAULT_CAP_BYTES = 8192;

Deno.test("ServerKind starts unknown: no prompts, framed lines, no cap to keep to", () => {
  const kind = new ServerKind(START_MS);
  assertEquals(kind.current, "unknown");
  assertEquals([kind.prompts, kind.frames], [false, true]);
  assertEquals(kind.lineCapBytes(DEFAULT_CAP_BYTES), undefined);
  assertEquals(kind.silenceDeadlineMs, START_MS + SILENT_SERVER_WAIT_MS);
});

Deno.test("ServerKind takes a prompt with its newline for our chat server", () => {
  const kind = new ServerKind(START_MS);
  kind.heard();
  kind.prompted(true);
  assertEquals(kind.current, "chat");
  assertEquals([kind.prompts, kind.frames], [true, true]);
  assertEquals(kind.lineCapBytes(DEFAULT_CAP_BYTES), DEFAULT_CAP_BYTES);
  kind.capLearned(100);
  assertEquals(kind.lineCapBytes(DEFAULT_CAP_BYTES), 100);
  // A chat server is never an echo server, however long it then says nothing.
  assertEquals(kind.silenceDeadlineMs, undefined);
  assertEquals(kind.tick(START_MS + 10 * SILENT_SERVER_WAIT_MS), false);
  assertEquals(kind.current, "chat");
});

Deno.test("ServerKind takes a prompt without newline for the Python original, for good", () => {
  const kind = new ServerKind(START_MS);
  kind.prompted(false);
  assertEquals(kind.current, "python-original");
  assertEquals([kind.prompts, kind.frames], [true, false]);
  assertEquals(kind.lineCapBytes(DEFAULT_CAP_BYTES), ORIGINAL_MESSAGE_BYTES);
  // A later prompt that came whole does not make it frame its lines.
  kind.prompted(true);
  assertEquals(kind.current, "python-original");
  // Nor does a refusal's cap (the original's read size is the limit).
  kind.capLearned(4096);
  assertEquals(kind.lineCapBytes(DEFAULT_CAP_BYTES), ORIGINAL_MESSAGE_BYTES);
});

Deno.test("ServerKind: an unframed prompt after framed ones is the original's", () => {
  const kind = new ServerKind(START_MS);
  kind.prompted(true);
  kind.prompted(false);
  assertEquals(kind.current, "python-original");
});

Deno.test("ServerKind decides echo after silence since the connection opened, not before", () => {
  const kind = new ServerKind(START_MS);
  assertEquals(kind.tick(START_MS + SILENT_SERVER_WAIT_MS - 1), false);
  assertEquals(kind.current, "unknown");
  assertEquals(kind.tick(START_MS + SILENT_SERVER_WAIT_MS), true);
  assertEquals(kind.current, "echo");
  assertEquals([kind.prompts, kind.frames], [false, true]);
  // Decided once: a later tick says nothing new.
  assertEquals(kind.silenceDeadlineMs, undefined);
  assertEquals(kind.tick(START_MS + 2 * SILENT_SERVER_WAIT_MS), false);
  // An echo server's cap is known only once a refusal told it (ours has one).
  assertEquals(kind.lineCapBytes(DEFAULT_CAP_BYTES), undefined);
  kind.capLearned(512);
  assertEquals(kind.lineCapBytes(DEFAULT_CAP_BYTES), 512);
});

Deno.test("ServerKind: a server that spoke is no echo server by silence, prompt or not", () => {
  const kind = new ServerKind(START_MS);
  kind.heard();
  assertEquals(kind.silenceDeadlineMs, undefined);
  assertEquals(kind.tick(START_MS + 10 * SILENT_SERVER_WAIT_MS), false);
  // It spoke but never prompted (ours refusing before its prompt): still unknown.
  assertEquals(kind.current, "unknown");
  assertEquals(kind.prompts, false);
});

Deno.test("ServerKind: a prompt after the silence was a slow chat server after all", () => {
  for (const [framed, expected] of [[true, "chat"], [false, "python-original"]] as const) {
    const kind = new ServerKind(START_MS);
    kind.tick(START_MS + SILENT_SERVER_WAIT_MS);
    assertEquals(kind.current, "echo");
    kind.prompted(framed);
    assertEquals(kind.current, expected);
    assertEquals(kind.prompts, true);
  }
});
