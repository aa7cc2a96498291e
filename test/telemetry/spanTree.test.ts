// The telemetry API as the request path uses it: the span tree of a tool call, its attributes, metrics and records.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { METRIC, RECORD } from '../../shared/telemetry/attributes/names.js';
import { recordAuditUnwritten } from '../../shared/telemetry/metrics/recorders.js';
import { currentMcpRequest, noteToolCall, traceMcpRequest } from '../../shared/telemetry/spans/mcpRequest.js';
import { traceOboExchange } from '../../shared/telemetry/spans/oboExchange.js';
import { traceTableOperation } from '../../shared/telemetry/spans/tableOperation.js';
import { traceTokenVerification } from '../../shared/telemetry/spans/tokenVerification.js';
import { withRemoteParent } from '../../shared/telemetry/spans/traceContext.js';
import { installMemoryTelemetry } from './memoryTelemetry.js';
import { CALLER, CLIENT_REQUEST_ID, OID, REQUEST_ID, simulateListEvents, TENANT, toolCall, TOOLS } from './simulatedRequest.js';

const ENTRA_CORRELATION = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

const telemetry = installMemoryTelemetry();
afterAll(() => telemetry.shutdown());
beforeEach(() => telemetry.reset());

function byName(name: string): ReadableSpan {
  const span = telemetry.spans().find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no span ${name}; have ${telemetry.spans().map((candidate) => candidate.name).join(', ')}`);
  return span;
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

describe('a tools/call request', () => {
  it('is one SERVER span named after the method and tool, with verification, Table, Graph and OBO spans beneath', async () => {
    const { traceId } = await simulateListEvents();
    const root = byName('tools/call list_events');
    const verify = byName('verify token');
    const table = byName('getEntity onbehalfRateLimits');
    const graph = byName('GET /me/calendarView');
    const obo = byName('obo exchange');

    expect(root.kind).toBe(SpanKind.SERVER);
    expect(parentOf(root)).toBeUndefined();
    expect([verify, table, graph].map(parentOf)).toEqual([root.spanContext().spanId, root.spanContext().spanId, root.spanContext().spanId]);
    expect(parentOf(obo)).toBe(graph.spanContext().spanId);
    expect(new Set(telemetry.spans().map((span) => span.spanContext().traceId))).toEqual(new Set([root.spanContext().traceId]));
    expect(traceId).toBe(root.spanContext().traceId);

    expect(root.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'list_events',
      'gen_ai.operation.name': 'execute_tool',
      'jsonrpc.request.id': '7',
      'mcp.protocol.version': '2025-06-18',
      'onbehalf.tenant.id': TENANT,
      'enduser.id': OID,
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'onbehalf.outcome': 'ok',
    });
    expect(root.attributes['error.type']).toBeUndefined();
    expect(root.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records each Graph request with its route template, status, request ids and retries', async () => {
    await simulateListEvents();
    const graph = byName('GET /me/calendarView');
    expect(graph.kind).toBe(SpanKind.CLIENT);
    expect(graph.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.template': '/me/calendarView',
      'server.address': 'graph.microsoft.com',
      'http.response.status_code': 200,
      'http.request.resend_count': 1,
      'onbehalf.graph.request_id': REQUEST_ID,
      'onbehalf.graph.client_request_id': CLIENT_REQUEST_ID,
    });
    expect(byName('obo exchange').attributes).toMatchObject({ 'onbehalf.obo.cache': 'miss', 'onbehalf.obo.scopes': 'Calendars.Read' });
  });

  it('keeps a 404 from Table Storage an answer, not a failure', async () => {
    await simulateListEvents();
    const table = byName('getEntity onbehalfRateLimits');
    expect(table.attributes).toMatchObject({ 'db.system.name': 'azure.tables', 'db.collection.name': 'onbehalfRateLimits', 'db.operation.name': 'getEntity', 'db.response.status_code': '404' });
    expect(table.status.code).toBe(SpanStatusCode.UNSET);
    expect(await telemetry.total(METRIC.tableFailures)).toBe(0);
  });

  it('counts the call, its duration, the OBO exchange and the Graph throttling', async () => {
    const before = {
      calls: await telemetry.total(METRIC.toolCalls, { 'gen_ai.tool.name': 'list_events', 'onbehalf.outcome': 'ok' }),
      operations: await telemetry.total(METRIC.operationDuration, { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'list_events', 'onbehalf.outcome': 'ok' }),
      obo: await telemetry.total(METRIC.oboExchanges, { 'onbehalf.obo.cache': 'miss', 'onbehalf.outcome': 'ok' }),
      throttled: await telemetry.total(METRIC.graphThrottled, { 'http.response.status_code': 429, 'url.template': '/me/calendarView', 'onbehalf.tenant.id': TENANT }),
    };
    await simulateListEvents();
    expect(await telemetry.total(METRIC.toolCalls, { 'gen_ai.tool.name': 'list_events', 'onbehalf.outcome': 'ok' })).toBe(before.calls + 1);
    expect(await telemetry.total(METRIC.operationDuration, { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'list_events', 'onbehalf.outcome': 'ok' })).toBe(before.operations + 1);
    expect(await telemetry.total(METRIC.oboExchanges, { 'onbehalf.obo.cache': 'miss', 'onbehalf.outcome': 'ok' })).toBe(before.obo + 1);
    expect(await telemetry.total(METRIC.graphThrottled, { 'http.response.status_code': 429, 'url.template': '/me/calendarView', 'onbehalf.tenant.id': TENANT })).toBe(before.throttled + 1);
    const duration = (await telemetry.metrics()).get(METRIC.operationDuration);
    expect(duration?.descriptor.unit).toBe('s');
  });

  it('notes an active caller once per hour, with tenant and object id only', async () => {
    const newcomer = { tid: TENANT, oid: 'f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0' };
    const call = () => traceMcpRequest({ httpMethod: 'POST' }, async () => {
      await traceTokenVerification(async () => ({ identity: newcomer }));
      return new Response('{}', { status: 200 });
    });
    await call();
    await call();
    const active = telemetry.records().filter((record) => record.body === RECORD.callerActive);
    expect(active.map((record) => record.attributes)).toEqual([{ 'onbehalf.tenant.id': TENANT, 'onbehalf.user.oid': newcomer.oid }]);
  });
});

describe('failures', () => {
  it('a refused request is a `refused` outcome with its typed code, counted by status and tenant', async () => {
    const before = await telemetry.total(METRIC.refusals, { 'http.response.status_code': 429, 'onbehalf.error.code': 'rate_limited', 'onbehalf.tenant.id': TENANT });
    await traceMcpRequest({ httpMethod: 'POST' }, async (request) => {
      request.caller(CALLER);
      currentMcpRequest().fail(Object.assign(new Error('Too many requests'), { code: 'rate_limited' }));
      return new Response(null, { status: 429 });
    });
    const span = byName('POST /mcp');
    expect(span.attributes).toMatchObject({ 'onbehalf.outcome': 'refused', 'error.type': 'rate_limited', 'onbehalf.error.code': 'rate_limited', 'http.response.status_code': 429 });
    expect(await telemetry.total(METRIC.refusals, { 'http.response.status_code': 429, 'onbehalf.error.code': 'rate_limited', 'onbehalf.tenant.id': TENANT })).toBe(before + 1);
  });

  it('an unverified caller is refused without a tenant, and the verification span carries the code', async () => {
    await traceMcpRequest({ httpMethod: 'POST' }, async (request) => {
      try {
        await traceTokenVerification(async () => {
          throw Object.assign(new Error('token expired'), { code: 'token_expired' });
        });
      } catch (error) {
        request.fail(error);
      }
      return new Response(null, { status: 401 });
    });
    expect(byName('verify token').attributes).toMatchObject({ 'error.type': 'token_expired' });
    expect(byName('verify token').status.code).toBe(SpanStatusCode.ERROR);
    expect(byName('verify token').events).toEqual([]);
    expect(await telemetry.total(METRIC.refusals, { 'http.response.status_code': 401, 'onbehalf.error.code': 'token_expired' })).toBeGreaterThanOrEqual(1);
    const refusals = (await telemetry.metrics()).get(METRIC.refusals);
    const unverified = refusals?.dataPoints.find((point) => point.attributes['onbehalf.error.code'] === 'token_expired');
    expect(unverified?.attributes['onbehalf.tenant.id']).toBeUndefined();
  });

  it('a consent failure: tool error on the request, AADSTS and Entra correlation id on the OBO span, metric and record', async () => {
    await traceMcpRequest({ httpMethod: 'POST' }, async (request) => {
      request.caller(CALLER);
      request.message(toolCall('send_mail'), '2025-06-18', TOOLS);
      const msal = Object.assign(new Error('AADSTS65001: The user or administrator has not consented to use the application'), { errorMessage: 'AADSTS65001: consent', correlationId: ENTRA_CORRELATION });
      await traceOboExchange(CALLER, ['Mail.Send'], async () => {
        throw Object.assign(new Error('This server has not been granted the permissions it needs'), { code: 'consent_required', cause: msal });
      }).catch(() => undefined);
      noteToolCall('send_mail', TOOLS, { isError: true, code: 'consent_required' });
      return new Response('{}', { status: 200 });
    });
    const root = byName('tools/call send_mail');
    expect(root.attributes).toMatchObject({ 'onbehalf.outcome': 'tool_error', 'error.type': 'consent_required' });
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(byName('obo exchange').attributes).toMatchObject({ 'error.type': 'consent_required', 'onbehalf.entra.aadsts': '65001', 'onbehalf.entra.correlation_id': ENTRA_CORRELATION });
    expect(await telemetry.total(METRIC.oboExchanges, { 'onbehalf.outcome': 'error', 'onbehalf.error.code': 'consent_required', 'onbehalf.entra.aadsts': '65001' })).toBe(1);
    expect(await telemetry.total(METRIC.toolCalls, { 'gen_ai.tool.name': 'send_mail', 'onbehalf.outcome': 'tool_error', 'onbehalf.error.code': 'consent_required' })).toBe(1);
    const failed = telemetry.records().find((record) => record.body === RECORD.oboFailed);
    expect(failed?.attributes).toEqual({
      'onbehalf.tenant.id': TENANT,
      'onbehalf.user.oid': OID,
      'onbehalf.error.code': 'consent_required',
      'onbehalf.entra.aadsts': '65001',
      'onbehalf.entra.correlation_id': ENTRA_CORRELATION,
    });
    expect(failed?.spanContext?.traceId).toBe(root.spanContext().traceId);
  });

  it('a Table Storage outage fails the span and counts as a failure', async () => {
    await traceTableOperation('onbehalfRateLimits', 'getEntity', async () => {
      throw Object.assign(new Error('Service Unavailable'), { statusCode: 503 });
    }).catch(() => undefined);
    const span = byName('getEntity onbehalfRateLimits');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(await telemetry.total(METRIC.tableFailures, { 'db.collection.name': 'onbehalfRateLimits', 'db.operation.name': 'getEntity', 'onbehalf.error.code': '503' })).toBe(1);
  });

  it('an unexpected failure is recorded as an exception; the request answers 500 as an error', async () => {
    await expect(traceMcpRequest({ httpMethod: 'POST' }, async () => {
      throw new TypeError('cannot read properties of undefined');
    })).rejects.toThrow(TypeError);
    const span = byName('POST /mcp');
    expect(span.attributes).toMatchObject({ 'onbehalf.outcome': 'error', 'error.type': 'TypeError', 'http.response.status_code': 500 });
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('an audit row not written is counted by tool and code', async () => {
    recordAuditUnwritten('send_mail', TOOLS, Object.assign(new Error('Table Storage unavailable'), { code: 'unavailable' }));
    expect(await telemetry.total(METRIC.auditUnwritten, { 'gen_ai.tool.name': 'send_mail', 'onbehalf.error.code': 'unavailable' })).toBe(1);
  });
});

describe('what a caller sends cannot grow the names', () => {
  it('an unknown method or tool is _OTHER, a batch keeps the HTTP name', async () => {
    for (const body of [toolCall('drop_tables'), { jsonrpc: '2.0', id: 1, method: 'x'.repeat(300) }, [toolCall('list_events', 1), toolCall('send_mail', 2)]]) {
      await traceMcpRequest({ httpMethod: 'POST' }, async (request) => {
        request.message(body, '2025-06-18', TOOLS);
        noteToolCall('drop_tables', TOOLS, { isError: true, code: 'tool_unknown' });
        return new Response('{}', { status: 200 });
      });
    }
    expect(telemetry.spans().map((span) => span.name)).toEqual(['tools/call _OTHER', '_OTHER', 'POST /mcp']);
    expect(byName('POST /mcp').attributes['onbehalf.mcp.batch_size']).toBe(2);
    expect(await telemetry.total(METRIC.toolCalls, { 'gen_ai.tool.name': '_OTHER', 'onbehalf.error.code': 'tool_unknown' })).toBe(3);
    recordAuditUnwritten('x'.repeat(200), TOOLS, new Error('Table Storage unavailable'));
    expect(await telemetry.total(METRIC.auditUnwritten, { 'gen_ai.tool.name': '_OTHER' })).toBe(1);
  });
});

describe('withRemoteParent', () => {
  it('joins the trace the Functions host (or a traceparent header) began', async () => {
    const traceParent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await withRemoteParent({ traceParent }, () => traceMcpRequest({ httpMethod: 'POST' }, async () => new Response(null, { status: 202 })));
    const span = byName('POST /mcp');
    expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parentOf(span)).toBe('00f067aa0ba902b7');
  });

  it('ignores a malformed traceparent and starts a new trace', async () => {
    await withRemoteParent({ traceParent: 'not-a-traceparent' }, () => traceMcpRequest({ httpMethod: 'POST' }, async () => new Response(null, { status: 202 })));
    expect(parentOf(byName('POST /mcp'))).toBeUndefined();
  });
});
