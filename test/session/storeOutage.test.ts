// Table Storage stopped mid-test: sessions fail closed with 503 + Retry-After, nothing is half-written, service resumes when it returns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzuriteTables, type AzuriteTables } from '../../sandbox/azurite.js';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { callToolMessage, postMcp, type RawAnswer } from '../support/rawMcp.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const TOOLS_LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' } as const;

let dir: string;
let azurite: AzuriteTables;
let stack: TestStack;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onbehalf-azurite-'));
  // An Azurite of our own, on disk, so stopping it touches no other test and its data survives a restart.
  azurite = await startAzuriteTables(0, { location: dir });
  stack = await startTestStack({
    // Budgets at their defaults: the limiter fails open while the sessions fail closed.
    env: { MCP_SESSION_MODE: 'stateful', TABLES_CONNECTION_STRING: azurite.connectionString, RATE_LIMIT_TENANT_PER_MINUTE: '600', RATE_LIMIT_USER_PER_MINUTE: '120' },
  });
});
afterAll(async () => {
  await stack.close();
  await azurite.close();
  rmSync(dir, { recursive: true, force: true });
});

const errorCode = (answer: RawAnswer) => (answer.body as { error?: { data?: { code?: string } } } | undefined)?.error?.data?.code;

function expectStoreUnavailable(answer: { status: number; headers: Headers }, code: string | undefined): void {
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  expect(code).toBe('store_unavailable');
  expect(answer.headers.get('mcp-session-id')).toBeNull();
}

describe('when Table Storage goes away', () => {
  it('answers 503 with Retry-After, writes nothing half-way, and serves the session again once it is back', async () => {
    const adele = await stack.idp.accessToken(ADELE);
    const init = await postMcp(stack.mcpUrl, adele, INITIALIZE);
    expect(init.status).toBe(200);
    const id = init.headers.get('mcp-session-id') ?? '';
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const session = { 'mcp-session-id': id };
    expect((await postMcp(stack.mcpUrl, adele, TOOLS_LIST, session)).status).toBe(200);

    await azurite.stop();
    const graphCalls = stack.graph.requests.length;

    const listed = await postMcp(stack.mcpUrl, adele, TOOLS_LIST, session);
    expectStoreUnavailable(listed, errorCode(listed));
    // Fail closed: without the row nobody can tell whose session it is, so no tool runs.
    const called = await postMcp(stack.mcpUrl, adele, callToolMessage('whoami', {}, 3), session);
    expectStoreUnavailable(called, errorCode(called));
    expect(stack.graph.requests.length).toBe(graphCalls);

    const again = await postMcp(stack.mcpUrl, adele, INITIALIZE);
    expectStoreUnavailable(again, errorCode(again));

    const deleted = await fetch(stack.mcpUrl, { method: 'DELETE', headers: mcpHeaders(adele, session) });
    expectStoreUnavailable(deleted, ((await deleted.json()) as { error?: { data?: { code?: string } } }).error?.data?.code);

    azurite = await startAzuriteTables(azurite.port, { location: dir });

    // Only the first session exists: the refused initialize left no row behind, the refused DELETE removed none.
    expect((await tableRows(stackTable(stack, 'Sessions'))).map((row) => row.partitionKey)).toEqual([id]);
    const resumed = await postMcp(stack.mcpUrl, adele, callToolMessage('whoami', {}, 4), session);
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('mcp-session-id')).toBe(id);
    expect((resumed.body as { result: { structuredContent: unknown } }).result.structuredContent).toMatchObject({ oid: ADELE.oid });
    const fresh = await postMcp(stack.mcpUrl, adele, INITIALIZE);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('mcp-session-id')).toMatch(/^[0-9a-f]{32}$/);
  });
});
