// With telemetry off every helper runs the operation as is, records nothing, and there is no trace id to quote.
import { metrics, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { createTelemetryLogger, emitRecord } from '../../shared/telemetry/logs/telemetryLogger.js';
import { recordAuditUnwritten } from '../../shared/telemetry/metrics/recorders.js';
import { noteGraphResponse, traceGraphRequest } from '../../shared/telemetry/spans/graphRequest.js';
import { currentMcpRequest, noteToolCall, traceMcpRequest } from '../../shared/telemetry/spans/mcpRequest.js';
import { traceOboExchange } from '../../shared/telemetry/spans/oboExchange.js';
import { traceTableOperation } from '../../shared/telemetry/spans/tableOperation.js';
import { activeTraceId, withRemoteParent } from '../../shared/telemetry/spans/traceContext.js';
import { withSpan } from '../../shared/telemetry/spans/withSpan.js';
import { telemetryActive } from '../../shared/telemetry/start/activation.js';
import { startTelemetry } from '../../shared/telemetry/start/startTelemetry.js';
import { CALLER, toolCall, TOOLS } from './simulatedRequest.js';

describe('telemetry off', () => {
  it('is what no setting gives: startTelemetry resolves with no exporter and installs nothing', async () => {
    const handle = await startTelemetry(parseConfig({ MCP_DEV_MODE: '1' }).telemetry, 'test');
    expect(handle.exporters).toEqual([]);
    expect(handle.failure).toBeUndefined();
    expect(telemetryActive()).toBe(false);
    expect(trace.getTracer('probe').startSpan('x').isRecording()).toBe(false);
    expect(metrics.getMeterProvider().constructor.name).toMatch(/Noop/);
  });

  it('runs every operation unchanged, results and errors alike', async () => {
    const response = await withRemoteParent({ traceParent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, () =>
      traceMcpRequest({ httpMethod: 'POST' }, async (request) => {
        request.caller(CALLER);
        request.message(toolCall('list_events'), '2025-06-18', TOOLS);
        currentMcpRequest().fail(new Error('not recorded'));
        const inner = await withSpan('x', {}, async (span) => {
          expect(span.isRecording()).toBe(false);
          return 41;
        });
        const token = await traceOboExchange(CALLER, ['User.Read'], async (obo) => {
          obo.cacheHit(true);
          return 'token';
        });
        await traceGraphRequest({ method: 'GET', url: '/me', baseUrl: 'https://graph.microsoft.com' }, async () => noteGraphResponse(200, undefined));
        await expect(traceTableOperation('t', 'getEntity', async () => {
          throw new Error('boom');
        })).rejects.toThrow('boom');
        noteToolCall('list_events', TOOLS, { isError: false });
        emitRecord('info', 'nothing');
        createTelemetryLogger().warn('nothing');
        recordAuditUnwritten('send_mail', TOOLS, new Error('x'));
        return new Response(`${inner + 1} ${token}`, { status: 200 });
      }));
    expect(await response.text()).toBe('42 token');
  });

  it('has no trace id, inside a span or not, even under a caller\'s traceparent', async () => {
    expect(activeTraceId()).toBeUndefined();
    expect(await withSpan('x', {}, async () => activeTraceId())).toBeUndefined();
    expect(await withRemoteParent({ traceParent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, async () => activeTraceId())).toBeUndefined();
  });
});
