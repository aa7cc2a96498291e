// Test helpers for raw HTTP: node:http requests (fetch forbids setting Host), JSON-RPC bodies, and WWW-Authenticate parsing.
import { request as httpRequest } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export interface RawRequestOptions {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  readonly chunked?: boolean;
  /** The loopback address to connect from (any of 127.0.0.0/8), so one test can be several callers. */
  readonly localAddress?: string;
}

/** One request over node:http to 127.0.0.1:`port`, with the exact headers given (Host included). */
export function rawRequest(port: number, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined && options.chunked !== true) headers['content-length'] = String(Buffer.byteLength(options.body));
    if (options.chunked === true) headers['transfer-encoding'] = 'chunked';
    // agent: false, one connection per request: a refused upload (answered before its body was read) must not
    // leave a half-read keep-alive connection for the next test's request.
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/mcp', headers, setHost: !('host' in headers), agent: false, localAddress: options.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers: flat, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    // The server may answer (and close) before it has read a refused body; the answer is what counts.
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** The JSON-RPC error body every refusal of ours carries. */
export interface RpcErrorBody {
  readonly jsonrpc: '2.0';
  readonly id: null;
  readonly error: { readonly code: number; readonly message: string; readonly data?: { readonly code?: string } };
}

/** Parses `Bearer a="b", c="d"` into its scheme and auth-params (quoted-string or token values). */
export function parseChallenge(header: string | null | undefined): { scheme: string; params: Record<string, string> } | undefined {
  if (header === null || header === undefined) return undefined;
  const schemeMatch = /^\s*([!#$%&'*+.^_`|~\w-]+)\s*/.exec(header);
  if (schemeMatch === null) return undefined;
  const params: Record<string, string> = {};
  const rest = header.slice(schemeMatch[0].length);
  const param = /\s*([!#$%&'*+.^_`|~\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while ((match = param.exec(rest)) !== null && match[0] !== '') {
    const name = (match[1] ?? '').toLowerCase();
    params[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
  }
  return { scheme: schemeMatch[1] ?? '', params };
}
