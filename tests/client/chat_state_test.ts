import { assertEquals } from "@std/assert";
import { userText } from "../../lib/catalog/user_text.ts";
import { ChatState } from "../../lib/client/chat_state.ts";
import { parseServerLine } from "../../lib/client/server_line.ts";

const ko = userText("ko");
const en = userText("en");

function see(state: ChatState, ...lines: string[]) {
  return lines.map((line) => state.observe(parseServerLine(line)));
}

Deno.test("ChatState learns our nickname at the welcome and follows our renames", () => {
  const state = new ChatState();
  state.nicknameSent(" 민수 ");
  see(state, ko.joined("민수"));
  assertEquals(state.nick, undefined, "not ours before the welcome");
  assertEquals(see(state, ko.connected), [{ room: false, nick: true }]);
  assertEquals(state.nick, "민수");
  see(state, en.renamed("민수", "minsu"));
  assertEquals(state.nick, "minsu");
  // Someone else's rename is not ours.
  see(state, ko.renamed("bob", "bobby"));
  assertEquals(state.nick, "minsu");
  assertEquals(state.members, ["bobby"]);
});

Deno.test("ChatState changes room when our joined notice answers /join", () => {
  const state = new ChatState();
  state.nicknameSent("alice");
  see(state, ko.joined("alice"), ko.connected, ko.joined("bob"));
  assertEquals(state.room, "lobby");
  state.typed("/join #Math");
  // History and the others' lines may come first; our own joined notice decides.
  assertEquals(see(state, ko.message("bob", "bye")), [{ room: false, nick: false }]);
  assertEquals(see(state, ko.joined("ALICE")), [{ room: true, nick: false }]);
  assertEquals(state.room, "Math");
  assertEquals(state.members, [], "a new room: the lobby's members are gone");
  state.typed("/방 잡담");
  see(state, en.joined("alice"));
  assertEquals(state.room, "잡담");
});

Deno.test("ChatState drops a /join the server refused or found pointless", () => {
  const state = new ChatState();
  state.nicknameSent("alice");
  see(state, ko.connected);
  state.typed("/join bad!name");
  see(state, ko.roomInvalid(20));
  state.typed("/join lobby");
  assertEquals(see(state, ko.alreadyInRoom("lobby")), [{ room: false, nick: false }]);
  // Neither /join is still waiting: a later joined notice of ours changes nothing.
  assertEquals(see(state, ko.joined("alice")), [{ room: false, nick: false }]);
  assertEquals(state.room, "lobby");
  state.typed("/join x y");
  see(state, ko.roomsFull(100));
  state.typed("/JOIN math");
  see(state, ko.joined("alice"));
  assertEquals(state.room, "math");
});

Deno.test("ChatState tracks the members of our room, most recently active first", () => {
  const state = new ChatState();
  state.nicknameSent("alice");
  see(
    state,
    ko.joined("alice"),
    ko.connected,
    ko.joined("bob"),
    ko.joined("carol"),
    ko.message("dave", "hi"),
    ko.action("bob", "waves"),
    ko.message("alice", "mine"),
  );
  assertEquals(state.members, ["bob", "dave", "carol"]);
  see(state, ko.left("dave"), ko.kicked("carol", "op", undefined));
  assertEquals(state.members, ["bob"]);
  see(
    state,
    en.who([{ nick: "alice", away: false }, { nick: "erin", away: true }, {
      nick: "bob",
      away: false,
    }]),
  );
  assertEquals(state.members, ["bob", "erin"]);
});

Deno.test("ChatState drops a member who went to another room, and keeps the others", () => {
  const state = new ChatState();
  state.nicknameSent("alice");
  see(state, ko.joined("alice"), ko.connected, ko.joined("bob"), ko.joined("carol"));
  see(state, ko.moved("bob", "math"));
  assertEquals(state.members, ["carol"]);
  see(state, ko.joined("dave"), en.moved("CAROL", "잡담"));
  assertEquals(state.members, ["dave"]);
});

Deno.test("ChatState knows who was in a room before us from the members told on entering", () => {
  // The lines a newcomer gets, in order: joined, welcome, topic, the members.
  const state = new ChatState();
  state.nicknameSent("alice");
  const members = (nicks: string[]) => nicks.map((nick) => ({ nick, away: nick === "carol" }));
  see(
    state,
    ko.joined("alice"),
    ko.connected,
    ko.topic("수학"),
    ko.who(members(["bob", "carol", "alice"])),
  );
  assertEquals(state.members.toSorted(), ["bob", "carol"]);

  // /join: the new room's members replace the old room's.
  state.typed("/join math");
  see(state, ko.joined("alice"), ko.who(members(["민수", "alice"])));
  assertEquals(state.room, "math");
  assertEquals(state.members, ["민수"]);
});

Deno.test("ChatState takes the first names of a cut members list, without the count", () => {
  for (const t of [ko, en]) {
    const state = new ChatState();
    state.nicknameSent("alice");
    const shown = Array.from({ length: 100 }, (_, i) => ({ nick: `u${i}`, away: i % 7 === 0 }));
    see(state, t.joined("alice"), t.connected, t.who(shown, 121));
    assertEquals(state.members.toSorted(), shown.map((e) => e.nick).toSorted());
    // A cut /who adds to what we knew: a member seen since stays.
    see(state, t.joined("zed"), t.who(shown.slice(0, 100), 122));
    assertEquals(state.members.length, 101);
    assertEquals(state.members.includes("zed"), true);
    // A whole list replaces it.
    see(state, t.who([{ nick: "u1", away: false }, { nick: "alice", away: false }]));
    assertEquals(state.members, ["u1"]);
  }
});

Deno.test("ChatState takes the room the server names (a login back in its room), and then ignores our joined notices", () => {
  const state = new ChatState();
  state.nicknameSent("alice");
  // A login that the server puts back in math, not the lobby.
  assertEquals(state.entered("math"), { room: true, nick: false });
  see(state, ko.joined("alice"), ko.connected);
  assertEquals(state.room, "math");
  state.typed("/join art");
  state.typed("/join lobby");
  state.entered("art");
  // Our joined notice in art no longer takes the next /join as answered.
  see(state, ko.joined("alice"));
  assertEquals(state.room, "art");
  state.entered("lobby");
  assertEquals(state.room, "lobby");
});

Deno.test("ChatState on a new connection keeps the nickname and the room, and forgets the members", () => {
  const state = new ChatState();
  state.nicknameSent("alice");
  see(state, ko.connected, ko.joined("bob"));
  state.entered("math");
  see(state, ko.joined("carol"));
  state.newConnection();
  assertEquals([state.nick, state.room, state.members], ["alice", "math", []]);
});
