// The audit log in Table Storage: one row per write-tool call with the right actor and outcome, never content or tokens, a tenant's day per partition.
import { randomUUID } from 'node:crypto';
import type { McpClient } from '../support/mcpClient.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { odata } from '@azure/data-tables';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../support/mcpClient.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { toolErrorCode } from '../support/rawMcp.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

/** The client application the callers' tokens name in `azp`. */
const APP_ID = 'c0ffee00-5a1e-4b0b-9e1f-a0d17a0d17a0';
const DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JWT_SHAPED = /eyJ[\w-]+\.[\w-]+\./;

type Row = Record<string, unknown> & { partitionKey?: string; rowKey?: string };

let stack: TestStack;
const tokens = new Map<string, string>();
const clients = new Map<string, McpClient>();
let toolNames: Set<string>;
beforeAll(async () => {
  stack = await startTestStack();
  for (const user of [ADELE, ALEX, MEGAN]) {
    const token = await stack.idp.accessToken(user, { azp: APP_ID });
    tokens.set(user.key, token);
    clients.set(user.key, await connectClient(stack.mcpUrl, token));
  }
  toolNames = new Set((await clientOf(ADELE).listTools()).tools.map((tool) => tool.name));
});
afterEach(() => {
  stack.graph.faults.length = 0;
});
afterAll(async () => {
  for (const client of clients.values()) await client.close();
  await stack.close();
});

const clientOf = (user: SampleUser) => clients.get(user.key) as McpClient;
const call = async (user: SampleUser, name: string, args: Record<string, unknown>) => await clientOf(user).callTool({ name, arguments: args });
const auditTable = () => stackTable(stack, 'Audit');
const keyOf = (row: Row) => `${row.partitionKey}/${row.rowKey}`;
const ymd = (time: number) => new Date(time).toISOString().slice(0, 10).replaceAll('-', '');

/** Runs `action` and returns the audit rows it added. */
async function rowsAddedBy(action: () => Promise<unknown>): Promise<Row[]> {
  const before = new Set((await tableRows(auditTable())).map(keyOf));
  await action();
  return (await tableRows(auditTable())).filter((row) => !before.has(keyOf(row)));
}

/** A day well clear of the seeded calendar week, as `YYYY-MM-DD`. */
const eventDay = new Date(Date.now() + 21 * DAY).toISOString().slice(0, 10);
const eventArgs = (subject: string, body: string) => ({
  subject,
  body,
  start: { dateTime: `${eventDay}T10:00:00`, timeZone: 'UTC' },
  end: { dateTime: `${eventDay}T10:30:00`, timeZone: 'UTC' },
});

interface WriteCase {
  readonly tool: string;
  readonly args: () => Record<string, unknown>;
  /** The target id the row must carry, from the call's result (undefined: none). */
  readonly target: (result: CallToolResult) => string | undefined;
  /** The id of what the call created, from its result (undefined: it creates nothing with an id). */
  readonly created?: (result: CallToolResult) => string | undefined;
}

describe('one row per write-tool call', () => {
  it('writes exactly one row for each write tool, with the caller, the client app and the target', async () => {
    let eventId = '';
    const structuredId = (result: CallToolResult) => (result.structuredContent as { id?: string } | undefined)?.id;
    const cases: WriteCase[] = [
      { tool: 'create_draft', args: () => ({ to: [ALEX.upn], subject: 'Draft for review', body: 'Draft text' }), target: () => undefined, created: structuredId },
      { tool: 'send_mail', args: () => ({ to: [ALEX.upn], subject: 'Hello', body: 'Mail text' }), target: () => undefined },
      { tool: 'create_event', args: () => eventArgs('Audit planning', 'Event text'), target: () => undefined, created: (result) => (eventId = structuredId(result) ?? '') },
      { tool: 'update_event', args: () => ({ id: eventId, subject: 'Audit planning (moved)' }), target: () => eventId },
      { tool: 'cancel_event', args: () => ({ id: eventId, comment: 'Not needed' }), target: () => eventId },
    ];
    // Calendar writes are covered when the server offers them.
    const offered = cases.filter((entry) => toolNames.has(entry.tool));
    expect(offered.map((entry) => entry.tool)).toEqual(expect.arrayContaining(['create_draft', 'send_mail']));

    for (const entry of offered) {
      const started = Date.now();
      let result: CallToolResult | undefined;
      const added = await rowsAddedBy(async () => {
        result = await call(ADELE, entry.tool, entry.args());
      });
      expect(result?.isError, `${entry.tool}: ${JSON.stringify(result)}`).toBeFalsy();
      const created = entry.created?.(result as CallToolResult);
      const target = entry.target(result as CallToolResult);
      if (entry.tool !== 'send_mail') expect(target ?? created, entry.tool).toBeTruthy();
      expect(added, entry.tool).toHaveLength(1);
      const [row] = added as [Row];
      expect(row, entry.tool).toMatchObject({
        tid: ADELE.tid,
        oid: ADELE.oid,
        upn: ADELE.upn,
        name: ADELE.name,
        appId: APP_ID,
        tool: entry.tool,
        outcome: 'succeeded',
      });
      expect(row['targetId'], entry.tool).toBe(target);
      expect(row['createdId'], entry.tool).toBe(created);
      expect(row['errorCode'], entry.tool).toBeUndefined();
      expect(row['correlationId'], entry.tool).toMatch(UUID);
      expect(row['time'], entry.tool).toBeGreaterThanOrEqual(started);
      expect(row['time'], entry.tool).toBeLessThanOrEqual(Date.now());
    }
  });

  it('records how many recipients a mail write had and their domains, never their addresses', async () => {
    const domain = (address: string) => address.slice(address.indexOf('@') + 1).toLowerCase();
    const external = Array.from({ length: 12 }, (_, n) => `person${n}@d${String(n).padStart(2, '0')}.example`);
    const cases = [
      { tool: 'send_mail', args: { to: [ALEX.upn], cc: [ALEX.upn.toUpperCase(), 'lee@Fabrikam.example'], bcc: ['auditor@external.example'], subject: 'Hello', body: 'x' }, count: 3, domains: [domain(ALEX.upn), 'external.example', 'fabrikam.example'].sort().join(',') },
      { tool: 'create_draft', args: { to: external, subject: 'Many', body: 'x' }, count: 12, domains: `${external.slice(0, 10).map(domain).join(',')},+2 more` },
    ];
    for (const entry of cases) {
      const added = await rowsAddedBy(async () => {
        expect((await call(ADELE, entry.tool, entry.args)).isError, entry.tool).toBeFalsy();
      });
      expect(added, entry.tool).toHaveLength(1);
      expect(added[0], entry.tool).toMatchObject({ tool: entry.tool, outcome: 'succeeded', recipientCount: entry.count, recipientDomains: entry.domains });
      expect(JSON.stringify(added[0]), entry.tool).not.toMatch(/person0@|auditor@|lee@/i);
    }
    // A failed send keeps the same trace.
    stack.graph.faults.push({ status: 503, times: 3, path: /sendMail/ });
    const failed = await rowsAddedBy(async () => {
      expect((await call(ALEX, 'send_mail', { to: ['x@one.example', 'y@two.example'], subject: 'Fails', body: 'x' })).isError).toBe(true);
    });
    expect(failed[0]).toMatchObject({ outcome: 'failed', recipientCount: 2, recipientDomains: 'one.example,two.example' });
  });

  it('writes no row for read tools', async () => {
    const added = await rowsAddedBy(async () => {
      for (const [name, args] of [['whoami', {}], ['list_messages', { top: 3 }], ['find_people', { query: 'Alex' }]] as const) {
        expect((await call(ADELE, name, args)).isError, name).toBeFalsy();
      }
      await clientOf(ADELE).listTools();
    });
    expect(added).toEqual([]);
  });

  it('writes one row with outcome refused when a write tool is called with invalid arguments', async () => {
    let result: CallToolResult | undefined;
    const added = await rowsAddedBy(async () => {
      result = await call(ALEX, 'send_mail', { to: [], subject: 'No recipients', body: 'Refused before Graph' });
    });
    expect(toolErrorCode(result as CallToolResult)).toBe('input_invalid');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ tid: ALEX.tid, oid: ALEX.oid, tool: 'send_mail', outcome: 'refused', errorCode: 'input_invalid' });
  });

  it('writes one row with outcome failed and the error code when the write fails', async () => {
    stack.graph.faults.push({ status: 503, times: 3, path: /sendMail/ });
    let result: CallToolResult | undefined;
    const added = await rowsAddedBy(async () => {
      result = await call(ALEX, 'send_mail', { to: [ADELE.upn], subject: 'Will fail', body: 'No luck' });
    });
    expect(result?.isError).toBe(true);
    const code = toolErrorCode(result as CallToolResult);
    expect(code).toBeTruthy();
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ tid: ALEX.tid, oid: ALEX.oid, appId: APP_ID, tool: 'send_mail', outcome: 'failed', errorCode: code });
    expect(added[0]?.['targetId']).toBeUndefined();
    const correlationId = (result?._meta?.['onbehalf/error'] as { correlationId?: string } | undefined)?.correlationId;
    if (correlationId !== undefined) expect(added[0]?.['correlationId']).toBe(correlationId);
  });
});

describe('what rows never hold', () => {
  it('has no token, message body, subject or event description in any column of any row', async () => {
    const marker = `mk${randomUUID().replaceAll('-', '')}`;
    expect((await call(ADELE, 'send_mail', { to: [ALEX.upn], subject: `Subject ${marker}`, body: `Body ${marker}` })).isError).toBeFalsy();
    expect((await call(ADELE, 'create_draft', { to: [ALEX.upn], cc: [`${marker}@contoso.example`], subject: `Draft ${marker}`, body: `<p>${marker}</p>`, bodyType: 'html' })).isError).toBeFalsy();
    if (toolNames.has('create_event')) {
      const created = await call(ADELE, 'create_event', eventArgs(`Event ${marker}`, `Description ${marker}`));
      expect(created.isError, JSON.stringify(created)).toBeFalsy();
      const id = (created.structuredContent as { id: string }).id;
      if (toolNames.has('update_event')) expect((await call(ADELE, 'update_event', { id, body: `New description ${marker}` })).isError).toBeFalsy();
      if (toolNames.has('cancel_event')) expect((await call(ADELE, 'cancel_event', { id, comment: `Comment ${marker}` })).isError).toBeFalsy();
    }
    // A failed write and a refused one write rows too.
    stack.graph.faults.push({ status: 503, times: 3, path: /sendMail/ });
    expect((await call(MEGAN, 'send_mail', { to: [ALEX.upn], subject: `Failing ${marker}`, body: `Body ${marker}` })).isError).toBe(true);
    const refused = await call(ALEX, 'send_mail', { to: ADELE.upn, subject: `Refused ${marker}`, body: marker });
    expect(toolErrorCode(refused)).toBe('input_invalid');

    const rows = await tableRows(auditTable());
    expect(rows.length).toBeGreaterThanOrEqual(toolNames.has('cancel_event') ? 7 : 4);
    expect(rows.map((row) => row['outcome'])).toEqual(expect.arrayContaining(['succeeded', 'failed', 'refused']));
    const secrets = [marker, ...tokens.values()];
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
        for (const secret of secrets) expect(text.includes(secret), `${column} of ${keyOf(row)}`).toBe(false);
        // Nor a piece of any token: the signature or the payload alone.
        for (const token of tokens.values()) for (const part of token.split('.')) expect(text.includes(part), `${column} of ${keyOf(row)}`).toBe(false);
        expect(text, `${column} of ${keyOf(row)}`).not.toMatch(JWT_SHAPED);
      }
    }
  });
});

describe('partitions', () => {
  it('keeps a tenant\'s day in one partition, <tid>_<yyyymmdd>, listed newest first', async () => {
    expect((await call(ALEX, 'create_draft', { subject: 'Alex draft', body: 'x' })).isError).toBeFalsy();
    expect((await call(MEGAN, 'create_draft', { subject: 'Megan draft', body: 'x' })).isError).toBeFalsy();
    expect((await call(ADELE, 'create_draft', { subject: 'Adele draft', body: 'x' })).isError).toBeFalsy();

    const rows = await tableRows(auditTable());
    for (const row of rows) expect(row.partitionKey).toBe(`${String(row['tid'])}_${ymd(row['time'] as number)}`);

    const newest = Math.max(...rows.filter((row) => row['tid'] === ADELE.tid).map((row) => row['time'] as number));
    const partition = `${ADELE.tid}_${ymd(newest)}`;
    const day: Row[] = [];
    for await (const row of auditTable().listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${partition}` } })) day.push(row);
    const times = day.map((row) => row['time'] as number);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(day.map((row) => row['tid']))).toEqual(new Set([ADELE.tid]));
    expect(new Set(day.map((row) => row['oid']))).toEqual(new Set([ADELE.oid, ALEX.oid]));
    // The newest row is the last call made.
    expect(day[0]).toMatchObject({ oid: ADELE.oid, tool: 'create_draft', time: newest });
    // Another tenant's rows are in partitions of their own.
    const megan = rows.filter((row) => row['tid'] === MEGAN.tid);
    expect(megan.length).toBeGreaterThan(0);
    for (const row of megan) expect(row.partitionKey).toMatch(new RegExp(`^${MEGAN.tid}_\\d{8}$`));
  });
});
