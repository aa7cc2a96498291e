// Table Storage that accepts connections but never answers: every request still gets its answer, bounded by the Table deadline.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectionStringEndpoint } from '../../shared/config/tablesEndpoint.js';
import type { LogFields, Logger } from '../../shared/log/logger.js';
import { azuriteConnectionString } from '../../sandbox/azurite.js';
import { messagesIn } from '../../sandbox/graph/mailRoutes.js';
import type { RunningServer } from '../../sandbox/httpsServer.js';
import { startLocalHost } from '../../sandbox/localHost.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { callToolMessage, postMcp, type RawAnswer } from '../support/rawMcp.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { startPausableProxy, type PausableProxy } from './pausableProxy.js';

/** Small, so a test that waits out several deadlines stays quick; production uses TABLE_DEADLINE_MS. */
const DEADLINE_MS = 300;

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields | undefined;
}

let proxy: PausableProxy;
let stack: TestStack;
let loggedHost: RunningServer;
const lines: LogLine[] = [];
const logger: Logger = {
  info: (message, fields) => lines.push({ level: 'info', message, fields }),
  warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
  error: (message, fields) => lines.push({ level: 'error', message, fields }),
};

beforeAll(async () => {
  const azurite = connectionStringEndpoint(inject('tablesConnectionString'));
  proxy = await startPausableProxy({ host: azurite?.hostname ?? '127.0.0.1', port: Number(azurite?.port) });
  stack = await startTestStack({
    // Budgets on, the user's small enough that every request needs a lease from storage (a slice of 1).
    env: { TABLES_CONNECTION_STRING: azuriteConnectionString(proxy.port), RATE_LIMIT_USER_PER_MINUTE: '10', RATE_LIMIT_TENANT_PER_MINUTE: '600' },
    app: { tableDeadlineMs: DEADLINE_MS },
  });
  // The same app, served with a logger we can read.
  loggedHost = await startLocalHost(stack.app, { log: logger });
});
afterEach(() => {
  proxy.resume();
});
afterAll(async () => {
  await loggedHost.close();
  await stack.close();
  await proxy.close();
});

const mcpUrl = () => `${loggedHost.url}/mcp`;
const structuredOf = (answer: RawAnswer) => (answer.body as { result?: { isError?: boolean; structuredContent?: Record<string, unknown> } }).result;

describe('while storage hangs', () => {
  it('answers tool calls of users with and without a lease: the limiter fails open', async () => {
    const adele = await stack.idp.accessToken(ADELE);
    const megan = await stack.idp.accessToken(MEGAN);
    // Tables created and a lease taken while storage still answers.
    expect((await postMcp(mcpUrl(), adele, callToolMessage('whoami', { profile: false }))).status).toBe(200);

    proxy.pause();
    lines.length = 0;
    for (const [token, user] of [[adele, ADELE], [megan, MEGAN]] as const) {
      const answer = await postMcp(mcpUrl(), token, callToolMessage('whoami', { profile: false }));
      expect(answer.status, user.key).toBe(200);
      expect(structuredOf(answer)?.structuredContent, user.key).toMatchObject({ oid: user.oid });
    }
    expect(lines.filter((line) => line.message.includes('rate limiter unavailable')).length).toBeGreaterThanOrEqual(2);
  });

  it('answers send_mail with its result, delivers once, and reports the audit row it could not write', async () => {
    const adele = await stack.idp.accessToken(ADELE);
    const inbox = () => messagesIn(stack.graph.dataOf(ALEX), 'inbox').length;
    const before = inbox();
    proxy.pause();
    lines.length = 0;

    const answer = await postMcp(mcpUrl(), adele, callToolMessage('send_mail', { to: [ALEX.upn], subject: 'While storage hangs', body: 'Delivered once.' }));
    expect(answer.status).toBe(200);
    const result = structuredOf(answer);
    expect(result?.isError).toBeFalsy();
    expect(result?.structuredContent).toEqual({ sent: true, recipients: 1 });
    expect(inbox()).toBe(before + 1);

    const failed = lines.filter((line) => line.message === 'audit_write_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 'error', fields: { tool: 'send_mail', tenant: ADELE.tid, oid: ADELE.oid, outcome: 'succeeded', reason: 'unavailable' } });
    expect(failed[0]?.fields?.['correlationId']).toMatch(/^[0-9a-f-]{36}$/);

    // Once storage answers again, rows are written again.
    proxy.resume();
    const rows = async () => (await tableRows(stackTable(stack, 'Audit'))).filter((row) => row['tool'] === 'send_mail').length;
    const written = await rows();
    expect((await postMcp(mcpUrl(), adele, callToolMessage('send_mail', { to: [ALEX.upn], subject: 'After', body: 'x' }))).status).toBe(200);
    expect(await rows()).toBe(written + 1);
  });
});
