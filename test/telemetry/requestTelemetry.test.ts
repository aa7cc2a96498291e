// The real server, instrumented: what a tool call through the MCP SDK client over HTTP leaves in spans, metrics and records.
import type { McpClient } from '../support/mcpClient.js';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { METRIC, RECORD } from '../../shared/telemetry/attributes/names.js';
import { TOOL_ERROR_META_KEY } from '../../shared/mcp/toolErrorResult.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { connectClient, INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { callToolMessage, postMcp } from '../support/rawMcp.js';
import { callTool, connectAs } from '../support/toolCalls.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { installMemoryTelemetry } from './memoryTelemetry.js';

const telemetry = installMemoryTelemetry();
const DAY_MS = 24 * 3600 * 1000;
const WINDOW = { start: new Date(Date.now() - 7 * DAY_MS).toISOString(), end: new Date(Date.now() + 7 * DAY_MS).toISOString() };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let stack: TestStack;
let adele: McpClient;
let alex: McpClient;
let megan: McpClient;

beforeAll(async () => {
  // A user budget so small that each request leases its slice of it with a Table read and write (and large
  // enough for what each user sends here): Table Storage spans in the tree.
  stack = await startTestStack({ env: { RATE_LIMIT_USER_PER_MINUTE: '10' } });
  adele = await connectAs(stack, ADELE);
  alex = await connectAs(stack, ALEX);
  megan = await connectAs(stack, MEGAN);
});

afterAll(async () => {
  await adele.close();
  await alex.close();
  await megan.close();
  await stack.close();
  await telemetry.shutdown();
});

beforeEach(() => telemetry.reset());

function named(name: string, spans: readonly ReadableSpan[] = telemetry.spans()): ReadableSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no span ${name}; have ${spans.map((candidate) => candidate.name).join(', ')}`);
  return span;
}

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan): string => span.spanContext().spanId;
const traceOf = (span: ReadableSpan): string => span.spanContext().traceId;
const errorMeta = (result: { _meta?: Record<string, unknown> }) => result._meta?.[TOOL_ERROR_META_KEY] as { code?: string; correlationId?: string; traceId?: string } | undefined;

describe('a list_events call through the real server', () => {
  it('is one trace: the MCP request, and beneath it token verification, Table Storage, and the Graph GET with its OBO exchange', async () => {
    const result = await callTool(megan, 'list_events', WINDOW);
    expect(result.isError).toBeFalsy();

    const root = named('tools/call list_events');
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(parentOf(root)).toBeUndefined();
    expect(root.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'list_events',
      'gen_ai.operation.name': 'execute_tool',
      'mcp.protocol.version': '2025-11-25',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'onbehalf.outcome': 'ok',
      'onbehalf.tenant.id': MEGAN.tid,
      'enduser.id': MEGAN.oid,
    });
    expect(root.attributes['error.type']).toBeUndefined();

    const trace = telemetry.spans().filter((span) => traceOf(span) === traceOf(root));
    const verify = named('verify token', trace);
    const graph = named('GET /me/calendarView', trace);
    const obo = named('obo exchange', trace);
    const tables = trace.filter((span) => span.attributes['db.system.name'] === 'azure.tables');
    expect(parentOf(verify)).toBe(idOf(root));
    expect(verify.attributes['onbehalf.auth.cached']).toBe(true);
    expect(parentOf(graph)).toBe(idOf(root));
    expect(graph.kind).toBe(SpanKind.CLIENT);
    expect(graph.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.template': '/me/calendarView',
      'server.address': new URL(stack.graph.url).host,
      'http.response.status_code': 200,
    });
    expect(graph.attributes['onbehalf.graph.request_id']).toMatch(GUID);
    expect(graph.attributes['http.request.resend_count']).toBeUndefined();
    expect(parentOf(obo)).toBe(idOf(graph));
    expect(obo.attributes['onbehalf.obo.cache']).toMatch(/^(hit|miss)$/);
    expect(obo.attributes['onbehalf.obo.scopes']).toBe('Calendars.Read');
    // The user's rate-limit counter: read, then written, under the request.
    expect(tables.map((span) => span.name.replace(stack.config.tablesPrefix, '<prefix>'))).toEqual(['getEntity <prefix>RateLimits', 'updateEntity <prefix>RateLimits']);
    for (const span of tables) expect(parentOf(span), span.name).toBe(idOf(root));
    expect(tables.every((span) => span.attributes['db.collection.name'] === `${stack.config.tablesPrefix}RateLimits`)).toBe(true);

    expect(await telemetry.total(METRIC.toolCalls, { 'gen_ai.tool.name': 'list_events', 'onbehalf.outcome': 'ok' })).toBe(1);
    expect(await telemetry.total(METRIC.operationDuration, { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'list_events' })).toBeGreaterThanOrEqual(1);
    expect(await telemetry.total(METRIC.oboExchanges)).toBeGreaterThanOrEqual(1);
  });

  it('counts a repeated exchange as a cache hit', async () => {
    await callTool(adele, 'list_events', WINDOW);
    telemetry.reset();
    await callTool(adele, 'list_events', WINDOW);
    expect(named('obo exchange').attributes['onbehalf.obo.cache']).toBe('hit');
  });

  it('records Graph throttling: the retry on the same span, and the throttling metric by route and tenant', async () => {
    const before = await telemetry.total(METRIC.graphThrottled, { 'url.template': '/me/calendarView', 'onbehalf.tenant.id': ADELE.tid });
    stack.graph.faults.push({ status: 429, retryAfterSeconds: 0, times: 1, path: /calendarView/ });
    const result = await callTool(adele, 'list_events', WINDOW);
    expect(result.isError).toBeFalsy();
    expect(named('GET /me/calendarView').attributes).toMatchObject({ 'http.response.status_code': 200, 'http.request.resend_count': 1 });
    expect(await telemetry.total(METRIC.graphThrottled, { 'url.template': '/me/calendarView', 'onbehalf.tenant.id': ADELE.tid })).toBe(before + 1);
  });
});

describe('the correlation id a tool error shows', () => {
  it('is the server\'s own, on the request span as onbehalf.correlation_id, with the trace id beside it (a Graph failure)', async () => {
    const result = await callTool(adele, 'get_event', { id: 'AAMkAGI2THVSAAA=' });
    expect(errorMeta(result)?.code).toBe('not_found');
    const root = named('tools/call get_event');
    const correlationId = errorMeta(result)?.correlationId;
    expect(correlationId).toMatch(GUID);
    expect(root.attributes['onbehalf.correlation_id']).toBe(correlationId);
    expect(errorMeta(result)?.traceId).toBe(traceOf(root));
    expect(root.attributes).toMatchObject({ 'onbehalf.outcome': 'tool_error', 'error.type': 'not_found', 'onbehalf.error.code': 'not_found' });
    expect(named('GET /me/events/{id}').attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': 'not_found' });
    expect(await telemetry.total(METRIC.toolCalls, { 'gen_ai.tool.name': 'get_event', 'onbehalf.outcome': 'tool_error', 'onbehalf.error.code': 'not_found' })).toBeGreaterThanOrEqual(1);
  });

  it('leads to the trace of a failed On-Behalf-Of exchange, whose span, metric and record carry the AADSTS code', async () => {
    stack.idp.oboFailures.set(ALEX.oid, { failure: 'consent_required', times: 1 });
    const result = await callTool(alex, 'list_events', WINDOW);
    expect(errorMeta(result)?.code).toBe('consent_required');
    const obo = named('obo exchange');
    expect(obo.attributes).toMatchObject({ 'onbehalf.entra.aadsts': '65001', 'error.type': 'consent_required' });
    expect(await telemetry.total(METRIC.oboExchanges, { 'onbehalf.outcome': 'error', 'onbehalf.error.code': 'consent_required', 'onbehalf.entra.aadsts': '65001' })).toBe(1);
    const record = telemetry.records().find((candidate) => candidate.body === RECORD.oboFailed);
    expect(record?.attributes).toMatchObject({ 'onbehalf.tenant.id': ALEX.tid, 'onbehalf.user.oid': ALEX.oid, 'onbehalf.error.code': 'consent_required', 'onbehalf.entra.aadsts': '65001' });
    expect(record?.spanContext?.traceId).toBe(traceOf(obo));
    expect(named('tools/call list_events').attributes['onbehalf.correlation_id']).toBe(errorMeta(result)?.correlationId);
    expect(errorMeta(result)?.traceId).toBe(traceOf(obo));
  });

  it('is in the audit row of a failed write, the trace id beside it, and rows keep keys of their own', async () => {
    const audit = stackTable(stack, 'Audit');
    const seen = new Set((await tableRows(audit)).map((row) => row.rowKey));
    const result = await callTool(adele, 'cancel_event', { id: 'AAMkAGI2THVSAAA=' });
    expect(errorMeta(result)?.code).toBe('not_found');
    const traceId = traceOf(named('tools/call cancel_event'));
    const correlationId = errorMeta(result)?.correlationId ?? '';
    expect(correlationId).toMatch(GUID);
    const added = (await tableRows(audit)).filter((row) => !seen.has(row.rowKey));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ tool: 'cancel_event', outcome: 'failed', correlationId, traceId });
    expect(added[0]?.rowKey).toMatch(new RegExp(`^\\d{13}_${correlationId}_[0-9a-f]{8}$`));
  });

  it('is never what a caller\'s traceparent says: two requests in one caller-chosen trace get ids of their own, and so do their audit rows', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const token = await stack.idp.accessToken(MEGAN);
    const audit = stackTable(stack, 'Audit');
    const seen = new Set((await tableRows(audit)).map((row) => row.rowKey));
    const ids: string[] = [];
    for (const span of ['00f067aa0ba902b7', '00f067aa0ba902b8']) {
      const answer = await postMcp(stack.mcpUrl, token, callToolMessage('cancel_event', { id: 'AAMkAGI2THVSAAA=' }), { traceparent: `00-${traceId}-${span}-01` });
      const meta = errorMeta((answer.body as { result: { _meta?: Record<string, unknown> } }).result);
      expect(meta?.code).toBe('not_found');
      expect(meta?.traceId).toBe(traceId);
      ids.push(meta?.correlationId ?? '');
    }
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(GUID);
    const added = (await tableRows(audit)).filter((row) => !seen.has(row.rowKey));
    expect(added.map((row) => row['correlationId']).sort()).toEqual([...ids].sort());
    expect(added.map((row) => row['traceId'])).toEqual([traceId, traceId]);
  });
});

describe('refusals', () => {
  it('count a 401 by status and code, on a span with the code as its error type', async () => {
    const before = await telemetry.total(METRIC.refusals, { 'http.response.status_code': 401, 'onbehalf.error.code': 'token_malformed' });
    const answer = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders('not-a-jwt'), body: JSON.stringify(INITIALIZE) });
    expect(answer.status).toBe(401);
    const root = named('POST /mcp');
    expect(root.attributes).toMatchObject({ 'http.response.status_code': 401, 'onbehalf.outcome': 'refused', 'error.type': 'token_malformed' });
    expect(parentOf(named('verify token'))).toBe(idOf(root));
    expect(await telemetry.total(METRIC.refusals, { 'http.response.status_code': 401, 'onbehalf.error.code': 'token_malformed' })).toBe(before + 1);
  });
});

describe('a traceparent sent to the local host', () => {
  it('cannot turn tracing off with its not-sampled flag: the request is still recorded, in the caller\'s trace', async () => {
    const traceId = '5bf92f3577b34da6a3ce929d0e0e4737';
    const token = await stack.idp.accessToken(MEGAN);
    const answer = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(token, { traceparent: `00-${traceId}-00f067aa0ba902b7-00` }), body: JSON.stringify(INITIALIZE) });
    expect(answer.status).toBe(200);
    const root = named('initialize');
    expect(traceOf(root)).toBe(traceId);
    expect(telemetry.spans().filter((span) => traceOf(span) === traceId).map((span) => span.name)).toEqual(expect.arrayContaining(['verify token', 'initialize']));
  });

  it('makes the request span a child of the caller\'s span', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const token = await stack.idp.accessToken(ADELE);
    const answer = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(token, { traceparent: `00-${traceId}-${parent}-01` }), body: JSON.stringify(INITIALIZE) });
    expect(answer.status).toBe(200);
    const root = named('initialize');
    expect(traceOf(root)).toBe(traceId);
    expect(parentOf(root)).toBe(parent);
  });
});

describe('a 2026-07-28 call through the SDK\'s v2 client', () => {
  it('is traced like a 2025 one: the request span names the method, the tool, the revision and the caller, over its own children', async () => {
    const modern = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ALEX), 'modern');
    try {
      telemetry.reset();
      expect((await callTool(modern, 'whoami', { profile: false })).isError).toBeFalsy();
      const root = named('tools/call whoami');
      expect(root.kind).toBe(SpanKind.SERVER);
      expect(root.attributes).toMatchObject({
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': 'whoami',
        'mcp.protocol.version': '2026-07-28',
        'http.response.status_code': 200,
        'onbehalf.outcome': 'ok',
        'onbehalf.tenant.id': ALEX.tid,
        'enduser.id': ALEX.oid,
      });
      expect(parentOf(named('verify token'))).toBe(idOf(root));
    } finally {
      await modern.close();
    }
  });
});
