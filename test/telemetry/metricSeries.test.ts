// The counters counted in process (tool calls, OBO exchanges) export as the SDK's own counters do, whatever the
// reader's temporality; every metric's series are bounded, and an absent value is never confused with another.
import { afterEach, describe, expect, it } from 'vitest';
import { AggregationTemporality, DataPointType, type MetricData, type SumMetricData } from '@opentelemetry/sdk-metrics';
import { METRIC } from '../../shared/telemetry/attributes/names.js';
import { recordOboExchange, recordOperation, recordToolCall } from '../../shared/telemetry/metrics/recorders.js';
import { OVERFLOW_ATTRIBUTES, SeriesTable } from '../../shared/telemetry/metrics/series.js';
import { installPipeline, type InstalledPipeline } from '../../shared/telemetry/start/pipeline.js';
import { CollectingReader, installMemoryTelemetry } from './memoryTelemetry.js';

async function collected(reader: CollectingReader, name: string): Promise<MetricData | undefined> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === name);
}

let installed: InstalledPipeline | undefined;
afterEach(async () => {
  await installed?.shutdown();
  installed = undefined;
});

function install(temporality: AggregationTemporality): CollectingReader {
  const reader = new CollectingReader(temporality);
  installed = installPipeline({ spanProcessors: [], logRecordProcessors: [], metricReaders: [reader], serviceVersion: 'test', sampler: { name: 'always_on', arg: undefined } });
  return reader;
}

const valueOf = (metric: MetricData | undefined, attributes: Record<string, unknown>) =>
  metric?.dataPoints.find((point) => JSON.stringify(point.attributes) === JSON.stringify(attributes))?.value;

describe('counters counted in process', () => {
  it('export as a monotonic sum, cumulative for a cumulative reader', async () => {
    const reader = install(AggregationTemporality.CUMULATIVE);
    recordToolCall('list_events', 'ok', undefined);
    recordToolCall('list_events', 'ok', undefined);
    recordToolCall('get_event', 'tool_error', 'not_found');
    const first = await collected(reader, METRIC.toolCalls) as SumMetricData | undefined;
    expect(first?.dataPointType).toBe(DataPointType.SUM);
    expect(first?.isMonotonic).toBe(true);
    expect(first?.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(valueOf(first, { 'gen_ai.tool.name': 'list_events', 'onbehalf.outcome': 'ok' })).toBe(2);
    expect(valueOf(first, { 'gen_ai.tool.name': 'get_event', 'onbehalf.outcome': 'tool_error', 'onbehalf.error.code': 'not_found' })).toBe(1);

    recordToolCall('list_events', 'ok', undefined);
    expect(valueOf(await collected(reader, METRIC.toolCalls), { 'gen_ai.tool.name': 'list_events', 'onbehalf.outcome': 'ok' })).toBe(3);
  });

  it('export what each collection added for a delta reader (Azure Monitor\'s kind)', async () => {
    const reader = install(AggregationTemporality.DELTA);
    const hits = { 'onbehalf.obo.cache': 'hit', 'onbehalf.outcome': 'ok' };
    recordOboExchange('hit', 'ok', undefined, undefined);
    recordOboExchange('hit', 'ok', undefined, undefined);
    expect(valueOf(await collected(reader, METRIC.oboExchanges), hits)).toBe(2);
    recordOboExchange('hit', 'ok', undefined, undefined);
    recordOboExchange('miss', 'error', 'consent_required', '65001');
    const second = await collected(reader, METRIC.oboExchanges);
    expect((second as SumMetricData | undefined)?.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    expect(valueOf(second, hits)).toBe(1);
    expect(valueOf(second, { 'onbehalf.obo.cache': 'miss', 'onbehalf.outcome': 'error', 'onbehalf.error.code': 'consent_required', 'onbehalf.entra.aadsts': '65001' })).toBe(1);
  });

  it('start from zero with each meter provider installed', async () => {
    const first = installMemoryTelemetry();
    recordToolCall('whoami', 'ok', undefined);
    expect(await first.total(METRIC.toolCalls, { 'gen_ai.tool.name': 'whoami' })).toBe(1);
    await first.shutdown();
    const second = installMemoryTelemetry();
    try {
      expect(await second.total(METRIC.toolCalls, { 'gen_ai.tool.name': 'whoami' })).toBe(0);
      recordToolCall('whoami', 'ok', undefined);
      expect(await second.total(METRIC.toolCalls, { 'gen_ai.tool.name': 'whoami' })).toBe(1);
    } finally {
      await second.shutdown();
    }
  });
});

describe('the operation duration histogram', () => {
  it('keeps one series per set of values, its attributes as they were recorded', async () => {
    const reader = install(AggregationTemporality.CUMULATIVE);
    recordOperation(0.01, 'tools/call', 'whoami', 'ok', undefined);
    recordOperation(0.02, 'tools/call', 'whoami', 'ok', undefined);
    recordOperation(0.03, 'tools/list', undefined, 'refused', '401');
    const metric = await collected(reader, METRIC.operationDuration);
    expect(metric?.dataPoints.map((point) => point.attributes)).toEqual([
      { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'whoami', 'onbehalf.outcome': 'ok' },
      { 'mcp.method.name': 'tools/list', 'onbehalf.outcome': 'refused', 'error.type': '401', 'onbehalf.error.code': '401' },
    ]);
    expect(valueOf(metric, { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'whoami', 'onbehalf.outcome': 'ok' })).toMatchObject({ count: 2 });
  });
});

describe('a metric\'s series', () => {
  it('are bounded: values past the bound count in the SDK\'s overflow series', () => {
    const table = new SeriesTable(['a'], 2);
    table.of(['1']).count++;
    table.of(['2']).count++;
    table.of(['3']).count++;
    table.of(['4']).count++;
    table.of(['1']).count++;
    expect(table.all()).toEqual([
      { attributes: { a: '1' }, count: 2 },
      { attributes: { a: '2' }, count: 1 },
      { attributes: OVERFLOW_ATTRIBUTES, count: 2 },
    ]);
  });

  it('never share a series between an absent value, an empty one, or values that join alike', () => {
    const table = new SeriesTable(['a', 'b']);
    const series = [table.of(['x', undefined]), table.of(['x', '']), table.of([undefined, 'x']), table.of(['x\u001f', '']), table.of(['x', '\u001f'])];
    expect(new Set(series).size).toBe(series.length);
    expect(series.map((entry) => entry.attributes)).toEqual([{ a: 'x' }, { a: 'x', b: '' }, { b: 'x' }, { a: 'x\u001f', b: '' }, { a: 'x', b: '\u001f' }]);
  });
});
