// OTLP/HTTP exporters that post JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`).
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { OtlpExporters } from './otlpExporters.js';

/** Trace, metric and log exporters that read OTEL_EXPORTER_OTLP_* themselves. */
export function jsonExporters(): OtlpExporters {
  return { span: new OTLPTraceExporter(), metric: new OTLPMetricExporter(), log: new OTLPLogExporter() };
}
