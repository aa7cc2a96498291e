// OTLP/HTTP export of traces, metrics and logs, each to the URL, with the headers, timeout, compression and TLS files the settings give it.
import { readFile } from 'node:fs/promises';
import type { AgentOptions } from 'node:https';
import type { OtlpExporterOptions, OtlpSignal } from '../../config/otlpExporterOptions.js';
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

/** Each signal's HTTP agent options: keep-alive, and the TLS files its settings name, read now. */
export type SignalAgents = Readonly<Record<OtlpSignal, AgentOptions>>;

async function agentOptions(certificates: OtlpExporterOptions['certificates']): Promise<AgentOptions> {
  const load = async (path: string | undefined) => (path === undefined ? undefined : await readFile(path));
  const [ca, cert, key] = await Promise.all([load(certificates.ca), load(certificates.cert), load(certificates.key)]);
  return { keepAlive: true, ...(ca !== undefined && { ca }), ...(cert !== undefined && { cert }), ...(key !== undefined && { key }) };
}

/**
 * Batching processors and a periodic metric reader around the OTLP exporters of the chosen encoding, for the
 * signals that have a URL, each given every one of its settings (OTEL_BSP_*, OTEL_BLRP_*, OTEL_METRIC_EXPORT_*
 * as parsed), so nothing the SDK would read from the environment itself counts. Only that encoding is loaded; the
 * import goes through our own modules because a bundle's dynamic import of a CommonJS package hands back only its
 * default export.
 */
export async function otlpParts(settings: OtlpSettings, sdk: SdkSettings): Promise<ExportParts> {
  // A TLS file that cannot be read rejects here: telemetry then does not start, and the server says so and serves on.
  const [traces, metrics, logs] = await Promise.all([agentOptions(settings.options.traces.certificates), agentOptions(settings.options.metrics.certificates), agentOptions(settings.options.logs.certificates)]);
  const agents: SignalAgents = { traces, metrics, logs };
  const exporters = settings.protocol === 'http/json' ? (await import('./otlpJson.js')).jsonExporters(settings, agents) : (await import('./otlpProto.js')).protobufExporters(settings, agents);
  return {
    spanProcessors: exporters.span === undefined ? [] : [new BatchSpanProcessor(exporters.span, { ...sdk.spanBatch })],
    logRecordProcessors: exporters.log === undefined ? [] : [new BatchLogRecordProcessor({ exporter: exporters.log, ...sdk.logBatch })],
    metricReaders: exporters.metric === undefined ? [] : [new PeriodicExportingMetricReader({ exporter: exporters.metric, ...sdk.metricExport })],
  };
}
