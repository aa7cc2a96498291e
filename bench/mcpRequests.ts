// The JSON-RPC messages and headers the bench sends, as an MCP client of each era would, and a checked single request.
export const PROTOCOL_VERSION = '2025-11-25';
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/** `legacy`: a 2025-11-25 client (no session: each request stands alone); `modern`: 2026-07-28, `_meta` on every request. */
export type Era = 'legacy' | 'modern';

export type Headers = Readonly<Record<string, string>>;

/** Headers of an MCP POST; with a token for our server, without for the anchor. */
export function mcpHeaders(token: string | undefined, extra: Headers = {}): Headers {
  return {
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    'mcp-protocol-version': PROTOCOL_VERSION,
    ...(token !== undefined && { authorization: `Bearer ${token}` }),
    ...extra,
  };
}

const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL_VERSION, 'io.modelcontextprotocol/clientCapabilities': {} };

/** A request as a client of `era` sends it: its body, and the headers that go with it besides the usual ones. */
export interface EraRequest {
  readonly body: string;
  readonly headers: Headers;
}

function request(era: Era, method: string, params: Record<string, unknown>): EraRequest {
  if (era === 'legacy') return { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), headers: {} };
  const name = typeof params['name'] === 'string' ? params['name'] : undefined;
  return {
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: ENVELOPE } }),
    headers: { 'mcp-protocol-version': MODERN_PROTOCOL_VERSION, 'mcp-method': method, ...(name !== undefined && { 'mcp-name': name }) },
  };
}

export function toolsList(era: Era): EraRequest {
  return request(era, 'tools/list', {});
}

export function toolCall(era: Era, name: string, args: Record<string, unknown>): EraRequest {
  return request(era, 'tools/call', { name, arguments: args });
}

/** A tools/call of `name` whose params its method's schema refuses (`arguments` a list, not an object). */
export function refusedCall(era: Era, name: string): EraRequest {
  return request(era, 'tools/call', { name, arguments: [] });
}


export function initializeBody(): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'onbehalf-bench', version: '1.0.0' } },
  });
}

export interface Answer {
  readonly status: number;
  readonly headers: globalThis.Headers;
  readonly text: string;
}

export async function post(url: string, headers: Headers, body: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The JSON-RPC message of an answer: its JSON body, or the last `data:` event of an SSE stream (the bare SDK's 2025 leg). */
function messageOf(answer: Answer): { result?: Record<string, unknown>; error?: unknown } {
  const sse = (answer.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const json = sse ? answer.text.split('\n').filter((line) => line.startsWith('data:')).at(-1)?.slice(5) ?? '' : answer.text;
  return JSON.parse(json) as { result?: Record<string, unknown>; error?: unknown };
}

/** The `data.code` of a JSON-RPC error answered with HTTP 200; throws, loudly, on anything else. */
export function expectErrorCode(answer: Answer, what: string): unknown {
  const message = answer.status === 200 ? messageOf(answer) : undefined;
  const error = message?.error as { data?: { code?: unknown } } | undefined;
  if (error === undefined) throw new Error(`${what}: expected a JSON-RPC error with HTTP 200: HTTP ${answer.status}: ${answer.text.slice(0, 500)}`);
  return error.data?.code;
}

/** The JSON-RPC result of a successful answer; throws, loudly, on an HTTP error, a JSON-RPC error or a tool error. */
export function expectResult(answer: Answer, what: string): Record<string, unknown> {
  const fail = (why: string) => new Error(`${what}: ${why}: ${answer.text.slice(0, 500)}`);
  if (answer.status !== 200) throw fail(`HTTP ${answer.status}`);
  const message = messageOf(answer);
  if (message.error !== undefined || message.result === undefined) throw fail('JSON-RPC error');
  if (message.result['isError'] === true) throw fail('tool error');
  return message.result;
}
