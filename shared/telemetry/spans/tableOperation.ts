// The span of one Table Storage operation; only real failures (not 404, 409, 412) count as failures.
import { SpanKind, type Span } from '@opentelemetry/api';
import { errorFacts } from '../attributes/errorFacts.js';
import { ATTR } from '../attributes/names.js';
import { recordTableFailure } from '../metrics/recorders.js';
import { telemetryActive } from '../start/activation.js';
import { serverTracer } from './tracer.js';
import { insideUnrecordedSpan, markFailed, NOOP_SPAN, setSpanAttributes } from './withSpan.js';

// Answers a caller expects and handles: a missing row, a lost optimistic-concurrency race.
const EXPECTED_STATUS = new Set([404, 409, 412]);
const EXPECTED_CODES = new Set(['not_found', 'conflict']);

/**
 * Runs one Table Storage call in a CLIENT span named `{operation} {table}` (e.g. `getEntity onbehalfRateLimits`).
 * A 404/409/412 answer is recorded as `db.response.status_code` and rethrown; anything else marks the span
 * failed and counts in `onbehalf.table.failures`.
 */
export async function traceTableOperation<T>(table: string, operation: string, run: () => Promise<T>): Promise<T> {
  if (!telemetryActive()) return run();
  if (insideUnrecordedSpan()) {
    try {
      return await run();
    } catch (error) {
      countFailure(table, operation, error, NOOP_SPAN);
      throw error;
    }
  }
  return serverTracer().startActiveSpan(`${operation} ${table}`, {
    kind: SpanKind.CLIENT,
    attributes: { [ATTR.dbSystemName]: 'azure.tables', [ATTR.dbCollectionName]: table, [ATTR.dbOperationName]: operation },
  }, async (span) => {
    try {
      return await run();
    } catch (error) {
      countFailure(table, operation, error, span);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A 404/409/412 answer goes on the span as its status; anything else marks it failed and is counted. */
function countFailure(table: string, operation: string, error: unknown, span: Span): void {
  const facts = errorFacts(error);
  if (facts.status !== undefined) setSpanAttributes(span, { [ATTR.dbResponseStatusCode]: String(facts.status) });
  if (!(facts.status !== undefined && EXPECTED_STATUS.has(facts.status)) && !EXPECTED_CODES.has(facts.code)) {
    if (span.isRecording()) markFailed(span, error, facts);
    recordTableFailure(table, operation, facts.typed || facts.status === undefined ? facts.code : String(facts.status));
  }
}
