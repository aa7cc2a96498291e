// Turns telemetry on as configured: Azure Monitor, OTLP, both, or nothing; the SDK is only loaded when needed.
import type { TelemetrySettings } from '../../config/parseConfig.js';

export type TelemetryExporter = 'azureMonitor' | 'otlp';

export interface TelemetryHandle {
  /** Where telemetry goes; empty when it is off (or failed to start). */
  readonly exporters: readonly TelemetryExporter[];
  /** Why telemetry could not start (the server runs on without it); for the caller to log. */
  readonly failure: Error | undefined;
  /** Exports what is buffered now; rejects when an exporter could not deliver (callers on a shutdown path catch it). */
  flush(): Promise<void>;
  /** Flushes and turns telemetry off; a later `startTelemetry` starts it afresh. */
  shutdown(): Promise<void>;
}

function offHandle(failure?: Error): TelemetryHandle {
  return { exporters: [], failure, flush: async () => {}, shutdown: async () => {} };
}

let started: Promise<TelemetryHandle> | undefined;

async function start(settings: TelemetrySettings, serviceVersion: string): Promise<TelemetryHandle> {
  if (settings.azureMonitor === undefined && settings.otlp === undefined) return offHandle();
  try {
    // Dynamic imports: the bundle keeps the SDK and exporters in chunks a server with telemetry off never loads.
    const otlp = settings.otlp === undefined ? undefined : await (await import('./otlpExporters.js')).otlpParts(settings.otlp, settings.sdk);
    const exporters: TelemetryExporter[] = [];
    let pipeline;
    if (settings.azureMonitor !== undefined) {
      const { startAzureMonitor } = await import('./azureMonitor.js');
      pipeline = startAzureMonitor(settings.azureMonitor, otlp ?? { spanProcessors: [], logRecordProcessors: [], metricReaders: [] }, { serviceVersion, sampler: settings.sampler, sdk: settings.sdk });
      exporters.push('azureMonitor');
    } else {
      const { installPipeline } = await import('./pipeline.js');
      const { resourceAttributes, propagators, sdkLogLevel } = settings.sdk;
      pipeline = installPipeline({ spanProcessors: [], logRecordProcessors: [], metricReaders: [], ...otlp, serviceVersion, sampler: settings.sampler, resourceAttributes, propagators, sdkLogLevel });
    }
    if (otlp !== undefined) exporters.push('otlp');
    return {
      exporters,
      failure: undefined,
      flush: () => pipeline.flush(),
      shutdown: async () => {
        started = undefined;
        await pipeline.shutdown();
      },
    };
  } catch (error) {
    return offHandle(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Starts telemetry once per process (later calls get the same handle). With neither Application Insights
 * nor an OTLP endpoint configured it resolves at once and loads nothing. It never rejects: a failure to
 * start leaves telemetry off and is reported in `failure`.
 */
export function startTelemetry(settings: TelemetrySettings, serviceVersion: string): Promise<TelemetryHandle> {
  started ??= start(settings, serviceVersion);
  return started;
}
