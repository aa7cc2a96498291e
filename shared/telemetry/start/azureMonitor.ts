// Application Insights through the Azure Monitor distro: our spans, metrics and records only, sanitized, sent with Entra ID.
import { metrics, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import type { AzureMonitorSettings } from '../../config/parseConfig.js';
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
 * Starts the distro. Its automatic instrumentations stay off: the server makes its own spans (with route
 * templates, never URLs with ids) and its own records (the http and console instrumentations would capture
 * raw URLs and every console line). `extra` adds OTLP export when an endpoint is configured too.
 */
export function startAzureMonitor(settings: AzureMonitorSettings, extra: ExportParts, serviceVersion: string): InstalledPipeline {
  useAzureMonitor({
    azureMonitorExporterOptions: {
      connectionString: settings.connectionString,
      ...(settings.managedIdentity !== undefined && { credential: managedIdentityCredential(settings.managedIdentity.clientId) }),
    },
    resource: serverResource(serviceVersion),
    // Every trace is kept unless OTEL_TRACES_SAMPLER says otherwise: the correlation id a user quotes must find
    // its trace, and the distro's default rate limit samples a fresh instance's first requests at a few percent.
    samplingRatio: 1,
    tracesPerSecond: 0,
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
