// OTLP/HTTP exporters that post protobuf (`http/protobuf`, the OTLP default; what the Aspire dashboard reads).
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { OtlpExporterOptions } from '../../config/otlpExporterOptions.js';
import type { OtlpSettings } from '../../config/parseConfig.js';
import type { OtlpExporters } from './otlpExporters.js';

// The exporters' own name for the compression setting (an enum of the same two strings).
type Compression = NonNullable<NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression']>;

/** One signal's exporter options as parsed, in the exporters' terms. */
function exporterConfig(url: string, options: OtlpExporterOptions): { url: string; headers: Record<string, string>; timeoutMillis: number; compression: Compression } {
  return { url, headers: { ...options.headers }, timeoutMillis: options.timeoutMillis, compression: options.compression as Compression };
}

/** An exporter for each signal with a URL, given its headers, timeout and compression as parsed. */
export function protobufExporters(settings: OtlpSettings): OtlpExporters {
  const { traces, metrics, logs, options } = settings;
  return {
    span: traces === undefined ? undefined : new OTLPTraceExporter(exporterConfig(traces, options.traces)),
    metric: metrics === undefined ? undefined : new OTLPMetricExporter(exporterConfig(metrics, options.metrics)),
    log: logs === undefined ? undefined : new OTLPLogExporter(exporterConfig(logs, options.logs)),
  };
}
