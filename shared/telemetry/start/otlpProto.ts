// OTLP/HTTP exporters that post protobuf (`http/protobuf`, the OTLP default; what the Aspire dashboard reads).
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { OtlpExporters, SignalUrls } from './otlpExporters.js';

/** An exporter for each signal with a URL; headers, timeout and compression come from OTEL_EXPORTER_OTLP_*. */
export function protobufExporters(urls: SignalUrls): OtlpExporters {
  return {
    span: urls.traces === undefined ? undefined : new OTLPTraceExporter({ url: urls.traces }),
    metric: urls.metrics === undefined ? undefined : new OTLPMetricExporter({ url: urls.metrics }),
    log: urls.logs === undefined ? undefined : new OTLPLogExporter({ url: urls.logs }),
  };
}
