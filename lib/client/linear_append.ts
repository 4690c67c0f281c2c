/**
 * Makes typing and pasting at the end of the line cost readline the same for the
 * 10,000th character as for the first.
 *
 * The cause of slow pastes: a paste reaches readline as one keypress per
 * character, and for each, readline (Node's and Deno's alike) asks where the
 * cursor is by measuring the whole prompt and line again, character by character
 * (`getCursorPos()` → `_getDisplayPos(prompt + line)`), and redraws the whole line
 * each time it wraps to a new row. A paste of n characters thus costs n² character
 * measurements and n²/width bytes of output: 10,000 characters took 40 s.
 *
 * The fix: appending keeps the end position of the line and advances it by the
 * appended text alone, and a wrap just moves the cursor to the new row. Edits
 * anywhere else go through readline unchanged. readline reads `_insertString`
 * through the instance (Node keeps the underscore names overridable for
 * compatibility), which is where the override goes.
 *
 * @module
 */

import type * as readline from "node:readline";

/** The position of the cursor relative to the start of the prompt. */
interface DisplayPosition {
  rows: number;
  cols: number;
}

/** What this module uses of readline beyond its typings (present in Node and Deno). */
interface ReadlineInternals {
  line: string;
  cursor: number;
  prevRows?: number;
  readonly columns: number;
  getPrompt(): string;
  getCursorPos(): DisplayPosition;
  _insertString?: (text: string) => void;
  _getDisplayPos?: (text: string) => DisplayPosition;
  _writeToOutput?: (text: string) => void;
}

/** Where the end of the line was, and for which line, prompt and width. */
interface EndCache {
  line: string;
  prompt: string;
  columns: number;
  position: DisplayPosition;
}

/**
 * Installs the linear append on one readline interface (terminal mode).
 *
 * @param rl The interface.
 * @returns `false` when this readline lacks what the fix relies on (it then keeps
 *   its own behaviour, slow pastes included).
 */
export function installLinearAppend(rl: readline.Interface): boolean {
  const internals = rl as unknown as ReadlineInternals;
  const original = internals._insertString;
  const displayPos = internals._getDisplayPos;
  const writeToOutput = internals._writeToOutput;
  if (
    typeof original !== "function" || typeof displayPos !== "function" ||
    typeof writeToOutput !== "function"
  ) {
    return false;
  }
  let cache: EndCache | undefined;

  internals._insertString = function (this: ReadlineInternals, text: string): void {
    if (this.cursor < this.line.length || !Number.isFinite(this.columns) || text.includes("\t")) {
      cache = undefined;
      original.call(this, text);
      return;
    }
    const prompt = this.getPrompt();
    const columns = this.columns;
    // `===` on the very string stored last time is a pointer comparison: O(1).
    const start = cache !== undefined && cache.line === this.line && cache.prompt === prompt &&
        cache.columns === columns
      ? cache.position
      : this.getCursorPos();
    const end = advance(start, text, columns, (char) => displayPos.call(this, char).cols);
    this.line += text;
    this.cursor += text.length;
    cache = { line: this.line, prompt, columns, position: end };
    // At the end of a row the terminal holds the cursor in the last column until the
    // next character; readline counts it at the start of the next row. A space and a
    // carriage return put it there, as readline's own redraw does.
    writeToOutput.call(this, end.cols === 0 && end.rows > start.rows ? `${text} \r` : text);
    this.prevRows = end.rows;
  };
  return true;
}

/**
 * Where the cursor ends after `text` is written from `start`, wrapping as readline
 * counts it: a double-width character that does not fit in the last column of a
 * row moves to the next row whole.
 *
 * @param start Where the text starts.
 * @param text The text (no tabs, no line breaks).
 * @param columns The terminal's width.
 * @param widthOf readline's own width of one character (0, 1 or 2 columns).
 */
function advance(
  start: DisplayPosition,
  text: string,
  columns: number,
  widthOf: (char: string) => number,
): DisplayPosition {
  let rows = start.rows;
  let cols = start.cols;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    // Printable ASCII, nearly every character typed: one column, no need to ask.
    const width = code >= 0x20 && code < 0x7f ? 1 : widthOf(char);
    if (width === 2 && cols === columns - 1) cols++;
    cols += width;
    if (cols >= columns) {
      rows += Math.floor(cols / columns);
      cols %= columns;
    }
  }
  return { rows, cols };
}
