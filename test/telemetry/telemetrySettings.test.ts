// The telemetry settings: Azure Monitor, OTLP, both or neither, and a bad value named at start, never echoed.
import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../shared/config/configError.js';
import { parseConfig, type Env } from '../../shared/config/parseConfig.js';
import { configRefusal } from '../support/configRefusal.js';

const DEV: Env = { MCP_DEV_MODE: '1' };
const IKEY = '00000000-1111-4222-8333-444444444444';
const CONNECTION = `InstrumentationKey=${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/`;
const IDENTITY = '99999999-8888-4777-8666-555555555555';

const refused = (env: Env): ConfigError => configRefusal({ ...DEV, ...env });

describe('telemetry settings', () => {
  it('are off by default', () => {
    expect(parseConfig(DEV).telemetry).toMatchObject({ azureMonitor: undefined, otlp: undefined, sampler: { name: 'parentbased_traceidratio', arg: 0.1 } });
  });

  it('send to Application Insights with the managed identity infra/ sets', () => {
    const telemetry = parseConfig({ ...DEV, APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${IDENTITY.toUpperCase()};Authorization=AAD` }).telemetry;
    expect(telemetry).toMatchObject({ azureMonitor: { connectionString: CONNECTION, managedIdentity: { clientId: IDENTITY } }, otlp: undefined, sampler: { name: 'parentbased_traceidratio', arg: 0.1 } });
  });

  it('use a system-assigned identity for Authorization=AAD alone, and the key without an authentication string', () => {
    expect(parseConfig({ ...DEV, APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' }).telemetry.azureMonitor?.managedIdentity).toEqual({ clientId: undefined });
    expect(parseConfig({ ...DEV, APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }).telemetry.azureMonitor?.managedIdentity).toBeUndefined();
  });

  it('send over OTLP/HTTP, protobuf unless told JSON, and to both when both are set', () => {
    expect(parseConfig({ ...DEV, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }).telemetry.otlp).toMatchObject({
      traces: 'http://localhost:4318/v1/traces', metrics: 'http://localhost:4318/v1/metrics', logs: 'http://localhost:4318/v1/logs', protocol: 'http/protobuf',
    });
    const both = parseConfig({ ...DEV, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }).telemetry;
    expect(both.otlp?.protocol).toBe('http/json');
    expect(both.azureMonitor?.connectionString).toBe(CONNECTION);
  });

  it('are all off with OTEL_SDK_DISABLED=true', () => {
    const env = { ...DEV, OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318', APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION };
    expect(parseConfig(env).telemetry).toMatchObject({ azureMonitor: undefined, otlp: undefined, sampler: { name: 'parentbased_traceidratio', arg: 0.1 } });
    expect(parseConfig({ ...env, OTEL_SDK_DISABLED: 'false' }).telemetry.otlp).toBeDefined();
  });

  it.each([
    ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'IngestionEndpoint=https://example.com/'],
    ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'InstrumentationKey=not-a-guid-Secr3tValue'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'localhost:4318'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'ftp://collector'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'],
    ['OTEL_SDK_DISABLED', 'yes'],
  ])('refuse %s=%s, naming the setting but not the value', (setting, value) => {
    const error = refused({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, [setting]: value });
    expect(error.code).toBe('setting_invalid');
    expect(error.setting).toBe(setting);
    expect(error.message).not.toContain(value);
  });

  it('honour the per-signal endpoints as the OTLP specification says: used as given, ahead of the general one', () => {
    expect(parseConfig({ ...DEV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.com/custom/traces' }).telemetry.otlp).toMatchObject({
      traces: 'https://collector.example.com/custom/traces', metrics: undefined, logs: undefined, protocol: 'http/protobuf',
    });
    expect(parseConfig({ ...DEV, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.com/base/', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://logs.example.com/in' }).telemetry.otlp).toMatchObject({
      traces: 'https://collector.example.com/base/v1/traces', metrics: 'https://collector.example.com/base/v1/metrics', logs: 'https://logs.example.com/in', protocol: 'http/protobuf',
    });
  });

  it.each([
    'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
  ])('refuse %s with a user name or password in it, or plain http to a host that is not loopback', (setting) => {
    for (const value of ['https://user:Secr3tPass@collector.example.com', 'https://token@collector.example.com', 'http://collector.example.com:4318', 'http://10.0.0.4:4318']) {
      const error = refused({ [setting]: value });
      expect(error.setting).toBe(setting);
      expect(error.message).not.toContain('Secr3tPass');
    }
    for (const value of ['http://localhost:4318', 'http://127.0.0.1:4318', 'http://[::1]:4318', 'https://collector.example.com']) {
      expect(parseConfig({ ...DEV, [setting]: value }).telemetry.otlp).toBeDefined();
    }
  });

  it.each([
    ['plain http', 'http://westeurope-5.in.applicationinsights.azure.com/'],
    ['credentials', 'https://user:Secr3tPass@westeurope-5.in.applicationinsights.azure.com/'],
  ])('refuse an Application Insights IngestionEndpoint with %s', (_label, ingestion) => {
    const error = refused({ APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${IKEY};IngestionEndpoint=${ingestion}` });
    expect(error.setting).toBe('APPLICATIONINSIGHTS_CONNECTION_STRING');
    expect(error.message).toMatch(/IngestionEndpoint/);
    expect(error.message).not.toContain('Secr3tPass');
    expect(refused({ APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${IKEY};LiveEndpoint=${ingestion}` }).message).toMatch(/LiveEndpoint/);
  });

  it('take an IngestionEndpoint over plain http on loopback (a local stand-in)', () => {
    expect(parseConfig({ ...DEV, APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${IKEY};IngestionEndpoint=http://127.0.0.1:4319/` }).telemetry.azureMonitor).toBeDefined();
  });

  it.each([
    ['parentbased_always_on', undefined, { name: 'parentbased_always_on', arg: undefined }],
    ['ALWAYS_OFF', undefined, { name: 'always_off', arg: undefined }],
    ['traceidratio', '0.25', { name: 'traceidratio', arg: 0.25 }],
    ['parentbased_traceidratio', undefined, { name: 'parentbased_traceidratio', arg: 1 }],
    ['trace_id_ratio', '0', { name: 'traceidratio', arg: 0 }],
    ['always_on', 'ignored', { name: 'always_on', arg: undefined }],
  ])('take the standard OTEL_TRACES_SAMPLER=%s (ARG %s)', (name, arg, sampler) => {
    expect(parseConfig({ ...DEV, OTEL_TRACES_SAMPLER: name, ...(arg !== undefined && { OTEL_TRACES_SAMPLER_ARG: arg }) }).telemetry.sampler).toEqual(sampler);
  });

  it('take Application Insights\' own samplers with its connection string only', () => {
    expect(parseConfig({ ...DEV, APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, OTEL_TRACES_SAMPLER: 'microsoft.rate_limited', OTEL_TRACES_SAMPLER_ARG: '5' }).telemetry.sampler).toEqual({ name: 'microsoft.rate_limited', arg: 5 });
    expect(refused({ OTEL_TRACES_SAMPLER: 'microsoft.fixed_percentage' }).setting).toBe('OTEL_TRACES_SAMPLER');
  });

  it.each([
    ['OTEL_TRACES_SAMPLER', { OTEL_TRACES_SAMPLER: 'jaeger_remote' }],
    ['OTEL_TRACES_SAMPLER', { OTEL_TRACES_SAMPLER: 'sometimes' }],
    ['OTEL_TRACES_SAMPLER_ARG', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }],
    ['OTEL_TRACES_SAMPLER_ARG', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }],
    ['OTEL_TRACES_SAMPLER_ARG', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '-0.1' }],
    ['OTEL_TRACES_SAMPLER_ARG', { OTEL_TRACES_SAMPLER_ARG: '2' }],
  ])('refuse a sampler the server would not apply as written: %s in %j', (setting, env) => {
    expect(refused(env).setting).toBe(setting);
  });

  it.each(['Authorization=Key', 'ClientId=abc;Authorization=AAD', 'garbage'])('refuse APPLICATIONINSIGHTS_AUTHENTICATION_STRING=%s', (value) => {
    const error = refused({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION, APPLICATIONINSIGHTS_AUTHENTICATION_STRING: value });
    expect(error.setting).toBe('APPLICATIONINSIGHTS_AUTHENTICATION_STRING');
  });
});
