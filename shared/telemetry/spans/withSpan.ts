// Runs an async operation inside a span: attributes sanitized before export, typed error codes, ended whatever happens.
import { INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, trace, type AttributeValue, type Span } from '@opentelemetry/api';
import { ATTR } from '../attributes/names.js';
import { errorFacts, type ErrorFacts } from '../attributes/errorFacts.js';
import { telemetryActive } from '../start/activation.js';
import { serverTracer } from './tracer.js';

export type SpanAttributes = Readonly<Record<string, AttributeValue | undefined>>;

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: SpanAttributes;
}

/** What a caller gets while telemetry is off: accepts everything, records nothing. */
export const NOOP_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Marks a span failed: `error.type`, `onbehalf.error.code` and the status message get the typed code, and a Graph
 * failure Graph's own error code. Never the error's message: Graph's and Entra's texts echo search terms, item
 * names and paths. Only unexpected failures (no typed code) are recorded as exceptions, with their stack.
 */
export function markFailed(span: Span, error: unknown, facts: ErrorFacts = errorFacts(error)): void {
  span.setAttributes({ [ATTR.errorType]: facts.code, [ATTR.errorCode]: facts.code, [ATTR.graphErrorCode]: facts.graphCode });
  span.setStatus({ code: SpanStatusCode.ERROR, message: facts.code });
  if (!facts.typed && error instanceof Error) span.recordException(error);
}

/**
 * True inside a span of ours that is not recorded (its trace was not sampled): a span started there would be an
 * orphan no exporter sends, so none is started and no context is entered; metrics and records are made as ever. A
 * remote parent (a caller's or the Functions host's traceparent) is never recorded here, and is not such a span.
 */
export function insideUnrecordedSpan(): boolean {
  const parent = trace.getActiveSpan();
  return parent !== undefined && !parent.isRecording() && parent.spanContext().isRemote !== true;
}

/**
 * Runs `fn` in a new active span named `name` (a low-cardinality name: never an id). A throw marks the span
 * failed and is rethrown unchanged. While telemetry is off, `fn` runs at once with a span that records nothing.
 * Attributes are sanitized once, as the span ends (`RedactingSpanProcessor`, ahead of every exporter): a span the
 * sampler drops costs no filtering, and an attribute set twice is filtered once.
 */
export async function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!telemetryActive() || insideUnrecordedSpan()) return fn(NOOP_SPAN);
  return serverTracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes !== undefined && { attributes: options.attributes }) }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Sets attributes on a recording span (unset values skipped); the sanitizer sees them as the span ends, with every other. */
export function setSpanAttributes(span: Span, attributes: SpanAttributes): void {
  if (span.isRecording()) span.setAttributes(attributes);
}
