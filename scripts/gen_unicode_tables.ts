/**
 * Generates the Unicode tables the chat carries, from the Unicode Consortium's own data
 * files; run by hand when the data is updated, and commit what it writes:
 *
 * - `lib/chat/_confusables.ts`: the UTS #39 confusable prototypes that can matter to a
 *   name's comparison key (see `lib/chat/skeleton.ts`), from `confusables.txt`.
 * - `lib/util/_unicode_tables.ts`: the wide (W) and fullwidth (F) ranges of
 *   `EastAsianWidth.txt`, for terminal columns (see `lib/util/display_width.ts`); the
 *   combining marks (Mn, Mc, Me) of `DerivedGeneralCategory.txt` and the
 *   Default_Ignorable_Code_Point ranges of `DerivedCoreProperties.txt`, for
 *   `lib/util/sanitize.ts`.
 *
 * Sources, version 17.0.0 (the latest when generated):
 * - https://www.unicode.org/Public/security/17.0.0/confusables.txt
 * - https://www.unicode.org/Public/17.0.0/ucd/EastAsianWidth.txt
 * - https://www.unicode.org/Public/17.0.0/ucd/extracted/DerivedGeneralCategory.txt
 * - https://www.unicode.org/Public/17.0.0/ucd/DerivedCoreProperties.txt
 *
 * Usage, with the four files in one folder:
 *
 * ```sh
 * deno run --allow-read --allow-write scripts/gen_unicode_tables.ts /path/to/folder
 * deno fmt lib/chat/_confusables.ts lib/util/_unicode_tables.ts
 * ```
 *
 * Which confusables are kept depends on the running Deno's Unicode normalization and
 * case mapping (the key applies them before the table): generate with the Deno the
 * project runs on. Nothing is downloaded, here or at run time.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);
const CONFUSABLES_MODULE = new URL("lib/chat/_confusables.ts", ROOT);
const TABLES_MODULE = new URL("lib/util/_unicode_tables.ts", ROOT);

/** What a name may hold once decomposed: the only characters the key maps. */
const NAME_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;

/** A data file that is not what this script reads. */
class DataFileError extends Error {
  override name = "DataFileError";
}

function versionOf(text: string, pattern: RegExp, file: string): string {
  const version = text.match(pattern)?.[1];
  if (version === undefined) throw new DataFileError(`Cannot read the version of ${file}`);
  return version;
}

function hex(code: string): number {
  return parseInt(code, 16);
}

/**
 * The confusable prototypes of the characters that can still be there after NFKC,
 * case folding and NFD, as sorted `[source, target code points]` pairs.
 */
function confusables(text: string): [number, number[]][] {
  const pairs: [number, number[]][] = [];
  for (const line of text.split("\n")) {
    const match = line.match(/^([0-9A-F]{4,6})\s*;\s*([0-9A-F ]+?)\s*;\s*MA\b/);
    if (match === null) continue;
    const source = hex(match[1]);
    const char = String.fromCodePoint(source);
    // NFKC or case folding replaces it before the table is read: never looked up.
    if (char.normalize("NFKC").normalize("NFD") !== char || char.toLowerCase() !== char) continue;
    if (!NAME_CHARACTER.test(char)) continue;
    pairs.push([source, match[2].split(" ").map(hex)]);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/**
 * The code points whose value in a UCD property file is one of `values`, as sorted and
 * merged `[first, last]` ranges.
 */
function rangesOf(text: string, values: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  const lines = text.split("\n")
    .map((line) => line.match(/^([0-9A-F]{4,6})(?:\.\.([0-9A-F]{4,6}))?\s*;\s*(\w+)/))
    .filter((match) => match !== null && values.includes(match[3]))
    .sort((a, b) => hex(a![1]) - hex(b![1]));
  for (const match of lines) {
    if (match === null) continue;
    const first = hex(match[1]);
    const last = match[2] === undefined ? first : hex(match[2]);
    const previous = ranges.at(-1);
    if (previous !== undefined && previous[1] + 1 === first) previous[1] = last;
    else ranges.push([first, last]);
  }
  return ranges;
}

/** Code points as base-36 deltas from the previous one: short, and ASCII only. */
function encodeConfusables(pairs: [number, number[]][]): string {
  let previous = 0;
  return pairs.map(([source, target]) => {
    const entry = `${(source - previous).toString(36)}:${
      target.map((c) => c.toString(36)).join(".")
    }`;
    previous = source;
    return entry;
  }).join(",");
}

function encodeRanges(ranges: [number, number][]): string {
  let previous = 0;
  return ranges.map(([first, last]) => {
    const entry = `${(first - previous).toString(36)}+${(last - first).toString(36)}`;
    previous = last;
    return entry;
  }).join(",");
}

/** Splits a long string literal into lines `deno fmt` leaves alone. */
function literal(data: string): string {
  const chunks = data.match(/.{1,90}/g) ?? [""];
  return chunks.map((chunk) => `  "${chunk}"`).join(" +\n");
}

const folder = Deno.args[0];
if (folder === undefined) {
  console.error(
    "Usage: gen_unicode_tables.ts FOLDER (with confusables.txt and EastAsianWidth.txt)",
  );
  Deno.exit(2);
}
const confusablesText = await Deno.readTextFile(`${folder}/confusables.txt`);
const confusablesVersion = versionOf(confusablesText, /^# Version: ([\d.]+)$/m, "confusables.txt");
/** Reads a UCD file, checking it is of the same version as EastAsianWidth.txt. */
async function readUcd(name: string, version?: string): Promise<[string, string]> {
  const text = await Deno.readTextFile(`${folder}/${name}.txt`);
  const found = versionOf(text, new RegExp(`^# ${name}-([\\d.]+)\\.txt$`, "m"), `${name}.txt`);
  if (version !== undefined && found !== version) {
    throw new DataFileError(`${name}.txt is version ${found}, not ${version}`);
  }
  return [text, found];
}
const [widthText, ucdVersion] = await readUcd("EastAsianWidth");
const [categoryText] = await readUcd("DerivedGeneralCategory", ucdVersion);
const [coreText] = await readUcd("DerivedCoreProperties", ucdVersion);

const pairs = confusables(confusablesText);
const wide = rangesOf(widthText, ["W", "F"]);
const marks = rangesOf(categoryText, ["Mn", "Mc", "Me"]);
const ignorable = rangesOf(coreText, ["Default_Ignorable_Code_Point"]);
const generated =
  `Generated by scripts/gen_unicode_tables.ts with Deno ${Deno.version.deno}: do not edit.`;

await Deno.writeTextFile(
  CONFUSABLES_MODULE,
  `/**
 * UTS #39 confusable prototypes (confusables.txt ${confusablesVersion}), only for the
 * characters a name can hold after NFKC, case folding and NFD: ${pairs.length} of them.
 * ${generated}
 *
 * @module
 */

/** The Unicode security data version. */
export const CONFUSABLES_VERSION = "${confusablesVersion}";

/**
 * Comma-separated \`delta:target\` entries, code points in base 36: \`delta\` is the
 * source minus the previous entry's source, \`target\` the prototype's code points
 * joined by \`.\`.
 */
export const CONFUSABLES_DATA =
${literal(encodeConfusables(pairs))};
`,
);

await Deno.writeTextFile(
  TABLES_MODULE,
  `/**
 * Character properties from the Unicode Character Database ${ucdVersion}, as ranges.
 * ${generated}
 *
 * Each table is comma-separated \`gap+length\` ranges in base 36: \`gap\` is the first
 * code point minus the previous range's last, \`length\` the last minus the first.
 *
 * @module
 */

/** The Unicode Character Database version. */
export const UNICODE_TABLES_VERSION = "${ucdVersion}";

/** East Asian Wide (W) and Fullwidth (F), ${wide.length} ranges: two terminal columns. */
export const WIDE_RANGES_DATA =
${literal(encodeRanges(wide))};

/** Combining marks (Mn, Mc, Me), ${marks.length} ranges. */
export const MARK_RANGES_DATA =
${literal(encodeRanges(marks))};

/** Default_Ignorable_Code_Point, ${ignorable.length} ranges: shown as nothing. */
export const IGNORABLE_RANGES_DATA =
${literal(encodeRanges(ignorable))};
`,
);

console.log(
  `${pairs.length} confusables (${confusablesVersion}); ${wide.length} wide, ` +
    `${marks.length} mark and ${ignorable.length} ignorable ranges (${ucdVersion})`,
);
