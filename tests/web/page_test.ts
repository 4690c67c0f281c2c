/**
 * The web page, end to end in headless Chromium: browser users chat with TCP
 * (`nc`-style) users and with the terminal client, rooms keep them apart,
 * history shows on entering, hostile text stays text, and the page comes back
 * after the server restarts. Plus the page module's policy, with no browser.
 *
 * Set `WEB_SCREENSHOT=docs/web.png` to save the screenshot of the conversation
 * test (`deno task screenshot`).
 *
 * @module
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import type { Page } from "puppeteer-core";
import { createHash } from "node:crypto";
import { userText } from "../../lib/catalog/user_text.ts";
import {
  LocalPasswordAttempts,
  MAX_FAILURES_PER_WINDOW,
} from "../../lib/chat/password_attempts.ts";
import { serve } from "../../lib/server/server.ts";
import { ConsoleLog } from "../../lib/util/console_log.ts";
import { PAGE_CSP, pageHtml } from "../../lib/web/page.ts";
import { spawnMain } from "../_helpers.ts";
import { isMembersLine, LineClient, MemorySink } from "../_server_helpers.ts";
import { FakeChat, type FakeSocket, startWebServer } from "../_web_helpers.ts";
import { PAGE_TIMEOUT_MS, TestBrowser } from "../fixtures/browser.ts";
import { NO_LIVE_IDS_NOTE, serverTagsLiveLines } from "../fixtures/live_ids.ts";
import { TcpProxy } from "../fixtures/tcp_proxy.ts";

/** The little of the DOM that the functions run in the page use (no `dom` lib here). */
interface PageElement {
  readonly textContent: string | null;
  readonly className: string;
  value: string;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): PageElement[] & { length: number };
  getBoundingClientRect(): { left: number; right: number; bottom: number };
}
/** A scrolling element, as the functions run in the page see it. */
interface PageScroller {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  addEventListener(type: "scroll", listener: () => void): void;
  removeEventListener(type: "scroll", listener: () => void): void;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
  readonly cookie: string;
};
declare const window: Record<string, unknown>;
declare const innerWidth: number;

const m = userText("ko");
/** A browser test launches Chromium (about half a second) and must stay quick. */
const BROWSER_TEST_TIMEOUT_MS = 30_000;

/**
 * Waits until a function run in the page returns a truthy value, checking it at
 * each change of the DOM (a background tab gets no animation frames, so the
 * default polling would never run there).
 */
function until<A extends unknown[]>(
  page: Page,
  test: (...args: A) => unknown,
  ...args: A
): Promise<unknown> {
  return page.waitForFunction(
    test as (...args: unknown[]) => unknown,
    { polling: "mutation", timeout: PAGE_TIMEOUT_MS },
    ...args,
  );
}

/** Opens the page, joins with a nickname, and waits until the chat is usable. */
async function joinPage(
  browser: TestBrowser,
  port: number,
  nick: string,
  viewport?: { width: number; height: number },
): Promise<Page> {
  const page = await browser.open(`http://127.0.0.1:${port}/`, viewport);
  await page.waitForSelector("#join-button:not([disabled])");
  await page.type("#nick", nick);
  await page.click("#join-button");
  await page.waitForSelector("#say:not([disabled])", { visible: true });
  await until(
    page,
    (name: string) => document.querySelector("#me")?.textContent?.endsWith(name),
    nick,
  );
  return page;
}

/**
 * Puts a line into the message box and sends it, as Enter does. (A mouse click
 * would wait for an animation frame, which a background tab never gets.)
 */
async function say(page: Page, text: string): Promise<void> {
  await page.$eval("#say", (input, value) => {
    const box = input as unknown as PageElement & { form: { requestSubmit(): void } };
    box.value = value;
    box.form.requestSubmit();
  }, text);
}

/** Waits for a line on the page whose text contains `text`. */
async function waitForLine(page: Page, text: string, selector = "#lines .line"): Promise<void> {
  await until(
    page,
    (sel: string, wanted: string) =>
      [...document.querySelectorAll(sel)].some((li) => li.textContent?.includes(wanted)),
    selector,
    text,
  );
}

/** The text of every line on the page. */
function lines(page: Page): Promise<string[]> {
  return page.$$eval("#lines li", (items) => items.map((li) => li.textContent ?? ""));
}

Deno.test("web page: the policy allows exactly the page's own inline script and style", () => {
  const html = pageHtml({ lang: "ko", maxLineBytes: 8192 });
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
  const hash = (text: string) => createHash("sha256").update(text).digest("base64");
  assertStringIncludes(PAGE_CSP, `script-src 'sha256-${hash(script)}'`);
  assertStringIncludes(PAGE_CSP, `style-src 'sha256-${hash(style)}'`);
  assertStringIncludes(PAGE_CSP, "default-src 'none'");
  assertStringIncludes(PAGE_CSP, "connect-src 'self'");
  assert(!PAGE_CSP.includes("unsafe"), PAGE_CSP);
  assertEquals((html.match(/<script/g) ?? []).length, 1, "one script, inline");
  assert(!/ on[a-z]+=/i.test(html), "no inline event handlers");
  assert(!/https?:\/\/(?!127)/.test(html.replace(/[^\n]*xmlns[^\n]*/g, "")), "nothing remote");
  assertMatch(
    pageHtml({ lang: "en", maxLineBytes: 99 }),
    /<html lang="en" data-max-line-bytes="99">/,
  );
});

Deno.test({
  name: "web page: a browser user and a raw TCP (nc) user chat both ways in one room",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer();
    await using browser = await TestBrowser.launch();
    await using nc = await LineClient.connect(s.port);
    await nc.join("nc");
    const page = await joinPage(browser, s.webPort, "웹");
    await nc.waitFor(m.joined("웹"));
    await say(page, "안녕하세요, 터미널!");
    await nc.waitFor("웹> 안녕하세요, 터미널!");
    await nc.send("반가워요, 브라우저");
    await waitForLine(page, "반가워요, 브라우저");
    const line = await page.$eval("#lines .message:last-child", (li) => ({
      nick: li.querySelector(".nick")?.textContent,
      text: li.querySelector(".text")?.textContent,
      time: li.querySelector("time")?.textContent,
    }));
    assertEquals([line.nick, line.text], ["nc", "반가워요, 브라우저"]);
    assertMatch(line.time ?? "", /^\d\d:\d\d$/);
    // The user list knows both, without the page showing the /who it asked for.
    await until(page, () => document.querySelectorAll("#users li").length === 2);
    assert(!(await lines(page)).some((l) => l.startsWith("접속자")));
    await say(page, "/me 손을 흔든다");
    await nc.waitFor("* 웹 손을 흔든다");
    await waitForLine(page, "손을 흔든다", "#lines .action");
    await nc.send("/quit");
    await waitForLine(page, "nc님이 퇴장하셨습니다.");
    await until(page, () => document.querySelectorAll("#users li").length === 1);
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name: "web page: two browser users in different rooms never see each other's lines",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer();
    await using browser = await TestBrowser.launch();
    const alice = await joinPage(browser, s.webPort, "alice");
    const bob = await joinPage(browser, s.webPort, "bob");
    // bob moves with the room form.
    await bob.type("#room-input", "math");
    await bob.click("#room-go");
    await until(bob, () => document.querySelector("#room-name")?.textContent === "math");
    await until(
      alice,
      () =>
        [...document.querySelectorAll("#lines .line")].some((li) =>
          li.textContent?.includes("bob님이 #math 방으로 이동하셨습니다.")
        ),
    );
    await say(alice, "lobby only");
    await say(bob, "math only");
    // A whisper goes after every room line already sent to its recipient: once it
    // shows, a wrongly routed line would have shown too.
    await using probe = await LineClient.connect(s.port);
    await probe.join("probe");
    await probe.send("@alice done");
    await probe.send("@bob done");
    await waitForLine(alice, "done", "#lines .whisper");
    await waitForLine(bob, "done", "#lines .whisper");
    const aliceLines = (await lines(alice)).join("\n");
    const bobLines = (await lines(bob)).join("\n");
    assertStringIncludes(aliceLines, "lobby only");
    assertStringIncludes(bobLines, "math only");
    assert(!aliceLines.includes("math only"), aliceLines);
    assert(!bobLines.includes("lobby only"), bobLines);
    // The room list shows both rooms; a click on one moves there.
    await until(bob, () => document.querySelectorAll("#rooms li").length === 2);
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name: "web page: a ban reads as a ban, for how long, to the banned page and to the room",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer({ opPassword: "opw" });
    await using browser = await TestBrowser.launch();
    const alice = await joinPage(browser, s.webPort, "alice");
    const bob = await joinPage(browser, s.webPort, "bob");
    await using op = await LineClient.connect(s.port);
    await op.join("op");
    await op.becomeOp("opw");
    await op.send("/ban bob 5 spam");
    await waitForLine(bob, "op님에 의해 5분 동안 차단되었습니다. 사유: spam");
    await waitForLine(alice, "bob님이 op님에 의해 5분 동안 차단되었습니다.");
    assert(!(await lines(alice)).some((l) => l.includes("강퇴")), "a ban is not shown as a kick");
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name: "web page: the room's history appears on entering, marked as earlier",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer();
    await using nc = await LineClient.connect(s.port);
    await nc.join("nc");
    await nc.send("first, before the browser came");
    await nc.send("/me was here before");
    await nc.waitFor("* nc was here before");
    await using browser = await TestBrowser.launch();
    const page = await joinPage(browser, s.webPort, "late");
    await waitForLine(page, "최근 메시지 2개", "#lines .divider");
    const old = await page.$$eval("#lines .old", (items) => items.map((li) => li.textContent));
    assertEquals(old.length, 2);
    assertStringIncludes(old[0] ?? "", "first, before the browser came");
    assertStringIncludes(old[1] ?? "", "was here before");
  },
});

Deno.test({
  name: "web page: a whisper from the terminal client reaches the page",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer();
    await using browser = await TestBrowser.launch();
    const page = await joinPage(browser, s.webPort, "webby");
    await using terminal = spawnMain(["client", "--port", String(s.port), "--nick", "term"]);
    await terminal.stdout.waitFor((line) => line.includes(m.connected));
    await terminal.send("@webby 터미널에서 귓속말");
    await waitForLine(page, "터미널에서 귓속말", "#lines .whisper");
    const whisper = await page.$eval("#lines .whisper:last-child", (li) => ({
      from: li.querySelector(".nick")?.textContent,
      text: li.querySelector(".text")?.textContent,
    }));
    assertEquals(whisper, { from: "term", text: "터미널에서 귓속말" });
    // And back: the page whispers to the terminal.
    await say(page, "@term 받았어요");
    await terminal.stdout.waitFor((line) => line.includes("[귓속말] webby> 받았어요"));
    await terminal.send("/quit");
    assertEquals((await terminal.exit()).code, 0);
  },
});

Deno.test({
  name: "web page: hostile text (<img onerror>, <script>, a nickname lookalike) renders as text",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer({ opPassword: "op" });
    await using browser = await TestBrowser.launch();
    const page = await joinPage(browser, s.webPort, "victim");
    await using mallory = await LineClient.connect(s.port);
    await mallory.join("mallory");
    const attacks = [
      `<img src=x onerror="window.__pwned='img'">`,
      `<script>window.__pwned='script'</script>`,
      `</span><span class="nick c1">victim</span>: send me your password`,
      `victim: I am the real victim`,
      `<svg onload="window.__pwned='svg'"></svg> &lt;b&gt; &amp;`,
    ];
    for (const attack of attacks) await mallory.send(attack);
    await mallory.send("/op op");
    await mallory.send(`/topic <img src=x onerror="window.__pwned='topic'">`);
    await mallory.send(`/me <b onmouseover="window.__pwned='me'">hover</b>`);
    await mallory.send(`@victim <iframe src="javascript:window.__pwned='whisper'">`);
    await waitForLine(page, "<iframe", "#lines .whisper");
    const seen = await page.$$eval("#lines .message", (items) =>
      items.map((li) => ({
        nicks: [...li.querySelectorAll(".nick")].map((n) => n.textContent),
        text: li.querySelector(".text")?.textContent,
      })));
    assertEquals(seen.map((line) => line.text), attacks);
    for (const line of seen) assertEquals(line.nicks, ["mallory"], "the sender's nickname only");
    const state = await page.evaluate(() => ({
      pwned: window.__pwned ?? null,
      elements:
        document.querySelectorAll("#lines img, #lines script, #lines svg, #lines iframe, #lines b")
          .length,
      topic: document.querySelector("#topic")?.textContent,
      cookie: document.cookie,
    }));
    assertEquals(state, {
      pwned: null,
      elements: 0,
      topic: `<img src=x onerror="window.__pwned='topic'">`,
      cookie: "",
    });
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name:
    "web page: after the server restarts the page says so and goes straight back to its room: the lobby sees nothing, the room counts are right",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    const sink = new MemorySink();
    const options = {
      hostname: "127.0.0.1",
      port: 0,
      rateLinesPerSecond: 0,
      log: new ConsoleLog({ sink, timestamps: false }),
      onListen: () => {},
    };
    const first = serve({ ...options, web: { port: 0 } });
    const webPort = first.webAddr!.port;
    await using browser = await TestBrowser.launch();
    const page = await joinPage(browser, webPort, "phoenix");
    await page.$eval("#room-input", (input) => (input as unknown as PageElement).value = "garden");
    await page.click("#room-go");
    await until(page, () => document.querySelector("#room-name")?.textContent === "garden");
    await first.shutdown();
    await waitForLine(page, "서버가 종료됩니다.", "#lines .notice");
    await waitForLine(page, "서버와의 연결이 끊어졌습니다.", "#lines .notice");
    await page.waitForSelector("#say[disabled]");
    assertStringIncludes(await page.$eval("#status", (e) => e.className), "bad");
    // Kept offline until a witness is in the new server's lobby: then it may come back.
    await page.setOfflineMode(true);

    // The same web port again, as after a restart.
    await using second = serve({ ...options, web: { port: webPort } });
    await using witness = await LineClient.connect(second.addr.port);
    await witness.join("witness");
    await using gardener = await LineClient.connect(second.addr.port);
    await gardener.join("gardener");
    await gardener.send("/join garden");
    await gardener.waitFor("gardener님이 입장하셨습니다.");
    await page.setOfflineMode(false);
    await waitForLine(page, "다시 연결되었습니다.");
    await page.waitForSelector("#say:not([disabled])");
    assertEquals(await page.$eval("#room-name", (e) => e.textContent), "garden");
    await gardener.waitFor("phoenix님이 입장하셨습니다.");
    await say(page, "I am back");
    await gardener.waitFor("phoenix> I am back");
    // The room list counts what is there: the page and the gardener, the witness.
    await until(
      page,
      () =>
        [...document.querySelectorAll("#rooms li")].map((li) => li.textContent).sort().join(
          " | ",
        ) === "garden (2) | lobby (1)",
    );
    // A whisper comes after every lobby line already sent to the witness: had the page
    // passed through the lobby, its join and its move would be there before it.
    await say(page, "@witness back");
    await witness.waitFor("[귓속말] phoenix> back");
    const seen = witness.received.filter((line) => line.includes("phoenix"));
    assertEquals(seen, ["[귓속말] phoenix> back"]);
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name:
    "web page: a conversation: colours per nickname, actions, notices, mentions, whispers (screenshot)",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer({
      motd: ["교실 채팅에 오신 것을 환영합니다!"],
      opPassword: "pw",
    });
    await using browser = await TestBrowser.launch();
    await using minsu = await LineClient.connect(s.port);
    await minsu.join("민수");
    await minsu.send("/op pw");
    await minsu.send("/topic 수학 숙제 3번 같이 풀기");
    await minsu.send("오늘 숙제 다 했어?");
    await using jisoo = await LineClient.connect(s.port);
    await jisoo.join("지수");
    await jisoo.send("거의! 3번 문제가 어렵더라");
    const page = await joinPage(browser, s.webPort, "서연", { width: 900, height: 520 });
    assertEquals(await page.$eval("#topic", (e) => e.textContent), "수학 숙제 3번 같이 풀기");
    await say(page, "나도 3번에서 막혔어 😅");
    await minsu.waitFor("서연> 나도 3번에서 막혔어 😅");
    await minsu.send("/me 공책을 펼친다");
    await jisoo.send("서연, 같이 풀어볼래?");
    await minsu.send("@서연 답은 42야 (비밀)");
    await waitForLine(page, "답은 42야", "#lines .whisper");
    await say(page, "/who");
    await waitForLine(page, "접속자 3명");
    const mention = await page.$eval("#lines .mention", (li) => ({
      mark: li.querySelector("mark")?.textContent,
      text: li.querySelector(".text")?.textContent,
    }));
    assertEquals(mention, { mark: "서연", text: "서연, 같이 풀어볼래?" });
    const colours = await page.$$eval(
      "#lines .message .nick",
      (nicks) => Object.fromEntries(nicks.map((n) => [n.textContent, n.className])),
    );
    assertMatch(colours["민수"], /^nick c\d+$/);
    assert(colours["민수"] !== colours["지수"] || colours["지수"] !== colours["서연"]);
    assertEquals(await page.$$eval("#lines .action", (items) => items.length), 1);
    assertEquals(await page.$$eval("#lines .motd", (items) => items.length), 1);
    const path = Deno.env.get("WEB_SCREENSHOT");
    if (path !== undefined) await page.screenshot({ path: path as `${string}.png` });
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name: "web page: English with --lang en, and usable on a phone screen",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer({ lang: "en" });
    await using browser = await TestBrowser.launch();
    const page = await browser.open(`http://127.0.0.1:${s.webPort}/`, { width: 375, height: 667 });
    await page.waitForSelector("#join-button:not([disabled])");
    assertEquals(await page.$eval("#join-button", (b) => b.textContent), "Join");
    // Nothing to fold on the join screen: no menu button.
    assertEquals(await page.$("#menu:not([hidden])"), null);
    assertEquals(await (await page.$("#menu"))!.boundingBox(), null);
    await page.type("#nick", "phone");
    await page.click("#join-button");
    await page.waitForSelector("#say:not([disabled])", { visible: true });
    // The side panel is folded away behind the menu button; the message box fits the screen.
    const layout = await page.evaluate(() => {
      const box = document.querySelector("#say-form")!.getBoundingClientRect();
      const side = document.querySelector("#side")!.getBoundingClientRect();
      return { right: box.right, bottom: box.bottom, sideLeft: side.left, width: innerWidth };
    });
    assert(layout.right <= layout.width && layout.bottom <= 667, JSON.stringify(layout));
    assert(layout.sideLeft >= layout.width, "the side panel is off screen");
    // The menu button sits at the header's end, where a thumb looks for it.
    const ends = await page.evaluate(() => ({
      menu: document.querySelector("#menu")!.getBoundingClientRect().right,
      header: document.querySelector("header")!.getBoundingClientRect().right,
    }));
    assert(ends.menu >= ends.header - 16 && ends.menu <= ends.header, JSON.stringify(ends));
    await page.click("#menu");
    // It slides in (a CSS transition, no DOM change to wait on): check every 50 ms.
    await page.waitForFunction(
      () => document.querySelector("#side")!.getBoundingClientRect().left < innerWidth,
      { polling: 50 },
    );
    await waitForLine(page, "phone has joined.");
    await page.type("#say", "x".repeat(10));
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name: "web page: the password step: a wrong password is said on the form, the right one joins",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer({ password: "열려라" });
    await using browser = await TestBrowser.launch();
    const page = await browser.open(`http://127.0.0.1:${s.webPort}/`);
    await page.waitForSelector("#password", { visible: true });
    await page.type("#password", "wrong");
    await page.type("#nick", "guest");
    await page.click("#join-button");
    await until(
      page,
      () => document.querySelector("#join-error")?.textContent === "비밀번호가 틀렸습니다.",
    );
    // The server closes after a wrong password; the page comes back with a fresh prompt.
    await page.waitForSelector("#join-button:not([disabled])", { visible: true });
    await page.type("#password", "열려라");
    await page.click("#join-button");
    await page.waitForSelector("#say:not([disabled])", { visible: true });
    assertEquals(await page.$eval("#me", (e) => e.textContent), "나: guest");
  },
});

Deno.test({
  name:
    "web page: a password lockout ends the page's tries: it does not reconnect by itself, and offers the button",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    let attempts: LocalPasswordAttempts | undefined;
    await using s = startWebServer({
      password: "열려라",
      passwordAttempts: (observer) => (attempts = new LocalPasswordAttempts({ observer })),
    });
    for (let i = 0; i < MAX_FAILURES_PER_WINDOW; i++) attempts!.failed("127.0.0.1", "account");
    await using browser = await TestBrowser.launch();
    const page = await browser.open(`http://127.0.0.1:${s.webPort}/`);
    await page.waitForSelector("#password", { visible: true });
    await page.type("#password", "열려라");
    await page.type("#nick", "guest");
    await page.click("#join-button");
    await page.waitForSelector("#reconnect", { visible: true });
    assertEquals(await page.$eval("#status", (e) => e.textContent), "연결이 종료되었습니다.");
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name:
    "web page: a page whose account nickname a new login claimed does not reconnect to take it back",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer();
    await using browser = await TestBrowser.launch();
    const page = await joinPage(browser, s.webPort, "alice");
    await say(page, "/register alices-password");
    await waitForLine(page, m.registered("alice"));
    await using terminal = await LineClient.connect(s.port);
    await terminal.waitFor(m.nicknamePrompt);
    await terminal.send("alice");
    await terminal.waitFor(m.accountPrompt("alice"));
    await terminal.send("alices-password");
    await terminal.waitFor(isMembersLine);
    await page.waitForSelector("#reconnect", { visible: true });
    assertEquals(await page.$eval("#status", (e) => e.textContent), "연결이 종료되었습니다.");
    assertEquals(browser.errors, []);
  },
});

/** Where the list is scrolled: its offset, how far from the newest line, how tall it is. */
function scrollOf(page: Page): Promise<{ top: number; gap: number; tall: boolean }> {
  return page.$eval("#lines", (list) => {
    const l = list as unknown as PageScroller;
    return {
      top: l.scrollTop,
      gap: l.scrollHeight - l.scrollTop - l.clientHeight,
      tall: l.scrollHeight > 1.5 * l.clientHeight,
    };
  });
}

/**
 * Scrolls the list up with the mouse wheel, as a reader does, and returns once the
 * page has seen a scroll event that left it well above the newest line (its own
 * handler runs before the test's, registered later).
 */
async function scrollUp(page: Page): Promise<void> {
  const seen = page.$eval("#lines", (list) =>
    new Promise<void>((resolve) => {
      const l = list as unknown as PageScroller;
      const check = () => {
        if (l.scrollHeight - l.scrollTop - l.clientHeight > 200) {
          l.removeEventListener("scroll", check);
          resolve();
        }
      };
      l.addEventListener("scroll", check);
    }));
  const box = (await (await page.$("#lines"))!.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel({ deltaY: -3000 });
  await seen;
}

Deno.test({
  name:
    "web page: the list opens at the newest line, follows new ones, leaves a reader who scrolled up in place with a button, and always shows your own line (1280×800, 390×844)",
  timeout: BROWSER_TEST_TIMEOUT_MS * 2,
  fn: async () => {
    await using s = startWebServer();
    await using nc = await LineClient.connect(s.port);
    await nc.join("nc");
    // Fifty lines of history: taller than either window.
    for (let i = 1; i <= 60; i++) await nc.send(`earlier line ${i}`);
    await nc.waitFor("nc> earlier line 60");
    await using browser = await TestBrowser.launch();
    const viewports = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];
    for (const [n, viewport] of viewports.entries()) {
      const where = JSON.stringify(viewport);
      const page = await joinPage(browser, s.webPort, `reader${n}`, viewport);
      await waitForLine(page, "earlier line 60");
      let at = await scrollOf(page);
      assert(at.tall && at.gap <= 2, `opens at the newest line ${where}: ${JSON.stringify(at)}`);
      assertEquals(await page.$("#jump:not([hidden])"), null);

      await nc.send(`new line ${n}`);
      await waitForLine(page, `new line ${n}`);
      at = await scrollOf(page);
      assert(at.gap <= 2, `follows a new line ${where}: ${JSON.stringify(at)}`);

      await scrollUp(page);
      const left = (await scrollOf(page)).top;
      for (let i = 1; i <= 3; i++) await nc.send(`while reading ${n}.${i}`);
      await waitForLine(page, `while reading ${n}.3`);
      at = await scrollOf(page);
      assertEquals(at.top, left, `a reader who scrolled up stays put ${where}`);
      await page.waitForSelector("#jump:not([hidden])", { visible: true });
      await page.click("#jump");
      at = await scrollOf(page);
      assert(at.gap <= 2, `the button shows the newest line ${where}: ${JSON.stringify(at)}`);
      assertEquals(await page.$("#jump:not([hidden])"), null);

      await scrollUp(page);
      await say(page, `my own line ${n}`);
      await waitForLine(page, `my own line ${n}`);
      at = await scrollOf(page);
      assert(at.gap <= 2, `your own line shows ${where}: ${JSON.stringify(at)}`);
      await page.close();
    }
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name:
    "web page: a mention with Korean particles (민수님, 민수야, 민수에게) is highlighted, another word (민수기) is not",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer();
    await using browser = await TestBrowser.launch();
    const page = await joinPage(browser, s.webPort, "민수");
    await using nc = await LineClient.connect(s.port);
    await nc.join("지수");
    const said = [
      "민수님 안녕하세요",
      "민수야 밥 먹자",
      "이거 민수에게 전해 줘",
      "민수기 읽었어?",
      "김민수 말고",
    ];
    for (const line of said) await nc.send(line);
    await waitForLine(page, "김민수 말고");
    const seen = await page.$$eval("#lines .message", (items) =>
      items.map((li) => ({
        text: li.querySelector(".text")?.textContent,
        mention: li.className.includes("mention"),
        mark: li.querySelector("mark")?.textContent ?? null,
      })));
    assertEquals(seen, [
      { text: "민수님 안녕하세요", mention: true, mark: "민수" },
      { text: "민수야 밥 먹자", mention: true, mark: "민수" },
      { text: "이거 민수에게 전해 줘", mention: true, mark: "민수" },
      { text: "민수기 읽었어?", mention: false, mark: null },
      { text: "김민수 말고", mention: false, mark: null },
    ]);
    assertEquals(browser.errors, []);
  },
});

/** Opens the page on a fake chat and takes it through the nickname step by hand. */
async function joinFake(
  browser: TestBrowser,
  fake: FakeChat,
  nick: string,
): Promise<{ page: Page; socket: FakeSocket }> {
  const page = await browser.open(`http://127.0.0.1:${fake.port}/`);
  const socket = await fake.nextSocket();
  await socket.send({ type: "prompt", prompt: "nickname" });
  await page.waitForSelector("#join-button:not([disabled])");
  await page.type("#nick", nick);
  await page.click("#join-button");
  await socket.waitForLine(nick);
  return { page, socket };
}

/** The texts of a list's items on the page (`#users li`, `#rooms li`). */
function items(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (list) => list.map((li) => li.textContent ?? ""));
}

Deno.test({
  name:
    "web page: the people list comes from the members event (no /who asked), a room too big to list is asked in full, and the room's count follows joins and leaves",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using fake = new FakeChat();
    await using browser = await TestBrowser.launch();
    const { page, socket } = await joinFake(browser, fake, "me");
    const time = Date.now();
    await socket.send({ type: "room", room: "lobby" });
    await socket.send({ type: "joined", room: "lobby", nick: "me", time });
    await socket.send({ type: "welcome", nick: "me" });
    await socket.send({
      type: "members",
      room: "lobby",
      users: [{ nick: "ann", away: false }, { nick: "bo", away: true }, {
        nick: "me",
        away: false,
      }],
      total: 3,
    });
    // The fake never answers /who: the list can only come from the event.
    await until(page, () => document.querySelectorAll("#users li").length === 3);
    assertEquals(await items(page, "#users li"), ["ann", "bo (자리비움)", "me"]);
    assertEquals(await socket.waitForLine("/rooms"), ["/rooms"]);
    await socket.send({
      type: "rooms",
      rooms: [{ name: "lobby", count: 3 }, { name: "math", count: 1 }],
    });
    await until(page, () => document.querySelector("#rooms li")?.textContent === "lobby (3)");
    await socket.send({ type: "joined", room: "lobby", nick: "cy", time });
    await until(page, () => document.querySelector("#rooms li")?.textContent === "lobby (4)");
    await socket.send({ type: "moved", room: "lobby", nick: "ann", to: "math", time });
    await socket.send({ type: "left", room: "lobby", nick: "bo", time });
    await until(page, () => document.querySelector("#rooms li")?.textContent === "lobby (2)");
    assertEquals(await items(page, "#users li"), ["me", "cy"]);

    // A room of 150: the event names the first 100; the page asks for all of them.
    await socket.send({ type: "room", room: "hall" });
    await socket.send({ type: "joined", room: "hall", nick: "me", time });
    const hundred = Array.from({ length: 100 }, (_, i) => ({ nick: `u${i}`, away: false }));
    await socket.send({ type: "members", room: "hall", users: hundred, total: 150 });
    const sent = await socket.waitForLine("/who");
    assertEquals(sent, ["/rooms", "/who"]);
    await until(page, () => document.querySelectorAll("#users li").length === 100);
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name:
    "web page: a part (an IRC user leaving this room only) is said with its reason, and the member leaves the list",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using fake = new FakeChat();
    await using browser = await TestBrowser.launch();
    const { page, socket } = await joinFake(browser, fake, "me");
    const time = Date.now();
    await socket.send({ type: "room", room: "math" });
    await socket.send({ type: "joined", room: "math", nick: "me", time });
    await socket.send({ type: "welcome", nick: "me" });
    const users = [{ nick: "ivan", away: false }, { nick: "ann", away: false }];
    await socket.send({ type: "members", room: "math", users, total: 2 });
    await until(page, () => document.querySelectorAll("#users li").length === 2);
    await socket.send({ type: "parted", room: "math", nick: "ivan", reason: "점심", time });
    await socket.send({ type: "parted", room: "math", nick: "ann", time });
    await waitForLine(page, "ann님이 #math 방에서 나갔습니다.");
    const shown = await lines(page);
    assert(shown.some((line) => line.includes("ivan님이 #math 방에서 나갔습니다. 사유: 점심")));
    assertEquals(await items(page, "#users li"), []);
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name:
    "web page: the header says the chat is unavailable on the 'unavailable' notice, typing still goes out, and 'available' clears it",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using fake = new FakeChat("en");
    await using browser = await TestBrowser.launch();
    const { page, socket } = await joinFake(browser, fake, "me");
    await socket.send({ type: "room", room: "lobby" });
    await socket.send({ type: "joined", room: "lobby", nick: "me", time: Date.now() });
    await socket.send({ type: "welcome", nick: "me" });
    await page.waitForSelector("#say:not([disabled])", { visible: true });
    assertEquals(await page.$("#state:not([hidden])"), null);
    await socket.send({
      type: "notice",
      code: "unavailable",
      text: "The chat is unavailable for now; what you type is sent when it is back.",
    });
    await page.waitForSelector("#state:not([hidden])", { visible: true });
    assertEquals(
      await page.$eval("#state", (e) => e.textContent),
      "Chat unavailable · what you send goes out when it is back",
    );
    await waitForLine(page, "The chat is unavailable for now", "#lines .notice");
    // The server holds lines meanwhile: the page keeps sending them.
    await say(page, "still here");
    await socket.waitForLine("still here");
    await socket.send({ type: "notice", code: "available", text: "The chat is available again." });
    await page.waitForSelector("#state", { hidden: true });
    await waitForLine(page, "The chat is available again.", "#lines .notice");
    assertEquals(browser.errors, []);
  },
});

// ---------------------------------------------------------------------------
// Accounts and reconnection (issue 15).

/** The `<time>` the page shows for a time, as the page formats it (local `HH:MM`). */
function clockOf(time: number): string {
  const date = new Date(time);
  return `${String(date.getHours()).padStart(2, "0")}:${
    String(date.getMinutes()).padStart(2, "0")
  }`;
}

/** What the page keeps outside its memory: its storage and cookies (all must be empty). */
function kept(page: Page): Promise<{ local: number; session: number; cookie: string }> {
  return page.evaluate(() => {
    const w = window as unknown as {
      localStorage: { length: number };
      sessionStorage: { length: number };
    };
    return {
      local: w.localStorage.length,
      session: w.sessionStorage.length,
      cookie: document.cookie,
    };
  });
}

Deno.test({
  name:
    "web page: a registered nickname's password on the form (a wrong one is said there), then after a drop it logs in by itself and resumes after the last line shown",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using fake = new FakeChat();
    await using browser = await TestBrowser.launch();
    const { page, socket } = await joinFake(browser, fake, "alice");
    assertEquals([socket.room, socket.since], [undefined, undefined]);
    await socket.send({ type: "prompt", prompt: "account", nick: "alice" });
    await page.waitForSelector("#account-password", { visible: true });
    assertEquals(await page.$eval("#account-label", (e) => e.textContent), "alice의 비밀번호");
    await page.type("#account-password", "wrong pass");
    await page.click("#join-button");
    await socket.waitForLine("wrong pass");
    const wrong = m.accountWrong("alice", 1, false);
    await socket.send({
      type: "notice",
      code: "accountWrong",
      nick: "alice",
      failures: 1,
      closing: false,
      text: wrong,
    });
    // The nickname goes again by itself; the password is asked again, the error shown.
    await socket.send({ type: "prompt", prompt: "nickname" });
    await socket.waitForLine("alice");
    await socket.send({ type: "prompt", prompt: "account", nick: "alice" });
    await until(
      page,
      (text: string) => document.querySelector("#join-error")?.textContent === text,
      wrong,
    );
    await page.waitForSelector("#account-password", { visible: true });
    assertEquals(
      await page.$eval("#account-password", (e) => e.value),
      "",
      "the wrong one is gone",
    );
    await page.type("#account-password", "right pass");
    await page.click("#join-button");
    await socket.waitForLine("right pass");
    const time = Date.now();
    const said = (id: string, text: string) => ({
      type: "message",
      room: "math",
      nick: "bob",
      text,
      time,
      id,
    });
    await socket.send({
      type: "history",
      room: "math",
      events: [said("e.1", "one"), said("e.2", "two")],
    });
    await socket.send({ type: "room", room: "math" });
    await socket.send({ type: "joined", room: "math", nick: "alice", time });
    await socket.send({ type: "welcome", nick: "alice" });
    await socket.send(said("e.3", "three"));
    await waitForLine(page, "three");
    assertEquals(await kept(page), { local: 0, session: 0, cookie: "" });

    // The connection drops: the page comes back to math, after e.3, and logs in by itself.
    await socket.close();
    const again = await fake.nextSocket();
    assertEquals([again.room, again.since], ["math", "e.3"]);
    await again.send({ type: "prompt", prompt: "nickname" });
    await again.waitForLine("alice");
    await again.send({ type: "prompt", prompt: "account", nick: "alice" });
    assertEquals(await again.waitForLine("right pass"), ["right pass"]);
    await again.send({ type: "catchUp", room: "math", events: [said("e.4", "four")], skipped: 0 });
    await again.send({ type: "room", room: "math" });
    await again.send({ type: "welcome", nick: "alice" });
    const heldAt = new Date(2026, 0, 2, 9, 5).getTime();
    await again.send({ type: "whisper", from: "bob", text: "held for you", time: heldAt });
    await waitForLine(page, "held for you", "#lines .whisper");
    const shown = await lines(page);
    for (const text of ["one", "two", "three", "four"]) {
      assertEquals(
        shown.filter((line) => line.endsWith(`bob: ${text}`)).length,
        1,
        `${text} once: ${shown}`,
      );
    }
    assert(shown.includes("나간 뒤 메시지 1개"), shown.join("\n"));
    assertEquals(
      await page.$eval("#lines .whisper:last-child time", (e) => e.textContent),
      clockOf(heldAt),
    );
    // The form's password field was never needed again, and nothing was stored.
    assertEquals(await page.$("#account-row:not([hidden])"), null);
    assertEquals(await kept(page), { local: 0, session: 0, cookie: "" });
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name:
    "web page: /password alone asks each password in a small form without echo; Cancel sends an empty answer",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using fake = new FakeChat("en");
    await using browser = await TestBrowser.launch();
    const { page, socket } = await joinFake(browser, fake, "mina");
    await socket.send({ type: "room", room: "lobby" });
    await socket.send({ type: "welcome", nick: "mina" });
    await page.waitForSelector("#say:not([disabled])", { visible: true });
    await say(page, "/password");
    await socket.waitForLine("/password");
    await socket.send({ type: "prompt", prompt: "currentPassword" });
    await page.waitForSelector("#secret", { visible: true });
    assertEquals(await page.$eval("#secret-label", (e) => e.textContent), "Current password");
    assertEquals(
      await page.$eval("#secret", (e) => (e as unknown as { type: string }).type),
      "password",
    );
    assertEquals(await page.$("#say:not([disabled])"), null, "the message box waits");
    await page.type("#secret", "old secret");
    await page.keyboard.press("Enter");
    await socket.waitForLine("old secret");
    await socket.send({ type: "prompt", prompt: "newPassword" });
    await until(
      page,
      () => document.querySelector("#secret-label")?.textContent === "New password",
    );
    await page.type("#secret", "half typed");
    await page.click("#secret-cancel");
    assertEquals(await socket.waitForLine(""), [""]);
    await page.waitForSelector("#secret-form", { hidden: true });
    await page.waitForSelector("#say:not([disabled])", { visible: true });
    const text = await page.evaluate(() => document.querySelector("body")?.textContent ?? "");
    assert(!text.includes("old secret") && !text.includes("half typed"), "no password shows");
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name:
    "web page: after 'reclaimed' (a login elsewhere took the nickname) or 'accountPassword' it does not reconnect, and says the connection is closed",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using fake = new FakeChat();
    await using browser = await TestBrowser.launch();
    const { page, socket } = await joinFake(browser, fake, "alice");
    await socket.send({ type: "room", room: "lobby" });
    await socket.send({ type: "welcome", nick: "alice" });
    await page.waitForSelector("#say:not([disabled])", { visible: true });
    await socket.send({ type: "notice", code: "nicknameReclaimed", text: m.nicknameReclaimed });
    await socket.closeWith(1000, "reclaimed");
    await waitForLine(page, m.nicknameReclaimed, "#lines .notice");
    // Stopped, not waiting to retry: the button to reconnect by hand is there.
    await page.waitForSelector("#reconnect", { visible: true });
    assertStringIncludes(
      await page.$eval("#status", (e) => e.textContent ?? ""),
      "연결이 종료되었습니다",
    );

    // Three wrong passwords at the form: the reason stays on the form.
    await page.click("#reconnect");
    const next = await fake.nextSocket();
    await next.send({ type: "prompt", prompt: "nickname" });
    await next.waitForLine("alice");
    await next.send({ type: "prompt", prompt: "account", nick: "alice" });
    await page.waitForSelector("#account-password", { visible: true });
    await page.type("#account-password", "guess");
    await page.click("#join-button");
    await next.waitForLine("guess");
    const closing = m.accountWrong("alice", 3, true);
    await next.send({
      type: "notice",
      code: "accountWrong",
      nick: "alice",
      failures: 3,
      closing: true,
      text: closing,
    });
    await next.closeWith(1008, "accountPassword");
    await page.waitForSelector("#reconnect", { visible: true });
    assertEquals(await page.$eval("#join-error", (e) => e.textContent), closing);
    assertEquals(browser.errors, []);
  },
});

Deno.test({
  name:
    "web page: a registered nickname logs in on a real server, and a login elsewhere ends the page's session without a reconnection",
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    await using s = startWebServer();
    {
      await using setup = await LineClient.connect(s.port);
      await setup.join("alice");
      await setup.send("/register 비밀번호 여덟자");
      await setup.waitFor(m.registered("alice"));
    }
    await using browser = await TestBrowser.launch();
    const page = await browser.open(`http://127.0.0.1:${s.webPort}/`);
    await page.waitForSelector("#join-button:not([disabled])");
    await page.type("#nick", "alice");
    await page.click("#join-button");
    await page.waitForSelector("#account-password", { visible: true });
    await page.type("#account-password", "비밀번호 여덟자");
    await page.click("#join-button");
    await page.waitForSelector("#say:not([disabled])", { visible: true });
    // Another login with the password takes the nickname from the page.
    await using other = await LineClient.connect(s.port);
    await other.waitFor(m.nicknamePrompt);
    await other.send("alice");
    await other.waitFor(m.accountPrompt("alice"));
    await other.send("비밀번호 여덟자");
    await other.waitFor(isMembersLine);
    await waitForLine(page, m.nicknameReclaimed, "#lines .notice");
    await page.waitForSelector("#reconnect", { visible: true });
    assertEquals(await kept(page), { local: 0, session: 0, cookie: "" });
    assertEquals(browser.errors, []);
  },
});

Deno.test("web page: nothing in it stores anything: no storage API, no cookie", () => {
  const html = pageHtml({ lang: "ko", maxLineBytes: 8192 });
  for (const api of ["localStorage", "sessionStorage", "indexedDB", "document.cookie", "caches"]) {
    assert(!html.includes(api), api);
  }
});

const liveIds = await serverTagsLiveLines();

Deno.test({
  name: `web page: after a dropped connection it shows only the lines it missed, each once${
    liveIds ? "" : NO_LIVE_IDS_NOTE
  }`,
  ignore: !liveIds,
  timeout: BROWSER_TEST_TIMEOUT_MS,
  fn: async () => {
    // The page is served through a proxy that is cut and healed: its own name must be allowed.
    await using proxy = new TcpProxy(0);
    await using s = startWebServer({
      web: {
        port: 0,
        hosts: [`127.0.0.1:${proxy.port}`],
        origins: [`http://127.0.0.1:${proxy.port}`],
      },
    });
    proxy.retarget(s.webPort);
    await using bob = await LineClient.connect(s.port);
    await bob.join("bob");
    await bob.send("/join math");
    await bob.waitFor(isMembersLine);
    await using browser = await TestBrowser.launch();
    const page = await joinPage(browser, proxy.port, "web");
    await page.$eval("#room-input", (input) => (input as unknown as PageElement).value = "math");
    await page.click("#room-go");
    await until(page, () => document.querySelector("#room-name")?.textContent === "math");
    await bob.waitFor(m.joined("web"));
    for (const text of ["before 1", "before 2"]) await bob.send(text);
    await waitForLine(page, "before 2");
    proxy.cut();
    await waitForLine(page, "서버와의 연결이 끊어졌습니다.", "#lines .notice");
    await bob.waitFor(m.left("web"));
    for (const text of ["while away 1", "while away 2"]) await bob.send(text);
    await bob.waitFor(m.message("bob", "while away 2"));
    proxy.heal();
    await bob.waitFor(m.joined("web"));
    await bob.send("after");
    await waitForLine(page, "after");
    const said = (await lines(page)).filter((line) => line.includes("bob: "));
    assertEquals(said.map((line) => line.replace(/^\d\d:\d\d/, "")), [
      "bob: before 1",
      "bob: before 2",
      "bob: while away 1",
      "bob: while away 2",
      "bob: after",
    ]);
    assert((await lines(page)).includes("나간 뒤 메시지 2개"));
    assertEquals(browser.errors, []);
  },
});
