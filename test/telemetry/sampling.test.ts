// Which traces are kept: by default one new trace in ten and whatever a traceparent decided, with metrics and records
// of every request; an operator's OTEL_TRACES_SAMPLER decides when set.
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { METRIC } from '../../shared/telemetry/attributes/names.js';
import { emitRecord } from '../../shared/telemetry/logs/telemetryLogger.js';
import { traceMcpRequest } from '../../shared/telemetry/spans/mcpRequest.js';
import { traceTableOperation } from '../../shared/telemetry/spans/tableOperation.js';
import { traceTokenVerification } from '../../shared/telemetry/spans/tokenVerification.js';
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

async function request(traceParent?: string, status = 202): Promise<string[]> {
  await withRemoteParent({ traceParent }, () => traceMcpRequest({ httpMethod: 'POST' }, async () => {
    // What a refused request's log line becomes with telemetry on.
    if (status === 401) emitRecord('warn', 'caller refused', { code: 'token_invalid' });
    return new Response(null, { status });
  }));
  return (telemetry?.spans() ?? []).map((span) => span.spanContext().traceId);
}

const samplerOf = (OTEL_TRACES_SAMPLER: string, OTEL_TRACES_SAMPLER_ARG?: string) =>
  parseConfig({ MCP_DEV_MODE: '1', OTEL_TRACES_SAMPLER, ...(OTEL_TRACES_SAMPLER_ARG !== undefined && { OTEL_TRACES_SAMPLER_ARG }) }).telemetry.sampler;

const defaultSampler = (env: Record<string, string> = {}) => parseConfig({ MCP_DEV_MODE: '1', ...env }).telemetry.sampler;

describe('the default sampler', () => {
  it('keeps about one new trace in ten', async () => {
    telemetry = installMemoryTelemetry({ sampler: defaultSampler() });
    for (let index = 0; index < 1000; index++) await request();
    // Binomial(1000, 0.1): 100 ± 9.5; these bounds are over five deviations away.
    expect(telemetry.spans().length).toBeGreaterThan(50);
    expect(telemetry.spans().length).toBeLessThan(150);
  });

  it('follows a caller\'s (or the Functions host\'s) traceparent: sampled is kept, not sampled is not', async () => {
    telemetry = installMemoryTelemetry({ sampler: defaultSampler() });
    expect(await request(SAMPLED)).toEqual([TRACE_ID]);
    telemetry.reset();
    expect(await request(NOT_SAMPLED)).toEqual([]);
  });

  it('drops only spans: a request whose trace is not kept is still counted, and its refusal recorded with its trace id', async () => {
    telemetry = installMemoryTelemetry({ sampler: defaultSampler() });
    expect(await request(NOT_SAMPLED, 401)).toEqual([]);
    expect(await telemetry.total(METRIC.operationDuration)).toBe(1);
    expect(await telemetry.total(METRIC.refusals)).toBe(1);
    expect(telemetry.records().map((record) => [record.body, record.spanContext?.traceId])).toEqual([['caller refused', TRACE_ID]]);
  });

  it('starts no child span inside a request whose trace is not kept, and still counts what the children count', async () => {
    telemetry = installMemoryTelemetry({ sampler: defaultSampler() });
    let requestSpanId: string | undefined;
    await withRemoteParent({ traceParent: NOT_SAMPLED }, () => traceMcpRequest({ httpMethod: 'POST' }, async () => {
      requestSpanId = trace.getActiveSpan()?.spanContext().spanId;
      await traceTokenVerification(async () => ({ identity: { tid: 't', oid: 'o' } }));
      await traceTableOperation('RateLimits', 'updateEntity', () => {
        // Inside: still the request's own span, so records made here are tied to it; no orphan span in between.
        emitRecord('warn', 'request state not recorded', { code: 'storage_unavailable' });
        return Promise.reject(Object.assign(new Error('storage down'), { statusCode: 500 }));
      }).catch(() => undefined);
      return new Response(null, { status: 200 });
    }));
    expect(telemetry.spans()).toEqual([]);
    expect(requestSpanId).toMatch(/^[0-9a-f]{16}$/);
    expect(telemetry.records().filter((record) => record.body === 'request state not recorded').map((record) => [record.spanContext?.traceId, record.spanContext?.spanId])).toEqual([[TRACE_ID, requestSpanId]]);
    expect(await telemetry.total(METRIC.tableFailures)).toBe(1);
  });

  it('takes its ratio from OTEL_TRACES_SAMPLER_ARG alone: 1 keeps every trace a traceparent has not decided', async () => {
    expect(defaultSampler()).toEqual({ name: 'parentbased_traceidratio', arg: 0.1 });
    telemetry = installMemoryTelemetry({ sampler: defaultSampler({ OTEL_TRACES_SAMPLER_ARG: '1' }) });
    for (let index = 0; index < 20; index++) await request();
    expect(telemetry.spans()).toHaveLength(20);
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
