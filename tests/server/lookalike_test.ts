/**
 * Issue 19, items 5 and 7, over real TCP: look-alike and invisible names are refused,
 * look-alike room names are one room, and message text cannot imitate another
 * person's line.
 *
 * @module
 */

import { assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { MAX_BLANK_RUN_COLUMNS } from "../../lib/util/sanitize.ts";
import { joinAll, LineClient, startServer } from "../_server_helpers.ts";

const ko = userText("ko");
const PROMPT = "닉네임을 입력하세요:";
const WELCOME = "서버에 연결되었습니다.";
const INVALID = ko.nicknameInvalid(20);

/** Asserts the next line a client receives. */
async function assertNext(client: LineClient, expected: string, msg?: string): Promise<void> {
  assertEquals(await client.nextLine(), expected, msg);
}

Deno.test("lookalike: with alice online, her look-alikes and blank names are refused at the prompt", async () => {
  await using s = startServer();
  await using alice = (await joinAll(s.port, "alice"))[0];
  await using c = await LineClient.connect(s.port);
  await assertNext(c, PROMPT);
  const attempts: [string, string][] = [
    ["\u0430lice", INVALID], // Cyrillic а: a mix of scripts
    ["ａｌｉｃｅ", ko.nicknameTaken("ａｌｉｃｅ")], // full width
    ["𝐚𝐥𝐢𝐜𝐞", ko.nicknameTaken("𝐚𝐥𝐢𝐜𝐞")], // mathematical bold
    ["ALICE", ko.nicknameTaken("ALICE")],
    ["alice\u3164", INVALID], // HANGUL FILLER, a blank-looking letter
    ["\u3164\u3164", INVALID],
    ["\uffa0", INVALID], // HALFWIDTH HANGUL FILLER
    ["al\u200bice", ko.nicknameTaken("alice")], // ZERO WIDTH SPACE: removed on arrival
    ["\u{12000}".repeat(20), INVALID], // cuneiform, drawn far wider than 20 columns
  ];
  for (const [nick, reply] of attempts) {
    await c.send(nick);
    await assertNext(c, reply, JSON.stringify(nick));
    await assertNext(c, PROMPT);
  }
  await c.send("bob");
  await assertNext(c, "bob님이 입장하셨습니다.");
  await assertNext(c, WELCOME);
  // Alice saw bob, and none of the refused names.
  await alice.waitFor("bob님이 입장하셨습니다.");
  assertEquals(alice.received.filter((line) => line.endsWith("님이 입장하셨습니다.")), [
    "alice님이 입장하셨습니다.",
    "bob님이 입장하셨습니다.",
  ]);
});

Deno.test("lookalike: /nick to a look-alike of a name in use is refused as taken", async () => {
  await using s = startServer();
  await using clients = await joinAll(s.port, "alice", "bob");
  const [alice, bob] = clients;
  await bob.send("/nick ａｌｉｃｅ");
  await bob.waitFor(ko.nicknameTaken("ａｌｉｃｅ"));
  // A whisper to a look-alike reaches the one person it looks like.
  await bob.send("@ＡＬＩＣＥ hi");
  await alice.waitFor((line) => line.includes("hi") && line.includes("bob"));
});

Deno.test("lookalike: /join ａｂ lands in the existing room ab", async () => {
  await using s = startServer();
  await using clients = await joinAll(s.port, "bob", "carol");
  const [bob, carol] = clients;
  await bob.send("/join ab");
  await bob.waitFor("bob님이 입장하셨습니다.");
  await carol.send("/join ａｂ");
  await bob.waitFor("carol님이 입장하셨습니다.");
  await carol.send("hello");
  await bob.waitFor("carol> hello");
  await carol.send("/rooms");
  await carol.waitFor("방 목록: ab (2)");
});

Deno.test("lookalike: a run of blanks is shortened so a fake line cannot start a row", async () => {
  await using s = startServer();
  await using clients = await joinAll(s.port, "alice", "mallory");
  const [alice, mallory] = clients;
  const cut = " ".repeat(MAX_BLANK_RUN_COLUMNS);
  await mallory.send("hi" + " ".repeat(71) + "alice2> fake");
  await alice.waitFor(`mallory> hi${cut}alice2> fake`);
  await mallory.send("hi" + "\u3000".repeat(36) + "alice2> fake");
  await alice.waitFor(`mallory> hi${cut}alice2> fake`);
  await mallory.send("hi" + "\u3164".repeat(40) + "alice2> fake");
  await alice.waitFor(`mallory> hi${cut}alice2> fake`);
});

Deno.test("lookalike: separators, bidi marks, zero-width characters and piled-up marks arrive cleaned", async () => {
  await using s = startServer();
  await using clients = await joinAll(s.port, "alice", "mallory");
  const [alice, mallory] = clients;
  // U+2028 and U+2029 would start a line of their own: shown as U+FFFD.
  await mallory.send("one\u2028alice> two\u2029three");
  await alice.waitFor("mallory> one\uFFFDalice> two\uFFFDthree");
  await mallory.send("\u200ebidi\u200f marks\u061c");
  await alice.waitFor("mallory> bidi marks");
  await mallory.send("zero\u200bwidth\ufeff \u2060joiners\u200d\u200c");
  await alice.waitFor("mallory> zerowidth joiners");
  await mallory.send("z" + "\u0301".repeat(300) + "algo");
  await alice.waitFor(`mallory> z${"\u0301".repeat(5)}algo`);
  // What needs a joiner keeps it.
  await mallory.send("family 👨\u200d👩\u200d👧");
  await alice.waitFor("mallory> family 👨\u200d👩\u200d👧");
});
