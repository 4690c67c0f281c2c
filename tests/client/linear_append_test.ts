/**
 * readline with the linear append, on a fake terminal: what readline ends up with
 * (line, cursor position) must be what it computes itself.
 */

import { assert, assertEquals } from "@std/assert";
import * as readline from "node:readline";
import { PassThrough, Writable } from "node:stream";
import { installLinearAppend } from "../../lib/client/linear_append.ts";

interface FakeTerminal {
  rl: readline.Interface;
  input: PassThrough;
  output: string[];
}

function fakeTerminal(columns: number, prompt: string): FakeTerminal {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
  const output: string[] = [];
  const out = Object.assign(
    new Writable({
      write(chunk, _encoding, callback) {
        output.push(String(chunk));
        callback();
      },
    }),
    { columns },
  );
  const rl = readline.createInterface({ input, output: out, terminal: true, prompt });
  return { rl, input, output };
}

/** readline's own measure of the end of prompt + line, from scratch. */
function measured(rl: readline.Interface): { rows: number; cols: number } {
  const internals = rl as unknown as {
    _getDisplayPos(text: string): { rows: number; cols: number };
  };
  return internals._getDisplayPos(rl.getPrompt() + rl.line);
}

Deno.test("linear append: a 10,000-character paste arrives whole, cursor where readline puts it", async () => {
  for (const columns of [80, 30, 7]) {
    const { rl, input } = fakeTerminal(columns, "[잡담] ");
    try {
      assert(installLinearAppend(rl));
      // ASCII and wide characters, so that wide ones land on the last column too.
      const text = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? "한" : "ab"[i % 2]))
        .join("");
      const entered = new Promise<string>((resolve) => rl.once("line", resolve));
      input.write(text);
      assertEquals(rl.line, text);
      assertEquals(rl.getCursorPos(), measured(rl), `${columns} columns`);
      const internals = rl as unknown as { prevRows: number };
      assertEquals(internals.prevRows, measured(rl).rows);
      input.write("\r");
      assertEquals(await entered, text);
    } finally {
      rl.close();
    }
  }
});

Deno.test("linear append: editing inside the line still goes through readline", async () => {
  const { rl, input } = fakeTerminal(20, "> ");
  try {
    installLinearAppend(rl);
    const entered = new Promise<string>((resolve) => rl.once("line", resolve));
    input.write("안녕하세요 world");
    // Home, then type at the start; End, then append again.
    input.write("\x1b[H");
    input.write("oh ");
    input.write("\x1b[F");
    input.write("!");
    assertEquals(rl.getCursorPos(), measured(rl));
    input.write("\r");
    assertEquals(await entered, "oh 안녕하세요 world!");
  } finally {
    rl.close();
  }
});

Deno.test("linear append: at the end of a row the cursor moves to the next row, as readline's redraw does", () => {
  const { rl, input, output } = fakeTerminal(10, "");
  try {
    installLinearAppend(rl);
    output.length = 0;
    input.write("0123456789");
    assertEquals(rl.getCursorPos(), { rows: 1, cols: 0 });
    assertEquals(output.join(""), "0123456789 \r");
  } finally {
    rl.close();
  }
});
