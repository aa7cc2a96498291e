// Table Storage operations per MCP request, counted in Azurite's access log: the cost the README quotes, kept from growing.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzuriteTables, type AzuriteTables } from '../../sandbox/azurite.js';
import { freshTablesPrefix, startServerInstance, type ServerInstance } from '../support/multiInstance.js';
import { postMcp } from '../support/rawMcp.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const WINDOW = 60_000;
/** Mid-window and still: no window boundary falls inside a measurement unless a test moves it. */
let clock = Math.floor(Date.now() / WINDOW) * WINDOW + 1_000;
const TOOLS_LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' } as const;
/** Requests per measurement: under the default per-user budget of 120 a minute. */
const REQUESTS = 100;

interface Operation {
  readonly method: string;
  /** The table, e.g. `t1a2b3c4RateLimits`, or `Tables` for table creation. */
  readonly table: string;
}

const operations: Operation[] = [];
const accessLog = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) {
      const match = /"(\w+) \/[^/]+\/([A-Za-z0-9]+)/.exec(line);
      if (match !== null) operations.push({ method: match[1] ?? '', table: match[2] ?? '' });
    }
    done();
  },
});

let azurite: AzuriteTables;
let stack: TestStack;
let token: string;
const started: ServerInstance[] = [];
beforeAll(async () => {
  azurite = await startAzuriteTables(0, { accessLog });
  stack = await startTestStack({ env: { TABLES_CONNECTION_STRING: azurite.connectionString } });
  token = await stack.idp.accessToken(ADELE);
});
afterAll(async () => {
  for (const instance of started) await instance.close();
  await stack.close();
  await azurite.close();
});

/** The log line of a request is written when its answer is sent: wait until the count stops moving. */
async function settledCount(): Promise<number> {
  let last = -1;
  while (last !== operations.length) {
    last = operations.length;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return last;
}

async function instance(env: Record<string, string>): Promise<ServerInstance> {
  const server = await startServerInstance(stack, { env: { TABLES_PREFIX: freshTablesPrefix(), ...env }, app: { now: () => clock } });
  started.push(server);
  return server;
}

/** Operations of `REQUESTS` sequential tools/list after `warmUp` more, by table. */
async function measure(server: ServerInstance, headers: Record<string, string>, warmUp = 3) {
  for (let i = 0; i < warmUp; i++) expect((await postMcp(server.mcpUrl, token, TOOLS_LIST, headers)).status).toBe(200);
  const from = await settledCount();
  for (let i = 0; i < REQUESTS; i++) expect((await postMcp(server.mcpUrl, token, TOOLS_LIST, headers)).status).toBe(200);
  await settledCount();
  const seen = operations.slice(from).filter((operation) => operation.table.startsWith(server.config.tablesPrefix) || operation.table === 'Tables');
  const of = (suffix: string) => seen.filter((operation) => operation.table.endsWith(suffix)).length;
  return {
    total: seen.length,
    perRequest: seen.length / REQUESTS,
    rateLimitOps: of('RateLimits'),
    tableCreates: of('Tables'),
  };
}

describe('Table Storage operations per request', () => {
  it('with the default budgets (600/120): only the slice leases, about 0.2 per request', async () => {
    clock += WINDOW;
    const server = await instance({ RATE_LIMIT_TENANT_PER_MINUTE: '600', RATE_LIMIT_USER_PER_MINUTE: '120' });
    const cost = await measure(server, {});
    expect(cost.tableCreates).toBe(0);
    // Slices of 12 (user) and 60 (tenant), each a read and a conditional write.
    expect(cost.rateLimitOps).toBeLessThanOrEqual(Math.ceil(REQUESTS / 12) * 2 + Math.ceil(REQUESTS / 60) * 2 + 4);
    expect(cost.total).toBe(cost.rateLimitOps);
    expect(cost.perRequest).toBeLessThanOrEqual(0.25);
  });

  it('with the budgets off: none', async () => {
    const server = await instance({ RATE_LIMIT_TENANT_PER_MINUTE: '0', RATE_LIMIT_USER_PER_MINUTE: '0' });
    expect((await measure(server, {})).total).toBe(0);
  });
});

describe('a cold instance', () => {
  /** Table creations (`POST …/Tables`) while a fresh instance answers its first request, one without a token. */
  async function createdByFirstRequest(env: Record<string, string>): Promise<number> {
    const server = await instance(env);
    const from = await settledCount();
    expect((await postMcp(server.mcpUrl, undefined, TOOLS_LIST)).status).toBe(401);
    await settledCount();
    return operations.slice(from).filter((operation) => operation.table === 'Tables').length;
  }

  it('creates its rate limit table with its first request, whatever that request is, not with its first budget', async () => {
    expect(await createdByFirstRequest({ RATE_LIMIT_TENANT_PER_MINUTE: '600', RATE_LIMIT_USER_PER_MINUTE: '120' })).toBe(1);
  });

  it('creates none with the budgets off', async () => {
    expect(await createdByFirstRequest({ RATE_LIMIT_TENANT_PER_MINUTE: '0', RATE_LIMIT_USER_PER_MINUTE: '0' })).toBe(0);
  });
});
