// Application Insights through the Azure Monitor distro: our spans, metrics and records only, sanitized, sent with Entra ID.
import { metrics, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import type { AzureMonitorSettings, TraceSampler } from '../../config/parseConfig.js';
import type { SdkSettings } from '../../config/sdkSettings.js';
import { setTelemetryActive } from './activation.js';
import { managedIdentityCredential } from './managedIdentityCredential.js';
import type { ExportParts } from './otlpExporters.js';
import { serverResource, type InstalledPipeline } from './pipeline.js';
import { RedactingLogRecordProcessor, RedactingSpanProcessor } from './redactingProcessors.js';

const OFF = { enabled: false };

interface Flushable {
  forceFlush?: () => Promise<void>;
  getDelegate?: () => Flushable;
}

async function flushGlobals(): Promise<void> {
  const providers = [trace.getTracerProvider(), metrics.getMeterProvider(), logs.getLoggerProvider()] as Flushable[];
  await Promise.all(providers.map(async (provider) => {
    await (provider.getDelegate?.() ?? provider).forceFlush?.();
  }));
}

/**
 * The distro's sampling options for the operator's sampler. The distro reads OTEL_TRACES_SAMPLER itself and, for
 * the names it knows, builds the same sampler we would; for the standard `traceidratio` spellings, which it does not
 * know, it falls back to these options: its own trace-id ratio sampler at the same ratio (parent or not).
 * The default (`parentbased_traceidratio`, shared/config) is its ratio sampler at the default's ratio.
 */
function samplingOptions(sampler: TraceSampler): { samplingRatio: number; tracesPerSecond: number } {
  switch (sampler.name) {
    case 'always_off':
    case 'parentbased_always_off':
      return { samplingRatio: 0, tracesPerSecond: 0 };
    case 'traceidratio':
    case 'parentbased_traceidratio':
    case 'microsoft.fixed_percentage':
      return { samplingRatio: sampler.arg ?? 1, tracesPerSecond: 0 };
    case 'microsoft.rate_limited':
      return { samplingRatio: 1, tracesPerSecond: sampler.arg ?? 5 };
    default:
      return { samplingRatio: 1, tracesPerSecond: 0 };
  }
}

export interface AzureMonitorOptions {
  readonly serviceVersion: string;
  readonly sampler: TraceSampler;
  readonly sdk: SdkSettings;
}

/**
 * Starts the distro. Its automatic instrumentations stay off: the server makes its own spans (with route
 * templates, never URLs with ids) and its own records (the http and console instrumentations would capture
 * raw URLs and every console line). `extra` adds OTLP export when an endpoint is configured too.
 *
 * The resource is ours, from the parsed settings. The distro has no options for its own span batching and metric
 * interval: it builds them from OTEL_BSP_* and OTEL_METRIC_EXPORT_INTERVAL itself, the very values shared/config
 * has checked (digits only, in range), so they come out as `sdk` says. Its log batching and its metric export
 * timeout are its own (1 s and 30 s, the timeout cut to a shorter interval); the OTLP parts in `extra` get all of `sdk`.
 */
export function startAzureMonitor(settings: AzureMonitorSettings, extra: ExportParts, options: AzureMonitorOptions): InstalledPipeline {
  const { serviceVersion, sampler, sdk } = options;
  useAzureMonitor({
    azureMonitorExporterOptions: {
      connectionString: settings.connectionString,
      ...(settings.managedIdentity !== undefined && { credential: managedIdentityCredential(settings.managedIdentity.clientId) }),
    },
    resource: serverResource(serviceVersion, sdk.resourceAttributes),
    // The sampler shared/config parsed (its default a ratio, never the distro's default rate limit, which samples a
    // fresh instance's first requests at a few percent). Records are never dropped with their trace: refusals and
    // failures must reach the workbook and an incident whichever traces are kept.
    ...samplingOptions(sampler),
    enableTraceBasedSamplingForLogs: false,
    instrumentationOptions: {
      azureSdk: OFF, http: OFF, mongoDb: OFF, mySql: OFF, postgreSql: OFF, redis: OFF, redis4: OFF, bunyan: OFF, winston: OFF, console: OFF,
    },
    spanProcessors: [new RedactingSpanProcessor(), ...extra.spanProcessors],
    logRecordProcessors: [new RedactingLogRecordProcessor(), ...extra.logRecordProcessors],
    metricReaders: [...extra.metricReaders],
  });
  setTelemetryActive(true);
  return {
    flush: flushGlobals,
    shutdown: async () => {
      setTelemetryActive(false);
      await shutdownAzureMonitor();
    },
  };
}
