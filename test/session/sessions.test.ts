// Stateful sessions over real HTTP and Azurite: shared by instances, pinned to one user, expiring, ended by DELETE; stateless mode unchanged.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { stackTable, startServerInstance, tableRows, type ServerInstance } from '../support/multiInstance.js';
import { callToolMessage, postMcp, type RawAnswer } from '../support/rawMcp.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const SESSION_ID = /^[0-9a-f]{32}$/;
const TOOLS_LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' } as const;
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' } as const;

/** The clock of sessions on every instance of this file; tests only move it forward. */
let clock = Date.now();
const now = () => clock;

let stack: TestStack;
const instances: ServerInstance[] = [];
beforeAll(async () => {
  stack = await startTestStack({ env: { MCP_SESSION_MODE: 'stateful' }, app: { now } });
});
afterAll(async () => {
  for (const instance of instances) await instance.close();
  await stack.close();
});

async function instance(env: Record<string, string> = {}, freshModules = false): Promise<ServerInstance> {
  const started = await startServerInstance(stack, { env, app: { now }, freshModules });
  instances.push(started);
  return started;
}

const token = (user: SampleUser) => stack.idp.accessToken(user);
const errorCode = (answer: RawAnswer) => (answer.body as { error?: { data?: { code?: string } } } | undefined)?.error?.data?.code;

/** Initializes a session with raw HTTP; returns its id. */
async function initialize(mcpUrl: string, user: SampleUser): Promise<string> {
  const answer = await postMcp(mcpUrl, await token(user), INITIALIZE);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const id = answer.headers.get('mcp-session-id');
  expect(id).toMatch(SESSION_ID);
  return id ?? '';
}

async function inSession(mcpUrl: string, user: SampleUser | string, id: string, message: unknown = TOOLS_LIST): Promise<RawAnswer> {
  return postMcp(mcpUrl, typeof user === 'string' ? user : await token(user), message, { 'mcp-session-id': id });
}

async function deleteSession(mcpUrl: string, user: SampleUser, id: string): Promise<Response> {
  return fetch(mcpUrl, { method: 'DELETE', headers: mcpHeaders(await token(user), { 'mcp-session-id': id }) });
}

async function sessionRow(id: string) {
  try {
    return await stackTable(stack, 'Sessions').getEntity<{ lastSeenAt: number; expiresAt: number }>(id, 'session');
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

describe('a session outlives the instance that created it', () => {
  it('is served alternately by two independent instances, and by a third when the first is gone', async () => {
    // Separate module state too: nothing but Table Storage is shared.
    const a = await instance({}, true);
    const b = await instance({}, true);
    const id = await initialize(a.mcpUrl, ADELE);
    const steps: [ServerInstance, unknown][] = [
      [b, INITIALIZED],
      [b, TOOLS_LIST],
      [a, callToolMessage('whoami', {}, 3)],
      [b, callToolMessage('list_messages', { top: 2 }, 4)],
    ];
    for (const [server, message] of steps) {
      const answer = await inSession(server.mcpUrl, ADELE, id, message);
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
      expect(answer.headers.get('mcp-session-id')).toBe(id);
      expect((answer.body as { error?: unknown } | undefined)?.error).toBeUndefined();
    }
    const whoami = await inSession(a.mcpUrl, ADELE, id, callToolMessage('whoami', {}, 5));
    expect((whoami.body as { result: { structuredContent: unknown } }).result.structuredContent).toMatchObject({ tid: ADELE.tid, oid: ADELE.oid });

    await a.close();
    const c = await instance({}, true);
    const listed = await inSession(c.mcpUrl, ADELE, id);
    expect(listed.status).toBe(200);
    expect((listed.body as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0);
    expect((await inSession(b.mcpUrl, ADELE, id, callToolMessage('whoami', {}, 6))).status).toBe(200);
  });

  it('works with the SDK client, which carries Mcp-Session-Id itself', async () => {
    const client = await connectClient(stack.mcpUrl, await token(ADELE));
    const transport = client.transport as StreamableHTTPClientTransport;
    expect(transport.sessionId).toMatch(SESSION_ID);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ oid: ADELE.oid });
    await client.close();
  });
});

describe('a session is pinned to its user', () => {
  it('refuses another user replaying the id with 403 session_user_mismatch, calls no Graph, and writes an audit row', async () => {
    const client = await connectClient(stack.mcpUrl, await token(ADELE));
    const id = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    expect(id).toMatch(SESSION_ID);
    const graphCalls = stack.graph.requests.length;
    const exchanges = stack.idp.oboRequests.length;

    for (const intruder of [ALEX, MEGAN]) {
      const answer = await inSession(stack.mcpUrl, intruder, id, callToolMessage('list_messages', { top: 1 }, 7));
      expect(answer.status).toBe(403);
      expect(errorCode(answer)).toBe('session_user_mismatch');
      expect(answer.headers.get('mcp-session-id')).toBeNull();
    }
    expect(stack.graph.requests.length).toBe(graphCalls);
    expect(stack.idp.oboRequests.length).toBe(exchanges);

    // Each refusal is in the intruder's tenant partition; the one from another tenant is in the owner's too,
    // where the owner's administrator looks.
    const refused = (await tableRows(stackTable(stack, 'Audit'))).filter((row) => row['sessionId'] === id);
    const partitionTenant = (row: { partitionKey?: string }) => (row.partitionKey ?? '').split('_')[0];
    expect(refused.map((row) => [partitionTenant(row), row['tid'], row['oid'], row['outcome'], row['errorCode'], row['tool']]).sort()).toEqual([
      [ALEX.tid, ALEX.tid, ALEX.oid, 'refused', 'session_user_mismatch', 'list_messages'],
      [MEGAN.tid, MEGAN.tid, MEGAN.oid, 'refused', 'session_user_mismatch', 'list_messages'],
      [ADELE.tid, MEGAN.tid, MEGAN.oid, 'refused', 'session_user_mismatch', 'list_messages'],
    ].sort());

    // The refusal leaves the owner's session as it was.
    const mine = await client.callTool({ name: 'whoami', arguments: {} });
    expect(mine.structuredContent).toMatchObject({ oid: ADELE.oid });
    await client.close();
  });

  it('keeps serving its user after a token refresh (a new token, another jti)', async () => {
    const first = await token(ADELE);
    const id = await initialize(stack.mcpUrl, ADELE);
    expect((await inSession(stack.mcpUrl, first, id)).status).toBe(200);
    const refreshed = await token(ADELE);
    expect(refreshed).not.toBe(first);
    const answer = await inSession(stack.mcpUrl, refreshed, id, callToolMessage('whoami', {}, 3));
    expect(answer.status).toBe(200);
    expect((answer.body as { result: { structuredContent: unknown } }).result.structuredContent).toMatchObject({ oid: ADELE.oid });

    // An SDK client resuming the session with the refreshed token skips initialize and carries on.
    const transport = new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { sessionId: id, requestInit: { headers: { authorization: `Bearer ${refreshed}` } } });
    const resumed = new Client({ name: 'onbehalf-tests', version: '1.0.0' });
    await resumed.connect(transport);
    expect(transport.sessionId).toBe(id);
    const result = await resumed.callTool({ name: 'whoami', arguments: {} });
    expect(result.structuredContent).toMatchObject({ oid: ADELE.oid });
    await resumed.close();
  });
});

describe('expiry', () => {
  it('answers 404 for a session idle longer than MCP_SESSION_IDLE_MINUTES', async () => {
    const id = await initialize(stack.mcpUrl, ADELE);
    clock += stack.config.session.idleMs - MINUTE;
    expect((await inSession(stack.mcpUrl, ADELE, id)).status).toBe(200);
    // Idle from here on: well past the idle limit (however the last-seen throttle is accounted for).
    clock += stack.config.session.idleMs + 2 * MINUTE;
    const answer = await inSession(stack.mcpUrl, ADELE, id);
    expect(answer.status).toBe(404);
    expect(errorCode(answer)).toBe('session_not_found');
  });

  it('does not idle out a session in steady use, even with MCP_SESSION_IDLE_MINUTES=1', async () => {
    const short = await instance({ MCP_SESSION_IDLE_MINUTES: '1' });
    const id = await initialize(short.mcpUrl, ADELE);
    // A request every 25 s: never a minute without activity.
    for (let step = 1; step <= 6; step++) {
      clock += 25 * SECOND;
      const answer = await inSession(short.mcpUrl, ADELE, id);
      expect(answer.status, `request ${step}, ${step * 25} s after initialize, 25 s after the last one`).toBe(200);
    }
  });

  it('ends even a busy session at MCP_SESSION_MAX_HOURS', async () => {
    const capped = await instance({ MCP_SESSION_MAX_HOURS: '1' });
    const id = await initialize(capped.mcpUrl, ADELE);
    for (let step = 1; step <= 5; step++) {
      clock += 11 * MINUTE;
      expect((await inSession(capped.mcpUrl, ADELE, id)).status, `${step * 11} min in`).toBe(200);
    }
    clock += 6 * MINUTE; // 61 minutes after initialize, 6 after the last request
    const answer = await inSession(capped.mcpUrl, ADELE, id);
    expect(answer.status).toBe(404);
    expect(errorCode(answer)).toBe('session_not_found');
  });
});

describe('DELETE /mcp', () => {
  it('is refused to another user (403) and ends the session for its owner (204), after which the id is unknown (404)', async () => {
    const id = await initialize(stack.mcpUrl, ADELE);
    const foreign = await deleteSession(stack.mcpUrl, ALEX, id);
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { data: { code: string } } }).error.data.code).toBe('session_user_mismatch');
    expect((await inSession(stack.mcpUrl, ADELE, id)).status).toBe(200);

    const own = await deleteSession(stack.mcpUrl, ADELE, id);
    expect(own.status).toBe(204);
    expect(await own.text()).toBe('');
    expect(await sessionRow(id)).toBeUndefined();
    const after = await inSession(stack.mcpUrl, ADELE, id, callToolMessage('whoami', {}, 3));
    expect(after.status).toBe(404);
    expect(errorCode(after)).toBe('session_not_found');
    expect((await deleteSession(stack.mcpUrl, ADELE, id)).status).toBe(404);
  });
});

describe('transport rules in stateful mode', () => {
  it('answers a non-initialize POST without Mcp-Session-Id with 400 session_required', async () => {
    const answer = await postMcp(stack.mcpUrl, await token(ADELE), TOOLS_LIST);
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('session_required');
  });

  it('refuses initialize that carries an Mcp-Session-Id (400) and creates no session', async () => {
    const id = await initialize(stack.mcpUrl, ADELE);
    const before = (await tableRows(stackTable(stack, 'Sessions'))).length;
    const answer = await postMcp(stack.mcpUrl, await token(ADELE), INITIALIZE, { 'mcp-session-id': id });
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('invalid_request');
    expect(answer.headers.get('mcp-session-id')).toBeNull();
    expect((await tableRows(stackTable(stack, 'Sessions'))).length).toBe(before);
  });

  it('hands out 128-bit ids as 32 hex characters, never twice', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map(() => initialize(stack.mcpUrl, ALEX)));
    for (const id of ids) expect(id).toMatch(SESSION_ID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers GET with 405 and Allow: POST, DELETE', async () => {
    const answer = await fetch(stack.mcpUrl, { headers: { ...mcpHeaders(await token(ADELE)), accept: 'text/event-stream' } });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST, DELETE');
  });

  it('serves a batch inside a session that negotiated 2025-03-26', async () => {
    const answer0 = await postMcp(stack.mcpUrl, await token(ADELE), { ...INITIALIZE, params: { ...INITIALIZE.params, protocolVersion: '2025-03-26' } });
    const id = answer0.headers.get('mcp-session-id') ?? '';
    expect(id).toMatch(SESSION_ID);
    const batch = [TOOLS_LIST, callToolMessage('whoami', {}, 3)];
    const answer = await postMcp(stack.mcpUrl, await token(ADELE), batch, { 'mcp-session-id': id, 'mcp-protocol-version': '2025-03-26' });
    expect(answer.status).toBe(200);
    expect((answer.body as { id: number }[]).map((response) => response.id).sort()).toEqual([2, 3]);
  });

  it('answers 404 for an id it never issued', async () => {
    for (const id of ['0'.repeat(32), 'not-a-session', 'x'.repeat(200)]) {
      const answer = await inSession(stack.mcpUrl, ADELE, id);
      expect(answer.status, id).toBe(404);
      expect(errorCode(answer)).toBe('session_not_found');
    }
  });
});

describe('last-seen writes', () => {
  it('writes the session row at most once a minute however many requests arrive', async () => {
    const id = await initialize(stack.mcpUrl, ADELE);
    const created = await sessionRow(id);
    const start = clock;
    const etags = new Set([created?.etag]);
    for (let step = 1; step <= 5; step++) {
      clock = start + step * 10 * SECOND;
      expect((await inSession(stack.mcpUrl, ADELE, id)).status).toBe(200);
      etags.add((await sessionRow(id))?.etag);
    }
    // Within the first minute the row written at initialize is current enough.
    expect(etags.size).toBe(1);
    expect((await sessionRow(id))?.lastSeenAt).toBe(start);

    clock = start + 61 * SECOND;
    expect((await inSession(stack.mcpUrl, ADELE, id)).status).toBe(200);
    const touched = await sessionRow(id);
    expect(touched?.etag).not.toBe(created?.etag);
    expect(touched?.lastSeenAt).toBe(clock);
    // Idle expiry counts from here (give or take the throttle's minute).
    expect(touched?.expiresAt).toBeGreaterThanOrEqual(clock + stack.config.session.idleMs);
    expect(touched?.expiresAt).toBeLessThanOrEqual(clock + stack.config.session.idleMs + MINUTE);
    for (let step = 1; step <= 4; step++) {
      clock += 10 * SECOND;
      expect((await inSession(stack.mcpUrl, ADELE, id)).status).toBe(200);
      expect((await sessionRow(id))?.etag).toBe(touched?.etag);
    }
  });
});

describe('purge', () => {
  it('deletes expired sessions and leaves live ones', async () => {
    const stale = await initialize(stack.mcpUrl, ADELE);
    clock += stack.config.session.idleMs / 2;
    const live = await initialize(stack.mcpUrl, ALEX);
    clock += stack.config.session.idleMs / 2 + 5 * MINUTE;

    const rows = await tableRows(stackTable(stack, 'Sessions'));
    const expired = rows.filter((row) => (row['expiresAt'] as number) < clock).map((row) => row.partitionKey);
    expect(expired).toContain(stale);
    expect(expired).not.toContain(live);

    const purged = await stack.app.purge();
    expect(purged.sessions).toBe(expired.length);
    const left = (await tableRows(stackTable(stack, 'Sessions'))).map((row) => row.partitionKey);
    expect(left).toContain(live);
    for (const id of expired) expect(left).not.toContain(id);
    expect((await inSession(stack.mcpUrl, ALEX, live)).status).toBe(200);
    expect((await inSession(stack.mcpUrl, ADELE, stale)).status).toBe(404);
    expect((await stack.app.purge()).sessions).toBe(0);
  });
});

describe('stateless mode', () => {
  let stateless: TestStack;
  beforeAll(async () => {
    stateless = await startTestStack();
  });
  afterAll(async () => {
    await stateless.close();
  });

  it('is unchanged: no Mcp-Session-Id in answers, DELETE is 405, no session rows', async () => {
    const adele = await stateless.idp.accessToken(ADELE);
    const init = await postMcp(stateless.mcpUrl, adele, INITIALIZE);
    expect(init.status).toBe(200);
    expect(init.headers.get('mcp-session-id')).toBeNull();
    const listed = await postMcp(stateless.mcpUrl, adele, TOOLS_LIST);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('mcp-session-id')).toBeNull();

    const client = await connectClient(stateless.mcpUrl, adele);
    expect((client.transport as StreamableHTTPClientTransport).sessionId).toBeUndefined();
    expect((await client.callTool({ name: 'whoami', arguments: {} })).structuredContent).toMatchObject({ oid: ADELE.oid });
    await client.close();

    const deleted = await fetch(stateless.mcpUrl, { method: 'DELETE', headers: mcpHeaders(adele, { 'mcp-session-id': '0'.repeat(32) }) });
    expect(deleted.status).toBe(405);
    expect(deleted.headers.get('allow')).toBe('POST');
    expect(await tableRows(stackTable(stateless, 'Sessions'))).toEqual([]);
  });
});
