// The Streamable HTTP transport rules of /mcp with a valid token: methods, headers, versions, guards, sizes, batches.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { rawRequest, type RawResponse, type RpcErrorBody } from './rawRequest.js';

const LISTED_ORIGIN = 'https://app.example.com';
const VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;
const TOOLS_LIST = { jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} } as const;
const MIB = 1024 * 1024;

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack({ env: { MCP_ALLOWED_ORIGINS: LISTED_ORIGIN } });
  token = await stack.idp.accessToken(ADELE);
});
afterAll(async () => {
  await stack.close();
});

interface JsonRpcResponse {
  readonly jsonrpc: '2.0';
  readonly id: number | string | null;
  readonly result?: { readonly protocolVersion?: string; readonly tools?: readonly { readonly name: string }[] };
  readonly error?: { readonly code: number; readonly data?: { readonly code?: string } };
}

/** A POST to /mcp over node:http with the valid token; `headers` add to (or override) well-formed MCP headers. */
function post(body: string | Buffer, headers: Record<string, string> = {}, options: { chunked?: boolean; port?: number } = {}): Promise<RawResponse> {
  return rawRequest(options.port ?? stack.host.port, {
    method: 'POST',
    headers: mcpHeaders(token, headers),
    body,
    ...(options.chunked !== undefined && { chunked: options.chunked }),
  });
}

function json<T = JsonRpcResponse>(answer: RawResponse): T {
  return JSON.parse(answer.text) as T;
}

function expectRefused(answer: RawResponse, status: number, code: string): RpcErrorBody {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const body = json<RpcErrorBody>(answer);
  expect(body.jsonrpc).toBe('2.0');
  expect(body.error.data?.code).toBe(code);
  return body;
}

const initialize = (protocolVersion: string): string => JSON.stringify({ ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion } });

describe('methods', () => {
  it('GET /mcp: 405 with Allow: POST', async () => {
    const answer = await rawRequest(stack.host.port, { method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
    expect(answer.headers['allow']).toBe('POST');
    expectRefused(answer, 405, 'method_not_allowed');
  });

  it('DELETE /mcp: 405 with Allow: POST', async () => {
    const answer = await rawRequest(stack.host.port, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'mcp-session-id': 'abc' } });
    expect(answer.headers['allow']).toBe('POST');
    expectRefused(answer, 405, 'method_not_allowed');
  });
});

describe('sessions, retired', () => {
  it('a request with the Mcp-Session-Id of a deployment that kept sessions: 404 session_not_found, so the client initializes again', async () => {
    const answer = await post(JSON.stringify(TOOLS_LIST), { 'mcp-session-id': '0123456789abcdef0123456789abcdef' });
    expect(expectRefused(answer, 404, 'session_not_found').error.code).toBe(-32001);
  });

  it('initialize without one is served, and the answer names no session', async () => {
    const answer = await post(initialize('2025-11-25'));
    expect(answer.status).toBe(200);
    expect(answer.headers['mcp-session-id']).toBeUndefined();
  });
});

describe('request headers', () => {
  it('Accept with only application/json: 406 not_acceptable', async () => {
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { accept: 'application/json' }), 406, 'not_acceptable');
  });

  /** Whether the SDK's own transport, with nothing of ours in front, accepts a POST with this Accept. */
  async function sdkAccepts(accept: string): Promise<boolean> {
    const server = new McpServer({ name: 'bare', version: '1.0.0' });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      const response = await transport.handleRequest(new Request('http://localhost/mcp', {
        method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(TOOLS_LIST),
      }));
      return response.status !== 406;
    } finally {
      await server.close();
    }
  }

  it.each([
    '*/*',
    'application/*, text/*',
    '*/*, text/event-stream',
    'application/json, */*',
    'Application/JSON, Text/Event-Stream',
    'text/event-stream',
    '',
  ])('Accept %j, refused by the SDK: 406 not_acceptable from us, before any work', async (accept) => {
    expect(await sdkAccepts(accept)).toBe(false);
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { accept }), 406, 'not_acceptable');
  });

  it.each([
    'application/json, text/event-stream',
    'text/event-stream, application/json',
    'application/json;q=0.9, text/event-stream;q=0.1',
    'application/json, text/event-stream, */*',
  ])('Accept %j, accepted by the SDK, is accepted', async (accept) => {
    expect(await sdkAccepts(accept)).toBe(true);
    expect((await post(JSON.stringify(TOOLS_LIST), { accept })).status).toBe(200);
  });

  it('Content-Type text/plain: 415 unsupported_media_type', async () => {
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
  });

  it('an unknown 2025-era MCP-Protocol-Version: 400 protocol_version_unsupported', async () => {
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { 'mcp-protocol-version': '2024-11-05' }), 400, 'protocol_version_unsupported');
  });

  it('a 2026-era one on a request without the revision\'s _meta envelope: 400, the SDK\'s -32602 naming what is missing, with the request\'s id', async () => {
    const answer = await post(JSON.stringify(TOOLS_LIST), { 'mcp-protocol-version': '2099-01-01' });
    expect(answer.status).toBe(400);
    expect(json<{ id: unknown; error: { code: number; data: unknown } }>(answer)).toMatchObject({ id: 7, error: { code: -32602, data: { envelope: { missing: ['_meta'] } } } });
  });

  it.each(VERSIONS)('MCP-Protocol-Version %s is accepted on tools/list', async (version) => {
    const answer = await post(JSON.stringify(TOOLS_LIST), { 'mcp-protocol-version': version });
    expect(answer.status).toBe(200);
    const body = json(answer);
    expect(body.id).toBe(7);
    expect(body.result?.tools?.map((tool) => tool.name)).toContain('whoami');
  });
});

describe('version negotiation on initialize', () => {
  it('a client asking for 2024-11-05 is answered with 2025-11-25', async () => {
    const answer = await post(initialize('2024-11-05'));
    expect(answer.status).toBe(200);
    expect(json(answer).result?.protocolVersion).toBe('2025-11-25');
  });

  it.each(VERSIONS)('a client asking for %s gets it', async (version) => {
    const answer = await post(initialize(version));
    expect(answer.status).toBe(200);
    expect(json(answer).result?.protocolVersion).toBe(version);
  });
});

describe('DNS-rebinding guard', () => {
  it('a Host that is not loopback: 403 host_not_allowed', async () => {
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { host: 'evil.example' }), 403, 'host_not_allowed');
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { host: `evil.example:${stack.host.port}` }), 403, 'host_not_allowed');
  });

  it.each(['localhost', '127.0.0.1', '[::1]'])('Host %s (any port) is served', async (host) => {
    expect((await post(JSON.stringify(TOOLS_LIST), { host: `${host}:${stack.host.port}` })).status).toBe(200);
    expect((await post(JSON.stringify(TOOLS_LIST), { host })).status).toBe(200);
  });

  it('Origin https://evil.example: 403 origin_not_allowed', async () => {
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { origin: 'https://evil.example' }), 403, 'origin_not_allowed');
  });

  it('a rebinding page, same-origin with its own host, is still refused', async () => {
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { host: 'evil.example', origin: 'http://evil.example' }), 403, 'host_not_allowed');
  });

  it('Origin http://localhost:1234 is allowed', async () => {
    expect((await post(JSON.stringify(TOOLS_LIST), { origin: 'http://localhost:1234' })).status).toBe(200);
  });

  it('an origin listed in MCP_ALLOWED_ORIGINS is allowed', async () => {
    expect((await post(JSON.stringify(TOOLS_LIST), { origin: LISTED_ORIGIN })).status).toBe(200);
  });

  it('an origin differing from a listed one in scheme or port is refused', async () => {
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { origin: 'http://app.example.com' }), 403, 'origin_not_allowed');
    expectRefused(await post(JSON.stringify(TOOLS_LIST), { origin: 'https://app.example.com:8443' }), 403, 'origin_not_allowed');
  });
});

describe('bodies', () => {
  const oversized = (): string => JSON.stringify({ ...TOOLS_LIST, params: { padding: 'x'.repeat(MIB) } });

  it('a body over 1 MiB (Content-Length): 413 body_too_large', async () => {
    expectRefused(await post(oversized()), 413, 'body_too_large');
  });

  it('a body over 1 MiB (chunked, no Content-Length): 413 body_too_large', async () => {
    expectRefused(await post(oversized(), {}, { chunked: true }), 413, 'body_too_large');
  });

  it.each([
    ['truncated JSON', '{"jsonrpc":"2.0","id":1,'],
    ['not JSON at all', 'hello'],
    ['an empty body', ''],
    ['a lone bracket', '['],
  ])('%s: 400 with JSON-RPC -32700, never 500', async (_label, body) => {
    const refused = expectRefused(await post(body), 400, 'parse_error');
    expect(refused.error.code).toBe(-32700);
  });

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"tools/list"'],
    ['an object without jsonrpc', '{"id":1,"method":"tools/list"}'],
  ])('valid JSON that is not JSON-RPC (%s): 400, never 500', async (_label, body) => {
    const answer = await post(body, { 'mcp-protocol-version': '2025-03-26' });
    expect(answer.status).toBe(400);
    const refused = json<RpcErrorBody>(answer);
    expect([-32700, -32600]).toContain(refused.error.code);
  });
});

describe('messages without a response', () => {
  it('a notification alone: 202 with an empty body', async () => {
    const answer = await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    expect(answer.status).toBe(202);
    expect(answer.text).toBe('');
  });

  it('initialize without an id, a notification no session could answer: 400 invalid request (-32600)', async () => {
    const { id: _id, ...notification } = INITIALIZE;
    const refused = expectRefused(await post(JSON.stringify(notification)), 400, 'invalid_request');
    expect(refused.error.code).toBe(-32600);
  });

  it('a JSON-RPC response alone: 202 with an empty body', async () => {
    const answer = await post(JSON.stringify({ jsonrpc: '2.0', id: 'server-1', result: {} }));
    expect(answer.status).toBe(202);
    expect(answer.text).toBe('');
  });
});

describe('batches', () => {
  const batch = JSON.stringify([{ ...TOOLS_LIST, id: 1 }, { ...TOOLS_LIST, id: 2 }]);

  it('with MCP-Protocol-Version 2025-03-26: 200 with an array of two responses', async () => {
    const answer = await post(batch, { 'mcp-protocol-version': '2025-03-26' });
    expect(answer.status).toBe(200);
    const body = json<JsonRpcResponse[]>(answer);
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((response) => response.id).sort()).toEqual([1, 2]);
    for (const response of body) expect(response.result?.tools?.map((tool) => tool.name)).toContain('whoami');
  });

  it('an empty batch with 2025-03-26: 400 invalid request (-32600), as JSON-RPC 2.0 requires', async () => {
    // JSON-RPC 2.0 §6: "an Array with at least one value", else a single Invalid Request error response.
    const answer = await post('[]', { 'mcp-protocol-version': '2025-03-26' });
    expect(answer.status).toBe(400);
    expect(json<RpcErrorBody>(answer).error.code).toBe(-32600);
  });

  it.each(['2025-06-18', '2025-11-25'])('with MCP-Protocol-Version %s: 400 batch_not_supported (-32600)', async (version) => {
    const refused = expectRefused(await post(batch, { 'mcp-protocol-version': version }), 400, 'batch_not_supported');
    expect(refused.error.code).toBe(-32600);
  });
});

describe('with MCP_PUBLIC_URL=https://mcp.example.com', () => {
  let publicStack: TestStack;
  let publicToken: string;
  beforeAll(async () => {
    publicStack = await startTestStack({ env: { MCP_PUBLIC_URL: 'https://mcp.example.com' } });
    publicToken = await publicStack.idp.accessToken(ADELE);
  });
  afterAll(async () => {
    await publicStack.close();
  });

  const postTo = (host: string): Promise<RawResponse> =>
    rawRequest(publicStack.host.port, { method: 'POST', headers: mcpHeaders(publicToken, { host }), body: JSON.stringify(INITIALIZE) });

  it('Host localhost: 403 host_not_allowed', async () => {
    expectRefused(await postTo('localhost'), 403, 'host_not_allowed');
    expectRefused(await postTo(`localhost:${publicStack.host.port}`), 403, 'host_not_allowed');
  });

  it('Host mcp.example.com is served', async () => {
    const answer = await postTo('mcp.example.com');
    expect(answer.status).toBe(200);
    expect(json(answer).result?.protocolVersion).toBe('2025-11-25');
  });

  it('refusals point at the public resource metadata', async () => {
    const answer = await rawRequest(publicStack.host.port, { method: 'POST', headers: mcpHeaders(undefined, { host: 'mcp.example.com' }), body: JSON.stringify(INITIALIZE) });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toContain('resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"');
  });
});
