// The production telemetry pipeline (sanitizer included) with in-memory exporters, for tests to read what was emitted.
import type { Attributes } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MetricReader, type DataPoint, type MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { TraceSampler } from '../../shared/config/parseConfig.js';
import type { PropagatorName } from '../../shared/config/sdkSettings.js';
import { installPipeline } from '../../shared/telemetry/start/pipeline.js';

/** Collects on demand instead of on a timer, cumulative unless told otherwise (Azure Monitor's exporter asks for delta). */
export class CollectingReader extends MetricReader {
  constructor(temporality: AggregationTemporality = AggregationTemporality.CUMULATIVE) {
    super({ aggregationTemporalitySelector: () => temporality });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface MemoryTelemetry {
  spans(): ReadableSpan[];
  records(): ReadableLogRecord[];
  /** Every metric collected now, by name. */
  metrics(): Promise<Map<string, MetricData>>;
  /** Sum of a counter's (or count of a histogram's) data points whose attributes include `match`. */
  total(name: string, match?: Attributes): Promise<number>;
  reset(): void;
  shutdown(): Promise<void>;
}

function matches(attributes: Attributes, match: Attributes): boolean {
  return Object.entries(match).every(([key, value]) => attributes[key] === value);
}

/** The production pipeline, with the sampler an operator's OTEL_TRACES_SAMPLER would give (`always_on` when undefined: every span, to be read). */
export function installMemoryTelemetry(options: { readonly sampler?: TraceSampler | undefined; readonly propagators?: readonly PropagatorName[] | undefined } = {}): MemoryTelemetry {
  const spans = new InMemorySpanExporter();
  const records = new InMemoryLogRecordExporter();
  const reader = new CollectingReader();
  const pipeline = installPipeline({
    spanProcessors: [new SimpleSpanProcessor(spans)],
    logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: records })],
    metricReaders: [reader],
    serviceVersion: 'test',
    sampler: options.sampler ?? { name: 'always_on', arg: undefined },
    propagators: options.propagators,
  });
  const metrics = async (): Promise<Map<string, MetricData>> => {
    const { resourceMetrics } = await reader.collect();
    const byName = new Map<string, MetricData>();
    for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
    return byName;
  };
  return {
    spans: () => spans.getFinishedSpans(),
    records: () => records.getFinishedLogRecords(),
    metrics,
    total: async (name, match = {}) => {
      const metric = (await metrics()).get(name);
      if (metric === undefined) return 0;
      let sum = 0;
      for (const point of metric.dataPoints as DataPoint<unknown>[]) {
        if (!matches(point.attributes, match)) continue;
        const value = point.value;
        sum += typeof value === 'number' ? value : (value as { count: number }).count;
      }
      return sum;
    },
    reset: () => {
      spans.reset();
      records.reset();
    },
    shutdown: () => pipeline.shutdown(),
  };
}
