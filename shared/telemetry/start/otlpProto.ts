// OTLP/HTTP exporters that post protobuf (`http/protobuf`, the OTLP default; what the Aspire dashboard reads).
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { OtlpExporters } from './otlpExporters.js';

/** Trace, metric and log exporters that read OTEL_EXPORTER_OTLP_* themselves. */
export function protobufExporters(): OtlpExporters {
  return { span: new OTLPTraceExporter(), metric: new OTLPMetricExporter(), log: new OTLPLogExporter() };
}
