// One serialisation of a web origin, used for the configured allow list and the request's Origin header alike.

// Schemes whose URL.origin is a tuple origin; every other scheme's origin is opaque ("null").
const SPECIAL = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:']);

export interface ParsedOrigin {
  /** `scheme://host[:port]`, lower case: what origins are compared by. */
  readonly origin: string;
  /** With its colon, e.g. `https:`. */
  readonly scheme: string;
  /** Lower case; IPv6 in brackets. */
  readonly hostname: string;
}

/**
 * `value` as an origin, or `undefined` when it is not one: not a URL, with userinfo, a path, a query
 * or a fragment, no host, or an opaque origin (`null`, `file:`, `data:`). Special schemes take
 * URL.origin (default port dropped). Others (`chrome-extension://<id>`, `vscode-webview://<id>`) keep
 * scheme, host and port, since URL.origin is `"null"` for every one of them and comparing that would
 * admit them all.
 */
export function parseOrigin(value: string): ParsedOrigin | undefined {
  if (/[?#@\\]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || (url.pathname !== '' && url.pathname !== '/')) return undefined;
  const origin = SPECIAL.has(url.protocol) ? url.origin : url.host === '' ? undefined : `${url.protocol}//${url.host}`.toLowerCase();
  if (origin === undefined || origin === 'null') return undefined;
  return { origin, scheme: url.protocol, hostname: url.hostname.toLowerCase() };
}

/** The serialisation `parseOrigin` compares by, or `undefined` for anything that is not an origin. */
export function serializeOrigin(value: string): string | undefined {
  return parseOrigin(value)?.origin;
}
