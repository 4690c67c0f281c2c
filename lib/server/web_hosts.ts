/**
 * Which names a request to the web port may be addressed to (its `Host`), and so
 * which pages may open the WebSocket (their `Origin`): the server's own names and
 * addresses with its port, plus the hosts the operator allows. A page served
 * under any other name is another site, even when that name's DNS answers with
 * our address (DNS rebinding): its requests carry its own name as `Host` and are
 * refused, and its origin is not ours.
 *
 * @module
 */

/** The characters of a `Host`: a name, an IPv4 address or a bracketed IPv6 one, a port. */
const HOST_CHARS = /^[A-Za-z0-9._\-\[\]:]+$/;
/**
 * How often, at most, the machine's addresses are listed again after a miss:
 * they change (Wi-Fi, DHCP), and a flood of bad names costs one listing per period.
 */
const INTERFACES_REFRESH_MS = 5_000;

/**
 * Tells whether an entry can be an allowed host (`--web-host-allow`): a name or an
 * address, with an optional `:port` (an IPv6 address in brackets when it has a port).
 *
 * @param entry The entry as given.
 * @returns `true` when {@linkcode WebHosts} accepts it.
 */
export function isAllowableHost(entry: string): boolean {
  return parseHost(bracketed(entry.trim()), "http") !== undefined;
}

/** Options for {@linkcode WebHosts}. */
export interface WebHostsOptions {
  /** The web listener's address: its port, and its address unless it is a wildcard. */
  addr: Deno.NetAddr;
  /** The name the listener was asked to bind (`--web-host`), when it is a name. @default {undefined} */
  hostname?: string;
  /**
   * More hosts the page may be reached at (a reverse proxy's name, a port
   * forwarded elsewhere): `name` (any port) or `name:port`.
   * @default {[]}
   */
  allowed?: readonly string[];
  /** Whether the port serves TLS (its pages' origins are then `https://`). @default {false} */
  tls?: boolean;
  /**
   * The machine's addresses, for a listener bound to every interface.
   * @default {the addresses of `Deno.networkInterfaces()`, or none without the permission}
   */
  interfaces?: () => readonly string[];
}

/** A host as compared: the URL parser's form of its name, and its port (`""`: the default). */
interface ParsedHost {
  name: string;
  port: string;
}

/** The server's own names and the allowed ones, checked once for the page and the socket. */
export class WebHosts {
  readonly #scheme: "http" | "https";
  readonly #port: string;
  /** The server's own names, with its port and scheme only. */
  readonly #own = new Set<string>();
  /** Allowed `name:port` entries, as `name port`. */
  readonly #allowedExact = new Set<string>();
  /** Allowed names with any port. */
  readonly #allowedNames = new Set<string>();
  readonly #wildcard: boolean;
  readonly #interfaces: () => readonly string[];
  #interfaceNames: ReadonlySet<string> = new Set();
  #listedAt = -Infinity;

  /**
   * @param options The bound address, the name asked for, the allowed hosts, TLS.
   * @throws {TypeError} When an allowed host cannot be a `Host` (`Cannot allow host ...`).
   */
  constructor(options: WebHostsOptions) {
    this.#scheme = options.tls ? "https" : "http";
    this.#port = parseHost(`localhost:${options.addr.port}`, this.#scheme)!.port;
    this.#wildcard = isWildcard(options.addr.hostname);
    const own = ["localhost", "127.0.0.1", "::1", options.addr.hostname, options.hostname ?? ""]
      // A wildcard is no name to open a page at (browsers that accept 0.0.0.0 reach any service).
      .filter((name) => name !== "" && !isWildcard(name));
    for (const name of own) {
      const parsed = parseHost(bracketed(name), this.#scheme);
      if (parsed !== undefined) this.#own.add(parsed.name);
    }
    for (const entry of options.allowed ?? []) {
      if (!isAllowableHost(entry)) {
        throw new TypeError(
          `Cannot allow host ${
            JSON.stringify(entry)
          }: expected a name or an address, with an optional :port`,
        );
      }
      const text = bracketed(entry.trim());
      const parsed = parseHost(text, this.#scheme)!;
      if (/:\d+$/.test(text)) this.#allowedExact.add(`${parsed.name} ${parsed.port}`);
      else this.#allowedNames.add(parsed.name);
    }
    this.#interfaces = options.interfaces ?? machineAddresses;
  }

  /**
   * Tells whether a request may be addressed to `host`: one of the server's own
   * names or addresses with its port, or an allowed host.
   *
   * @param host The `Host` header.
   * @returns `true` when allowed.
   */
  allowsHost(host: string | undefined): boolean {
    const parsed = host === undefined ? undefined : parseHost(host, this.#scheme);
    return parsed !== undefined && this.#allows(parsed, true);
  }

  /**
   * Tells whether a page from `origin` is one of ours: served over this port's
   * scheme from an own name or address with its port, or from an allowed host
   * (over HTTP or HTTPS: a proxy in front may add TLS).
   *
   * @param origin The `Origin` header (`http://127.0.0.1:8080`).
   * @returns `true` when it is.
   */
  allowsOrigin(origin: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    const scheme = url.protocol.slice(0, -1);
    if (url.origin !== origin.toLowerCase() || (scheme !== "http" && scheme !== "https")) {
      return false;
    }
    const parsed = parseHost(url.host, scheme);
    return parsed !== undefined && this.#allows(parsed, scheme === this.#scheme);
  }

  #allows(host: ParsedHost, ownScheme: boolean): boolean {
    if (this.#allowedNames.has(host.name)) return true;
    if (this.#allowedExact.has(`${host.name} ${host.port}`)) return true;
    if (!ownScheme || host.port !== this.#port) return false;
    if (this.#own.has(host.name)) return true;
    if (!this.#wildcard) return false;
    return this.#interfaceNames.has(host.name) || this.#relisted().has(host.name);
  }

  /** The machine's addresses, listed again unless that was done a moment ago. */
  #relisted(): ReadonlySet<string> {
    const now = Date.now();
    if (now - this.#listedAt < INTERFACES_REFRESH_MS) return this.#interfaceNames;
    this.#listedAt = now;
    const names = new Set<string>();
    for (const address of this.#interfaces()) {
      const parsed = parseHost(bracketed(address), this.#scheme);
      if (parsed !== undefined) names.add(parsed.name);
    }
    this.#interfaceNames = names;
    return names;
  }
}

/**
 * Parses a `Host` the way a browser writes the URL it was opened at: lower case,
 * IPv4 in dotted form, IPv6 compressed in brackets, a trailing dot dropped, the
 * scheme's default port as `""`.
 *
 * @returns The host, or `undefined` when it is not a plain `name[:port]`.
 */
function parseHost(text: string, scheme: "http" | "https"): ParsedHost | undefined {
  if (!HOST_CHARS.test(text)) return undefined;
  try {
    const url = new URL(`${scheme}://${text}/`);
    const name = url.hostname.endsWith(".") ? url.hostname.slice(0, -1) : url.hostname;
    return name === "" ? undefined : { name, port: url.port };
  } catch {
    return undefined;
  }
}

/** Whether an address means every interface. */
function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::" || address === "[::]";
}

/** An IPv6 address in brackets, as it appears in a `Host`; anything else as it is. */
function bracketed(host: string): string {
  if (host.startsWith("[")) return host;
  const colons = host.split(":").length - 1;
  return colons > 1 ? `[${host}]` : host;
}

/**
 * The machine's addresses, or none when Deno may not list them. Link-local IPv6
 * addresses are left out: a URL cannot carry their zone.
 */
function machineAddresses(): string[] {
  try {
    return Deno.networkInterfaces()
      .map((i) => i.address)
      .filter((address) => !/^fe[89ab]/i.test(address));
  } catch {
    return [];
  }
}
