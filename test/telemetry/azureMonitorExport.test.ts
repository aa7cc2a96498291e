// Application Insights export through the Azure Monitor distro, with Entra authentication from a managed identity:
// an ingestion stand-in (https, as Bearer tokens require) and a managed identity endpoint stand-in on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { listenHttps, type RunningServer } from '../../sandbox/httpsServer.js';
import { readTls } from '../../sandbox/tls.js';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { METRIC } from '../../shared/telemetry/attributes/names.js';
import { traceMcpRequest } from '../../shared/telemetry/spans/mcpRequest.js';
import { withRemoteParent } from '../../shared/telemetry/spans/traceContext.js';
import { startTelemetry, type TelemetryHandle } from '../../shared/telemetry/start/startTelemetry.js';
import { OID, simulateListEvents, TENANT } from './simulatedRequest.js';

const IDENTITY_CLIENT_ID = '99999999-8888-4777-8666-555555555555';
const UNSAMPLED_TRACE = '22222222222222222222222222222222';
const IDENTITY_HEADER = 'identity-header-secret';
const MI_TOKEN = 'managed-identity-token-for-monitor';

interface Envelope {
  readonly name: string;
  readonly tags: Record<string, string>;
  readonly data: { readonly baseType: string; readonly baseData: Record<string, unknown> & { properties?: Record<string, string> } };
}

const envelopes: Envelope[] = [];
const ingestionAuth: string[] = [];
const tokenRequests: URL[] = [];
let ingestion: RunningServer;
let identity: Server;
let handle: TelemetryHandle;
let traceId: string;
let metricsBeforeFlush: string[] = [];

function customMetricNames(): string[] {
  return envelopes.filter((envelope) => envelope.data.baseType === 'MetricData')
    .flatMap((envelope) => (envelope.data.baseData as { metrics: { name: string }[] }).metrics.map((metric) => metric.name));
}

beforeAll(async () => {
  ingestion = await listenHttps(readTls({ certPath: inject('tlsCertPath'), keyPath: inject('tlsKeyPath') }), 0, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url?.includes('/v2.1/track') === true) {
        ingestionAuth.push(request.headers.authorization ?? '');
        const raw = Buffer.concat(chunks);
        const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        const items = (text.trim().startsWith('[') ? JSON.parse(text) as Envelope[] : text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Envelope));
        envelopes.push(...items);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
        return;
      }
      // Live Metrics pings: answered, not subscribed.
      response.writeHead(200, { 'x-ms-qps-subscribed': 'false' });
      response.end();
    });
  });
  // What App Service and Functions run beside the app: IDENTITY_ENDPOINT answering with IDENTITY_HEADER.
  identity = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    tokenRequests.push(url);
    if (request.headers['x-identity-header'] !== IDENTITY_HEADER) {
      response.writeHead(401).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ access_token: MI_TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: url.searchParams.get('resource'), token_type: 'Bearer' }));
  });
  await new Promise<void>((resolve) => identity.listen(0, '127.0.0.1', resolve));
  // Read by msal-node's managed identity support and by the exporter itself, as in Azure.
  process.env['IDENTITY_ENDPOINT'] = `http://127.0.0.1:${(identity.address() as AddressInfo).port}/msi/token`;
  process.env['IDENTITY_HEADER'] = IDENTITY_HEADER;
  process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'] = 'true';
  process.env['OTEL_NODE_RESOURCE_DETECTORS'] = 'env';
  // The distro has no option for its metric interval and reads this itself: the value our parser checked, as in Azure.
  process.env['OTEL_METRIC_EXPORT_INTERVAL'] = '200';

  const settings = parseConfig({
    MCP_DEV_MODE: '1',
    APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-1111-4222-8333-444444444444;IngestionEndpoint=${ingestion.url}/;LiveEndpoint=${ingestion.url}/`,
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${IDENTITY_CLIENT_ID};Authorization=AAD`,
    // Given to our parser only, never to process.env: what the distro reports must come from the parsed settings.
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    // Every trace, for the few requests the test reads (the default keeps one new trace in ten).
    OTEL_TRACES_SAMPLER: 'always_on',
    OTEL_SERVICE_NAME: 'mcp-graph',
    OTEL_RESOURCE_ATTRIBUTES: 'service.name=overridden,service.namespace=identity%2Dplatform,deployment.environment.name=prod',
  }).telemetry;
  handle = await startTelemetry(settings, '1.2.3');
  ({ traceId } = await simulateListEvents());
  // A caller's traceparent marked not sampled: the distro's samplers decide by trace id, so the request is kept all the same.
  await withRemoteParent({ traceParent: `00-${UNSAMPLED_TRACE}-00f067aa0ba902b7-00` }, () => traceMcpRequest({ httpMethod: 'POST' }, async () => new Response(null, { status: 202 })));
  // Before any flush: metrics must arrive on the 200 ms interval (at the default 60 s they would not within this hook).
  await vi.waitFor(() => {
    expect(customMetricNames()).toContain(METRIC.toolCalls);
  }, { timeout: 15_000, interval: 50 });
  metricsBeforeFlush = customMetricNames();
  await handle.flush();
}, 60_000);

afterAll(async () => {
  await handle?.shutdown();
  await ingestion?.close();
  await new Promise((resolve) => identity?.close(resolve));
  for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'APPLICATIONINSIGHTS_STATSBEAT_DISABLED', 'OTEL_NODE_RESOURCE_DETECTORS', 'OTEL_METRIC_EXPORT_INTERVAL']) delete process.env[name];
});

function ofType(baseType: string): Envelope[] {
  return envelopes.filter((envelope) => envelope.data.baseType === baseType);
}

describe('Azure Monitor export', () => {
  it('starts the distro', () => {
    expect(handle.failure).toBeUndefined();
    expect(handle.exporters).toEqual(['azureMonitor']);
  });

  it('reports under OTEL_SERVICE_NAME, namespaced by OTEL_RESOURCE_ATTRIBUTES, as the cloud role of every item', () => {
    expect(envelopes.length).toBeGreaterThan(0);
    expect(new Set(envelopes.map((envelope) => envelope.tags['ai.cloud.role']))).toEqual(new Set(['identity-platform.mcp-graph']));
  });

  it('exports metrics on OTEL_METRIC_EXPORT_INTERVAL, as the OTLP reader does', () => {
    expect(metricsBeforeFlush).toContain(METRIC.toolCalls);
  });

  it('sends with a managed identity token (Entra authentication), not the key', () => {
    expect(tokenRequests.length).toBeGreaterThan(0);
    expect(tokenRequests[0]?.searchParams.get('client_id')).toBe(IDENTITY_CLIENT_ID);
    expect(tokenRequests[0]?.searchParams.get('resource')).toMatch(/^https:\/\/monitor\.azure\.com\/?$/);
    expect(ingestionAuth.length).toBeGreaterThan(0);
    expect(new Set(ingestionAuth)).toEqual(new Set([`Bearer ${MI_TOKEN}`]));
  });

  it('keeps every trace by default (the distro would rate-limit a fresh instance to a few percent)', () => {
    expect(new Set(envelopes.filter((envelope) => envelope.data.baseType !== 'MetricData').map((envelope) => (envelope as { sampleRate?: number }).sampleRate))).toEqual(new Set([100]));
  });

  it('keeps a request whose caller marked its traceparent not sampled', () => {
    expect(ofType('RequestData').map((envelope) => envelope.tags['ai.operation.id'])).toContain(UNSAMPLED_TRACE);
  });

  it('turns the MCP request span into a request named after the tool, with the caller as ids', () => {
    const request = ofType('RequestData').find((envelope) => envelope.data.baseData['name'] === 'tools/call list_events');
    expect(request?.tags['ai.operation.id']).toBe(traceId);
    expect(request?.tags['ai.user.authUserId']).toBe(OID);
    expect(request?.data.baseData['responseCode']).toBe('200');
    expect(request?.data.baseData['success']).toBe(true);
    expect(request?.data.baseData['url'] ?? '').toBe('');
    expect(request?.data.baseData.properties).toMatchObject({ 'gen_ai.tool.name': 'list_events', 'mcp.method.name': 'tools/call', 'onbehalf.tenant.id': TENANT, 'onbehalf.outcome': 'ok' });
  });

  it('turns Graph, OBO and Table spans into dependencies with templates and no URL', () => {
    const dependencies = ofType('RemoteDependencyData').map((envelope) => envelope.data.baseData);
    const graph = dependencies.find((dependency) => dependency['name'] === 'GET /me/calendarView');
    expect(graph).toMatchObject({ type: 'Http', target: 'graph.microsoft.com', resultCode: '200' });
    expect(graph?.['data'] ?? '').toBe('');
    expect(graph?.properties).toMatchObject({ 'url.template': '/me/calendarView', 'http.request.resend_count': '1' });
    expect(dependencies.find((dependency) => dependency['name'] === 'obo exchange')?.properties).toMatchObject({ 'onbehalf.obo.cache': 'miss' });
    expect(dependencies.find((dependency) => dependency['name'] === 'getEntity onbehalfRateLimits')).toMatchObject({ type: 'azure.tables', data: 'getEntity' });
  });

  it('sends the metrics as custom metrics with their attributes as dimensions', () => {
    const metrics = ofType('MetricData').flatMap((envelope) => {
      const data = envelope.data.baseData as { metrics: { name: string }[]; properties?: Record<string, string> };
      return data.metrics.map((metric) => ({ name: metric.name, properties: data.properties ?? {} }));
    });
    expect(metrics.find((metric) => metric.name === METRIC.toolCalls)?.properties).toMatchObject({ 'gen_ai.tool.name': 'list_events', 'onbehalf.outcome': 'ok' });
    expect(metrics.find((metric) => metric.name === METRIC.graphThrottled)?.properties).toMatchObject({ 'http.response.status_code': '429', 'onbehalf.tenant.id': TENANT });
  });

  it('sends records as traces with custom dimensions, not JSON in the message', () => {
    const active = ofType('MessageData').find((envelope) => envelope.data.baseData['message'] === 'caller active');
    expect(active?.data.baseData.properties).toMatchObject({ 'onbehalf.tenant.id': TENANT, 'onbehalf.user.oid': OID });
    expect(active?.tags['ai.operation.id']).toBe(traceId);
  });
});
