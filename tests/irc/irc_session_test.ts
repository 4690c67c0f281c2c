import { assert, assertEquals, assertMatch } from "@std/assert";
import { isMembersLine, LineClient } from "../_server_helpers.ts";
import { IrcClient, startIrcServer } from "./_irc_client.ts";
import { WsClient } from "../fixtures/ws_client.ts";

const T = { timeout: 20_000 };

Deno.test("irc registration sends 001 to 005 with an honest ISUPPORT, then 422", T, async () => {
  await using server = startIrcServer();
  await using alice = await IrcClient.connect(server.ircPort);
  await alice.send("NICK alice");
  await alice.send("USER alice 0 * :Alice");
  await alice.waitFor(/^:\S+ 001 alice :Welcome/);
  await alice.waitFor(/^:\S+ 004 alice /);
  const isupport = await alice.waitFor(/^:\S+ 005 alice /);
  for (const token of ["CASEMAPPING=rfc8265", "CHANTYPES=#", "NICKLEN=20", "CHANMODES=b,,,"]) {
    assert(isupport.includes(token), `${token} in ${isupport}`);
  }
  await alice.waitFor(/ 005 alice .*UTF8ONLY/);
  await alice.waitFor(/^:\S+ 422 alice /);
});

Deno.test(
  "irc registration waits for CAP END and acknowledges known capabilities only",
  T,
  async () => {
    await using server = startIrcServer();
    await using alice = await IrcClient.connect(server.ircPort);
    await alice.send("CAP LS 302");
    const ls = await alice.waitFor(/ CAP \* LS :/);
    assertMatch(ls, /sasl=PLAIN/);
    await alice.send("NICK alice");
    await alice.send("USER alice 0 * :Alice");
    await alice.send("CAP REQ :server-time nonsense");
    await alice.waitFor(/ CAP \S+ NAK :server-time nonsense$/);
    await alice.send("CAP REQ :server-time echo-message");
    await alice.waitFor(/ CAP \S+ ACK :server-time echo-message$/);
    await alice.send("CAP LIST");
    await alice.waitFor(/ CAP \S+ LIST :server-time echo-message$/);
    assert(!alice.received.some((line) => / 001 /.test(line)), "no welcome before CAP END");
    await alice.send("CAP END");
    await alice.waitFor(/ 001 alice /);
  },
);

Deno.test("irc errors are numerics, never a disconnect", T, async () => {
  await using server = startIrcServer();
  await using bob = await IrcClient.register(server.ircPort, "bob");
  await using alice = await IrcClient.connect(server.ircPort);
  await alice.send("JOIN #math");
  await alice.waitFor(/ 451 \* :You have not registered/);
  await alice.send("NICK");
  await alice.waitFor(/ 431 /);
  await alice.send("NICK bad#nick");
  await alice.waitFor(/ 432 \* bad#nick /);
  await alice.send("NICK bob");
  await alice.send("USER alice 0 * :Alice");
  await alice.waitFor(/ 433 bob bob /);
  await alice.send("NICK alice");
  await alice.waitFor(/ 001 alice /);
  await alice.send("FROB x");
  await alice.waitFor(/ 421 alice FROB /);
  await alice.send("USER a 0 * :again");
  await alice.waitFor(/ 462 alice /);
  await alice.send("PRIVMSG");
  await alice.waitFor(/ 411 alice /);
  await alice.send("KICK #math");
  await alice.waitFor(/ 461 alice KICK /);
  await alice.send("PRIVMSG nobody :hi");
  await alice.waitFor(/ 401 alice nobody /);
  await alice.send("PRIVMSG #math :hi");
  await alice.waitFor(/ 404 alice #math /);
  await alice.send("PART #math");
  await alice.waitFor(/ 442 alice #math /);
  await alice.send("KICK #math bob");
  await alice.waitFor(/ 403 alice #math /);
  await bob.join("#lobby");
  await alice.send("TOPIC #lobby");
  await alice.waitFor(/ 442 alice #lobby /);
  await alice.write(new Uint8Array([...new TextEncoder().encode("PRIVMSG bob :a"), 0xaa, 13, 10]));
  await alice.waitFor(/ FAIL PRIVMSG INVALID_UTF8 /);
  await alice.join("#math");
  await alice.send("KICK #math bob");
  await alice.waitFor(/ 482 alice #math /);
  await alice.send("PRIVMSG #math :" + "x".repeat(600));
  await alice.waitFor(/ 417 alice /);
  await alice.write("PRIVMSG #math :a\0b\r\n");
  await alice.send("PING :still-here");
  await alice.waitFor(/ PONG \S+ :still-here$/);
  await bob.send("PING :bob-too");
  await bob.waitFor(/ PONG \S+ :bob-too$/);
});

Deno.test(
  "irc members, a nc user and each other see each other's lines in one room",
  T,
  async () => {
    await using server = startIrcServer();
    await using nc = await LineClient.connect(server.port);
    await nc.join("carol");
    await nc.send("/join math");
    await nc.waitFor(isMembersLine);
    await using alice = await IrcClient.register(server.ircPort, "alice");
    await using bob = await IrcClient.register(server.ircPort, "bob");
    await alice.join("#math");
    await bob.join("#math");
    await alice.waitFor(":bob!bob@chat JOIN #math");
    await nc.waitFor("bob님이 입장하셨습니다.");
    await alice.send("PRIVMSG #math :hello from irc");
    await bob.waitFor(":alice!alice@chat PRIVMSG #math :hello from irc");
    await nc.waitFor("alice> hello from irc");
    await nc.send("hello from nc");
    await alice.waitFor(":carol!carol@chat PRIVMSG #math :hello from nc");
    await bob.waitFor(":carol!carol@chat PRIVMSG #math :hello from nc");
    await alice.send("PRIVMSG #math :\x01ACTION waves\x01");
    await nc.waitFor("* alice waves");
    await bob.waitFor(":alice!alice@chat PRIVMSG #math :\x01ACTION waves\x01");
    // Alice did not ask for echo-message: her own lines are not sent back.
    await alice.send("PING :mark");
    await alice.waitFor(/ PONG \S+ :mark$/);
    assert(!alice.received.some((line) => line.startsWith(":alice!alice@chat PRIVMSG")));
  },
);

Deno.test("irc echo-message sends the client its own lines, others' as before", T, async () => {
  await using server = startIrcServer();
  await using alice = await IrcClient.register(server.ircPort, "alice", ["echo-message"]);
  await using bob = await IrcClient.register(server.ircPort, "bob");
  await alice.join("#math");
  await bob.join("#math");
  await alice.send("PRIVMSG #math :echoed");
  await alice.waitFor(":alice!alice@chat PRIVMSG #math :echoed");
  await bob.waitFor(":alice!alice@chat PRIVMSG #math :echoed");
  await bob.send("PRIVMSG #math :not echoed to bob");
  await alice.waitFor(":bob!bob@chat PRIVMSG #math :not echoed to bob");
  await bob.send("PING :mark");
  await bob.waitFor(/ PONG \S+ :mark$/);
  assert(!bob.received.some((line) => line.startsWith(":bob!bob@chat PRIVMSG")));
});

Deno.test("irc whispers go both ways between an IRC user and a nc user", T, async () => {
  await using server = startIrcServer();
  await using nc = await LineClient.connect(server.port);
  await nc.join("carol");
  await using alice = await IrcClient.register(server.ircPort, "alice");
  await alice.send("PRIVMSG carol :psst");
  await nc.waitFor("[귓속말] alice> psst");
  await nc.send("@alice hi back");
  await alice.waitFor(":carol!carol@chat PRIVMSG alice :hi back");
  await alice.send("PRIVMSG carol :\x01VERSION\x01");
  await alice.waitFor((line) =>
    line.startsWith(":carol!carol@chat NOTICE alice :\x01VERSION tcp-chat")
  );
});

Deno.test(
  "irc server-time and message-tags tag room lines; history comes as a batch",
  T,
  async () => {
    await using server = startIrcServer({ historyLimit: 5 });
    await using nc = await LineClient.connect(server.port);
    await nc.join("carol");
    await nc.send("said before");
    await nc.waitFor("carol> said before");
    await using alice = await IrcClient.register(server.ircPort, "alice", [
      "server-time",
      "message-tags",
      "batch",
    ]);
    await alice.send("JOIN #lobby");
    await alice.waitFor(/^@time=\S+ :alice!alice@chat JOIN #lobby$/);
    await alice.waitFor(/ 366 alice #lobby /);
    const start = await alice.waitFor(/^:\S+ BATCH \+(\S+) chathistory #lobby$/);
    const id = start.split(" ")[2].slice(1);
    await alice.waitFor(
      new RegExp(
        `^@time=\\d{4}-\\d\\d-\\d\\dT[^;]+;msgid=[^;]+;batch=${id} :carol!carol@chat PRIVMSG #lobby :said before$`,
      ),
    );
    await alice.waitFor(new RegExp(`^:\\S+ BATCH -${id}$`));
    await nc.send("said after");
    const line = await alice.waitFor(/PRIVMSG #lobby :said after$/);
    assertMatch(line, /^@time=\S+;msgid=\S+ :carol!carol@chat /);
  },
);

Deno.test(
  "irc PART, NICK and QUIT reach the others; a nick change needs a free name",
  T,
  async () => {
    await using server = startIrcServer();
    await using nc = await LineClient.connect(server.port);
    await nc.join("carol");
    await using alice = await IrcClient.register(server.ircPort, "alice");
    await using bob = await IrcClient.register(server.ircPort, "bob");
    await alice.join("#lobby");
    await bob.join("#lobby");
    await bob.send("NICK carol");
    await bob.waitFor(/ 433 bob carol /);
    await bob.send("NICK bobby");
    await bob.waitFor(":bob!bob@chat NICK bobby");
    await alice.waitFor(":bob!bob@chat NICK bobby");
    await nc.waitFor("bob님의 닉네임이 bobby(으)로 바뀌었습니다.");
    await bob.send("PART #lobby :bye");
    await bob.waitFor(":bobby!bobby@chat PART #lobby :bye");
    await alice.waitFor(":bobby!bobby@chat PART #lobby :bye");
    await nc.waitFor("bobby님이 #lobby 방에서 나갔습니다. 사유: bye");
    await alice.send("QUIT :done");
    await alice.waitFor(/^ERROR :Closing Link: Quit: done$/);
    await alice.waitClosed();
    await nc.waitFor("alice님이 퇴장하셨습니다.");
  },
);

Deno.test("irc topic, names, who, whois and list answer from the chat", T, async () => {
  await using server = startIrcServer();
  await using alice = await IrcClient.register(server.ircPort, "alice");
  await using bob = await IrcClient.register(server.ircPort, "bob");
  await alice.join("#math");
  await bob.join("#math");
  await alice.send("TOPIC #math");
  await alice.waitFor(/ 331 alice #math /);
  await alice.send("TOPIC #math :proofs today");
  await bob.waitFor(":alice!alice@chat TOPIC #math :proofs today");
  await bob.send("TOPIC #math");
  await bob.waitFor(/ 332 bob #math :proofs today$/);
  await bob.send("NAMES #math");
  await bob.waitFor(/ 353 bob = #math :alice bob$/);
  await bob.waitFor(/ 366 bob #math /);
  await bob.send("WHO #math");
  await bob.waitFor(/ 352 bob #math alice chat \S+ alice H :0 alice$/);
  await bob.waitFor(/ 315 bob #math /);
  await alice.send("AWAY :lunch");
  await alice.waitFor(/ 306 alice /);
  await bob.send("WHOIS alice");
  await bob.waitFor(/ 311 bob alice alice chat \* :?alice$/);
  await bob.waitFor(/ 301 bob alice :?lunch$/);
  await bob.waitFor(/ 318 bob alice /);
  await bob.send("LIST");
  await bob.waitFor(/ 322 bob #math 2 :?$/);
  await bob.waitFor(/ 323 bob /);
});

Deno.test("irc operators kick and ban with KICK and MODE +b; others get 482", T, async () => {
  await using server = startIrcServer({ opPassword: "sekrit" });
  await using alice = await IrcClient.register(server.ircPort, "alice");
  await using bob = await IrcClient.register(server.ircPort, "bob");
  await using dave = await IrcClient.register(server.ircPort, "dave");
  await alice.join("#lobby");
  await bob.join("#lobby");
  await dave.join("#lobby");
  await bob.send("MODE #lobby +b alice!*@*");
  await bob.waitFor(/ 482 bob #lobby /);
  await alice.send("OPER alice sekrit");
  await alice.waitFor(/ 381 alice /);
  await alice.send("KICK #lobby bob :behave");
  await bob.waitFor(":alice!alice@chat KICK #lobby bob :behave");
  await bob.waitClosed();
  await dave.waitFor(":alice!alice@chat KICK #lobby bob :behave");
  await alice.send("MODE #lobby +b dave!*@*");
  await dave.waitClosed();
  await alice.send("MODE #lobby b");
  await alice.waitFor(/ 367 alice #lobby \*!\*@127\.0\.0\.1$/);
  await alice.waitFor(/ 368 alice #lobby /);
});

Deno.test("irc SASL PLAIN logs in to an account made by a nc user", T, async () => {
  await using server = startIrcServer();
  {
    await using nc = await LineClient.connect(server.port);
    await nc.join("carol");
    await nc.send("/register longpassword1");
    await nc.waitFor((line) => line.includes("carol"));
    await nc.send("/quit");
    await nc.waitClosed();
  }
  await using irc = await IrcClient.connect(server.ircPort);
  await irc.send("CAP LS 302");
  await irc.send("NICK somebody");
  await irc.send("USER x 0 * :x");
  await irc.send("CAP REQ :sasl");
  await irc.waitFor(/ ACK :sasl$/);
  await irc.send("AUTHENTICATE PLAIN");
  await irc.waitFor("AUTHENTICATE +");
  await irc.send(`AUTHENTICATE ${btoa("\0carol\0wrong-password")}`);
  await irc.waitFor(/ 904 /);
  await irc.send("AUTHENTICATE PLAIN");
  await irc.waitFor("AUTHENTICATE +");
  await irc.send(`AUTHENTICATE ${btoa("\0carol\0longpassword1")}`);
  await irc.waitFor(/ 900 \S+ carol!carol@chat carol /);
  await irc.waitFor(/ 903 /);
  await irc.send("CAP END");
  // Logged in under the nickname it asked for; the account's is its to take.
  await irc.waitFor(/ 001 somebody /);
  await irc.send("NICK carol");
  await irc.waitFor(/^:somebody!somebody@chat NICK carol$/);
  await irc.send("WHOIS carol");
  await irc.waitFor(/ 330 carol carol carol :is logged in as$/);
  // Without SASL, the registered nickname is refused.
  await using other = await IrcClient.connect(server.ircPort);
  await other.send("NICK carol");
  await other.send("USER y 0 * :y");
  await other.waitFor(/ 433 carol carol /);
  assertEquals(other.received.filter((line) => / 001 /.test(line)), []);
});

Deno.test(
  "irc USERHOST, TIME and userhost-in-names describe users as they registered",
  T,
  async () => {
    await using server = startIrcServer();
    await using alice = await IrcClient.register(server.ircPort, "alice", ["userhost-in-names"]);
    await using bob = await IrcClient.register(server.ircPort, "bob");
    await bob.send("AWAY :out");
    await bob.waitFor(/ 306 bob /);
    await alice.send("USERHOST alice bob nobody");
    await alice.waitFor(/ 302 alice :alice=\+alice@chat bob=-bob@chat$/);
    await alice.send("TIME");
    await alice.waitFor(/ 391 alice \S+ :?\w{3}, /);
    await bob.join("#math");
    await alice.send("JOIN #math");
    await alice.waitFor(/ 353 alice = #math :bob!bob@chat alice!alice@chat$/);
  },
);

Deno.test("irc, nc and web members of one room see each other's lines", T, async () => {
  await using server = startIrcServer({ web: { port: 0 } });
  await using nc = await LineClient.connect(server.port);
  await nc.join("carol");
  await using web = await WsClient.connect(server.server.webAddr!.port);
  await web.join("dave");
  await using alice = await IrcClient.register(server.ircPort, "alice");
  await alice.join("#lobby");
  await alice.send("PRIVMSG #lobby :from irc");
  await nc.waitFor("alice> from irc");
  await web.waitFor((e) => e.type === "message" && e.nick === "alice" && e.text === "from irc");
  await web.send("from the web");
  await alice.waitFor(":dave!dave@chat PRIVMSG #lobby :from the web");
  await nc.waitFor("dave> from the web");
  await nc.send("from nc");
  await alice.waitFor(":carol!carol@chat PRIVMSG #lobby :from nc");
  await web.waitFor((e) => e.type === "message" && e.nick === "carol" && e.text === "from nc");
});

Deno.test("irc WHO takes a mask over the channel and marks operators with *", T, async () => {
  await using server = startIrcServer({ opPassword: "sekrit" });
  await using alice = await IrcClient.register(server.ircPort, "alice");
  await using bob = await IrcClient.register(server.ircPort, "bob");
  await alice.join("#math");
  await bob.join("#math");
  await alice.send("OPER alice sekrit");
  await alice.waitFor(/ 381 alice /);
  await bob.send("WHO al*");
  await bob.waitFor(/ 352 bob \* alice chat \S+ alice H\* :0 alice$/);
  await bob.waitFor(/ 315 bob al\* /);
  await bob.send("WHOIS alice");
  await bob.waitFor(/ 313 bob alice /);
});

Deno.test("irc pings a silent client and closes it when no answer comes", T, async () => {
  await using server = startIrcServer({
    irc: { port: 0, ping: { intervalMs: 200, timeoutMs: 200 } },
  });
  await using alice = await IrcClient.register(server.ircPort, "alice");
  await using bob = await IrcClient.register(server.ircPort, "bob");
  // Alice answers every PING and stays; bob says nothing and is closed.
  await alice.waitFor(/^PING :/);
  await alice.send("PONG :tcp-chat.server");
  await bob.waitFor(/^PING :/);
  await bob.waitFor(/^ERROR :Closing Link: Ping timeout/);
  await bob.waitClosed();
  await alice.waitFor(/^PING :/);
  await alice.send("PING :alive");
  await alice.waitFor(/ PONG \S+ :alive$/);
});

Deno.test(
  "irc closes a client that never registers; garbage gets no answer and no close",
  T,
  async () => {
    await using server = startIrcServer({ nicknameTimeoutMs: 300 });
    await using alice = await IrcClient.register(server.ircPort, "alice");
    await using idle = await IrcClient.connect(server.ircPort);
    await idle.send("NICK idle");
    await idle.waitFor(/^ERROR :Closing Link: Registration timeout$/);
    await idle.waitClosed();
    await alice.write("\x00\x01\x02 garbage\r\n:only-a-source\r\n@a=b\r\n\r\n");
    await alice.send(`JOIN ${Array.from({ length: 100 }, (_, i) => `#r${i}`).join(",")}`);
    await alice.send("PING :after-garbage");
    await alice.waitFor(/ PONG \S+ :after-garbage$/);
  },
);

Deno.test(
  "irc users are in several channels; NICK and QUIT reach a shared member once",
  T,
  async () => {
    await using server = startIrcServer();
    await using alice = await IrcClient.register(server.ircPort, "alice");
    await using bob = await IrcClient.register(server.ircPort, "bob");
    await using nc = await LineClient.connect(server.port);
    await nc.join("carol");
    await alice.join("#a");
    await alice.join("#b");
    await bob.join("#a");
    await bob.join("#b");
    await alice.send("PRIVMSG #a :in a");
    await bob.waitFor(":alice!alice@chat PRIVMSG #a :in a");
    await alice.send("PRIVMSG #b :in b");
    await bob.waitFor(":alice!alice@chat PRIVMSG #b :in b");
    await nc.send("/join b");
    await nc.waitFor(isMembersLine);
    await alice.send("PART #a :only a");
    await bob.waitFor(":alice!alice@chat PART #a :only a");
    await alice.send("PRIVMSG #a :not there");
    await alice.waitFor(/ 404 alice #a /);
    await alice.join("#a");
    await alice.send("NICK alicia");
    await bob.waitFor(":alice!alice@chat NICK alicia");
    await nc.waitFor("alice님의 닉네임이 alicia(으)로 바뀌었습니다.");
    await alice.send("QUIT :bye");
    await bob.waitFor(/^:alicia!alicia@chat QUIT /);
    await bob.send("PING :mark");
    await bob.waitFor(/ PONG \S+ :mark$/);
    const once = (prefix: string) => bob.received.filter((line) => line.startsWith(prefix)).length;
    assertEquals(once(":alice!alice@chat NICK"), 1, "one NICK line for two shared rooms");
    assertEquals(once(":alicia!alicia@chat QUIT"), 1, "one QUIT line for two shared rooms");
  },
);

Deno.test("irc MODE on a channel nobody is in is 403, on another's channel 442", T, async () => {
  await using server = startIrcServer();
  await using alice = await IrcClient.register(server.ircPort, "alice");
  await using bob = await IrcClient.register(server.ircPort, "bob");
  await bob.join("#b");
  await alice.send("MODE #nowhere +o bob");
  await alice.waitFor(/ 403 alice #nowhere /);
  await alice.send("MODE #b b");
  await alice.waitFor(/ 442 alice #b /);
});
