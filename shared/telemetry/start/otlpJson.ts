// OTLP/HTTP exporters that post JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`).
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { OtlpExporters, SignalUrls } from './otlpExporters.js';

/** An exporter for each signal with a URL; headers, timeout and compression come from OTEL_EXPORTER_OTLP_*. */
export function jsonExporters(urls: SignalUrls): OtlpExporters {
  return {
    span: urls.traces === undefined ? undefined : new OTLPTraceExporter({ url: urls.traces }),
    metric: urls.metrics === undefined ? undefined : new OTLPMetricExporter({ url: urls.metrics }),
    log: urls.logs === undefined ? undefined : new OTLPLogExporter({ url: urls.logs }),
  };
}
