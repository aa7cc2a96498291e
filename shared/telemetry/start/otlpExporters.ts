// OTLP/HTTP export of traces, metrics and logs, each to the URL, with the headers, timeout and compression the settings give it.
import type { OtlpSettings } from '../../config/parseConfig.js';
import type { SdkSettings } from '../../config/sdkSettings.js';
import { BatchLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { PipelineParts } from './pipeline.js';

export type ExportParts = Pick<PipelineParts, 'spanProcessors' | 'logRecordProcessors' | 'metricReaders'>;

/** One exporter per signal that has a URL. */
export interface OtlpExporters {
  readonly span: SpanExporter | undefined;
  readonly metric: PushMetricExporter | undefined;
  readonly log: LogRecordExporter | undefined;
}

/**
 * Batching processors and a periodic metric reader around the OTLP exporters of the chosen encoding, for the
 * signals that have a URL, each given every one of its settings (OTEL_BSP_*, OTEL_BLRP_*, OTEL_METRIC_EXPORT_*
 * as parsed), so nothing the SDK would read from the environment itself counts. Only that encoding is loaded; the
 * import goes through our own modules because a bundle's dynamic import of a CommonJS package hands back only its
 * default export.
 */
export async function otlpParts(settings: OtlpSettings, sdk: SdkSettings): Promise<ExportParts> {
  const exporters = settings.protocol === 'http/json' ? (await import('./otlpJson.js')).jsonExporters(settings) : (await import('./otlpProto.js')).protobufExporters(settings);
  return {
    spanProcessors: exporters.span === undefined ? [] : [new BatchSpanProcessor(exporters.span, { ...sdk.spanBatch })],
    logRecordProcessors: exporters.log === undefined ? [] : [new BatchLogRecordProcessor({ exporter: exporters.log, ...sdk.logBatch })],
    metricReaders: exporters.metric === undefined ? [] : [new PeriodicExportingMetricReader({ exporter: exporters.metric, ...sdk.metricExport })],
  };
}
