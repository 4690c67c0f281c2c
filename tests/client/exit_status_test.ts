import { assertEquals } from "@std/assert";
import { EXIT_STATUS } from "../../lib/client/exit_status.ts";

const ROOT = new URL("../../", import.meta.url);

/** The rows of the first Markdown table in a text (lines that start with `|`, after `* `). */
function tableRows(text: string): string[] {
  const rows: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^ \* /, "");
    if (line.startsWith("|")) rows.push(line);
    else if (rows.length > 0) break;
  }
  return rows;
}

Deno.test("docs/client.md's exit status table is the one of exit_status.ts, and its statuses are EXIT_STATUS's", async () => {
  const source = await Deno.readTextFile(new URL("lib/client/exit_status.ts", ROOT));
  const doc = await Deno.readTextFile(new URL("docs/client.md", ROOT));
  const table = tableRows(source);
  const at = doc.indexOf(table[0]);
  assertEquals(tableRows(doc.slice(at)), table);
  const statuses = new Set(table.slice(2).map((row) => row.split("|").at(-2)!.trim()));
  assertEquals(
    [...statuses].filter((status) => status !== "reconnects").map(Number).sort((a, b) => a - b),
    Object.values(EXIT_STATUS).sort((a, b) => a - b),
  );
});
