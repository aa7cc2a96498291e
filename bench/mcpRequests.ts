// The JSON-RPC messages and headers the bench sends, as an MCP client would, and a checked single request.
export const PROTOCOL_VERSION = '2025-11-25';

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

export function toolsListBody(): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
}

export function toolCallBody(name: string, args: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
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

/** The JSON-RPC result of a successful answer; throws, loudly, on an HTTP error, a JSON-RPC error or a tool error. */
export function expectResult(answer: Answer, what: string): Record<string, unknown> {
  const fail = (why: string) => new Error(`${what}: ${why}: ${answer.text.slice(0, 500)}`);
  if (answer.status !== 200) throw fail(`HTTP ${answer.status}`);
  const message = JSON.parse(answer.text) as { result?: Record<string, unknown>; error?: unknown };
  if (message.error !== undefined || message.result === undefined) throw fail('JSON-RPC error');
  if (message.result['isError'] === true) throw fail('tool error');
  return message.result;
}
