// Raw JSON-RPC over HTTP, for the answers an SDK client turns into exceptions (401s, challenges).
import { mcpHeaders } from './mcpClient.js';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export async function postMcp(mcpUrl: string, token: string | undefined, message: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const response = await fetch(mcpUrl, { method: 'POST', headers: mcpHeaders(token, { 'mcp-protocol-version': '2025-11-25', ...headers }), body: JSON.stringify(message) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) as unknown };
}

export function callToolMessage(name: string, args: Record<string, unknown> = {}, id = 1): unknown {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}

/** The typed error code of an `isError` tool result. */
export function toolErrorCode(result: { _meta?: Record<string, unknown> }): string | undefined {
  return (result._meta?.['onbehalf/error'] as { code?: string } | undefined)?.code;
}
