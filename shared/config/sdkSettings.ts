// The OpenTelemetry SDK's standard settings (resource, batching, metric export), read here so the SDK never has to.
import * as z from 'zod';
import { ConfigError } from './configError.js';
import { MAX_MILLIS, read, readNumber, readTimeout, type Env } from './readSetting.js';
import type { SettingName } from './settings.js';
import { listEntries, percentDecoded } from './pairList.js';

/** A batching processor's settings (OTEL_BSP_* for spans, OTEL_BLRP_* for log records), the specification's defaults filled in. */
export interface BatchSettings {
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
}

/** The periodic metric reader's settings; the timeout never exceeds the interval. */
export interface MetricExportSettings {
  readonly exportIntervalMillis: number;
  readonly exportTimeoutMillis: number;
}

/** The trace context formats OTEL_PROPAGATORS may name: the Functions host hands requests over in W3C Trace Context only. */
export const PROPAGATORS = ['tracecontext', 'baggage'] as const;
export type PropagatorName = (typeof PROPAGATORS)[number];

/** OTEL_LOG_LEVEL's values, as the SDK spells them (any case). */
export const SDK_LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
export type SdkLogLevel = (typeof SDK_LOG_LEVELS)[number];

/** Settings every exporter's SDK pipeline is built from, Azure Monitor and OTLP alike. */
export interface SdkSettings {
  /**
   * What the operator says about the resource: OTEL_RESOURCE_ATTRIBUTES, decoded, with `service.name` from
   * OTEL_SERVICE_NAME where that is set. Laid over the server's own (`service.name` onbehalf, `service.version`).
   */
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly metricExport: MetricExportSettings;
  readonly spanBatch: BatchSettings;
  readonly logBatch: BatchSettings;
  /** OTEL_PROPAGATORS: how a request's trace context is read; empty (`none`): requests start traces of their own. */
  readonly propagators: readonly PropagatorName[];
  /** OTEL_LOG_LEVEL: the SDK's own diagnostics on the console at this level; undefined: none. */
  readonly sdkLogLevel: SdkLogLevel | undefined;
}

/** Longest queue: far above what one instance buffers between exports, far below what would exhaust memory. */
const MAX_QUEUE = 1_000_000;
/** The OpenTelemetry SDK's own limit on a resource attribute's key and value read from the environment. */
const MAX_RESOURCE_CHARS = 255;
const MAX_RESOURCE_ATTRIBUTES = 128;

interface BatchNames {
  readonly delay: SettingName;
  readonly timeout: SettingName;
  readonly queue: SettingName;
  readonly batch: SettingName;
}

const SPAN_BATCH: BatchNames = { delay: 'OTEL_BSP_SCHEDULE_DELAY', timeout: 'OTEL_BSP_EXPORT_TIMEOUT', queue: 'OTEL_BSP_MAX_QUEUE_SIZE', batch: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE' };
const LOG_BATCH: BatchNames = { delay: 'OTEL_BLRP_SCHEDULE_DELAY', timeout: 'OTEL_BLRP_EXPORT_TIMEOUT', queue: 'OTEL_BLRP_MAX_QUEUE_SIZE', batch: 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE' };

/** One batching processor: the specification's defaults, and a batch larger than the queue stops the start (the SDK would shrink it with a warning). */
function readBatch(env: Env, names: BatchNames, defaultDelay: number): BatchSettings {
  const scheduledDelayMillis = readNumber(env, names.delay, 0, MAX_MILLIS) ?? defaultDelay;
  const exportTimeoutMillis = readTimeout(env, names.timeout) ?? 30_000;
  const maxQueueSize = readNumber(env, names.queue, 1, MAX_QUEUE) ?? 2048;
  const maxExportBatchSize = readNumber(env, names.batch, 1, MAX_QUEUE) ?? 512;
  if (maxExportBatchSize > maxQueueSize) {
    throw new ConfigError('setting_invalid', names.batch, `must not exceed ${names.queue} (${maxQueueSize})`);
  }
  return { scheduledDelayMillis, exportTimeoutMillis, maxQueueSize, maxExportBatchSize };
}

/**
 * OTEL_METRIC_EXPORT_INTERVAL and OTEL_METRIC_EXPORT_TIMEOUT (60 s and 30 s by default). A timeout set longer than
 * the interval stops the start, as the SDK refuses it in code; the default timeout is cut to a shorter interval,
 * as the SDK does.
 */
function readMetricExport(env: Env): MetricExportSettings {
  const exportIntervalMillis = readNumber(env, 'OTEL_METRIC_EXPORT_INTERVAL', 1, MAX_MILLIS) ?? 60_000;
  const timeout = readTimeout(env, 'OTEL_METRIC_EXPORT_TIMEOUT');
  if (timeout !== undefined && timeout > exportIntervalMillis) {
    throw new ConfigError('setting_invalid', 'OTEL_METRIC_EXPORT_TIMEOUT', `must not exceed OTEL_METRIC_EXPORT_INTERVAL (${exportIntervalMillis} ms): an export may not outlast the next one's start`);
  }
  return { exportIntervalMillis, exportTimeoutMillis: timeout ?? Math.min(30_000, exportIntervalMillis) };
}

/**
 * OTEL_RESOURCE_ATTRIBUTES: `key=value` pairs separated by commas, `,` and `=` percent-encoded within keys and
 * values, spaces around each trimmed (the Resource SDK specification, as OpenTelemetry JS reads it). Where the SDK
 * would discard the whole value (an entry without exactly one `=`, an empty key, a bad percent-escape, more than
 * 255 characters), the start stops instead, naming the entry by its position, not its text.
 */
const resourceAttributes = z.string().transform((value, context) => {
  const attributes: Record<string, string> = {};
  const entries = listEntries(value);
  if (entries.length > MAX_RESOURCE_ATTRIBUTES) {
    context.addIssue({ code: 'custom', message: `has more than ${MAX_RESOURCE_ATTRIBUTES} entries` });
    return z.NEVER;
  }
  for (const [index, entry] of entries.entries()) {
    const at = `entry ${index + 1}`;
    const parts = entry.split('=');
    const key = percentDecoded(parts[0]?.trim() ?? '');
    const text = percentDecoded(parts[1]?.trim() ?? '');
    let problem: string | undefined;
    if (parts.length !== 2) problem = `${at} must be key=value, with any "=" or "," inside a key or value written as %3D or %2C`;
    else if (key === undefined || text === undefined) problem = `${at} has a bad percent-escape (write % itself as %25)`;
    else if (key === '') problem = `${at} has an empty key`;
    else if (key.length > MAX_RESOURCE_CHARS || text.length > MAX_RESOURCE_CHARS) problem = `${at} is longer than ${MAX_RESOURCE_CHARS} characters (key or value, once decoded)`;
    if (problem !== undefined || key === undefined || text === undefined) {
      context.addIssue({ code: 'custom', message: problem ?? `${at} is not valid` });
      return z.NEVER;
    }
    attributes[key] = text;
  }
  return attributes;
});

/**
 * OTEL_PROPAGATORS: a comma list, deduplicated; `none` anywhere means none, as in the SDK. Names are compared as
 * written, as the SDK compares them; b3, jaeger, xray and the rest stop the start: the Functions host hands requests
 * over with W3C Trace Context alone, so they could never apply.
 */
const propagators = z.string().transform((value, context) => {
  const names = [...new Set(value.split(',').map((name) => name.trim()).filter((name) => name !== ''))];
  const known = new Set<string>([...PROPAGATORS, 'none']);
  if (names.some((name) => !known.has(name))) {
    context.addIssue({ code: 'custom', message: `must list ${PROPAGATORS.join(', ')} or none, in lower case: requests arrive with W3C Trace Context only` });
    return z.NEVER;
  }
  return names.includes('none') ? [] : PROPAGATORS.filter((name) => names.includes(name));
});

// Read exactly as written: the SDK does not trim this one, and " debug " would mean "info" to it.
const sdkLogLevel = z.string().transform((value) => value.toLowerCase()).pipe(z.enum(SDK_LOG_LEVELS, { error: `must be one of ${SDK_LOG_LEVELS.join(', ')}` }));

const serviceName = z.string().max(MAX_RESOURCE_CHARS, `must be at most ${MAX_RESOURCE_CHARS} characters`);

/**
 * The SDK settings, each read and checked here, then handed to the pipeline explicitly. Throws `ConfigError`
 * (`setting_invalid`) naming the setting at fault.
 */
export function readSdkSettings(env: Env): SdkSettings {
  const attributes = read(env, 'OTEL_RESOURCE_ATTRIBUTES', resourceAttributes) ?? {};
  const name = read(env, 'OTEL_SERVICE_NAME', serviceName);
  return {
    // OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES, as the specification says.
    resourceAttributes: name === undefined ? attributes : { ...attributes, 'service.name': name },
    metricExport: readMetricExport(env),
    spanBatch: readBatch(env, SPAN_BATCH, 5000),
    logBatch: readBatch(env, LOG_BATCH, 1000),
    propagators: read(env, 'OTEL_PROPAGATORS', propagators) ?? PROPAGATORS,
    sdkLogLevel: read(env, 'OTEL_LOG_LEVEL', sdkLogLevel, true),
  };
}
