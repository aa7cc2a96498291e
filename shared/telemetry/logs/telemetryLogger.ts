// Structured log records (custom dimensions, not JSON in a message), through the same filter as span attributes.
import { context, type AttributeValue } from '@opentelemetry/api';
import { logs, SeverityNumber, type Logger as RecordLogger, type LoggerProvider } from '@opentelemetry/api-logs';
import type { LogFields, Logger } from '../../log/logger.js';
import { SCOPE_NAME } from '../attributes/names.js';
import { telemetryActive } from '../start/activation.js';

export type RecordLevel = 'info' | 'warn' | 'error';

const SEVERITY: Record<RecordLevel, SeverityNumber> = { info: SeverityNumber.INFO, warn: SeverityNumber.WARN, error: SeverityNumber.ERROR };

let cached: { readonly provider: LoggerProvider; readonly logger: RecordLogger } | undefined;

function recordLogger(): RecordLogger {
  const provider = logs.getLoggerProvider();
  if (cached?.provider !== provider) cached = { provider, logger: provider.getLogger(SCOPE_NAME) };
  return cached.logger;
}

/** The fields that are set: a record carries only those. */
function setFields(fields: LogFields): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) attributes[key] = value;
  }
  return attributes;
}

/**
 * Emits one log record: `message` is its body (keep it a fixed phrase; the queries match on it), `fields`
 * its attributes. The record is tied to the active span. `RedactingLogRecordProcessor`, first among the
 * processors, redacts tokens and withholds UPN-shaped text and user-content fields, once, before anything
 * batches or exports the record. Nothing happens while telemetry is off.
 */
export function emitRecord(level: RecordLevel, message: string, fields: LogFields = {}): void {
  if (!telemetryActive()) return;
  recordLogger().emit({
    severityNumber: SEVERITY[level],
    severityText: level.toUpperCase(),
    body: message,
    attributes: setFields(fields),
    context: context.active(),
  });
}

/** A `Logger` whose lines become log records; what the Functions adapter uses while telemetry is on. */
export function createTelemetryLogger(): Logger {
  return {
    info: (message, fields) => emitRecord('info', message, fields),
    warn: (message, fields) => emitRecord('warn', message, fields),
    error: (message, fields) => emitRecord('error', message, fields),
  };
}
