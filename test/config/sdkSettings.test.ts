// The OpenTelemetry SDK's standard settings: the specification's defaults, each value read as the specification
// says, and anything the SDK would warn about and ignore stops the start instead, naming the setting.
import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../shared/config/configError.js';
import { parseConfig, type Env } from '../../shared/config/parseConfig.js';
import type { SdkSettings } from '../../shared/config/sdkSettings.js';
import { UNSUPPORTED_SETTINGS } from '../../shared/config/unsupportedSettings.js';
import { configRefusal } from '../support/configRefusal.js';

const DEV: Env = { MCP_DEV_MODE: '1' };

function sdk(env: Env): SdkSettings {
  return parseConfig({ ...DEV, ...env }).telemetry.sdk;
}

const refused = (env: Env): ConfigError => configRefusal({ ...DEV, ...env });

describe('the SDK settings, unset', () => {
  it('are the specification\'s defaults: metrics every 60 s (30 s timeout), spans every 5 s, log records every 1 s, queues of 2048 in batches of 512', () => {
    expect(sdk({})).toEqual({
      resourceAttributes: {},
      metricExport: { exportIntervalMillis: 60_000, exportTimeoutMillis: 30_000 },
      spanBatch: { scheduledDelayMillis: 5000, exportTimeoutMillis: 30_000, maxQueueSize: 2048, maxExportBatchSize: 512 },
      logBatch: { scheduledDelayMillis: 1000, exportTimeoutMillis: 30_000, maxQueueSize: 2048, maxExportBatchSize: 512 },
      propagators: ['tracecontext', 'baggage'],
      sdkLogLevel: undefined,
    });
  });

  it('count as unset when empty or blank, as the specification says', () => {
    expect(sdk({ OTEL_METRIC_EXPORT_INTERVAL: '', OTEL_BSP_SCHEDULE_DELAY: '  ', OTEL_RESOURCE_ATTRIBUTES: '', OTEL_SERVICE_NAME: ' ' })).toEqual(sdk({}));
  });
});

describe('OTEL_METRIC_EXPORT_INTERVAL and OTEL_METRIC_EXPORT_TIMEOUT', () => {
  it('are milliseconds', () => {
    expect(sdk({ OTEL_METRIC_EXPORT_INTERVAL: '10000', OTEL_METRIC_EXPORT_TIMEOUT: '5000' }).metricExport).toEqual({ exportIntervalMillis: 10_000, exportTimeoutMillis: 5000 });
  });

  it('cut the default timeout to an interval shorter than 30 s, as the SDK does', () => {
    expect(sdk({ OTEL_METRIC_EXPORT_INTERVAL: '200' }).metricExport).toEqual({ exportIntervalMillis: 200, exportTimeoutMillis: 200 });
  });

  it('stop the start when the timeout is set longer than the interval', () => {
    const error = refused({ OTEL_METRIC_EXPORT_INTERVAL: '10000', OTEL_METRIC_EXPORT_TIMEOUT: '20000' });
    expect(error.setting).toBe('OTEL_METRIC_EXPORT_TIMEOUT');
    expect(error.message).toMatch(/OTEL_METRIC_EXPORT_INTERVAL/);
  });
});

describe('OTEL_BSP_* and OTEL_BLRP_*', () => {
  it.each([
    ['OTEL_BSP', 'spanBatch'],
    ['OTEL_BLRP', 'logBatch'],
  ] as const)('%s_* set the %s', (prefix, key) => {
    expect(sdk({
      [`${prefix}_SCHEDULE_DELAY`]: '250',
      [`${prefix}_EXPORT_TIMEOUT`]: '10000',
      [`${prefix}_MAX_QUEUE_SIZE`]: '100',
      [`${prefix}_MAX_EXPORT_BATCH_SIZE`]: '100',
    })[key]).toEqual({ scheduledDelayMillis: 250, exportTimeoutMillis: 10_000, maxQueueSize: 100, maxExportBatchSize: 100 });
  });

  it('take a schedule delay of 0: export as soon as a span ends', () => {
    expect(sdk({ OTEL_BSP_SCHEDULE_DELAY: '0' }).spanBatch.scheduledDelayMillis).toBe(0);
  });

  it.each(['OTEL_BSP', 'OTEL_BLRP'])('%s: a batch larger than the queue stops the start (the SDK would shrink it with a warning)', (prefix) => {
    expect(refused({ [`${prefix}_MAX_QUEUE_SIZE`]: '100', [`${prefix}_MAX_EXPORT_BATCH_SIZE`]: '101' }).setting).toBe(`${prefix}_MAX_EXPORT_BATCH_SIZE`);
    expect(refused({ [`${prefix}_MAX_QUEUE_SIZE`]: '256' }).setting).toBe(`${prefix}_MAX_EXPORT_BATCH_SIZE`);
  });
});

describe('a number the SDK would warn about and ignore', () => {
  const DURATIONS = ['OTEL_METRIC_EXPORT_INTERVAL', 'OTEL_BSP_SCHEDULE_DELAY', 'OTEL_BLRP_SCHEDULE_DELAY'];
  const TIMEOUTS = ['OTEL_METRIC_EXPORT_TIMEOUT', 'OTEL_BSP_EXPORT_TIMEOUT', 'OTEL_BLRP_EXPORT_TIMEOUT'];
  const SIZES = ['OTEL_BSP_MAX_QUEUE_SIZE', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 'OTEL_BLRP_MAX_QUEUE_SIZE', 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE'];

  it.each([...DURATIONS, ...TIMEOUTS, ...SIZES].flatMap((name) => ['-1', '1.5', '5s', '1e3', '0x10', ' 100', 'soon', '2147483648'].map((value) => [name, value])))(
    'stops the start: %s=%j',
    (name, value) => {
      const error = refused({ [name]: value });
      expect(error.code).toBe('setting_invalid');
      expect(error.setting).toBe(name);
    },
  );

  it.each([...TIMEOUTS, 'OTEL_METRIC_EXPORT_INTERVAL', ...SIZES])('stops the start at 0: %s (a timeout of 0 would end every export at once, an interval of 0 is no interval, an empty queue holds nothing)', (name) => {
    expect(refused({ [name]: '0' }).setting).toBe(name);
  });

  it('takes the largest delay a Node timer can wait', () => {
    expect(sdk({ OTEL_METRIC_EXPORT_INTERVAL: '2147483647' }).metricExport.exportIntervalMillis).toBe(2_147_483_647);
  });
});

describe('OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME', () => {
  it('read key=value pairs separated by commas, spaces trimmed, percent-escapes decoded', () => {
    expect(sdk({ OTEL_RESOURCE_ATTRIBUTES: ' deployment.environment.name=prod , team=platform%2C%20identity,formula=a%3Db,note=caf%C3%A9,empty=' }).resourceAttributes).toEqual({
      'deployment.environment.name': 'prod',
      team: 'platform, identity',
      formula: 'a=b',
      note: 'café',
      empty: '',
    });
  });

  it('set service.name; OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES, as the specification says', () => {
    expect(sdk({ OTEL_SERVICE_NAME: 'mcp-graph' }).resourceAttributes).toEqual({ 'service.name': 'mcp-graph' });
    expect(sdk({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes,service.namespace=tools' }).resourceAttributes).toEqual({ 'service.name': 'from-attributes', 'service.namespace': 'tools' });
    expect(sdk({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes,service.namespace=tools', OTEL_SERVICE_NAME: 'mcp-graph' }).resourceAttributes)
      .toEqual({ 'service.name': 'mcp-graph', 'service.namespace': 'tools' });
  });

  it.each([
    ['an entry without =', 'team=platform,Secr3tValue'],
    ['an unencoded = in a value', 'token=abc=Secr3tValue'],
    ['an empty key', '=Secr3tValue'],
    ['a bad percent-escape', 'team=Secr3tValue%zz'],
    ['a value over 255 characters', `team=Secr3tValue${'x'.repeat(250)}`],
    ['a key over 255 characters', `${'k'.repeat(256)}=Secr3tValue`],
  ])('stop the start on %s, where the SDK would drop them all, naming the entry but not its text', (_label, value) => {
    const error = refused({ OTEL_RESOURCE_ATTRIBUTES: value });
    expect(error.setting).toBe('OTEL_RESOURCE_ATTRIBUTES');
    expect(error.message).toMatch(/entry \d/);
    expect(error.message).not.toContain('Secr3tValue');
  });

  it('stop the start on a service name over 255 characters', () => {
    expect(refused({ OTEL_SERVICE_NAME: 'n'.repeat(256) }).setting).toBe('OTEL_SERVICE_NAME');
  });
});

describe('OTEL_PROPAGATORS', () => {
  it.each([
    ['tracecontext', ['tracecontext']],
    ['baggage, tracecontext, baggage', ['tracecontext', 'baggage']],
    ['none', []],
    ['tracecontext,none', []],
  ])('%j: %j', (value, expected) => {
    expect(sdk({ OTEL_PROPAGATORS: value }).propagators).toEqual(expected);
  });

  it.each(['b3', 'tracecontext,jaeger', 'xray', 'TraceContext', 'w3c'])('stops the start at %j: requests arrive with W3C Trace Context alone (and the SDK compares names as written)', (value) => {
    expect(refused({ OTEL_PROPAGATORS: value }).setting).toBe('OTEL_PROPAGATORS');
  });
});

describe('OTEL_LOG_LEVEL', () => {
  it.each([['debug', 'debug'], ['WARN', 'warn'], ['None', 'none']])('%j: the SDK\'s diagnostics at %s', (value, level) => {
    expect(sdk({ OTEL_LOG_LEVEL: value }).sdkLogLevel).toBe(level);
  });

  it.each(['loud', 'warning', ' debug'])('stops the start at %j (the SDK would fall back to info)', (value) => {
    expect(refused({ OTEL_LOG_LEVEL: value }).setting).toBe('OTEL_LOG_LEVEL');
  });
});

describe('while OTEL_SDK_DISABLED=true', () => {
  it('a bad SDK setting still stops the start: it must not wait until telemetry is turned on', () => {
    expect(refused({ OTEL_SDK_DISABLED: 'true', OTEL_BSP_SCHEDULE_DELAY: '5s' }).setting).toBe('OTEL_BSP_SCHEDULE_DELAY');
  });
});

describe('standard settings the server does not take', () => {
  it.each(Object.keys(UNSUPPORTED_SETTINGS))('%s, which the SDK or the distro would read for one exporter and not the other, stops the start when set', (name) => {
    const error = refused({ [name]: '64' });
    expect(error.setting).toBe(name);
    expect(error.message).toMatch(/not supported/);
    expect(sdk({ [name]: ' ' })).toEqual(sdk({}));
  });

  it.each(['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL'])('%s other than the general protocol stops the start; the same one is fine', (name) => {
    expect(refused({ [name]: 'http/json' }).setting).toBe(name);
    expect(refused({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', [name]: 'grpc' }).setting).toBe(name);
    expect(() => parseConfig({ ...DEV, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', [name]: 'http/json' })).not.toThrow();
    expect(() => parseConfig({ ...DEV, [name]: 'http/protobuf' })).not.toThrow();
  });

  it('are refused while OTEL_SDK_DISABLED=true too', () => {
    expect(refused({ OTEL_SDK_DISABLED: 'true', OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '16' }).setting).toBe('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT');
  });
});
