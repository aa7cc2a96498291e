// The span and metric of one On-Behalf-Of token request, and the record an operator looks for when it fails.
import { SpanKind } from '@opentelemetry/api';
import { errorFacts } from '../attributes/errorFacts.js';
import { ATTR, RECORD } from '../attributes/names.js';
import { emitRecord } from '../logs/telemetryLogger.js';
import { recordOboExchange, type OboCache } from '../metrics/recorders.js';
import { telemetryActive } from '../start/activation.js';
import type { CallerIds } from './mcpRequest.js';
import { setSpanAttributes, withSpan } from './withSpan.js';

export interface OboTelemetry {
  /** Whether a cache (ours or MSAL's) answered instead of Entra ID. */
  cacheHit(hit: boolean): void;
}

const NOOP_OBO: OboTelemetry = { cacheHit: () => {} };

/**
 * Runs one exchange in an `obo exchange` span and counts it by cache hit and outcome. A failure carries
 * its typed code, the AADSTS number and Entra's correlation id (span, metric and an `obo exchange failed`
 * record with the caller's tenant and object id); the error is rethrown unchanged.
 */
export async function traceOboExchange<T>(caller: CallerIds, scopes: readonly string[], exchange: (obo: OboTelemetry) => Promise<T>): Promise<T> {
  if (!telemetryActive()) return exchange(NOOP_OBO);
  let cache: OboCache = 'unknown';
  const obo: OboTelemetry = { cacheHit: (hit) => { cache = hit ? 'hit' : 'miss'; } };
  return withSpan('obo exchange', { kind: SpanKind.CLIENT, attributes: { [ATTR.oboScopes]: scopes.join(' ') } }, async (span) => {
    try {
      const result = await exchange(obo);
      setSpanAttributes(span, { [ATTR.oboCache]: cache });
      recordOboExchange(cache, 'ok', undefined, undefined);
      return result;
    } catch (error) {
      const facts = errorFacts(error);
      setSpanAttributes(span, { [ATTR.oboCache]: cache, [ATTR.aadsts]: facts.aadsts, [ATTR.entraCorrelationId]: facts.entraCorrelationId });
      recordOboExchange(cache, 'error', facts.code, facts.aadsts);
      emitRecord('warn', RECORD.oboFailed, {
        [ATTR.tenantId]: caller.tid,
        [ATTR.userOid]: caller.oid,
        [ATTR.errorCode]: facts.code,
        [ATTR.aadsts]: facts.aadsts,
        [ATTR.entraCorrelationId]: facts.entraCorrelationId,
      });
      throw error;
    }
  });
}
