// OTLP/HTTP exporters for traces, metrics and logs; the exporters read OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) themselves.
import type { OtlpSettings } from '../../config/parseConfig.js';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { PipelineParts } from './pipeline.js';

export type ExportParts = Pick<PipelineParts, 'spanProcessors' | 'logRecordProcessors' | 'metricReaders'>;

/** Metrics are exported once a minute, as Azure Monitor does. */
const METRIC_INTERVAL_MS = 60_000;

async function exporters(protocol: OtlpSettings['protocol']) {
  // Only the chosen encoding is loaded.
  if (protocol === 'http/json') {
    const [traces, metrics, logs] = await Promise.all([
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/exporter-metrics-otlp-http'),
      import('@opentelemetry/exporter-logs-otlp-http'),
    ]);
    return { span: new traces.OTLPTraceExporter(), metric: new metrics.OTLPMetricExporter(), log: new logs.OTLPLogExporter() };
  }
  const [traces, metrics, logs] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-proto'),
    import('@opentelemetry/exporter-metrics-otlp-proto'),
    import('@opentelemetry/exporter-logs-otlp-proto'),
  ]);
  return { span: new traces.OTLPTraceExporter(), metric: new metrics.OTLPMetricExporter(), log: new logs.OTLPLogExporter() };
}

/** Batching processors and a periodic metric reader around the OTLP exporters of the chosen encoding. */
export async function otlpParts(protocol: OtlpSettings['protocol']): Promise<ExportParts> {
  const { span, metric, log } = await exporters(protocol);
  return {
    spanProcessors: [new BatchSpanProcessor(span)],
    logRecordProcessors: [new BatchLogRecordProcessor({ exporter: log })],
    metricReaders: [new PeriodicExportingMetricReader({ exporter: metric, exportIntervalMillis: METRIC_INTERVAL_MS })],
  };
}
