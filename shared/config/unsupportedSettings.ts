// Standard OTEL_* settings the server does not take, but which the SDK or the distro would read on its own for one
// exporter and not the other: set, they stop the start, so what is configured here is all that is in effect.
import { ConfigError } from './configError.js';
import type { Env } from './readSetting.js';

const LIMITS = 'the server bounds what it records itself (a few dozen attributes per span or record, text cut at 512 characters), below the SDK\'s limits';

/** Each setting, and why the server does not take it. */
export const UNSUPPORTED_SETTINGS: Readonly<Record<string, string>> = {
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: LIMITS,
  OTEL_ATTRIBUTE_COUNT_LIMIT: LIMITS,
  OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: LIMITS,
  OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: LIMITS,
  OTEL_SPAN_EVENT_COUNT_LIMIT: LIMITS,
  OTEL_SPAN_LINK_COUNT_LIMIT: LIMITS,
  OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: LIMITS,
  OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: LIMITS,
  OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT: LIMITS,
  OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT: LIMITS,
  OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: LIMITS,
  OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT: LIMITS,
  OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'metrics are exported as each exporter exports them by default (cumulative over OTLP)',
  OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'durations are exported with the explicit buckets the server sets',
  OTEL_NODE_RESOURCE_DETECTORS: 'the resource is the server\'s own plus OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES',
};

/** Per-signal protocols: the server picks one encoding for all signals. */
const SIGNAL_PROTOCOLS = ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL'] as const;

/**
 * Throws `ConfigError` (`setting_invalid`) for the first unsupported setting that is set, and for a per-signal
 * protocol other than `protocol` (the general OTEL_EXPORTER_OTLP_PROTOCOL as parsed).
 */
export function refuseUnsupportedSettings(env: Env, protocol: string): void {
  for (const [name, why] of Object.entries(UNSUPPORTED_SETTINGS)) {
    if ((env[name]?.trim() ?? '') !== '') throw new ConfigError('setting_invalid', name, `is not supported: ${why}; remove it`);
  }
  for (const name of SIGNAL_PROTOCOLS) {
    const value = env[name]?.trim() ?? '';
    if (value !== '' && value !== protocol) {
      throw new ConfigError('setting_invalid', name, `is not supported: every signal is sent in one encoding; set OTEL_EXPORTER_OTLP_PROTOCOL (now ${protocol}) instead`);
    }
  }
}
