// The Functions triggers with telemetry on: our spans join the host's trace, and log lines become structured records.
import functions from '@azure/functions';
import type { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_CLIENT_ID } from '../../shared/config/devDefaults.js';
import type { FunctionsHandler } from '../../functions/register.js';
import { GRAPH_ROUTES, seedUserData } from '../../sandbox/graph/graphRoutes.js';
import { startLocalGraph, type LocalGraph } from '../../sandbox/graph/localGraph.js';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identityProvider.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { testTls } from '../support/testStack.js';
import { installMemoryTelemetry, type MemoryTelemetry } from '../telemetry/memoryTelemetry.js';
import { replaceProcessSettings } from '../support/processSettings.js';

const FUNCTIONS_ORIGIN = 'http://localhost:7071';
const HOST_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const HOST_SPAN_ID = 'b7ad6b7169203331';

let idp: IdentityProvider;
let graph: LocalGraph;
let mcp: FunctionsHandler;
let telemetry: MemoryTelemetry;
const hostLog: string[] = [];
let restoreSettings: () => void;

beforeAll(async () => {
  const tls = testTls();
  idp = await startIdentityProvider({ tls, clientId: DEV_CLIENT_ID });
  graph = await startLocalGraph({ tls, idp, routes: GRAPH_ROUTES, seed: seedUserData });
  // As in wiring.test.ts: the config singleton reads process.env when the triggers are first imported.
  restoreSettings = replaceProcessSettings({ MCP_DEV_MODE: '1', ENTRA_AUTHORITY_HOST: idp.url, GRAPH_BASE_URL: graph.url, TABLES_CONNECTION_STRING: inject('tablesConnectionString') });
  ({ mcp } = await import('../../functions/mcp.js'));
  telemetry = installMemoryTelemetry();
});

afterAll(async () => {
  await telemetry.shutdown();
  await graph.close();
  await idp.close();
  restoreSettings();
});

/** An invocation as the host starts it: under the host's own span for the HTTP request (which may continue the caller's traceparent). */
function context(traceParent = `00-${HOST_TRACE_ID}-${HOST_SPAN_ID}-01`): InvocationContext {
  return new functions.InvocationContext({
    invocationId: 'test',
    functionName: 'mcp',
    logHandler: (_level, ...args) => hostLog.push(args.map(String).join(' ')),
    traceContext: { traceParent, traceState: 'az=1', attributes: {} },
  });
}

function post(token: string | undefined, body: unknown): InstanceType<typeof functions.HttpRequest> {
  return new functions.HttpRequest({
    method: 'POST',
    url: `${FUNCTIONS_ORIGIN}/mcp`,
    headers: { host: 'localhost:7071', ...mcpHeaders(token) },
    body: { string: JSON.stringify(body) },
  });
}

describe('a request through the Functions adapter, telemetry on', () => {
  it('is a child of the host\'s span, in the host\'s trace', async () => {
    telemetry.reset();
    const answer = await mcp(post(await idp.accessToken(ADELE), INITIALIZE), context());
    expect(answer.status).toBe(200);
    const root = telemetry.spans().find((span) => span.name === 'initialize');
    expect(root?.spanContext().traceId).toBe(HOST_TRACE_ID);
    expect(root?.parentSpanContext?.spanId).toBe(HOST_SPAN_ID);
    expect(root?.parentSpanContext?.isRemote).toBe(true);
    for (const span of telemetry.spans()) expect(span.spanContext().traceId, span.name).toBe(HOST_TRACE_ID);
  });

  it('when the host continues a caller\'s traceparent marked not sampled, still records the request, and the correlation id stays the server\'s own', async () => {
    telemetry.reset();
    const callerTrace = '11111111111111111111111111111111';
    const answer = await mcp(post(await idp.accessToken(ADELE), { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get_event', arguments: { id: 'AAMkAGI2THVSAAA=' } } }), context(`00-${callerTrace}-${HOST_SPAN_ID}-00`));
    expect(answer.status).toBe(200);
    const body = JSON.parse(new TextDecoder().decode(answer.body as Uint8Array)) as { result: { _meta: Record<string, { code?: string; correlationId?: string; traceId?: string }> } };
    const error = body.result._meta['onbehalf/error'];
    expect(error?.code).toBe('not_found');
    expect(error?.traceId).toBe(callerTrace);
    expect(error?.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const root = telemetry.spans().find((span) => span.name === 'tools/call get_event');
    expect(root?.spanContext().traceId).toBe(callerTrace);
    expect(root?.attributes['onbehalf.correlation_id']).toBe(error?.correlationId);
  });

  it('turns log lines into records with their fields as attributes (not JSON in the message), in the host\'s trace, and not into host log lines', async () => {
    telemetry.reset();
    hostLog.length = 0;
    const answer = await mcp(post(undefined, INITIALIZE), context());
    expect(answer.status).toBe(401);
    const record = telemetry.records().find((candidate) => candidate.body === 'caller refused');
    expect(record?.attributes).toMatchObject({ code: 'token_missing' });
    expect(record?.severityText).toBe('WARN');
    expect(record?.spanContext?.traceId).toBe(HOST_TRACE_ID);
    expect(hostLog).toEqual([]);
  });

  it('with telemetry off again, writes log lines to the host\'s log as before', async () => {
    await telemetry.shutdown();
    hostLog.length = 0;
    const answer = await mcp(post(undefined, INITIALIZE), context());
    expect(answer.status).toBe(401);
    expect(hostLog.some((line) => line.startsWith('caller refused {') && line.includes('"code":"token_missing"'))).toBe(true);
  });
});
