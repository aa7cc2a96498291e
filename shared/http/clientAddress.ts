// The address a request came from, as Azure's front end saw it: the key of the refused-request budget.
import { isIP } from 'node:net';

/**
 * The last `X-Forwarded-For` entry, the one Azure's front end appends (a client can only add entries
 * before it), without its port. An IPv6 address counts by its /64, which one host commonly holds
 * whole. `direct` without the header, `invalid` when the entry is no address. Behind a further proxy
 * (Front Door, a gateway) this is that proxy's address: its callers then share one key.
 */
export function clientAddress(request: Request): string {
  const header = request.headers.get('x-forwarded-for');
  if (header === null) return 'direct';
  const entry = header.slice(header.lastIndexOf(',') + 1).trim().slice(0, 64);
  const host = withoutPort(entry);
  switch (isIP(host)) {
    case 4:
      return host;
    case 6:
      return prefix64(host);
    default:
      return 'invalid';
  }
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

function prefix64(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  const [head = '', tail] = address.toLowerCase().split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined) {
    // An embedded IPv4 tail stands for two groups; only the first four groups matter here.
    const tailGroups = tail === '' ? [] : tail.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - tailGroups.length)).fill('0'), ...tailGroups);
  }
  return `${groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}
