// The address a request came from, read where the deployment's proxies put it: the key of the refused-request budget.
import { isIP } from 'node:net';

/**
 * Which `X-Forwarded-For` entry is the caller's address, counted from the right: each proxy in front of the app
 * appends the address it was connected from, Azure's own front end last, and a client can only write entries to
 * the left of theirs. 1 is Azure Functions alone; 2 is one proxy in front (Front Door, Application Gateway); 0 is
 * a host where nothing in front appends, so every entry is the caller's own writing and none is read.
 */
export interface ClientAddressSource {
  readonly forwardedForEntry: number;
}

/** Azure Functions alone: the entry its front end appends. */
export const FUNCTIONS_ALONE: ClientAddressSource = { forwardedForEntry: 1 };

/** Nothing in front appends an address: one key for every request. */
export const UNATTRIBUTED = 'anyone';
/** No `X-Forwarded-For` at all: one key for every such request. */
export const NO_FORWARDED_FOR = 'direct';
/** Fewer entries than the proxies configured append: the request did not come the configured way; one key for all of them. */
export const SHORT_CHAIN = 'short-chain';
/** The entry in the caller's place is no address: one key for all of them. */
export const NOT_AN_ADDRESS = 'invalid';

/** Longer than any address with a port; the rest of an entry is not looked at. */
const MAX_ENTRY_CHARS = 64;

/**
 * The `source.forwardedForEntry`-th `X-Forwarded-For` entry from the right, without its port. An IPv6 address
 * counts by its /64, which one host commonly holds whole; an IPv4-mapped one is its IPv4 address. Every other
 * outcome is one fixed key (`anyone`, `direct`, `short-chain`, `invalid`), never a value the caller wrote: the entries a
 * caller writes sit to the left of the ones counted, so no header it sends can choose or rotate its key. Reads at
 * most the counted entries, from the right, whatever the header's length. Throws nothing.
 */
export function clientAddress(request: Request, source: ClientAddressSource = FUNCTIONS_ALONE): string {
  if (source.forwardedForEntry < 1) return UNATTRIBUTED;
  const header = request.headers.get('x-forwarded-for');
  if (header === null) return NO_FORWARDED_FOR;
  const entry = entryFromRight(header, source.forwardedForEntry);
  if (entry === undefined) return SHORT_CHAIN;
  const host = withoutPort(entry);
  switch (isIP(host)) {
    case 4:
      return host;
    case 6:
      return prefix64(host) ?? NOT_AN_ADDRESS;
    default:
      return NOT_AN_ADDRESS;
  }
}

/** The `position`-th comma-separated entry from the right, trimmed and cut; undefined when there are fewer. */
function entryFromRight(header: string, position: number): string | undefined {
  let end = header.length;
  for (let skipped = 1; skipped < position; skipped += 1) {
    const comma = end === 0 ? -1 : header.lastIndexOf(',', end - 1);
    if (comma === -1) return undefined;
    end = comma;
  }
  const start = end === 0 ? 0 : header.lastIndexOf(',', end - 1) + 1;
  return header.slice(start, end).trim().slice(0, MAX_ENTRY_CHARS);
}

function withoutPort(entry: string): string {
  if (entry.startsWith('[')) {
    const end = entry.indexOf(']');
    return end === -1 ? entry : entry.slice(1, end);
  }
  const colon = entry.indexOf(':');
  // One colon: IPv4 with a port (Azure writes `ip:port`). More: a bare IPv6 address.
  return colon !== -1 && colon === entry.lastIndexOf(':') ? entry.slice(0, colon) : entry;
}

/**
 * The /64 of an IPv6 address, from its canonical form (the URL parser's: lower case, hexadecimal, `::` where it
 * belongs), so one address written many ways is one key. Undefined for what the parser refuses (a zone id).
 */
function prefix64(address: string): string | undefined {
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped !== null) {
    const high = Number.parseInt(mapped[1] ?? '0', 16);
    const low = Number.parseInt(mapped[2] ?? '0', 16);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  const [head = '', tail] = canonical.split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined) {
    const tailGroups = tail === '' ? [] : tail.split(':');
    groups.push(...Array<string>(8 - groups.length - tailGroups.length).fill('0'), ...tailGroups);
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}
