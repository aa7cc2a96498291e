// OTEL_PROPAGATORS decides whether a request joins the trace its traceparent names (the Functions host's, or a caller's).
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { traceMcpRequest } from '../../shared/telemetry/spans/mcpRequest.js';
import { withRemoteParent } from '../../shared/telemetry/spans/traceContext.js';
import { installMemoryTelemetry, type MemoryTelemetry } from './memoryTelemetry.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

let telemetry: MemoryTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

async function traceIdOfRequest(): Promise<string | undefined> {
  await withRemoteParent({ traceParent: PARENT }, () => traceMcpRequest({ httpMethod: 'POST' }, async () => new Response(null, { status: 202 })));
  return telemetry?.spans()[0]?.spanContext().traceId;
}

const propagatorsOf = (OTEL_PROPAGATORS?: string) => parseConfig({ MCP_DEV_MODE: '1', ...(OTEL_PROPAGATORS !== undefined && { OTEL_PROPAGATORS }) }).telemetry.sdk.propagators;

describe('OTEL_PROPAGATORS', () => {
  it.each([undefined, 'tracecontext', 'baggage,tracecontext'])('%s: the request joins the trace its traceparent names', async (value) => {
    telemetry = installMemoryTelemetry({ propagators: propagatorsOf(value) });
    expect(await traceIdOfRequest()).toBe(TRACE_ID);
  });

  it.each(['none', 'baggage', 'tracecontext,none'])('%s: the request starts a trace of its own', async (value) => {
    telemetry = installMemoryTelemetry({ propagators: propagatorsOf(value) });
    const traceId = await traceIdOfRequest();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe(TRACE_ID);
  });
});
