// No token, user principal name or user content reaches an exporter, whoever set the attribute or wrote the record.
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../shared/auth/authError.js';
import { GraphError } from '../../shared/graph/graphError.js';
import { createTelemetryLogger, emitRecord } from '../../shared/telemetry/logs/telemetryLogger.js';
import { traceGraphRequest } from '../../shared/telemetry/spans/graphRequest.js';
import { traceMcpRequest } from '../../shared/telemetry/spans/mcpRequest.js';
import { withSpan } from '../../shared/telemetry/spans/withSpan.js';
import { installMemoryTelemetry } from './memoryTelemetry.js';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJ1cG4iOiJhZGVsZUBjb250b3NvLmNvbSIsInNjcCI6Ik1haWwuUmVhZCJ9.c2lnbmF0dXJlLWJ5dGVz';
const UPN = 'adele.vance@contoso.onmicrosoft.com';
const BODY = 'Quarterly results are confidential: revenue up 42 percent';
const SEARCH = 'salary review Adele';

const telemetry = installMemoryTelemetry();
afterAll(() => telemetry.shutdown());
beforeEach(() => telemetry.reset());

/** Everything exported so far, as one text: names, attributes, events, statuses, bodies. */
function exported(): string {
  const spans = telemetry.spans().map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, status: span.status }));
  const records = telemetry.records().map((record) => ({ body: record.body, attributes: record.attributes }));
  return JSON.stringify({ spans, records });
}

function expectNothingLeaked(): void {
  const text = exported();
  expect(text).not.toMatch(/eyJ[\w-]*\.[\w-]*\.[\w-]*/);
  expect(text).not.toContain('c2lnbmF0dXJlLWJ5dGVz');
  expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
  expect(text).not.toContain(BODY);
  expect(text).not.toContain(SEARCH);
}

describe('span attributes set through the telemetry API', () => {
  it('are redacted, UPN-scrubbed, and withheld by key', async () => {
    await withSpan('graph call', {
      attributes: {
        note: `Bearer ${JWT}`,
        who: UPN,
        subject: BODY,
        'gen_ai.tool.call.arguments': JSON.stringify({ query: SEARCH }),
        'url.full': `https://graph.microsoft.com/v1.0/users/${UPN}/messages?$search="${SEARCH}"`,
        'user.email': UPN,
        count: 3,
      },
    }, async () => undefined);
    const [span] = telemetry.spans();
    expect(span?.attributes).toEqual({
      note: 'Bearer [redacted]',
      who: '[withheld-upn]',
      subject: '[withheld]',
      'gen_ai.tool.call.arguments': '[withheld]',
      'url.full': '[withheld]',
      'user.email': '[withheld]',
      count: 3,
    });
    expectNothingLeaked();
  });
});

describe('whatever code uses the OpenTelemetry API directly', () => {
  it('gets its span name, attributes, events, exceptions and status message sanitized on the way out', () => {
    trace.getTracer('elsewhere').startActiveSpan(`lookup ${UPN}`, (span) => {
      span.setAttribute('error', `invalid_grant: assertion ${JWT}`);
      span.setAttribute('mail', UPN);
      span.setAttribute('recipients', [UPN, 'lee@contoso.com']);
      span.setAttribute('jsonrpc.request.id', 'f3b9c0de6a5b4c2d9e8f7a6b5c4d3e2f');
      span.addEvent('draft saved', { body: BODY, size: 12 });
      span.recordException(new Error(`OBO failed for ${UPN} with ${JWT}`));
      span.setStatus({ code: SpanStatusCode.ERROR, message: `refused ${UPN}: Bearer ${JWT}` });
      span.end();
    });
    const [span] = telemetry.spans();
    expect(span?.name).toBe('lookup [withheld-upn]');
    expect(span?.attributes).toMatchObject({ error: 'invalid_grant: assertion [redacted-jwt]', mail: '[withheld]', recipients: '[withheld]', 'jsonrpc.request.id': 'f3b9c0de6a5b4c2d9e8f7a6b5c4d3e2f' });
    expect(span?.events.find((event) => event.name === 'draft saved')?.attributes).toEqual({ body: '[withheld]', size: 12 });
    expect(span?.status.message).toBe('refused [withheld-upn]: Bearer [redacted]');
    expectNothingLeaked();
  });

  it('gets log records sanitized too, nested values withheld', () => {
    logs.getLogger('elsewhere').emit({ body: `signed in as ${UPN}`, attributes: { token: JWT, detail: { upn: UPN }, subject: BODY } });
    const [record] = telemetry.records();
    expect(record?.body).toBe('signed in as [withheld-upn]');
    expect(record?.attributes).toEqual({ token: '[withheld]', detail: '[withheld]', subject: '[withheld]' });
    expectNothingLeaked();
  });
});

describe('structured records', () => {
  it('carry fields as attributes (not JSON in the message), redacted like log lines, UPNs and content withheld', async () => {
    await traceMcpRequest({ httpMethod: 'POST' }, async () => {
      emitRecord('warn', `graph call failed for ${UPN}`, { tool: 'search_mail', status: 429, error: `Bearer ${JWT} rejected`, upn: UPN, name: 'Adele Vance', query: SEARCH });
      createTelemetryLogger().error('tool failed', { correlationId: 'abc', preview: BODY });
      return new Response(null, { status: 200 });
    });
    const [warning, failure] = telemetry.records();
    expect(warning?.body).toBe('graph call failed for [withheld-upn]');
    expect(warning?.severityText).toBe('WARN');
    expect(warning?.attributes).toEqual({ tool: 'search_mail', status: 429, error: 'Bearer [redacted] rejected', upn: '[withheld]', name: '[withheld]', query: '[withheld]' });
    expect(failure?.attributes).toEqual({ correlationId: 'abc', preview: '[withheld]' });
    const request = telemetry.spans().find((span) => span.name === 'POST /mcp');
    expect(warning?.spanContext?.spanId).toBe(request?.spanContext().spanId);
    expectNothingLeaked();
  });

  it('cut a very long value', () => {
    emitRecord('info', 'x', { error: 'a'.repeat(5000) });
    const value = telemetry.records()[0]?.attributes['error'];
    expect(typeof value === 'string' ? value.length : Infinity).toBeLessThan(600);
  });
});

describe('what a failure puts on a span', () => {
  it('a Graph failure: the typed code and Graph\'s error code, never Graph\'s error text (which echoes search text and item names)', async () => {
    const failure = new GraphError('not_found', `The resource '${SEARCH}.docx' does not exist or one of its queried reference-property objects are not present`, { status: 404, graphCode: 'itemNotFound' });
    await traceGraphRequest({ method: 'GET', url: '/me/drive/items/01ABC', baseUrl: 'https://graph.microsoft.com' }, async () => {
      throw failure;
    }).catch(() => undefined);
    const [span] = telemetry.spans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'not_found' });
    expect(span?.attributes).toMatchObject({ 'error.type': 'not_found', 'onbehalf.graph.error_code': 'itemNotFound' });
    expect(exported()).not.toContain('does not exist');
    expectNothingLeaked();
  });

  it('a Graph error code that is not an identifier is left out', async () => {
    await traceGraphRequest({ method: 'GET', url: '/me/events', baseUrl: 'https://graph.microsoft.com' }, async () => {
      throw new GraphError('bad_request', 'x', { status: 400, graphCode: `${SEARCH} ${UPN}` });
    }).catch(() => undefined);
    expect(telemetry.spans()[0]?.attributes['onbehalf.graph.error_code']).toBeUndefined();
    expectNothingLeaked();
  });

  it('a failure thrown out of the request: its typed code only, not the message Entra or Graph wrote', async () => {
    await traceMcpRequest({ httpMethod: 'POST' }, async () => {
      throw new AuthError('entra_unavailable', `AADSTS50000: There was an error issuing a token for ${SEARCH}`);
    }).catch(() => undefined);
    const [span] = telemetry.spans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('entra_unavailable');
    expect(exported()).not.toContain('error issuing');
  });
});

describe('caller-chosen JSON-RPC ids', () => {
  it.each([
    ['a number', 42, '42'],
    ['a string', `${SEARCH} ${UPN}`, undefined],
    ['a UUID string', '5f0c7a1e-2b3d-4c5e-8f9a-0b1c2d3e4f5a', undefined],
    ['a fraction', 1.5, undefined],
  ])('%s: only whole numbers become jsonrpc.request.id', async (_label, id, kept) => {
    await traceMcpRequest({ httpMethod: 'POST' }, async (request) => {
      request.message({ jsonrpc: '2.0', id, method: 'tools/list' }, '2025-06-18', new Set());
      return new Response('{}', { status: 200 });
    });
    expect(telemetry.spans()[0]?.attributes['jsonrpc.request.id']).toBe(kept);
    expectNothingLeaked();
  });
});
