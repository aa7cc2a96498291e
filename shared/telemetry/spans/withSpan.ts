// Runs an async operation inside a span: sanitized attributes, typed error codes, ended whatever happens.
import { INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, trace, type AttributeValue, type Span } from '@opentelemetry/api';
import { ATTR } from '../attributes/names.js';
import { errorFacts, type ErrorFacts } from '../attributes/errorFacts.js';
import { sanitizeAttributes } from '../attributes/sanitize.js';
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
  span.setAttributes(sanitizeAttributes({ [ATTR.errorType]: facts.code, [ATTR.errorCode]: facts.code, [ATTR.graphErrorCode]: facts.graphCode }));
  span.setStatus({ code: SpanStatusCode.ERROR, message: facts.code });
  if (!facts.typed && error instanceof Error) span.recordException(error);
}

/**
 * Runs `fn` in a new active span named `name` (a low-cardinality name: never an id). A throw marks the span
 * failed and is rethrown unchanged. While telemetry is off, `fn` runs at once with a span that records nothing.
 */
export async function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!telemetryActive()) return fn(NOOP_SPAN);
  const attributes = sanitizeAttributes(options.attributes ?? {});
  return serverTracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes }, async (span) => {
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

/** Sets attributes on a span through the same sanitizer as every other attribute. */
export function setSpanAttributes(span: Span, attributes: SpanAttributes): void {
  if (span.isRecording()) span.setAttributes(sanitizeAttributes(attributes));
}
