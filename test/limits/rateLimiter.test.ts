// Per-tenant and per-user budgets in Table Storage: exact under concurrency across instances, RateLimit-* headers, windows, fail-open, purge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../shared/config/parseConfig.js';
import { azuriteConnectionString } from '../../sandbox/azurite.js';
import { mcpHeaders } from '../support/mcpClient.js';
import { freshTablesPrefix, stackTable, startServerInstance, startServerInstances, tableRows, type ServerInstance } from '../support/multiInstance.js';
import { postMcp, type RawAnswer } from '../support/rawMcp.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const WINDOW = 60_000;
/** Half way through a window: a burst at this instant never crosses a window boundary. */
const FIXED = Math.floor(Date.now() / WINDOW) * WINDOW + WINDOW / 2;
const TOOLS_LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list' } as const;

let stack: TestStack;
const started: ServerInstance[] = [];
const tokens = new Map<string, string>();
beforeAll(async () => {
  stack = await startTestStack();
  for (const user of [ADELE, ALEX, MEGAN]) tokens.set(user.key, await stack.idp.accessToken(user));
});
afterAll(async () => {
  for (const instance of started) await instance.close();
  await stack.close();
});

/** A clock a test can move, starting at FIXED. */
function testClock() {
  const clock = { time: FIXED, now: () => clock.time };
  return clock;
}

/** `count` instances with tables of their own (shared among them), budgets from `env`, and the test's clock. */
async function instances(count: number, env: Env, now: () => number): Promise<ServerInstance[]> {
  const list = await startServerInstances(stack, count, { env: { TABLES_PREFIX: freshTablesPrefix(), ...env }, app: { now } });
  started.push(...list);
  return list;
}

const tokenOf = (user: SampleUser) => tokens.get(user.key) ?? '';
const list = (server: ServerInstance, user: SampleUser) => postMcp(server.mcpUrl, tokenOf(user), TOOLS_LIST);
const errorCode = (answer: RawAnswer) => (answer.body as { error?: { data?: { code?: string } } } | undefined)?.error?.data?.code;
const statuses = (answers: readonly RawAnswer[]) => answers.map((answer) => answer.status);
const count = (answers: readonly RawAnswer[], status: number) => answers.filter((answer) => answer.status === status).length;

/** Fires `total` requests, `batch` at a time, round-robin over `servers`. */
async function burst(servers: readonly ServerInstance[], total: number, send: (server: ServerInstance, i: number) => Promise<RawAnswer>, batch = 20): Promise<RawAnswer[]> {
  const answers: RawAnswer[] = [];
  for (let start = 0; start < total; start += batch) {
    const indexes = Array.from({ length: Math.min(batch, total - start) }, (_, offset) => start + offset);
    answers.push(...await Promise.all(indexes.map((i) => send(servers[i % servers.length] as ServerInstance, i))));
  }
  return answers;
}

function headerInt(answer: RawAnswer, name: string): number {
  const value = answer.headers.get(name);
  expect(value, name).toMatch(/^\d+$/);
  return Number(value);
}

describe('under concurrency', () => {
  it('4 instances, 200 concurrent requests of one user, budget 50: exactly 50 admitted, 150 answered 429', async () => {
    const clock = testClock();
    const servers = await instances(4, { RATE_LIMIT_USER_PER_MINUTE: '50', RATE_LIMIT_TENANT_PER_MINUTE: '0' }, clock.now);
    const answers = await burst(servers, 200, (server) => list(server, ADELE));
    expect(count(answers, 200)).toBe(50);
    expect(count(answers, 429)).toBe(150);
    expect(statuses(answers).filter((status) => status !== 200 && status !== 429)).toEqual([]);
    for (const answer of answers.filter((candidate) => candidate.status === 429)) {
      const retryAfter = headerInt(answer, 'retry-after');
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(errorCode(answer)).toBe('rate_limited');
      expect(headerInt(answer, 'ratelimit-remaining')).toBe(0);
    }
    // One shared counter, leased to exactly the budget: not a budget per instance.
    const counter = await stackTable({ config: servers[0]!.config }, 'RateLimits').getEntity<{ leased: number }>(`user_${ADELE.tid}_${ADELE.oid}`, String(FIXED - WINDOW / 2));
    expect(counter.leased).toBe(50);
  });

  it('does not let one chatty user exhaust another user\'s budget in the same tenant', async () => {
    const clock = testClock();
    const servers = await instances(2, { RATE_LIMIT_USER_PER_MINUTE: '20', RATE_LIMIT_TENANT_PER_MINUTE: '1000' }, clock.now);
    const adele = await burst(servers, 40, (server) => list(server, ADELE));
    expect(count(adele, 200)).toBe(20);
    expect(count(adele, 429)).toBe(20);
    const alex = await burst(servers, 10, (server) => list(server, ALEX));
    expect(statuses(alex)).toEqual(Array.from({ length: 10 }, () => 200));
  });

  it('binds the tenant budget across the tenant\'s users, and only that tenant', async () => {
    const clock = testClock();
    const servers = await instances(2, { RATE_LIMIT_USER_PER_MINUTE: '1000', RATE_LIMIT_TENANT_PER_MINUTE: '30' }, clock.now);
    const answers = await burst(servers, 50, (server, i) => list(server, i % 2 === 0 ? ADELE : ALEX));
    expect(count(answers, 200)).toBe(30);
    expect(count(answers, 429)).toBe(20);
    for (const answer of answers.filter((candidate) => candidate.status === 429)) expect(errorCode(answer)).toBe('rate_limited');
    // Another tenant has a budget of its own.
    expect((await list(servers[0]!, MEGAN)).status).toBe(200);
  });
});

describe('RateLimit-* headers', () => {
  it('come with every answer after the limiter: 200s, 4xx refusals and 429s, of the tighter bucket, with Remaining going down', async () => {
    const clock = testClock();
    const [server] = await instances(1, { RATE_LIMIT_USER_PER_MINUTE: '6', RATE_LIMIT_TENANT_PER_MINUTE: '100' }, clock.now);
    const token = tokenOf(ADELE);
    const malformed = async () => {
      const response = await fetch(server!.mcpUrl, { method: 'POST', headers: mcpHeaders(token, { 'mcp-protocol-version': '2025-11-25' }), body: '{"jsonrpc":' });
      return { status: response.status, headers: response.headers, body: await response.json() as unknown };
    };
    const wrongType = async () => {
      const response = await fetch(server!.mcpUrl, { method: 'POST', headers: mcpHeaders(token, { 'content-type': 'text/plain' }), body: JSON.stringify(TOOLS_LIST) });
      return { status: response.status, headers: response.headers, body: await response.json() as unknown };
    };
    const answers: RawAnswer[] = [];
    for (const send of [() => list(server!, ADELE), () => list(server!, ADELE), malformed, wrongType, () => list(server!, ADELE), () => list(server!, ADELE), () => list(server!, ADELE)]) {
      answers.push(await send());
    }
    expect(statuses(answers)).toEqual([200, 200, 400, 415, 200, 200, 429]);
    expect(errorCode(answers[2]!)).toBe('parse_error');
    expect(answers.map((answer) => headerInt(answer, 'ratelimit-limit'))).toEqual([6, 6, 6, 6, 6, 6, 6]);
    expect(answers.map((answer) => headerInt(answer, 'ratelimit-remaining'))).toEqual([5, 4, 3, 2, 1, 0, 0]);
    // Half a window left at FIXED.
    expect(answers.map((answer) => headerInt(answer, 'ratelimit-reset'))).toEqual([30, 30, 30, 30, 30, 30, 30]);
    expect(headerInt(answers[6]!, 'retry-after')).toBe(30);
  });

  it('admits again in the next window', async () => {
    const clock = testClock();
    const [server] = await instances(1, { RATE_LIMIT_USER_PER_MINUTE: '3', RATE_LIMIT_TENANT_PER_MINUTE: '0' }, clock.now);
    expect(statuses(await burst([server!], 5, () => list(server!, ADELE), 1))).toEqual([200, 200, 200, 429, 429]);
    clock.time += WINDOW;
    const next = await burst([server!], 4, () => list(server!, ADELE), 1);
    expect(statuses(next)).toEqual([200, 200, 200, 429]);
    expect(headerInt(next[0]!, 'ratelimit-remaining')).toBe(2);
  });
});

describe('when Table Storage is unreachable', () => {
  it('fails open: requests are admitted beyond the budget', async () => {
    const server = await startServerInstance(stack, {
      env: { TABLES_CONNECTION_STRING: azuriteConnectionString(1), RATE_LIMIT_USER_PER_MINUTE: '2', RATE_LIMIT_TENANT_PER_MINUTE: '2' },
    });
    started.push(server);
    const answers = await burst([server], 6, () => list(server, ADELE), 3);
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const answer of answers) expect((answer.body as { result?: { tools?: unknown[] } }).result?.tools?.length).toBeGreaterThan(0);
  });
});

describe('purge', () => {
  it('removes the counters of past windows and keeps the current ones', async () => {
    const clock = testClock();
    const [server] = await instances(1, { RATE_LIMIT_USER_PER_MINUTE: '10', RATE_LIMIT_TENANT_PER_MINUTE: '100' }, clock.now);
    const table = stackTable({ config: server!.config }, 'RateLimits');
    await burst([server!], 3, () => list(server!, ADELE), 1);
    clock.time += 2 * WINDOW;
    await burst([server!], 2, (_, i) => list(server!, i === 0 ? ADELE : ALEX), 1);
    const windowOf = (time: number) => String(Math.floor(time / WINDOW) * WINDOW);
    const before = (await tableRows(table)).map((row) => `${row.partitionKey}@${row.rowKey}`).sort();
    expect(before).toEqual([
      `tenant_${ADELE.tid}@${windowOf(FIXED)}`,
      `tenant_${ADELE.tid}@${windowOf(clock.time)}`,
      `user_${ADELE.tid}_${ADELE.oid}@${windowOf(FIXED)}`,
      `user_${ADELE.tid}_${ADELE.oid}@${windowOf(clock.time)}`,
      `user_${ALEX.tid}_${ALEX.oid}@${windowOf(clock.time)}`,
    ].sort());

    const purged = await server!.app.purge();
    expect(purged.rateLimitRows).toBe(2);
    const after = (await tableRows(table)).map((row) => `${row.partitionKey}@${row.rowKey}`);
    expect(after.every((key) => key.endsWith(`@${windowOf(clock.time)}`))).toBe(true);
    expect(after).toHaveLength(3);
    expect((await server!.app.purge()).rateLimitRows).toBe(0);
  });
});
