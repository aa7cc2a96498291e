// What a stateful session holds a request to: its client app, its negotiated version, an id of our shape, what
// initialize may store, and the budget, which DELETE pays too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { freshTablesPrefix, stackTable, startServerInstance, tableRows, type ServerInstance } from '../support/multiInstance.js';
import { callToolMessage, postMcp, type RawAnswer } from '../support/rawMcp.js';
import { ADELE, ALEX, type SampleUser } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const SESSION_ID = /^[0-9a-f]{32}$/;
const TOOLS_LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' } as const;
const OTHER_APP = 'c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const WINDOW = 60_000;
/** Half way through a window, for budgets; sessions do not expire at a fixed instant. */
const FIXED = Math.floor(Date.now() / WINDOW) * WINDOW + WINDOW / 2;

let stack: TestStack;
const started: ServerInstance[] = [];
beforeAll(async () => {
  stack = await startTestStack({ env: { MCP_SESSION_MODE: 'stateful' }, app: { now: () => FIXED } });
});
afterAll(async () => {
  for (const instance of started) await instance.close();
  await stack.close();
});

const errorCode = (answer: RawAnswer) => (answer.body as { error?: { data?: { code?: string } } } | undefined)?.error?.data?.code;

async function initialize(mcpUrl: string, token: string, params: Record<string, unknown> = {}): Promise<string> {
  const answer = await postMcp(mcpUrl, token, { ...INITIALIZE, params: { ...INITIALIZE.params, ...params } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const id = answer.headers.get('mcp-session-id') ?? '';
  expect(id).toMatch(SESSION_ID);
  return id;
}

const token = (user: SampleUser, azp?: string) => stack.idp.accessToken(user, azp === undefined ? {} : { azp });

describe('a session is bound to the client app that began it', () => {
  it('refuses the same user through another app with 403 session_client_mismatch, audited, and keeps serving the first', async () => {
    const id = await initialize(stack.mcpUrl, await token(ADELE));
    const graphCalls = stack.graph.requests.length;
    const other = await token(ADELE, OTHER_APP);
    const send = await postMcp(stack.mcpUrl, other, callToolMessage('send_mail', { to: ['lee@contoso.example'], subject: 'Hi', body: 'x' }), { 'mcp-session-id': id });
    expect(send.status).toBe(403);
    expect(errorCode(send)).toBe('session_client_mismatch');
    const deleted = await fetch(stack.mcpUrl, { method: 'DELETE', headers: mcpHeaders(other, { 'mcp-session-id': id }) });
    expect(deleted.status).toBe(403);
    expect(stack.graph.requests.length).toBe(graphCalls);

    const rows = (await tableRows(stackTable(stack, 'Audit'))).filter((row) => row['sessionId'] === id);
    expect(rows.map((row) => [row['oid'], row['appId'], row['tool'], row['outcome'], row['errorCode']]).sort()).toEqual([
      [ADELE.oid, OTHER_APP, 'DELETE', 'refused', 'session_client_mismatch'],
      [ADELE.oid, OTHER_APP, 'send_mail', 'refused', 'session_client_mismatch'],
    ]);
    expect((await postMcp(stack.mcpUrl, await token(ADELE), TOOLS_LIST, { 'mcp-session-id': id })).status).toBe(200);
  });
});

describe('batches follow the version the session negotiated', () => {
  const batch = [TOOLS_LIST, callToolMessage('whoami', { profile: false }, 3)];

  it('refuses a batch in a 2025-06-18 session, whatever MCP-Protocol-Version a later request sends (or none)', async () => {
    const adele = await token(ADELE);
    const id = await initialize(stack.mcpUrl, adele, { protocolVersion: '2025-06-18' });
    const headerSets: Record<string, string>[] = [{ 'mcp-protocol-version': '2025-03-26' }, {}];
    for (const headers of headerSets) {
      const answer = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(adele, { 'mcp-session-id': id, ...headers }), body: JSON.stringify(batch) });
      expect(answer.status, JSON.stringify(headers)).toBe(400);
      expect(((await answer.json()) as { error: { data: { code: string } } }).error.data.code).toBe('batch_not_supported');
    }
  });

  it('serves a batch in a 2025-03-26 session', async () => {
    const adele = await token(ADELE);
    const id = await initialize(stack.mcpUrl, adele, { protocolVersion: '2025-03-26' });
    const answer = await postMcp(stack.mcpUrl, adele, batch, { 'mcp-session-id': id, 'mcp-protocol-version': '2025-03-26' });
    expect(answer.status).toBe(200);
    expect((answer.body as { id: number }[]).map((response) => response.id).sort()).toEqual([2, 3]);
  });
});

describe('session ids', () => {
  it.each(['a/b', `${'0'.repeat(31)}/`, '../sessions', 'x?y=1', 'x#y', '0'.repeat(31), 'A'.repeat(32), `${'0'.repeat(32)}0`])(
    'answers %s with 404 session_not_found without asking the store',
    async (id) => {
      const adele = await token(ADELE);
      const answer = await postMcp(stack.mcpUrl, adele, TOOLS_LIST, { 'mcp-session-id': id });
      expect(answer.status).toBe(404);
      expect(errorCode(answer)).toBe('session_not_found');
      const deleted = await fetch(stack.mcpUrl, { method: 'DELETE', headers: mcpHeaders(adele, { 'mcp-session-id': id }) });
      expect(deleted.status).toBe(404);
    },
  );
});

describe('initialize', () => {
  it('without an id is 400 invalid_request (-32600), and begins no session', async () => {
    const before = (await tableRows(stackTable(stack, 'Sessions'))).length;
    const { id: _id, ...notification } = INITIALIZE;
    const answer = await postMcp(stack.mcpUrl, await token(ADELE), notification);
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('invalid_request');
    expect((answer.body as { error: { code: number } }).error.code).toBe(-32600);
    expect(answer.headers.get('mcp-session-id')).toBeNull();
    expect((await tableRows(stackTable(stack, 'Sessions'))).length).toBe(before);
  });

  it.each([
    ['100,000 levels deep', `${'{"a":'.repeat(100_000)}{}${'}'.repeat(100_000)}`],
    ['50,000 members wide', `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`],
    ['a 500,000-character string', JSON.stringify({ note: 'x'.repeat(500_000) })],
  ])('with capabilities %s begins a session and stores them bounded, as valid JSON', async (_label, capabilities) => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","clientInfo":{"name":"${'n'.repeat(300_000)}","version":"1"},"capabilities":${capabilities}}}`;
    const response = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(await token(ADELE)), body });
    expect(response.status).toBe(200);
    const id = response.headers.get('mcp-session-id') ?? '';
    expect(id).toMatch(SESSION_ID);
    const row = await stackTable(stack, 'Sessions').getEntity<{ clientInfo: string; capabilities: string }>(id, 'session');
    expect(row.clientInfo.length).toBeLessThanOrEqual(4096);
    expect(row.capabilities.length).toBeLessThanOrEqual(8192);
    expect((JSON.parse(row.clientInfo) as { version?: string }).version).toBe('1');
    let depth = 0;
    for (let node = JSON.parse(row.capabilities) as unknown; typeof node === 'object' && node !== null; node = Object.values(node)[0]) depth++;
    expect(depth).toBeLessThanOrEqual(8);
  });
});

describe('DELETE /mcp pays the budget', () => {
  it('before the session is looked up: of 8 foreign DELETEs on a budget of 5, 5 are refused and audited, 3 answered 429 and not', async () => {
    const server = await startServerInstance(stack, { env: { TABLES_PREFIX: freshTablesPrefix(), RATE_LIMIT_USER_PER_MINUTE: '5', RATE_LIMIT_TENANT_PER_MINUTE: '0' }, app: { now: () => FIXED } });
    started.push(server);
    const id = await initialize(server.mcpUrl, await token(ADELE));
    const alex = await token(ALEX);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      statuses.push((await fetch(server.mcpUrl, { method: 'DELETE', headers: mcpHeaders(alex, { 'mcp-session-id': id }) })).status);
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429, 429]);
    const rows = (await tableRows(stackTable({ config: server.config }, 'Audit'))).filter((row) => row['sessionId'] === id);
    expect(rows.length).toBe(5);
    // The owner's own budget is untouched by it.
    const own = await fetch(server.mcpUrl, { method: 'DELETE', headers: mcpHeaders(await token(ADELE), { 'mcp-session-id': id }) });
    expect(own.status).toBe(204);
    expect(own.headers.get('ratelimit-remaining')).toBe('3');
  });
});
