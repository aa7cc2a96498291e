// OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION and the TLS files (general and per signal), read here so the exporters never have to.
import * as z from 'zod';
import { ConfigError } from './configError.js';
import { read, readTimeout, type Env } from './readSetting.js';
import type { SettingName } from './settings.js';
import { listEntries, percentDecoded } from './pairList.js';

export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** What one signal's OTLP exporter is given besides its URL, the specification's defaults filled in. */
export interface OtlpExporterOptions {
  /** Sent with every export; often a collector's credential, so never logged or echoed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
  readonly compression: 'gzip' | 'none';
  /** PEM files, read when telemetry starts: a root certificate to trust, and a client certificate with its key (mutual TLS). */
  readonly certificates: { readonly ca: string | undefined; readonly cert: string | undefined; readonly key: string | undefined };
}

const NAMES = {
  general: {
    headers: 'OTEL_EXPORTER_OTLP_HEADERS', timeout: 'OTEL_EXPORTER_OTLP_TIMEOUT', compression: 'OTEL_EXPORTER_OTLP_COMPRESSION',
    ca: 'OTEL_EXPORTER_OTLP_CERTIFICATE', cert: 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', key: 'OTEL_EXPORTER_OTLP_CLIENT_KEY',
  },
  traces: {
    headers: 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', timeout: 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', compression: 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION',
    ca: 'OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE', cert: 'OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE', key: 'OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY',
  },
  metrics: {
    headers: 'OTEL_EXPORTER_OTLP_METRICS_HEADERS', timeout: 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', compression: 'OTEL_EXPORTER_OTLP_METRICS_COMPRESSION',
    ca: 'OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE', cert: 'OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE', key: 'OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY',
  },
  logs: {
    headers: 'OTEL_EXPORTER_OTLP_LOGS_HEADERS', timeout: 'OTEL_EXPORTER_OTLP_LOGS_TIMEOUT', compression: 'OTEL_EXPORTER_OTLP_LOGS_COMPRESSION',
    ca: 'OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE', cert: 'OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE', key: 'OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY',
  },
} as const satisfies Record<string, Record<string, SettingName>>;

/** A file path; the file itself is read when telemetry starts. */
const path = z.string().max(1024, 'must be a file path of at most 1024 characters');

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// A header value is Latin-1 without control characters (tab aside): anything else would break or split the request.
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const MAX_HEADERS = 32;

/**
 * `name=value` pairs separated by commas, percent-decoded, spaces around each trimmed (W3C Baggage's shape, as the
 * OTLP exporter specification says). A value may hold `=` (base64 padding); a `,` inside one is written `%2C`.
 * Where the exporter would drop an entry without a word (no `=`, an empty name or value, a bad escape), the start
 * stops, naming the entry by position: the text is likely a credential.
 */
const headers = z.string().transform((value, context) => {
  const result: Record<string, string> = {};
  const entries = listEntries(value);
  if (entries.length > MAX_HEADERS) {
    context.addIssue({ code: 'custom', message: `has more than ${MAX_HEADERS} headers` });
    return z.NEVER;
  }
  for (const [index, entry] of entries.entries()) {
    const at = `entry ${index + 1}`;
    const separator = entry.indexOf('=');
    const name = separator <= 0 ? undefined : percentDecoded(entry.slice(0, separator).trim());
    const text = separator <= 0 ? undefined : percentDecoded(entry.slice(separator + 1).trim());
    let problem: string | undefined;
    if (separator <= 0) problem = `${at} must be name=value`;
    else if (name === undefined || text === undefined) problem = `${at} has a bad percent-escape (write % itself as %25)`;
    else if (!TOKEN.test(name)) problem = `${at} must have a header name of letters, digits and !#$%&'*+.^_\`|~-`;
    else if (text === '') problem = `${at} has an empty value`;
    else if (BAD_VALUE.test(text)) problem = `${at} has a value with a line break, a control character or a character outside Latin-1`;
    if (problem !== undefined || name === undefined || text === undefined) {
      context.addIssue({ code: 'custom', message: problem ?? `${at} is not valid` });
      return z.NEVER;
    }
    result[name] = text;
  }
  return result;
});

const compression = z.enum(['gzip', 'none'], { error: 'must be gzip or none' });

/**
 * One signal's exporter options: its own setting over the general one, headers merged name by name (the signal's
 * winning), as the OTLP exporters merge them. Throws `ConfigError` (`setting_invalid`) naming the setting.
 */
export function readOtlpExporterOptions(env: Env, signal: OtlpSignal): OtlpExporterOptions {
  const general = NAMES.general;
  const own = NAMES[signal];
  // Both read, so a bad general value stops the start even where every signal has its own.
  const timeouts = [readTimeout(env, own.timeout), readTimeout(env, general.timeout)];
  const compressions = [read(env, own.compression, compression), read(env, general.compression, compression)];
  const file = (kind: 'ca' | 'cert' | 'key') => {
    const paths = [read(env, own[kind], path), read(env, general[kind], path)];
    return paths[0] ?? paths[1];
  };
  const certificates = { ca: file('ca'), cert: file('cert'), key: file('key') };
  // A client certificate without its key (or a key without its certificate) would fail every export's handshake.
  if ((certificates.cert === undefined) !== (certificates.key === undefined)) {
    const missing = certificates.cert === undefined ? own.cert : own.key;
    throw new ConfigError('setting_missing', missing, `is required with ${certificates.cert === undefined ? own.key : own.cert} (or their general forms): mutual TLS needs the certificate and its key`);
  }
  return {
    headers: { ...read(env, general.headers, headers), ...read(env, own.headers, headers) },
    timeoutMillis: timeouts[0] ?? timeouts[1] ?? 10_000,
    compression: compressions[0] ?? compressions[1] ?? 'none',
    certificates,
  };
}
