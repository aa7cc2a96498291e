// A list_events request as the request path will instrument it (verify, budget row, Graph with OBO inside, answer).
import { noteGraphResponse, traceGraphRequest } from '../../shared/telemetry/spans/graphRequest.js';
import { noteToolCall, traceMcpRequest } from '../../shared/telemetry/spans/mcpRequest.js';
import { traceOboExchange } from '../../shared/telemetry/spans/oboExchange.js';
import { traceTableOperation } from '../../shared/telemetry/spans/tableOperation.js';
import { traceTokenVerification } from '../../shared/telemetry/spans/tokenVerification.js';
import { activeTraceId } from '../../shared/telemetry/spans/traceContext.js';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const OID = '6e7b3c1a-2f4d-4b8e-9a0c-1d2e3f405162';
export const REQUEST_ID = '11111111-2222-4333-8444-555555555555';
export const CLIENT_REQUEST_ID = '66666666-7777-4888-9999-aaaaaaaaaaaa';
export const TOOLS: ReadonlySet<string> = new Set(['list_events', 'send_mail']);
export const CALLER = { tid: TENANT, oid: OID };

export function toolCall(name: string, id: number | string = 7): unknown {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: { start: '2026-11-15', end: '2026-11-29' } } };
}

/** Runs the spans a list_events call makes; Graph answers 429 once, then 200. Returns its trace id. */
export async function simulateListEvents(): Promise<{ traceId: string }> {
  let traceId = '';
  await traceMcpRequest({ httpMethod: 'POST' }, async (request) => {
    await traceTokenVerification(async () => ({ identity: CALLER }));
    request.message(toolCall('list_events'), '2025-06-18', TOOLS);
    await traceTableOperation('onbehalfRateLimits', 'getEntity', async () => {
      throw Object.assign(new Error('The specified resource does not exist.'), { statusCode: 404 });
    }).catch(() => undefined);
    await traceGraphRequest({ method: 'GET', url: '/me/calendarView', baseUrl: 'https://graph.microsoft.com', tenantId: TENANT }, async () => {
      await traceOboExchange(CALLER, ['Calendars.Read'], async (obo) => {
        obo.cacheHit(false);
        return 'graph-token';
      });
      noteGraphResponse(429, new Headers({ 'request-id': REQUEST_ID, 'retry-after': '1' }));
      noteGraphResponse(200, new Headers({ 'request-id': REQUEST_ID, 'client-request-id': CLIENT_REQUEST_ID }));
    });
    noteToolCall('list_events', TOOLS, { isError: false });
    traceId = activeTraceId() ?? '';
    return new Response('{}', { status: 200 });
  });
  return { traceId };
}
