// Which traces are kept: by default every request, whatever a caller's traceparent says; an operator's
// OTEL_TRACES_SAMPLER decides when set.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { traceMcpRequest } from '../../shared/telemetry/spans/mcpRequest.js';
import { withRemoteParent } from '../../shared/telemetry/spans/traceContext.js';
import { installMemoryTelemetry, type MemoryTelemetry } from './memoryTelemetry.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const NOT_SAMPLED = `00-${TRACE_ID}-00f067aa0ba902b7-00`;
const SAMPLED = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

let telemetry: MemoryTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

async function request(traceParent?: string): Promise<string[]> {
  await withRemoteParent({ traceParent }, () => traceMcpRequest({ httpMethod: 'POST' }, async () => new Response(null, { status: 202 })));
  return (telemetry?.spans() ?? []).map((span) => span.spanContext().traceId);
}

const samplerOf = (OTEL_TRACES_SAMPLER: string, OTEL_TRACES_SAMPLER_ARG?: string) =>
  parseConfig({ MCP_DEV_MODE: '1', OTEL_TRACES_SAMPLER, ...(OTEL_TRACES_SAMPLER_ARG !== undefined && { OTEL_TRACES_SAMPLER_ARG }) }).telemetry.sampler;

describe('the default sampler', () => {
  it('keeps a request whose caller sent a traceparent marked not sampled: a caller cannot switch tracing off', async () => {
    telemetry = installMemoryTelemetry();
    expect(await request(NOT_SAMPLED)).toEqual([TRACE_ID]);
  });

  it('keeps requests with a sampled parent and without any', async () => {
    telemetry = installMemoryTelemetry();
    expect(await request(SAMPLED)).toEqual([TRACE_ID]);
    expect(await request()).toHaveLength(2);
  });
});

describe('an operator\'s OTEL_TRACES_SAMPLER wins', () => {
  it('parentbased_always_on honours the caller\'s not-sampled flag, as the operator chose', async () => {
    telemetry = installMemoryTelemetry({ sampler: samplerOf('parentbased_always_on') });
    expect(await request(NOT_SAMPLED)).toEqual([]);
    expect(await request(SAMPLED)).toEqual([TRACE_ID]);
  });

  it('always_off keeps nothing, traceidratio 0 no new trace, always_on everything', async () => {
    telemetry = installMemoryTelemetry({ sampler: samplerOf('always_off') });
    expect(await request(SAMPLED)).toEqual([]);
    await telemetry.shutdown();
    telemetry = installMemoryTelemetry({ sampler: samplerOf('traceidratio', '0') });
    expect(await request()).toEqual([]);
    await telemetry.shutdown();
    telemetry = installMemoryTelemetry({ sampler: samplerOf('always_on') });
    expect(await request(NOT_SAMPLED)).toEqual([TRACE_ID]);
  });
});
