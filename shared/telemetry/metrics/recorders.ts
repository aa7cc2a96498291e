// One function per metric, so every series carries the same few bounded attributes wherever it is recorded.
import type { Attributes } from '@opentelemetry/api';
import { errorFacts } from '../attributes/errorFacts.js';
import { toolNameOf, type KnownTools } from '../attributes/mcpMessage.js';
import { ATTR } from '../attributes/names.js';
import { telemetryActive } from '../start/activation.js';
import { instruments } from './instruments.js';

/** How a request or call ended: `refused` is 401/403/429, `invalid` another 4xx, `error` a 5xx or an unexpected failure. */
export type Outcome = 'ok' | 'tool_error' | 'refused' | 'invalid' | 'error';

export type OboCache = 'hit' | 'miss' | 'unknown';

/** Drops unset values: a series has only the attributes that apply. */
function present(attributes: Record<string, string | number | undefined>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}

/** The outcome an HTTP status stands for. */
export function outcomeForStatus(status: number): Outcome {
  if (status === 401 || status === 403 || status === 429) return 'refused';
  if (status >= 500) return 'error';
  if (status >= 400) return 'invalid';
  return 'ok';
}

/** One MCP HTTP request's duration, in seconds, by method, tool and outcome. */
export function recordOperation(seconds: number, method: string, tool: string | undefined, outcome: Outcome, errorType: string | undefined): void {
  instruments().operationDuration.record(seconds, [method, tool, outcome, errorType, errorType]);
}

/** One tools/call, by tool, outcome and typed code. */
export function recordToolCall(tool: string, outcome: Outcome, code: string | undefined): void {
  instruments().toolCalls.add([tool, outcome, code]);
}

/** One On-Behalf-Of exchange, by cache hit, outcome, code and AADSTS number. */
export function recordOboExchange(cache: OboCache, outcome: Outcome, code: string | undefined, aadsts: string | undefined): void {
  instruments().oboExchanges.add([cache, outcome, code, aadsts]);
}

/** One 401/403/429 answer; the tenant only once the caller is verified. */
export function recordRefusal(status: number, code: string | undefined, tenantId: string | undefined): void {
  instruments().refusals.add(1, present({ [ATTR.httpResponseStatusCode]: status, [ATTR.errorCode]: code, [ATTR.tenantId]: tenantId }));
}

/** One Graph 429/503/504 answer, retried or not. */
export function recordGraphThrottled(status: number, route: string, tenantId: string | undefined): void {
  instruments().graphThrottled.add(1, present({ [ATTR.httpResponseStatusCode]: status, [ATTR.urlTemplate]: route, [ATTR.tenantId]: tenantId }));
}

/** One failed Table Storage operation (not 404/409/412). */
export function recordTableFailure(table: string, operation: string, code: string): void {
  instruments().tableFailures.add(1, present({ [ATTR.dbCollectionName]: table, [ATTR.dbOperationName]: operation, [ATTR.errorCode]: code }));
}

/**
 * Counts an audit row that could not be written (the action itself stands). A tool outside `tools`
 * counts as `_OTHER`; the error only contributes its typed code.
 */
export function recordAuditUnwritten(tool: unknown, tools: KnownTools, error: unknown): void {
  if (!telemetryActive()) return;
  instruments().auditUnwritten.add(1, present({ [ATTR.genAiToolName]: toolNameOf(tool, tools), [ATTR.errorCode]: errorFacts(error).code }));
}

/** One tool call the tool policy refused, by tool (one the catalog offers), reason and tenant. */
export function recordPolicyRefusal(tool: string, reason: string, tenantId: string): void {
  if (!telemetryActive()) return;
  instruments().policyRefusals.add(1, present({ [ATTR.genAiToolName]: tool, [ATTR.policyReason]: reason, [ATTR.tenantId]: tenantId }));
}
