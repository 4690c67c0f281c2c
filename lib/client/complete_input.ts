/**
 * Tab completion of the input line, as in irssi: commands at the start of the
 * line, nicknames elsewhere and after `@`.
 *
 * @module
 */

/** What completion may offer. */
export interface CompletionCandidates {
  /** Every command name and alias (`/who`, `/접속자`…), from the command table. */
  commands: readonly string[];
  /** Nicknames of our room, most recently active first. */
  nicks: readonly string[];
}

/**
 * Completes the word before the cursor, ignoring case. A command completes only as
 * the first word (`/jo` → `/join `); a word after `@` completes to a nickname
 * (`@mi` → `@minsu `); any other word completes to a nickname, followed by `: `
 * when it is the first word (addressing someone, IRC style). A single match is
 * completed with its separator; several are offered as they are, for readline to
 * insert their common beginning and list them on a second Tab.
 *
 * @param line The input up to the cursor.
 * @param candidates Commands and nicknames.
 * @returns readline's completer result: the completions and the word they replace.
 */
export function completeInput(
  line: string,
  candidates: CompletionCandidates,
): [string[], string] {
  const word = /\S*$/u.exec(line)![0];
  const first = word.length === line.trimStart().length;
  if (word === "") return [[], word];
  if (word.startsWith("/")) {
    if (!first) return [[], word];
    return [finish(matching(candidates.commands, word), " "), word];
  }
  if (word.startsWith("@")) {
    const nicks = matching(candidates.nicks, word.slice(1)).map((nick) => "@" + nick);
    return [finish(nicks, " "), word];
  }
  return [finish(matching(candidates.nicks, word), first ? ": " : " "), word];
}

/** The candidates that start with `prefix`, ignoring case, without duplicates. */
function matching(candidates: readonly string[], prefix: string): string[] {
  const folded = prefix.toLowerCase();
  return [...new Set(candidates.filter((c) => c.toLowerCase().startsWith(folded)))];
}

/** A single match gets its separator: the word is complete, typing goes on after it. */
function finish(matches: string[], separator: string): string[] {
  return matches.length === 1 ? [matches[0] + separator] : matches;
}
