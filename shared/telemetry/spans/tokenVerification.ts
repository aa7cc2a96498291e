// The span of verifying the caller's bearer token; on success the request learns who called.
import { SpanKind, trace } from '@opentelemetry/api';
import { ATTR } from '../attributes/names.js';
import { telemetryActive } from '../start/activation.js';
import { currentMcpRequest, type CallerIds } from './mcpRequest.js';
import { setSpanAttributes, withSpan } from './withSpan.js';

/**
 * Runs `verify` in a `verify token` span; a failure's typed code (`token_expired`, ...) becomes its
 * `error.type`, and a verified caller's tenant and object id go on the request's span.
 */
export async function traceTokenVerification<T extends { readonly identity: CallerIds }>(verify: () => Promise<T>): Promise<T> {
  return withSpan('verify token', { kind: SpanKind.INTERNAL }, async () => {
    const caller = await verify();
    currentMcpRequest().caller(caller.identity);
    return caller;
  });
}

/** Called inside the verifier: whether the verified-token cache answered (no signature check, no JWKS). */
export function noteTokenCacheHit(hit: boolean): void {
  if (!telemetryActive()) return;
  const span = trace.getActiveSpan();
  if (span !== undefined) setSpanAttributes(span, { [ATTR.authCached]: hit });
}
