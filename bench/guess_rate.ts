/**
 * Password guessing as the attacker of issue 19 measured it, against a running
 * server on 127.0.0.1: `PARALLEL` connections at once, each one guess of the
 * server password (closing as soon as the answer comes, then a new connection),
 * or three `/op` guesses a connection (then a new one). A lobby member counts the
 * joins and leaves the guessing puts in the room. Prints what was answered, per
 * second.
 *
 * ```sh
 * deno run -A main.ts server --port 23456 --password s3cret --op-password teach --quiet --data none
 * deno run -A bench/guess_rate.ts 23456 server 10 50
 * deno run -A bench/guess_rate.ts 23456 op 10 50
 * ```
 *
 * The server's strings are the Korean ones (its default `--lang`).
 *
 * @module
 */

const [portArg, mode = "server", secondsArg = "10", parallelArg = "50"] = Deno.args;
const port = Number(portArg);
const seconds = Number(secondsArg);
const parallel = Number(parallelArg);
if (!Number.isInteger(port) || (mode !== "server" && mode !== "op")) {
  console.error("usage: guess_rate.ts PORT server|op [SECONDS] [PARALLEL]");
  Deno.exit(2);
}

const PASSWORD_PROMPT = "비밀번호를 입력하세요:";
const NICK_PROMPT = "닉네임을 입력하세요:";
const WRONG = "비밀번호가 틀렸습니다.";
const OP_WRONG = "운영자 비밀번호가 틀렸습니다.";
const OP_CLOSING = /^운영자 비밀번호가 \d+번 틀려 연결을 종료합니다\.$/;
const LOCKOUT = "이 주소에서 비밀번호를 너무 많이 틀렸습니다. 잠시 후 다시 시도하세요.";
const TOO_MANY = /^이 주소에서 접속이 너무 많습니다/;

const counts = { wrong: 0, lockout: 0, refusedAtDoor: 0, joins: 0, leaves: 0 };
const deadline = performance.now() + seconds * 1000;
let sequence = 0;

/** One connection's lines, read as they come. */
class Lines {
  #conn: Deno.Conn;
  #buffer = "";
  #decoder = new TextDecoder();
  #chunk = new Uint8Array(16 * 1024);

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** The next line, or `null` at the end. */
  async next(): Promise<string | null> {
    while (true) {
      const lf = this.#buffer.indexOf("\n");
      if (lf >= 0) {
        const line = this.#buffer.slice(0, lf);
        this.#buffer = this.#buffer.slice(lf + 1);
        return line;
      }
      let n: number | null;
      try {
        n = await this.#conn.read(this.#chunk);
      } catch {
        return null;
      }
      if (n === null) return null;
      this.#buffer += this.#decoder.decode(this.#chunk.subarray(0, n), { stream: true });
    }
  }
}

async function send(conn: Deno.Conn, line: string): Promise<void> {
  const bytes = new TextEncoder().encode(line + "\n");
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}

function close(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Closed already.
  }
}

/** One guess of the server password per connection. */
async function guessServer(): Promise<void> {
  while (performance.now() < deadline) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const lines = new Lines(conn);
    try {
      const first = await lines.next();
      if (first === null || TOO_MANY.test(first)) {
        counts.refusedAtDoor++;
        continue;
      }
      if (first !== PASSWORD_PROMPT) continue;
      await send(conn, `guess-${sequence++}`);
      const answer = await lines.next();
      if (answer === WRONG) counts.wrong++;
      else if (answer === LOCKOUT) counts.lockout++;
    } catch {
      // Reset: try again.
    } finally {
      close(conn);
    }
  }
}

/** Three `/op` guesses per connection, then a new one. */
async function guessOp(): Promise<void> {
  while (performance.now() < deadline) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const lines = new Lines(conn);
    try {
      const first = await lines.next();
      if (first === null || TOO_MANY.test(first)) {
        counts.refusedAtDoor++;
        continue;
      }
      if (first !== NICK_PROMPT) continue;
      await send(conn, `g${sequence++}`);
      let line: string | null;
      while ((line = await lines.next()) !== null && line !== "서버에 연결되었습니다.");
      for (let i = 0; i < 3 && performance.now() < deadline; i++) {
        await send(conn, `/op guess-${sequence++}`);
        while ((line = await lines.next()) !== null) {
          if (line === OP_WRONG || OP_CLOSING.test(line)) {
            counts.wrong++;
            break;
          }
          if (line === LOCKOUT) {
            counts.lockout++;
            break;
          }
        }
        if (line === null || line === LOCKOUT) break;
      }
    } catch {
      // Reset: try again.
    } finally {
      close(conn);
    }
  }
}

/** A lobby member who counts the joins and leaves. */
async function watch(): Promise<Deno.Conn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const lines = new Lines(conn);
  const first = await lines.next();
  if (first === PASSWORD_PROMPT) {
    throw new Error("Watch the lobby with a server without --password");
  }
  await send(conn, "watcher");
  (async () => {
    let line: string | null;
    while ((line = await lines.next()) !== null) {
      if (line.endsWith("님이 입장하셨습니다.")) counts.joins++;
      if (line.endsWith("님이 퇴장하셨습니다.")) counts.leaves++;
    }
  })();
  return conn;
}

const watcher = mode === "op" ? await watch() : undefined;
const started = performance.now();
await Promise.all(
  Array.from({ length: parallel }, () => mode === "server" ? guessServer() : guessOp()),
);
const elapsed = (performance.now() - started) / 1000;
if (watcher !== undefined) close(watcher);
const rate = (n: number) => (n / elapsed).toFixed(1);
console.log(
  `${mode}: ${elapsed.toFixed(1)} s, ${parallel} in parallel: ` +
    `${counts.wrong} wrong answers checked (${rate(counts.wrong)}/s), ` +
    `${counts.lockout} refused unchecked (${rate(counts.lockout)}/s), ` +
    `${counts.refusedAtDoor} connections refused at the door (${rate(counts.refusedAtDoor)}/s)` +
    (mode === "op"
      ? `; the lobby saw ${counts.joins} joins and ${counts.leaves} leaves (${
        rate(counts.joins)
      } joins/s)`
      : ""),
);
