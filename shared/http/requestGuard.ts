// DNS-rebinding guard: only our own host name is served, and only listed browser origins may call.
import { HttpError } from './httpError.js';

export interface RequestGuardOptions {
  /** Public base URL; unset means local, where only loopback host names are served. */
  readonly publicUrl: URL | undefined;
  /** Normalised extra origins (`scheme://host[:port]`, lower case). */
  readonly allowedOrigins: readonly string[];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostName(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Throws `HttpError` `host_not_allowed` when `Host` is not ours, and `origin_not_allowed` when a
 * browser `Origin` is neither our host nor listed. Comparing Origin with Host would prove nothing:
 * a rebinding page is same-origin with its own host.
 */
export function guardRequest(request: Request, options: RequestGuardOptions): void {
  const hostHeader = request.headers.get('host') ?? new URL(request.url).host;
  const host = hostName(hostHeader);
  const ourHost = options.publicUrl?.hostname.toLowerCase();
  const hostAllowed = host !== undefined && (ourHost === undefined ? LOOPBACK_HOSTS.has(host) : host === ourHost);
  if (!hostAllowed) {
    throw new HttpError('host_not_allowed', 'This host name is not served here; use the server\'s public URL');
  }

  const origin = request.headers.get('origin');
  if (origin === null) return;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    throw new HttpError('origin_not_allowed', 'The Origin header is not a valid origin');
  }
  const originHost = parsed.hostname.toLowerCase();
  const sameSite = ourHost === undefined ? LOOPBACK_HOSTS.has(originHost) : originHost === ourHost;
  if (!sameSite && !options.allowedOrigins.includes(parsed.origin.toLowerCase())) {
    throw new HttpError('origin_not_allowed', 'This browser origin is not allowed; add it to MCP_ALLOWED_ORIGINS');
  }
}
