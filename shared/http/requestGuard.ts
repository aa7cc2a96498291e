// DNS-rebinding guard: only our own host name is served, and only our own or listed browser origins may call.
import { HttpError } from './httpError.js';
import { parseOrigin, type ParsedOrigin } from './origin.js';

export interface RequestGuardOptions {
  /** Public base URL; unset means local, where only loopback host names are served. */
  readonly publicUrl: URL | undefined;
  /** Extra origins, serialised by `serializeOrigin`. */
  readonly allowedOrigins: readonly string[];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const LOOPBACK_SCHEMES = new Set(['http:', 'https:']);
// RFC 9110 `uri-host [":" port]`, narrowed to what host names and IP literals use: nothing that could
// turn `http://<host>` into a URL with userinfo, a path or another authority.
const HOST_SYNTAX = /^([a-z0-9._-]+|\[[0-9a-f:.]+\])(?::(\d{0,5}))?$/i;

export interface RequestHost {
  /** Lower case; an IPv6 literal keeps its brackets. Not canonicalised: `127.1` is not `127.0.0.1`. */
  readonly hostname: string;
  /** `hostname[:port]`, safe to put after `http://`. */
  readonly host: string;
}

/** A `Host` value, or `undefined` when it is not a host name or IP literal with an optional port. */
export function parseHost(value: string): RequestHost | undefined {
  const match = HOST_SYNTAX.exec(value);
  if (match === null) return undefined;
  const hostname = (match[1] ?? '').toLowerCase();
  const port = match[2] ?? '';
  if (port !== '' && Number(port) > 65535) return undefined;
  return { hostname, host: port === '' ? hostname : `${hostname}:${port}` };
}

/** The request's `Host` (or, absent, its URL's authority), parsed by `parseHost`. */
export function requestHost(request: Request): RequestHost | undefined {
  return parseHost(request.headers.get('host') ?? new URL(request.url).host);
}

function sameSiteOrigin(origin: ParsedOrigin, publicUrl: URL | undefined): boolean {
  if (publicUrl !== undefined) return origin.origin === publicUrl.origin;
  // Local: a loopback page on any port, over http or https (dev servers and MCP Inspector use both).
  return LOOPBACK_SCHEMES.has(origin.scheme) && LOOPBACK_HOSTS.has(origin.hostname);
}

/**
 * Throws `HttpError` `host_invalid` when `Host` is not a host name, `host_not_allowed` when it is
 * not ours, and `origin_not_allowed` when a browser `Origin` is neither our public URL's origin
 * (scheme, host and port; locally, a loopback origin) nor listed. Comparing Origin with Host would
 * prove nothing: a rebinding page is same-origin with its own host.
 */
export function guardRequest(request: Request, options: RequestGuardOptions): void {
  const host = requestHost(request);
  if (host === undefined) throw new HttpError('host_invalid', 'The Host header is not a host name with an optional port');
  const ourHost = options.publicUrl?.hostname;
  const hostAllowed = ourHost === undefined ? LOOPBACK_HOSTS.has(host.hostname) : host.hostname === ourHost;
  if (!hostAllowed) {
    throw new HttpError('host_not_allowed', 'This host name is not served here; use the server\'s public URL');
  }

  const header = request.headers.get('origin');
  if (header === null) return;
  // `Origin: null` (sandboxed frames, file: pages) parses to nothing and so never matches.
  const origin = parseOrigin(header);
  if (origin === undefined || (!sameSiteOrigin(origin, options.publicUrl) && !options.allowedOrigins.includes(origin.origin))) {
    throw new HttpError('origin_not_allowed', 'This browser origin is not allowed; add it to MCP_ALLOWED_ORIGINS');
  }
}
