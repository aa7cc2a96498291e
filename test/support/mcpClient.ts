// The MCP SDKs' own clients over Streamable HTTP, as a user's agent would connect: the v2 client speaking
// 2026-07-28 or the v1 client speaking 2025-11-25, whichever era the test project runs in.
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport, type CallToolResult, type Implementation, type Tool } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { inject } from 'vitest';

/** `modern`: MCP 2026-07-28 (stateless, `_meta` on every request); `legacy`: the 2025 revisions (`initialize` first). */
export type Era = 'modern' | 'legacy';

/** What the tests ask of a client, whichever SDK line it comes from. */
export interface McpClient {
  readonly era: Era;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<CallToolResult>;
  listTools(): Promise<{ tools: Tool[] }>;
  getServerVersion(): Implementation | undefined;
  close(): Promise<void>;
}

export const MODERN_VERSION = '2026-07-28';
const INFO = { name: 'onbehalf-tests', version: '1.0.0' };

/** The era this test project speaks: each end-to-end suite runs once per era. */
export function testEra(): Era {
  return inject('era');
}

/** The protocol version a client of `era` ends up speaking with the server. */
export function protocolVersionOf(era: Era): string {
  return era === 'modern' ? MODERN_VERSION : '2025-11-25';
}

/** Connects the SDK client of `era` (the test project's by default), pinned to it: no fallback to the other. */
export async function connectClient(mcpUrl: string, token: string, era: Era = testEra()): Promise<McpClient> {
  const requestInit = { headers: { authorization: `Bearer ${token}` } };
  if (era === 'modern') {
    const client = new ModernClient(INFO, { versionNegotiation: { mode: { pin: MODERN_VERSION } } });
    await client.connect(new ModernTransport(new URL(mcpUrl), { requestInit }));
    return {
      era,
      callTool: async (params) => await client.callTool(params),
      listTools: () => client.listTools(),
      getServerVersion: () => client.getServerVersion(),
      close: () => client.close(),
    };
  }
  const client = new LegacyClient(INFO);
  await client.connect(new LegacyTransport(new URL(mcpUrl), { requestInit }));
  return {
    era,
    callTool: async (params) => await client.callTool(params) as CallToolResult,
    listTools: async () => await client.listTools() as { tools: Tool[] },
    getServerVersion: () => client.getServerVersion(),
    close: () => client.close(),
  };
}

/** Headers of a well-formed MCP POST. */
export function mcpHeaders(token: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(token !== undefined && { authorization: `Bearer ${token}` }),
    ...extra,
  };
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw-http', version: '1.0.0' } },
} as const;
