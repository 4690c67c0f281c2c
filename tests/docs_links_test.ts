/**
 * The documentation's links hold: every relative link in the README, CONTRIBUTING.md,
 * bench/README.md and docs/*.md names a file of the repository, and its `#anchor` a
 * heading of that file (as GitHub makes anchors from headings); every repository path they
 * name in inline code exists.
 */

import { assertEquals } from "@std/assert";

const ROOT = new URL("../", import.meta.url);

/** A link target written in Markdown: `[text](target)` or `![alt](target)`, outside code. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^()\s]+)\)/g)].map((match) => match[1]);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a Markdown file offers: its headings', numbered as GitHub numbers repeats. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
  for (const [, heading] of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = anchorOf(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** What is wrong with the relative links of one file, one line each. */
async function brokenLinks(path: string, markdown: string): Promise<string[]> {
  const problems: string[] = [];
  for (const target of linksOf(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [file, anchor] = target.split("#", 2);
    const url = file === "" ? new URL(path, ROOT) : new URL(file, new URL(path, ROOT));
    let text: string | undefined;
    try {
      const info = await Deno.stat(url);
      if (info.isFile && url.pathname.endsWith(".md")) text = await Deno.readTextFile(url);
    } catch {
      problems.push(`${path}: ${target}: no such file`);
      continue;
    }
    if (anchor !== undefined && text !== undefined && !anchorsOf(text).has(anchor)) {
      problems.push(`${path}: ${target}: no heading with that anchor`);
    }
  }
  return problems;
}

/**
 * Repository paths a page names in inline code (`lib/chat/room.ts`, `tests/store/`,
 * `.ci/run`), taken from the repository's root; globs and placeholders are not paths.
 */
function pathsOf(markdown: string): string[] {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
  return [...prose.matchAll(/`((?:\.ci|bench|docs|lib|scripts|tests|types)\/[\w./-]*)`/g)]
    .map((match) => match[1]);
}

/** The documentation pages: the READMEs, CONTRIBUTING.md and docs/*.md. */
async function docPages(): Promise<string[]> {
  const pages = ["README.md", "CONTRIBUTING.md", "bench/README.md"];
  for await (const entry of Deno.readDir(new URL("docs/", ROOT))) {
    if (entry.isFile && entry.name.endsWith(".md")) pages.push(`docs/${entry.name}`);
  }
  return pages.sort();
}

Deno.test("docs: every relative link in README, CONTRIBUTING, bench/README and docs/ resolves, anchors included, and every path they name exists", async () => {
  const problems: string[] = [];
  const pages = await docPages();
  let links = 0;
  for (const page of pages) {
    const markdown = await Deno.readTextFile(new URL(page, ROOT));
    links += linksOf(markdown).length;
    problems.push(...await brokenLinks(page, markdown));
    for (const path of pathsOf(markdown)) {
      const exists = await Deno.stat(new URL(path, ROOT)).then(() => true, () => false);
      if (!exists) problems.push(`${page}: \`${path}\` is not in the repository`);
    }
  }
  assertEquals(problems, []);
  assertEquals(links > 20, true, `links were found (${links})`);
});

Deno.test("docs check: a missing file and a missing anchor are named, a good link is not", async () => {
  const markdown = [
    "# Title",
    "## The client, `nc` and the browser",
    "[ok](#the-client-nc-and-the-browser) [ok](docs/protocol.md#the-json-format-websocket)",
    "[gone](docs/nothing.md) [bad](#nowhere) [web](https://example.org/x.md)",
    "`[code](not-a-link.md)`",
    "```",
    "[fenced](not-a-link-either.md)",
    "```",
  ].join("\n");
  assertEquals(await brokenLinks("README.md", markdown), [
    "README.md: docs/nothing.md: no such file",
    "README.md: #nowhere: no heading with that anchor",
  ]);
  assertEquals(
    anchorsOf("## A\n## A\n### In memory (`--data none`)\n"),
    new Set(["a", "a-1", "in-memory---data-none"]),
  );
});
