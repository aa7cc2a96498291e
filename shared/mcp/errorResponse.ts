// The one place a failure on the HTTP path becomes an answer: auth challenges, transport refusals, or a 500 with a correlation id.
import { randomUUID } from 'node:crypto';
import { AuthError, type AuthErrorCode } from '../auth/authError.js';
import { challenge, type ChallengeOptions } from '../auth/challenge.js';
import { HttpError, type HttpErrorCode } from '../http/httpError.js';
import { httpErrorResponse, jsonRpcErrorResponse } from '../http/jsonRpcError.js';
import type { LogThrottle } from '../log/logThrottle.js';
import { redact, type Logger } from '../log/logger.js';
import { sanitizeForLog, UNVERIFIED_LOG_CHARS } from '../log/sanitize.js';
import { activeTraceId } from '../telemetry/spans/traceContext.js';

// What the refused-request budget counts: tokens no issuer signed (forged, malformed, of another algorithm or
// key) and requests for a host or origin we do not serve. Not a missing token: that is how every client's
// sign-in starts. Nor a token Entra genuinely signed but refused for its claims (expired, not yet valid,
// another audience, tenant or scope): its 401 challenge is what makes a client refresh, and one address may
// be a NAT, Front Door or a gateway whose users must not get 429 without a challenge because someone behind
// it sent garbage. Sending the challenge with the 429 instead would not help: clients refresh on 401.
const BUDGETED_REFUSALS: ReadonlySet<AuthErrorCode | HttpErrorCode> = new Set<AuthErrorCode | HttpErrorCode>([
  'token_malformed', 'token_too_large', 'algorithm_not_allowed', 'key_unknown', 'signature_invalid',
  'host_invalid', 'host_not_allowed', 'origin_not_allowed',
]);

/** Whether `error` refused a forged or malformed token, or a host or origin we do not serve: what the refused-request budget counts. */
export function countsAgainstRefusalBudget(error: unknown): boolean {
  return (error instanceof AuthError || error instanceof HttpError) && BUDGETED_REFUSALS.has(error.code);
}

/**
 * The answer to `error`, carrying `challengeOptions.requestId` as its id when the request's id is known. Refusals
 * are logged through `throttle` (a bucket per code), so a flood of them cannot fill the logs; what they log of the
 * unverified token is cleaned and bounded. An internal error quotes `correlationId`, the request's own.
 */
export function errorResponse(error: unknown, log: Logger, challengeOptions: ChallengeOptions, throttle?: LogThrottle, correlationId: string = randomUUID()): Response {
  const id = challengeOptions.requestId ?? null;
  if (error instanceof AuthError) {
    if (throttle?.admit(error.code, log) ?? true) {
      // The tenant comes from a token that failed verification: it is whatever the caller wrote.
      const tenant = error.tenantId === undefined ? undefined : sanitizeForLog(error.tenantId, UNVERIFIED_LOG_CHARS);
      // The client app is from a verified token (only `client_app_not_allowed` carries one): what an operator allows next.
      log.warn('caller refused', { code: error.code, tenant, jti: error.jtiHash, ...(error.clientAppId !== undefined && { clientApp: sanitizeForLog(error.clientAppId, UNVERIFIED_LOG_CHARS) }) });
    }
    return challenge(error, challengeOptions);
  }
  if (error instanceof HttpError) {
    if (throttle?.admit(error.code, log) ?? true) log.info('request refused', { code: error.code, status: error.status });
    return httpErrorResponse(error, id);
  }
  // The request span carries the correlation id, so the id a user quotes leads to the trace.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  log.error('request failed', { correlationId, traceId: activeTraceId(), error: redact(detail) });
  return jsonRpcErrorResponse({
    status: 500,
    rpcCode: -32603,
    message: `Internal error (correlation id ${correlationId}); try again, and quote the id if it persists`,
    data: { code: 'internal_error', correlationId },
    id,
  });
}
