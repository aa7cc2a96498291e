// Batches against the budget: every JSON-RPC request in a batch counts, batches are capped, and write calls refused
// for their budget are audited, within a bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTablesPrefix, stackTable, startServerInstance, tableRows, type ServerInstance } from '../support/multiInstance.js';
import { callToolMessage, postMcp, type RawAnswer } from '../support/rawMcp.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const WINDOW = 60_000;
/** Half way through a window: nothing here crosses a window boundary. */
const FIXED = Math.floor(Date.now() / WINDOW) * WINDOW + WINDOW / 2;
const BATCHING = { 'mcp-protocol-version': '2025-03-26' };
const SEND_MAIL = { to: ['lee@contoso.example'], subject: 'Quarterly numbers', body: 'Attached.' };

let stack: TestStack;
const started: ServerInstance[] = [];
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  for (const instance of started) await instance.close();
  await stack.close();
});

async function instance(userPerMinute: number): Promise<ServerInstance> {
  const server = await startServerInstance(stack, {
    env: { TABLES_PREFIX: freshTablesPrefix(), RATE_LIMIT_USER_PER_MINUTE: String(userPerMinute), RATE_LIMIT_TENANT_PER_MINUTE: '0' },
    app: { now: () => FIXED },
  });
  started.push(server);
  return server;
}

const whoamiBatch = (count: number, first = 1) => Array.from({ length: count }, (_, i) => callToolMessage('whoami', { profile: false }, first + i));
const remaining = (answer: RawAnswer) => Number(answer.headers.get('ratelimit-remaining'));
const errorCode = (answer: RawAnswer) => (answer.body as { error?: { data?: { code?: string } } } | undefined)?.error?.data?.code;

describe('a batch costs one per request in it', () => {
  it('takes N from the budget for a batch of N tools/call, and refuses a batch the budget cannot cover, whole', async () => {
    const server = await instance(10);
    const token = await stack.idp.accessToken(ADELE);
    const first = await postMcp(server.mcpUrl, token, whoamiBatch(4), BATCHING);
    expect(first.status).toBe(200);
    expect((first.body as unknown[]).length).toBe(4);
    expect(remaining(first)).toBe(6);
    const second = await postMcp(server.mcpUrl, token, whoamiBatch(4, 5), BATCHING);
    expect(second.status).toBe(200);
    expect(remaining(second)).toBe(2);

    const graphCalls = stack.graph.requests.length;
    const third = await postMcp(server.mcpUrl, token, whoamiBatch(4, 9), BATCHING);
    expect(third.status).toBe(429);
    expect(errorCode(third)).toBe('rate_limited');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    // Refused whole: nothing of it ran, and what it would have cost is still there for requests that fit.
    expect(remaining(third)).toBe(2);
    expect(stack.graph.requests.length).toBe(graphCalls);
    const single = await postMcp(server.mcpUrl, token, callToolMessage('whoami', { profile: false }, 13));
    expect(single.status).toBe(200);
    expect(remaining(single)).toBe(1);
  });

  it('does not charge notifications and responses in a batch, only its requests', async () => {
    const server = await instance(10);
    const token = await stack.idp.accessToken(ALEX);
    const batch = [
      callToolMessage('whoami', { profile: false }, 1),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 'server-1', result: {} },
    ];
    const answer = await postMcp(server.mcpUrl, token, batch, BATCHING);
    expect(answer.status).toBe(200);
    expect(remaining(answer)).toBe(9);
    // A POST with nothing but notifications still costs one.
    const notification = await postMcp(server.mcpUrl, token, [{ jsonrpc: '2.0', method: 'notifications/initialized' }], BATCHING);
    expect(notification.status).toBe(202);
    expect(remaining(notification)).toBe(8);
  });

  it('refuses a batch of more than 20 messages with 400 batch_too_large (-32600) before any of it runs, at the cost of one', async () => {
    const server = await instance(100);
    const token = await stack.idp.accessToken(MEGAN);
    const graphCalls = stack.graph.requests.length;
    const answer = await postMcp(server.mcpUrl, token, whoamiBatch(21), BATCHING);
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('batch_too_large');
    expect((answer.body as { error: { code: number } }).error.code).toBe(-32600);
    expect(stack.graph.requests.length).toBe(graphCalls);
    expect(remaining(answer)).toBe(99);
    const twenty = await postMcp(server.mcpUrl, token, whoamiBatch(20), BATCHING);
    expect(twenty.status).toBe(200);
    expect(remaining(twenty)).toBe(79);
  });
});

describe('batches refused for their protocol version', () => {
  it('cost one, like any request refused for its shape', async () => {
    const server = await instance(10);
    const answer = await postMcp(server.mcpUrl, await stack.idp.accessToken(ALEX), whoamiBatch(5), { 'mcp-protocol-version': '2025-11-25' });
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('batch_not_supported');
    expect(remaining(answer)).toBe(9);
  });
});

describe('write calls refused for their budget', () => {
  it('are audited, one row per write call in the batch, and none of them runs', async () => {
    const server = await instance(2);
    const token = await stack.idp.accessToken(ADELE);
    const graphCalls = stack.graph.requests.length;
    const batch = [callToolMessage('send_mail', SEND_MAIL, 1), callToolMessage('whoami', { profile: false }, 2), callToolMessage('create_draft', SEND_MAIL, 3)];
    const answer = await postMcp(server.mcpUrl, token, batch, BATCHING);
    expect(answer.status).toBe(429);
    expect(stack.graph.requests.length).toBe(graphCalls);
    const rows = await tableRows(stackTable({ config: server.config }, 'Audit'));
    expect(rows.map((row) => [row['oid'], row['tool'], row['outcome'], row['errorCode']]).sort()).toEqual([
      [ADELE.oid, 'create_draft', 'refused', 'rate_limited'],
      [ADELE.oid, 'send_mail', 'refused', 'rate_limited'],
    ]);
  });

  it('stop being audited past 60 rows a minute per user, so a flood of refusals is not a flood of rows', async () => {
    const server = await instance(1);
    const token = await stack.idp.accessToken(ALEX);
    expect((await postMcp(server.mcpUrl, token, callToolMessage('whoami', { profile: false }))).status).toBe(200);
    const batch = Array.from({ length: 20 }, (_, i) => callToolMessage('send_mail', SEND_MAIL, i + 1));
    for (let round = 0; round < 4; round++) expect((await postMcp(server.mcpUrl, token, batch, BATCHING)).status).toBe(429);
    const rows = await tableRows(stackTable({ config: server.config }, 'Audit'));
    expect(rows.length).toBe(60);
    expect(new Set(rows.map((row) => row['errorCode']))).toEqual(new Set(['rate_limited']));
  });
});
