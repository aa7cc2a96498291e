// OTLP exporter headers, timeout and compression: read as the OTLP exporter specification says, per signal over
// general, and anything the exporter would drop without a word stops the start, never echoing a header's text.
import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../shared/config/configError.js';
import { parseConfig, type Env, type OtlpSettings } from '../../shared/config/parseConfig.js';
import { configRefusal } from '../support/configRefusal.js';

const BASE: Env = { MCP_DEV_MODE: '1', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.com' };

function options(env: Env): OtlpSettings['options'] {
  const otlp = parseConfig({ ...BASE, ...env }).telemetry.otlp;
  if (otlp === undefined) throw new Error('no OTLP settings');
  return otlp.options;
}

const refused = (env: Env): ConfigError => configRefusal({ ...BASE, ...env });

describe('OTLP exporter options', () => {
  it('default to no headers, a 10 s timeout and no compression, for every signal', () => {
    const none = { headers: {}, timeoutMillis: 10_000, compression: 'none', certificates: { ca: undefined, cert: undefined, key: undefined } };
    expect(options({})).toEqual({ traces: none, metrics: none, logs: none });
  });

  it('take the general settings for every signal, and a signal\'s own over them (headers merged name by name)', () => {
    const parsed = options({
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic dXNlcjpwYXNz,x-team=platform%2C%20identity',
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-team=logs',
      OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '20000',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'none',
    });
    expect(parsed.traces).toMatchObject({ headers: { Authorization: 'Basic dXNlcjpwYXNz', 'x-team': 'platform, identity' }, timeoutMillis: 5000, compression: 'none' });
    expect(parsed.metrics).toMatchObject({ headers: { Authorization: 'Basic dXNlcjpwYXNz', 'x-team': 'platform, identity' }, timeoutMillis: 20_000, compression: 'gzip' });
    expect(parsed.logs).toMatchObject({ headers: { Authorization: 'Basic dXNlcjpwYXNz', 'x-team': 'logs' }, timeoutMillis: 5000, compression: 'gzip' });
  });

  it('keep an = inside a header value (base64 padding)', () => {
    expect(options({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=c2VjcmV0==' }).traces.headers).toEqual({ 'api-key': 'c2VjcmV0==' });
  });

  it.each([
    ['no =', 'Secr3tValue'],
    ['an empty name', '=Secr3tValue'],
    ['an empty value', 'x-api-key='],
    ['a name that is no HTTP token', 'x api key=Secr3tValue'],
    ['a bad percent-escape', 'x-api-key=Secr3tValue%zz'],
    ['an encoded line break', 'x-api-key=Secr3tValue%0D%0AHost:%20evil'],
    ['a character outside Latin-1', 'x-api-key=Secr3tValue%E2%82%AC'],
  ])('stop the start on a header with %s, naming the entry but never its text', (_label, value) => {
    for (const setting of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_METRICS_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS']) {
      const error = refused({ [setting]: `x-ok=1,${value}` });
      expect(error.setting).toBe(setting);
      expect(error.message).toMatch(/entry 2/);
      expect(error.message).not.toContain('Secr3tValue');
    }
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '0'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '10s'],
    ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', '-1'],
    ['OTEL_EXPORTER_OTLP_LOGS_TIMEOUT', '2147483648'],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'deflate'],
    ['OTEL_EXPORTER_OTLP_METRICS_COMPRESSION', 'GZIP'],
  ])('stop the start on %s=%s', (setting, value) => {
    expect(refused({ [setting]: value }).setting).toBe(setting);
  });

  it('stop the start on a bad general value even where every signal has its own', () => {
    expect(refused({
      OTEL_EXPORTER_OTLP_TIMEOUT: 'soon', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '1000', OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '1000', OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '1000',
    }).setting).toBe('OTEL_EXPORTER_OTLP_TIMEOUT');
  });

  it('are checked even before an endpoint is set', () => {
    const error = refused({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_HEADERS: 'Secr3tValue' });
    expect(error.setting).toBe('OTEL_EXPORTER_OTLP_HEADERS');
  });
});

describe('OTLP TLS files', () => {
  it('are paths, a signal\'s own over the general one', () => {
    const parsed = options({
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/certs/ca.pem', OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/certs/client.pem', OTEL_EXPORTER_OTLP_CLIENT_KEY: '/certs/client.key',
      OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: '/certs/logs-ca.pem',
    });
    expect(parsed.traces.certificates).toEqual({ ca: '/certs/ca.pem', cert: '/certs/client.pem', key: '/certs/client.key' });
    expect(parsed.logs.certificates).toEqual({ ca: '/certs/logs-ca.pem', cert: '/certs/client.pem', key: '/certs/client.key' });
    expect(options({}).metrics.certificates).toEqual({ ca: undefined, cert: undefined, key: undefined });
  });

  it('stop the start with a client certificate and no key, or a key and no certificate', () => {
    expect(refused({ OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/certs/client.pem' }).setting).toBe('OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY');
    expect(refused({ OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY: '/certs/client.key' }).setting).toBe('OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE');
  });
});
