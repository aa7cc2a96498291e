// MCP 2026-07-28 on /mcp: every guarantee of the 2025 revisions holds for requests that carry the revision's
// `_meta` envelope, and the revision's own surface (server/discover, the envelope's error codes, the routing
// headers, resultType, caching hints) is answered as it specifies.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenHttps, type RunningServer } from '../../sandbox/httpsServer.js';
import { ADELE, ALEX } from '../../sandbox/sampleUsers.js';
import { mcpHeaders } from '../support/mcpClient.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { startTestStack, testTls, type TestStack } from '../support/testStack.js';

const VERSION = '2026-07-28';
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': VERSION, 'io.modelcontextprotocol/clientCapabilities': {} };
const MIB = 1024 * 1024;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: {
    readonly id?: unknown;
    readonly result?: Record<string, unknown> & { _meta?: Record<string, unknown> };
    readonly error?: { readonly code: number; readonly message: string; readonly data?: Record<string, unknown> };
  };
}

/** A 2026-07-28 request: its method and params, the envelope in `_meta`, and the routing headers the revision asks for. */
function modern(method: string, params: Record<string, unknown> = {}, id: number | string = 1): { body: unknown; headers: Record<string, string> } {
  const name = typeof params['name'] === 'string' ? params['name'] : undefined;
  return {
    body: { jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...ENVELOPE, ...(params['_meta'] as object | undefined) } } },
    headers: { 'mcp-protocol-version': VERSION, 'mcp-method': method, ...(name !== undefined && { 'mcp-name': name }) },
  };
}

async function post(url: string, token: string | undefined, request: { body: unknown; headers: Record<string, string> }, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: mcpHeaders(token, { ...request.headers, ...headers }), body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : JSON.parse(text) as Answer['body'] };
}

async function connectModern(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'onbehalf-tests', version: '1.0.0' }, { versionNegotiation: { mode: { pin: VERSION } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack({ env: { MCP_ALLOWED_ORIGINS: 'https://app.example.com' } });
  token = await stack.idp.accessToken(ADELE);
});
afterAll(async () => {
  await stack.close();
});

describe('the SDK\'s 2026-07-28 client', () => {
  it('connects without initialize, lists the tools and calls one as the signed-in user', async () => {
    const client = await connectModern(stack.mcpUrl, token);
    try {
      expect(client.getProtocolEra()).toBe('modern');
      expect(client.getServerVersion()).toMatchObject({ name: 'onbehalf' });
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('whoami');
      const result = await client.callTool({ name: 'whoami', arguments: { profile: false } });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ oid: ADELE.oid, tid: ADELE.tid });
    } finally {
      await client.close();
    }
  });
});

describe('the revision\'s surface', () => {
  it('server/discover names the server and declares tools only, with no list change it could never send', async () => {
    const answer = await post(stack.mcpUrl, token, modern('server/discover'));
    expect(answer.status).toBe(200);
    const result = answer.body.result ?? {};
    expect(result['supportedVersions']).toEqual([VERSION]);
    expect(result['capabilities']).toEqual({ tools: {} });
    // Where the revision has every result name its server.
    expect(result._meta?.['io.modelcontextprotocol/serverInfo']).toMatchObject({ name: 'onbehalf', version: expect.any(String) as string });
    expect(result).toMatchObject({ resultType: 'complete', cacheScope: 'private' });
  });

  it('tools/list says a cache may keep it only for this caller\'s own token (private), briefly', async () => {
    const answer = await post(stack.mcpUrl, token, modern('tools/list'));
    expect(answer.body.result).toMatchObject({ resultType: 'complete', cacheScope: 'private', ttlMs: 300_000 });
  });

  it('tools/list is the same answer, byte for byte in its tools, as the 2025 leg gives, whatever id it carries', async () => {
    const legacy = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(token), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }) });
    const legacyTools = (JSON.parse(await legacy.text()) as { result: { tools: unknown[] } }).result.tools;
    expect(legacyTools.length).toBeGreaterThan(30);
    // The tools are written once and spliced into the SDK's envelope: an id that looks like JSON, and the same
    // request twice, change nothing around them.
    for (const id of ['["x"]', 'tools', 7]) {
      const response = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(token, modern('tools/list').headers), body: JSON.stringify(modern('tools/list', {}, id).body) });
      const text = await response.text();
      expect(text).not.toContain('\\u0000');
      const body = JSON.parse(text) as Answer['body'];
      expect(body.id).toEqual(id);
      expect(body.result?.['tools']).toEqual(legacyTools);
      expect(body.result).toMatchObject({ resultType: 'complete', cacheScope: 'private', ttlMs: 300_000 });
      expect(body.result?._meta?.['io.modelcontextprotocol/serverInfo']).toMatchObject({ name: 'onbehalf' });
    }
  });

  it('a tool result carries resultType complete', async () => {
    const answer = await post(stack.mcpUrl, token, modern('tools/call', { name: 'whoami', arguments: { profile: false } }, 'call-1'));
    expect(answer.body).toMatchObject({ id: 'call-1', result: { resultType: 'complete', structuredContent: { oid: ADELE.oid } } });
  });

  it('an envelope without clientCapabilities: -32602, 400, with the request\'s own id', async () => {
    const request = modern('tools/list', {}, 41);
    const answer = await post(stack.mcpUrl, token, { ...request, body: { jsonrpc: '2.0', id: 41, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': VERSION } } } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ id: 41, error: { code: -32602 } });
  });

  it('Mcp-Method or Mcp-Name that disagree with the body: 400, -32020, with the request\'s id', async () => {
    const request = modern('tools/call', { name: 'whoami', arguments: {} }, 42);
    expect((await post(stack.mcpUrl, token, request, { 'mcp-method': 'tools/list' })).body).toMatchObject({ id: 42, error: { code: -32020 } });
    const renamed = await post(stack.mcpUrl, token, request, { 'mcp-name': 'send_mail' });
    expect(renamed.status).toBe(400);
    expect(renamed.body).toMatchObject({ id: 42, error: { code: -32020 } });
  });

  it('initialize and ping are gone from the revision: 404, -32601', async () => {
    for (const method of ['initialize', 'ping']) {
      const answer = await post(stack.mcpUrl, token, modern(method, method === 'initialize' ? { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'x', version: '1' } } : {}));
      expect(answer.status, method).toBe(404);
      expect(answer.body.error?.code, method).toBe(-32601);
    }
  });

  it('subscriptions/listen: 404, -32601, answered at once: there is nothing to notify, and no stream is held open', async () => {
    const answer = await post(stack.mcpUrl, token, modern('subscriptions/listen', { notifications: { toolsListChanged: true } }, 'listen'));
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body).toMatchObject({ id: 'listen', error: { code: -32601, data: { code: 'subscriptions_not_supported' } } });
  });

  it('batches are not part of it: 400', async () => {
    const answer = await post(stack.mcpUrl, token, { body: [modern('tools/list').body], headers: { 'mcp-protocol-version': VERSION } });
    expect(answer.status).toBe(400);
  });
});

describe('the guarantees of the 2025 revisions, for 2026-07-28 requests', () => {
  it('without a token: 401 and the challenge that starts sign-in, before anything else is read', async () => {
    const answer = await post(stack.mcpUrl, undefined, modern('tools/list'));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/mcp"/);
  });

  it('a host that is not ours, or a browser origin not allowed: 403 before the token is looked at', async () => {
    expect((await post(stack.mcpUrl, 'not-a-token', modern('tools/list'), { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('a body over 1 MiB: 413 body_too_large', async () => {
    const answer = await post(stack.mcpUrl, token, modern('tools/call', { name: 'whoami', arguments: { pad: 'x'.repeat(MIB) } }));
    expect(answer.status).toBe(413);
    expect(answer.body.error?.data?.['code']).toBe('body_too_large');
  });

  it('params a method does not take: -32602 input_invalid with a short message and the request\'s id', async () => {
    const answer = await post(stack.mcpUrl, token, modern('tools/call', { name: 'whoami', arguments: 7 }, 'bad'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: 'bad', error: { code: -32602, data: { code: 'input_invalid' } } });
    expect(answer.body.error?.message.length).toBeLessThan(300);
  });

  it('a write tool\'s call is audited, refused ones too', async () => {
    const alex = await stack.idp.accessToken(ALEX);
    const sent = await post(stack.mcpUrl, alex, modern('tools/call', { name: 'create_draft', arguments: { subject: 'Modern draft', body: 'x' } }));
    expect(sent.body.result?.['isError']).toBeFalsy();
    const refused = await post(stack.mcpUrl, alex, modern('tools/call', { name: 'send_mail', arguments: 5 }));
    expect(refused.body.error?.data?.['code']).toBe('input_invalid');
    const rows = (await tableRows(stackTable(stack, 'Audit'))).filter((row) => row['oid'] === ALEX.oid);
    expect(rows.map((row) => [row['tool'], row['outcome']])).toEqual(expect.arrayContaining([['create_draft', 'succeeded'], ['send_mail', 'refused']]));
  });
});

describe('budgets', () => {
  let limited: TestStack;
  beforeAll(async () => {
    limited = await startTestStack({ env: { RATE_LIMIT_USER_PER_MINUTE: '2', RATE_LIMIT_TENANT_PER_MINUTE: '600' } });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('each 2026-07-28 request costs one, and past the budget the answer is 429 with Retry-After and the request\'s id', async () => {
    const alex = await limited.idp.accessToken(ALEX);
    const statuses: number[] = [];
    let last: Answer | undefined;
    for (let n = 0; n < 4; n++) {
      last = await post(limited.mcpUrl, alex, modern('tools/list', {}, n));
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.slice(2)).toEqual([429, 429]);
    expect(last?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(last?.body).toMatchObject({ id: 3, error: { data: { code: 'rate_limited' } } });
  });
});

describe('the deadline', () => {
  let slow: TestStack;
  let graph: RunningServer;
  let opened = 0;
  let closed = 0;
  beforeAll(async () => {
    // A Graph that takes requests and never answers them.
    graph = await listenHttps(testTls(), 0, (request) => {
      opened++;
      request.socket.once('close', () => closed++);
    });
    slow = await startTestStack({ env: { GRAPH_BASE_URL: graph.url, MCP_REQUEST_TIMEOUT_SECONDS: '1' } });
  });
  afterAll(async () => {
    await slow.close();
    await graph.close();
  });

  it('answers a call still running with a request_timeout error and its id, and aborts its Graph call', async () => {
    const answer = await post(slow.mcpUrl, await slow.idp.accessToken(ADELE), modern('tools/call', { name: 'list_messages', arguments: {} }, 'slow'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: 'slow', error: { code: -32001, data: { code: 'request_timeout' } } });
    expect(opened).toBe(1);
    await expect.poll(() => closed).toBe(1);
  });

  it('answers a write Graph may have acted on as outcome_unknown, with its audit row written first, as in the 2025 revisions', async () => {
    const answer = await post(slow.mcpUrl, await slow.idp.accessToken(ADELE), modern('tools/call', { name: 'create_task', arguments: { listId: 'list-1', title: 'Once only' } }, 'write'));
    // Read the moment the answer arrived: the row was written before it left.
    const rows = (await tableRows(stackTable(slow, 'Audit'))).filter((row) => row['tool'] === 'create_task');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: 'write', result: { isError: true, resultType: 'complete', _meta: { 'onbehalf/error': { code: 'outcome_unknown' } } } });
    expect(rows).toEqual([expect.objectContaining({ tool: 'create_task', outcome: 'unknown', errorCode: 'outcome_unknown' })]);
  });
});
