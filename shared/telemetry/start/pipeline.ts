// Installs OpenTelemetry's trace, metric and log providers globally, sanitizing first, with the exporters given.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TraceSampler } from '../../config/parseConfig.js';
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
  /** OTEL_TRACES_SAMPLER as parsed; undefined: every trace is kept (see `traceSampler`). */
  readonly sampler?: TraceSampler | undefined;
  /** OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME as parsed (`SdkSettings.resourceAttributes`). */
  readonly resourceAttributes?: Readonly<Record<string, string>> | undefined;
}

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
 * `parts`), registers them with W3C Trace Context propagation and an AsyncLocalStorage context, and turns the
 * server's instrumentation on.
 */
export function installPipeline(parts: PipelineParts): InstalledPipeline {
  const resource = serverResource(parts.serviceVersion, parts.resourceAttributes);
  const tracerProvider = new BasicTracerProvider({ resource, sampler: traceSampler(parts.sampler), spanProcessors: [new RedactingSpanProcessor(), ...parts.spanProcessors] });
  const meterProvider = new MeterProvider({ resource, readers: [...parts.metricReaders] });
  const loggerProvider = new LoggerProvider({ resource, processors: [new RedactingLogRecordProcessor(), ...parts.logRecordProcessors] });

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
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
      trace.disable();
      metrics.disable();
      logs.disable();
      propagation.disable();
      context.disable();
    },
  };
}
