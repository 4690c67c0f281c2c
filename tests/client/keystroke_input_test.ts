import { assertEquals } from "@std/assert";
import { EventEmitter } from "node:events";
import { KeystrokeInput, type TerminalStdin } from "../../lib/client/keystroke_input.ts";

/** A stand-in for the terminal's stdin, and what reached readline which way. */
function setUp() {
  const stdin = Object.assign(new EventEmitter(), {
    isRaw: false,
    setRawMode(mode: boolean) {
      stdin.isRaw = mode;
    },
    pause() {},
    resume() {},
  });
  const input = new KeystrokeInput(stdin as unknown as TerminalStdin);
  const written: string[] = [];
  const keys: string[] = [];
  input.attach({ write: (text) => written.push(text) });
  input.on("data", (text: string) => keys.push(text));
  const type = (text: string | Uint8Array) => stdin.emit("data", text);
  return { stdin, input, written, keys, type };
}

Deno.test("KeystrokeInput hands plain text over whole, and keys to readline's decoder", () => {
  const { input, written, keys, type } = setUp();
  type("a pasted 문장, whole");
  type("x"); // One character: an ordinary keypress.
  type("\x1b[D"); // Left.
  type("line\r"); // Enter inside: keys.
  type("\t");
  assertEquals(written, ["a pasted 문장, whole"]);
  assertEquals(keys, ["x", "\x1b[D", "line\r", "\t"]);
  input.detach();
});

Deno.test("KeystrokeInput never cuts into an escape sequence or a character", () => {
  const { input, written, keys, type } = setUp();
  // An arrow key split across reads: what follows belongs to the decoder.
  type("\x1b[");
  type("1;5");
  type("Dxyz");
  // A character cut by the read waits for its rest.
  const bytes = new TextEncoder().encode("한글");
  type(bytes.subarray(0, 4));
  type(bytes.subarray(4));
  type("done now");
  // Whole characters only, each one on its own a keypress.
  assertEquals(keys, ["\x1b[", "1;5", "Dxyz", "한", "글"]);
  assertEquals(written, ["done now"]);
  input.detach();
});

Deno.test("KeystrokeInput passes raw mode, pause and resume to stdin, and stops on detach", () => {
  const { stdin, input, keys, type } = setUp();
  input.setRawMode(true);
  assertEquals(input.isRaw, true);
  input.detach();
  type("ignored");
  assertEquals(keys, []);
  assertEquals(stdin.listenerCount("data"), 0);
});
