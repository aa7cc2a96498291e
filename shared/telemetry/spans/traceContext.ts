// Where a request's trace comes from (the Functions host or a traceparent header), and its trace id.
import { context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { telemetryActive } from '../start/activation.js';

/** W3C Trace Context as the Functions host hands it over (`InvocationContext.traceContext`) or as headers carry it. */
export interface RemoteParent {
  readonly traceParent?: string | null | undefined;
  readonly traceState?: string | null | undefined;
}

/**
 * Runs `fn` with the remote span as parent of every span `fn` starts, so the server's spans join the trace
 * the Functions host (or the caller, locally) began. Without telemetry, or without a valid traceparent,
 * `fn` runs as is.
 */
export function withRemoteParent<T>(parent: RemoteParent | undefined, fn: () => T): T {
  const traceparent = parent?.traceParent;
  if (!telemetryActive() || typeof traceparent !== 'string' || traceparent === '') return fn();
  const carrier: Record<string, string> = { traceparent };
  if (typeof parent?.traceState === 'string' && parent.traceState !== '') carrier['tracestate'] = parent.traceState;
  return context.with(propagation.extract(context.active(), carrier), fn);
}

/**
 * The trace id of the active span; undefined outside a recorded trace (and always while telemetry is off). A
 * caller's traceparent may have chosen it (the Functions host continues it too): it sits beside the server's own
 * correlation id, never in its place.
 */
export function activeTraceId(): string | undefined {
  if (!telemetryActive()) return undefined;
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
