/**
 * Imports point down the layers: every import in `lib/` and `main.ts` is checked
 * against the "Layers" list of docs/architecture.md, which is the one statement of the order.
 */

import { assert, assertEquals } from "@std/assert";

const ROOT = new URL("../", import.meta.url);

/** A layer's number for each folder (`lib/chat`) and for `main.ts`; lower is lower. */
type Layers = ReadonlyMap<string, number>;

/** Reads the numbered list after `**Layers.**` in docs/architecture.md. */
function readLayers(readme: string): Layers {
  const start = readme.indexOf("**Layers.**");
  assert(start >= 0, "docs/architecture.md has no **Layers.** paragraph");
  const layers = new Map<string, number>();
  let listed = false;
  for (const line of readme.slice(start).split("\n")) {
    const item = /^(\d+)\. (.+)$/.exec(line);
    if (item === null) {
      if (listed) break;
      continue;
    }
    listed = true;
    for (const [, unit] of item[2].matchAll(/`([^`]+)`/g)) layers.set(unit, Number(item[1]));
  }
  return layers;
}

/** The unit a path belongs to: its folder under `lib/` (`lib/chat`), or `main.ts`. */
function unitOf(path: string): string | undefined {
  if (path === "main.ts") return path;
  const folder = /^lib\/([^/]+)\//.exec(path);
  return folder === null ? undefined : `lib/${folder[1]}`;
}

/** Every module specifier a source imports or re-exports, statically or dynamically. */
function importsOf(source: string): string[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|\s)\/\/.*$/gm, "$1");
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:[^"'`;]*?\sfrom\s*)?["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

/**
 * The imports that go against the layers, one line each, naming the file and the
 * import.
 *
 * @param files Each file's path from the project root and its source.
 * @param layers The order.
 */
function layerViolations(files: ReadonlyMap<string, string>, layers: Layers): string[] {
  const problems: string[] = [];
  for (const [path, source] of files) {
    const unit = unitOf(path);
    if (unit === undefined) continue;
    const layer = layers.get(unit);
    if (layer === undefined) {
      problems.push(`${path}: ${unit} is not in the Layers list of docs/architecture.md`);
      continue;
    }
    for (const specifier of importsOf(source)) {
      if (!specifier.startsWith(".")) continue; // npm:, node:, @std/…: not ours
      const target = new URL(specifier, new URL(path, ROOT)).pathname
        .slice(ROOT.pathname.length);
      if (target.startsWith("tests/")) {
        problems.push(`${path}: import "${specifier}" reaches into tests/`);
        continue;
      }
      const targetUnit = unitOf(target);
      if (targetUnit === undefined || targetUnit === unit) continue;
      const targetLayer = layers.get(targetUnit);
      if (targetLayer === undefined) {
        problems.push(`${path}: import "${specifier}": ${targetUnit} is not in the Layers list`);
      } else if (targetLayer >= layer) {
        const where = targetLayer === layer ? "on the same line" : "above it";
        problems.push(
          `${path}: import "${specifier}" points from ${unit} (layer ${layer}) to ${targetUnit} ` +
            `(layer ${targetLayer}, ${where})`,
        );
      }
    }
  }
  return problems;
}

async function sourceFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set("main.ts", await Deno.readTextFile(new URL("main.ts", ROOT)));
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(new URL(dir, ROOT))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) {
        files.set(path, await Deno.readTextFile(new URL(path, ROOT)));
      }
    }
  };
  await walk("lib");
  return files;
}

Deno.test("layers: every import in lib/ and main.ts points down the Layers list of docs/architecture.md", async () => {
  const layers = readLayers(await Deno.readTextFile(new URL("docs/architecture.md", ROOT)));
  assert(layers.size >= 8, `the Layers list was read: ${[...layers.keys()].join(", ")}`);
  const files = await sourceFiles();
  const imports = [...files.values()].reduce((n, source) => n + importsOf(source).length, 0);
  assert(imports > 100, `imports were found (${imports})`);
  assertEquals(layerViolations(files, layers), []);
});

Deno.test("layers: an import upward, sideways, into tests or from an unlisted folder is named", () => {
  const layers = readLayers(
    "**Layers.** Lowest first.\n\n1. `lib/util`\n2. `lib/chat`, `lib/transport`\n3. `lib/server`\n4. `main.ts`\n",
  );
  const files = new Map([
    ["lib/chat/room.ts", 'import type {\n  X,\n} from "../server/options.ts";\n'],
    ["lib/transport/a.ts", 'const m = await import("../chat/room.ts");'],
    ["lib/server/b.ts", 'export { y } from "../../tests/_helpers.ts";\nimport "./c.ts";'],
    ["lib/extra/c.ts", 'import { z } from "../util/z.ts";'],
    [
      "main.ts",
      '// import { no } from "./lib/nothing/x.ts";\nimport { ok } from "./lib/server/b.ts";\n' +
      'import { parseArgs } from "@std/cli/parse-args";',
    ],
  ]);
  assertEquals(layerViolations(files, layers), [
    'lib/chat/room.ts: import "../server/options.ts" points from lib/chat (layer 2) to lib/server (layer 3, above it)',
    'lib/transport/a.ts: import "../chat/room.ts" points from lib/transport (layer 2) to lib/chat (layer 2, on the same line)',
    'lib/server/b.ts: import "../../tests/_helpers.ts" reaches into tests/',
    "lib/extra/c.ts: lib/extra is not in the Layers list of docs/architecture.md",
  ]);
});
