// Entra's error answers: the AADSTS code and text in the description, the ids, and suberror or claims where Entra sends them.
import { randomUUID } from 'node:crypto';
import { json, type Answer } from './answer.js';

/** An OAuth error as Entra words it; thrown by the endpoints, turned into JSON or redirect parameters at the edge. */
export class EntraError extends Error {
  constructor(
    /** HTTP status when answered as JSON (token endpoint). */
    readonly status: number,
    /** The OAuth `error` value clients branch on. */
    readonly error: string,
    readonly aadsts: number,
    readonly text: string,
    /** `suberror`, `claims`, `error_subcode`... */
    readonly extra: Readonly<Record<string, string>> = {},
  ) {
    super(`AADSTS${aadsts}: ${text}`);
    this.name = 'EntraError';
  }
}

export interface ErrorIds {
  readonly traceId: string;
  readonly correlationId: string;
  /** Entra's format: `2026-11-21 10:04:05Z`. */
  readonly timestamp: string;
}

export function errorIds(now = Date.now()): ErrorIds {
  return { traceId: randomUUID(), correlationId: randomUUID(), timestamp: new Date(now).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') };
}

function description(error: EntraError, ids: ErrorIds): string {
  return `${error.message} Trace ID: ${ids.traceId} Correlation ID: ${ids.correlationId} Timestamp: ${ids.timestamp}`;
}

/** The token endpoint's error body. */
export function entraErrorAnswer(error: EntraError, headers: Record<string, string> = {}, now = Date.now()): Answer {
  const ids = errorIds(now);
  return json(error.status, {
    error: error.error,
    error_description: description(error, ids),
    error_codes: [error.aadsts],
    timestamp: ids.timestamp,
    trace_id: ids.traceId,
    correlation_id: ids.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
    ...error.extra,
  }, headers);
}

/** The parameters an authorization error sends to the client's redirect URI. */
export function entraErrorParams(error: EntraError, now = Date.now()): Record<string, string> {
  return { error: error.error, error_description: description(error, errorIds(now)), ...error.extra };
}
