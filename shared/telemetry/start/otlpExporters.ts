// OTLP/HTTP export of traces, metrics and logs; the exporters read OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) themselves.
import type { OtlpSettings } from '../../config/parseConfig.js';
import { BatchLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { PipelineParts } from './pipeline.js';

export type ExportParts = Pick<PipelineParts, 'spanProcessors' | 'logRecordProcessors' | 'metricReaders'>;

export interface OtlpExporters {
  readonly span: SpanExporter;
  readonly metric: PushMetricExporter;
  readonly log: LogRecordExporter;
}

/** Metrics are exported once a minute, as Azure Monitor does. */
const METRIC_INTERVAL_MS = 60_000;

/**
 * Batching processors and a periodic metric reader around the OTLP exporters of the chosen encoding. Only
 * that encoding is loaded; the import goes through our own modules because a bundle's dynamic import of a
 * CommonJS package hands back only its default export.
 */
export async function otlpParts(protocol: OtlpSettings['protocol']): Promise<ExportParts> {
  const exporters = protocol === 'http/json' ? (await import('./otlpJson.js')).jsonExporters() : (await import('./otlpProto.js')).protobufExporters();
  return {
    spanProcessors: [new BatchSpanProcessor(exporters.span)],
    logRecordProcessors: [new BatchLogRecordProcessor({ exporter: exporters.log })],
    metricReaders: [new PeriodicExportingMetricReader({ exporter: exporters.metric, exportIntervalMillis: METRIC_INTERVAL_MS })],
  };
}
