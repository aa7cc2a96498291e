// OTLP/HTTP export, end to end: an OTLP receiver on loopback gets the span tree, the metrics and the records.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { METRIC, RECORD } from '../../shared/telemetry/attributes/names.js';
import { emitRecord } from '../../shared/telemetry/logs/telemetryLogger.js';
import { startTelemetry } from '../../shared/telemetry/start/startTelemetry.js';
import { attributes, startOtlpReceiver, type JsonSpan, type KeyValue, type OtlpPost, type OtlpReceiver } from './otlpReceiver.js';
import { simulateListEvents, TENANT } from './simulatedRequest.js';

let receiver: OtlpReceiver;
let posts: OtlpPost[];
let endpoint: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  posts = receiver.posts;
  endpoint = receiver.endpoint;
  // The exporters read the endpoint themselves, as they would from the app settings.
  process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = endpoint;
});

afterAll(async () => {
  delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  await receiver.close();
});

function json<T>(path: string): T[] {
  return posts.filter((post) => post.path === path).map((post) => JSON.parse(post.body.toString('utf8')) as T);
}

async function exportOneRequest(protocol: 'http/json' | 'http/protobuf'): Promise<string> {
  posts.length = 0;
  const settings = parseConfig({ MCP_DEV_MODE: '1', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: protocol }).telemetry;
  const handle = await startTelemetry(settings, '9.9.9');
  expect(handle.failure).toBeUndefined();
  expect(handle.exporters).toEqual(['otlp']);
  const { traceId } = await simulateListEvents();
  emitRecord('info', 'export check');
  await handle.flush();
  await handle.shutdown();
  return traceId;
}

describe('OTLP/HTTP with JSON', () => {
  it('delivers the span tree of a list_events call, its metrics and its records to the collector', async () => {
    const traceId = await exportOneRequest('http/json');
    expect(posts.map((post) => post.contentType)).toEqual(expect.arrayContaining(['application/json']));

    type Traces = { resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { spans: JsonSpan[] }[] }[] };
    const exports = json<Traces>('/v1/traces');
    const spans = exports.flatMap((traces) => traces.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
    const named = (name: string) => spans.find((span) => span.name === name);
    const root = named('tools/call list_events');
    expect(root?.traceId).toBe(traceId);
    expect(root?.kind).toBe(2); // SERVER
    expect(root?.parentSpanId ?? '').toBe('');
    expect(attributes(root?.attributes ?? [])).toMatchObject({ 'gen_ai.tool.name': 'list_events', 'onbehalf.tenant.id': TENANT, 'http.response.status_code': 200 });
    for (const child of ['verify token', 'getEntity onbehalfRateLimits', 'GET /me/calendarView']) expect(named(child)?.parentSpanId, child).toBe(root?.spanId);
    expect(named('obo exchange')?.parentSpanId).toBe(named('GET /me/calendarView')?.spanId);
    expect(attributes(exports[0]?.resourceSpans[0]?.resource.attributes ?? [])).toMatchObject({ 'service.name': 'onbehalf', 'service.version': '9.9.9' });

    type Metrics = { resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[] };
    const metricNames = json<Metrics>('/v1/metrics').flatMap((body) => body.resourceMetrics.flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.name))));
    expect(metricNames).toEqual(expect.arrayContaining([METRIC.operationDuration, METRIC.toolCalls, METRIC.oboExchanges, METRIC.graphThrottled]));

    type Logs = { resourceLogs: { scopeLogs: { logRecords: { body: { stringValue?: string }; traceId?: string; attributes: KeyValue[] }[] }[] }[] };
    const records = json<Logs>('/v1/logs').flatMap((body) => body.resourceLogs.flatMap((resource) => resource.scopeLogs.flatMap((scope) => scope.logRecords)));
    const active = records.find((record) => record.body.stringValue === RECORD.callerActive);
    expect(active?.traceId).toBe(traceId);
    expect(attributes(active?.attributes ?? [])).toMatchObject({ 'onbehalf.tenant.id': TENANT });
  });
});

describe('OTLP/HTTP with protobuf (the default encoding)', () => {
  it('posts protobuf that carries the trace id and the span names', async () => {
    const traceId = await exportOneRequest('http/protobuf');
    const traces = posts.filter((post) => post.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(new Set(traces.map((post) => post.contentType))).toEqual(new Set(['application/x-protobuf']));
    const body = Buffer.concat(traces.map((post) => post.body));
    // In protobuf a trace id is its 16 raw bytes and a span name its UTF-8 bytes.
    expect(body.includes(Buffer.from(traceId, 'hex'))).toBe(true);
    expect(body.includes(Buffer.from('tools/call list_events'))).toBe(true);
    expect(posts.some((post) => post.path === '/v1/metrics')).toBe(true);
    expect(Buffer.concat(posts.filter((post) => post.path === '/v1/logs').map((post) => post.body)).includes(Buffer.from('export check'))).toBe(true);
  });
});

describe('only OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set', () => {
  it('exports traces to that URL as given, and no metrics or logs (rather than telemetry silently off)', async () => {
    posts.length = 0;
    const settings = parseConfig({ MCP_DEV_MODE: '1', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/custom/traces`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).telemetry;
    const handle = await startTelemetry(settings, '9.9.9');
    expect(handle.exporters).toEqual(['otlp']);
    const { traceId } = await simulateListEvents();
    emitRecord('info', 'export check');
    await handle.flush();
    await handle.shutdown();
    type Traces = { resourceSpans: { scopeSpans: { spans: JsonSpan[] }[] }[] };
    const spans = json<Traces>('/custom/traces').flatMap((traces) => traces.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
    expect(spans.map((span) => span.traceId)).toContain(traceId);
    expect(posts.map((post) => post.path).filter((path) => path !== '/custom/traces')).toEqual([]);
  });
});

describe('the standard SDK settings, as shared/config parsed them', () => {
  type Traces = { resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { spans: JsonSpan[] }[] }[] };
  type Metrics = { resourceMetrics: { resource: { attributes: KeyValue[] }; scopeMetrics: { metrics: { name: string }[] }[] }[] };
  type Logs = { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
  const metricNames = (body: Metrics) => body.resourceMetrics.flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.name)));

  it('OTEL_METRIC_EXPORT_INTERVAL=200: metrics reach the collector on their own, without a flush (at the fixed 60 s they would not within this test)', async () => {
    posts.length = 0;
    const settings = parseConfig({ MCP_DEV_MODE: '1', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_METRIC_EXPORT_INTERVAL: '200' }).telemetry;
    const handle = await startTelemetry(settings, '9.9.9');
    try {
      await simulateListEvents();
      await vi.waitFor(() => {
        expect(json<Metrics>('/v1/metrics').flatMap(metricNames)).toContain(METRIC.toolCalls);
      }, { timeout: 15_000, interval: 50 });
    } finally {
      await handle.shutdown();
    }
  });

  it('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES are on every exported span and metric; the service name wins over one in the attributes', async () => {
    posts.length = 0;
    const settings = parseConfig({
      MCP_DEV_MODE: '1', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'mcp-graph-prod',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=overridden,deployment.environment.name=prod,team=platform%2C%20identity',
    }).telemetry;
    const handle = await startTelemetry(settings, '9.9.9');
    await simulateListEvents();
    await handle.flush();
    await handle.shutdown();
    const expected = { 'service.name': 'mcp-graph-prod', 'service.version': '9.9.9', 'deployment.environment.name': 'prod', team: 'platform, identity' };
    const spanResources = json<Traces>('/v1/traces').flatMap((body) => body.resourceSpans.map((resource) => attributes(resource.resource.attributes)));
    const metricResources = json<Metrics>('/v1/metrics').flatMap((body) => body.resourceMetrics.map((resource) => attributes(resource.resource.attributes)));
    expect(spanResources.length).toBeGreaterThan(0);
    expect(metricResources.length).toBeGreaterThan(0);
    for (const resource of [...spanResources, ...metricResources]) expect(resource).toMatchObject(expected);
  });

  it('OTEL_EXPORTER_OTLP_HEADERS and _COMPRESSION, general and per signal, are on every export request', async () => {
    posts.length = 0;
    const settings = parseConfig({
      MCP_DEV_MODE: '1', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=c29tZS1rZXk=,x-tenant=platform%20team',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=traces',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: 'none',
    }).telemetry;
    const handle = await startTelemetry(settings, '9.9.9');
    await simulateListEvents();
    emitRecord('info', 'export check');
    await handle.flush();
    await handle.shutdown();
    const byPath = (path: string) => posts.filter((post) => post.path === path);
    for (const path of ['/v1/traces', '/v1/metrics', '/v1/logs']) {
      expect(byPath(path).length, path).toBeGreaterThan(0);
      for (const post of byPath(path)) expect(post.headers['x-api-key'], path).toBe('c29tZS1rZXk=');
    }
    expect(new Set(byPath('/v1/traces').map((post) => post.headers['x-tenant']))).toEqual(new Set(['traces']));
    expect(new Set(byPath('/v1/logs').map((post) => post.headers['x-tenant']))).toEqual(new Set(['platform team']));
    for (const post of [...byPath('/v1/traces'), ...byPath('/v1/logs')]) {
      expect(post.headers['content-encoding']).toBe('gzip');
      expect(() => JSON.parse(gunzipSync(post.body).toString('utf8')) as unknown).not.toThrow();
    }
    for (const post of byPath('/v1/metrics')) expect(post.headers['content-encoding']).toBeUndefined();
  });

  it('OTEL_BSP_MAX_EXPORT_BATCH_SIZE=1 and OTEL_BLRP_MAX_EXPORT_BATCH_SIZE=1: one span, one record per export (the default 512 would send them together)', async () => {
    posts.length = 0;
    const settings = parseConfig({
      MCP_DEV_MODE: '1', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1', OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '1',
    }).telemetry;
    const handle = await startTelemetry(settings, '9.9.9');
    await simulateListEvents();
    emitRecord('info', 'export check');
    emitRecord('info', 'export check');
    await handle.flush();
    await handle.shutdown();
    const spansPerExport = json<Traces>('/v1/traces').map((body) => body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)).length);
    const recordsPerExport = json<Logs>('/v1/logs').map((body) => body.resourceLogs.flatMap((resource) => resource.scopeLogs.flatMap((scope) => scope.logRecords)).length);
    expect(spansPerExport.length).toBeGreaterThan(3);
    expect(new Set(spansPerExport)).toEqual(new Set([1]));
    expect(recordsPerExport.length).toBeGreaterThan(1);
    expect(new Set(recordsPerExport)).toEqual(new Set([1]));
  });
});
