// OTLP/HTTP exporters that post JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`).
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { AgentOptions } from 'node:https';
import type { OtlpExporterOptions } from '../../config/otlpExporterOptions.js';
import type { OtlpSettings } from '../../config/parseConfig.js';
import type { OtlpExporters, SignalAgents } from './otlpExporters.js';

// The exporters' own name for the compression setting (an enum of the same two strings).
type Compression = NonNullable<NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression']>;

/** One signal's exporter options as parsed, in the exporters' terms. */
function exporterConfig(url: string, options: OtlpExporterOptions, agent: AgentOptions): { url: string; headers: Record<string, string>; timeoutMillis: number; compression: Compression; httpAgentOptions: AgentOptions } {
  return { url, headers: { ...options.headers }, timeoutMillis: options.timeoutMillis, compression: options.compression as Compression, httpAgentOptions: agent };
}

/** An exporter for each signal with a URL, given its headers, timeout, compression and TLS files as parsed. */
export function jsonExporters(settings: OtlpSettings, agents: SignalAgents): OtlpExporters {
  const { traces, metrics, logs, options } = settings;
  return {
    span: traces === undefined ? undefined : new OTLPTraceExporter(exporterConfig(traces, options.traces, agents.traces)),
    metric: metrics === undefined ? undefined : new OTLPMetricExporter(exporterConfig(metrics, options.metrics, agents.metrics)),
    log: logs === undefined ? undefined : new OTLPLogExporter(exporterConfig(logs, options.logs, agents.logs)),
  };
}
