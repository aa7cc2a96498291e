// Installs OpenTelemetry's trace, metric and log providers globally, sanitizing first, with the exporters given.
import { context, diag, DiagConsoleLogger, DiagLogLevel, metrics, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TraceSampler } from '../../config/parseConfig.js';
import type { PropagatorName, SdkLogLevel } from '../../config/sdkSettings.js';
import { setTelemetryActive } from './activation.js';
import { RedactingLogRecordProcessor, RedactingSpanProcessor } from './redactingProcessors.js';
import { traceSampler } from './sampler.js';

export interface PipelineParts {
  /** After the sanitizer: batching exporters in production, an in-memory exporter in tests. */
  readonly spanProcessors: readonly SpanProcessor[];
  readonly logRecordProcessors: readonly LogRecordProcessor[];
  readonly metricReaders: readonly MetricReader[];
  /** The server's version, as `service.version`. */
  readonly serviceVersion: string;
  /** OTEL_TRACES_SAMPLER as parsed (its default included). */
  readonly sampler: TraceSampler;
  /** OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME as parsed (`SdkSettings.resourceAttributes`). */
  readonly resourceAttributes?: Readonly<Record<string, string>> | undefined;
  /** OTEL_PROPAGATORS as parsed; undefined: W3C Trace Context and Baggage, the specification's default. */
  readonly propagators?: readonly PropagatorName[] | undefined;
  /** OTEL_LOG_LEVEL as parsed; undefined: the SDK's diagnostics go nowhere. */
  readonly sdkLogLevel?: SdkLogLevel | undefined;
}

const DIAG_LEVELS: Readonly<Record<SdkLogLevel, DiagLogLevel>> = {
  none: DiagLogLevel.NONE, error: DiagLogLevel.ERROR, warn: DiagLogLevel.WARN, info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG, verbose: DiagLogLevel.VERBOSE, all: DiagLogLevel.ALL,
};

const PROPAGATOR_FACTORIES: Readonly<Record<PropagatorName, () => TextMapPropagator>> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
};

export interface InstalledPipeline {
  /** Exports what is buffered now (spans, log records, and a metric collection). */
  flush(): Promise<void>;
  /** Flushes, then removes the global providers: telemetry is off again. */
  shutdown(): Promise<void>;
}

/**
 * The SDK's own attributes, then `service.name` onbehalf and `service.version`, then the operator's attributes
 * (parsed from OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME in shared/config, never detected from the environment
 * here), each over the one before.
 */
export function serverResource(serviceVersion: string, operatorAttributes: Readonly<Record<string, string>> = {}): Resource {
  return defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'onbehalf', 'service.version': serviceVersion }))
    .merge(resourceFromAttributes(operatorAttributes));
}

/**
 * Builds the three providers (the sampler and the resource from the settings; the exporters' batching comes with
 * `parts`), registers them with the propagators the settings name and an AsyncLocalStorage context, and turns the
 * server's instrumentation on. OTEL_LOG_LEVEL sends the SDK's own diagnostics to the console, as the SDK under the
 * Azure Monitor distro does.
 */
export function installPipeline(parts: PipelineParts): InstalledPipeline {
  const resource = serverResource(parts.serviceVersion, parts.resourceAttributes);
  const tracerProvider = new BasicTracerProvider({ resource, sampler: traceSampler(parts.sampler), spanProcessors: [new RedactingSpanProcessor(), ...parts.spanProcessors] });
  const meterProvider = new MeterProvider({ resource, readers: [...parts.metricReaders] });
  const loggerProvider = new LoggerProvider({ resource, processors: [new RedactingLogRecordProcessor(), ...parts.logRecordProcessors] });

  if (parts.sdkLogLevel !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel: DIAG_LEVELS[parts.sdkLogLevel] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // None (`OTEL_PROPAGATORS=none`): no propagator is registered, so every request starts a trace of its own.
  const propagators = (parts.propagators ?? ['tracecontext', 'baggage']).map((name) => PROPAGATOR_FACTORIES[name]());
  if (propagators.length > 0) propagation.setGlobalPropagator(new CompositePropagator({ propagators }));
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  logs.setGlobalLoggerProvider(loggerProvider);
  setTelemetryActive(true);

  const flush = async (): Promise<void> => {
    await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush(), loggerProvider.forceFlush()]);
  };
  return {
    flush,
    shutdown: async () => {
      setTelemetryActive(false);
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);
      if (parts.sdkLogLevel !== undefined) diag.disable();
      trace.disable();
      metrics.disable();
      logs.disable();
      propagation.disable();
      context.disable();
    },
  };
}
