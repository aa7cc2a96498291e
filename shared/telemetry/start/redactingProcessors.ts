// Span and log record processors that pass everything through the sanitizer before any exporter sees it.
import type { AttributeValue } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { sanitizeValue, scrubText, WITHHELD } from '../attributes/sanitize.js';

function isAttributeValue(value: unknown): value is AttributeValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  return Array.isArray(value) && value.every((item) => item === null || item === undefined || ['string', 'number', 'boolean'].includes(typeof item));
}

/** Nested values (maps, bytes) are never what this server emits: withheld rather than inspected. */
function clean(key: string, value: unknown): AttributeValue {
  return isAttributeValue(value) ? sanitizeValue(key, value) : WITHHELD;
}

function cleanInPlace(attributes: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) attributes[key] = clean(key, value);
  }
}

/**
 * Runs as a span ends, before any processor exports it: whatever set an attribute, named the span,
 * recorded an event or an exception, or wrote a status message, the exporters only see sanitized values.
 */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnding(span: Span): void {
    cleanInPlace(span.attributes);
    span.updateName(scrubText(span.name));
    for (const event of span.events) if (event.attributes !== undefined) cleanInPlace(event.attributes);
    if (span.status.message !== undefined) span.setStatus({ code: span.status.code, message: scrubText(span.status.message) });
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Placed first among the log record processors: every record is sanitized before it is batched or exported. */
export class RedactingLogRecordProcessor implements LogRecordProcessor {
  onEmit(record: SdkLogRecord): void {
    for (const [key, value] of Object.entries(record.attributes)) {
      if (value !== undefined && value !== null) record.setAttribute(key, clean(key, value));
    }
    if (typeof record.body === 'string') record.setBody(scrubText(record.body));
    else if (record.body !== undefined && record.body !== null) record.setBody(WITHHELD);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
