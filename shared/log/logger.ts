// The narrow logging interface shared code writes to, and the redaction every log line passes.
import { sanitizeForLog } from './sanitize.js';

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

// Three base64url segments, the first starting like a JSON header: a JWT, signed or not.
const JWT_SHAPED = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[^\s"',]+/gi;

/** Removes anything token-shaped from a string before it is logged or shown. */
export function redact(text: string): string {
  return text.replace(JWT_SHAPED, '[redacted-jwt]').replace(BEARER, '$1 [redacted]');
}

/** No log field is longer, whatever put it there (error messages can quote what a caller sent). */
export const MAX_LOG_FIELD_CHARS = 1024;

// Redacted before it is cut, so a cut can never leave the head of a token behind.
const clean = (text: string): string => sanitizeForLog(redact(text), MAX_LOG_FIELD_CHARS);

function cleanFields(fields: LogFields | undefined): LogFields | undefined {
  if (fields === undefined) return undefined;
  const cleaned: Record<string, string | number | boolean | undefined> = {};
  for (const [key, value] of Object.entries(fields)) cleaned[key] = typeof value === 'string' ? clean(value) : value;
  return cleaned;
}

/** Wraps a sink so every message and field is redacted, cleaned of control characters and bounded on the way out. */
export function createRedactingLogger(sink: Logger): Logger {
  return {
    info: (message, fields) => sink.info(clean(message), cleanFields(fields)),
    warn: (message, fields) => sink.warn(clean(message), cleanFields(fields)),
    error: (message, fields) => sink.error(clean(message), cleanFields(fields)),
  };
}

/** A logger that prints one JSON line per event to the console. */
export function createConsoleLogger(): Logger {
  const line = (level: string, message: string, fields?: LogFields) =>
    JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  return createRedactingLogger({
    info: (message, fields) => console.log(line('info', message, fields)),
    warn: (message, fields) => console.warn(line('warn', message, fields)),
    error: (message, fields) => console.error(line('error', message, fields)),
  });
}

/** Discards everything; for callers that have nowhere to log. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
