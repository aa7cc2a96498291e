// The one place a failure on the HTTP path becomes an answer: auth challenges, transport refusals, or a 500 with a correlation id.
import { randomUUID } from 'node:crypto';
import { AuthError } from '../auth/authError.js';
import { challenge, type ChallengeOptions } from '../auth/challenge.js';
import { HttpError } from '../http/httpError.js';
import { httpErrorResponse, jsonRpcErrorResponse } from '../http/jsonRpcError.js';
import { redact, type Logger } from '../log/logger.js';

export function errorResponse(error: unknown, log: Logger, challengeOptions: ChallengeOptions): Response {
  if (error instanceof AuthError) {
    log.warn('caller refused', { code: error.code, tenant: error.tenantId, jti: error.jtiHash });
    return challenge(error, challengeOptions);
  }
  if (error instanceof HttpError) {
    log.info('request refused', { code: error.code, status: error.status });
    return httpErrorResponse(error);
  }
  const correlationId = randomUUID();
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  log.error('request failed', { correlationId, error: redact(detail) });
  return jsonRpcErrorResponse({
    status: 500,
    rpcCode: -32603,
    message: `Internal error (correlation id ${correlationId}); try again, and quote the id if it persists`,
    data: { code: 'internal_error', correlationId },
  });
}
