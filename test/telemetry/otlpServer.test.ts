// The server as deployed starts it, with OTEL_EXPORTER_OTLP_ENDPOINT set: a list_events call reaches a collector on loopback as one span tree.
import { randomUUID } from 'node:crypto';
import type { McpClient } from '../support/mcpClient.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_CLIENT_ID } from '../../shared/config/devDefaults.js';
import type { TelemetryHandle } from '../../shared/telemetry/start/startTelemetry.js';
import { GRAPH_ROUTES, seedUserData } from '../../sandbox/graph/graphRoutes.js';
import { startLocalGraph, type LocalGraph } from '../../sandbox/graph/localGraph.js';
import type { RunningServer } from '../../sandbox/httpsServer.js';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identityProvider.js';
import { startLocalHost } from '../../sandbox/localHost.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { connectClient } from '../support/mcpClient.js';
import { callTool } from '../support/toolCalls.js';
import { testTls } from '../support/testStack.js';
import { attributes, startOtlpReceiver, type JsonSpan, type OtlpReceiver } from './otlpReceiver.js';
import { replaceProcessSettings } from '../support/processSettings.js';

const DAY_MS = 24 * 3600 * 1000;

let receiver: OtlpReceiver;
let idp: IdentityProvider;
let graph: LocalGraph;
let host: RunningServer;
let client: McpClient;
let telemetry: TelemetryHandle;
let restoreSettings: () => void;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const tls = testTls();
  idp = await startIdentityProvider({ tls, clientId: DEV_CLIENT_ID });
  graph = await startLocalGraph({ tls, idp, routes: GRAPH_ROUTES, seed: seedUserData });
  restoreSettings = replaceProcessSettings({
    MCP_DEV_MODE: '1',
    ENTRA_AUTHORITY_HOST: idp.url,
    GRAPH_BASE_URL: graph.url,
    TABLES_CONNECTION_STRING: inject('tablesConnectionString'),
    TABLES_PREFIX: `t${randomUUID().replaceAll('-', '').slice(0, 12)}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    // Every trace, for the one request the test reads (the default keeps one new trace in ten).
    OTEL_TRACES_SAMPLER: 'always_on',
  }, ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  // The default app, as the Functions entry and `npm start` load it: it starts telemetry from the settings.
  const { app, telemetryStarted } = await import('../../shared/mcp/defaultApp.js');
  telemetry = await telemetryStarted;
  host = await startLocalHost(app);
  client = await connectClient(`${host.url}/mcp`, await idp.accessToken(ADELE));
});

afterAll(async () => {
  await client.close();
  await host.close();
  await telemetry.shutdown();
  await graph.close();
  await idp.close();
  await receiver.close();
  restoreSettings();
});

describe('OTEL_EXPORTER_OTLP_ENDPOINT pointed at a collector', () => {
  it('delivers the span tree of a list_events call: request, token verification, Graph GET with its OBO exchange', async () => {
    expect(telemetry.exporters).toEqual(['otlp']);
    const result = await callTool(client, 'list_events', { start: new Date(Date.now() - 7 * DAY_MS).toISOString(), end: new Date(Date.now() + 7 * DAY_MS).toISOString() });
    expect(result.isError).toBeFalsy();
    await telemetry.flush();

    const spans = receiver.spans();
    const root = spans.find((span) => span.name === 'tools/call list_events');
    expect(root, spans.map((span) => span.name).join(', ')).toBeDefined();
    const tree = spans.filter((span) => span.traceId === root?.traceId);
    const named = (name: string): JsonSpan | undefined => tree.find((span) => span.name === name);
    expect(root?.kind).toBe(2); // SERVER
    expect(root?.parentSpanId ?? '').toBe('');
    expect(attributes(root?.attributes ?? [])).toMatchObject({ 'gen_ai.tool.name': 'list_events', 'onbehalf.outcome': 'ok', 'onbehalf.tenant.id': ADELE.tid, 'http.response.status_code': 200 });
    expect(named('verify token')?.parentSpanId).toBe(root?.spanId);
    expect(named('GET /me/calendarView')?.parentSpanId).toBe(root?.spanId);
    expect(attributes(named('GET /me/calendarView')?.attributes ?? [])).toMatchObject({ 'url.template': '/me/calendarView', 'http.response.status_code': 200 });
    expect(named('obo exchange')?.parentSpanId).toBe(named('GET /me/calendarView')?.spanId);
  });
});
