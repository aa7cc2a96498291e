// Reads a POST's body and decides its era, refusing what breaks the transport's rules before the SDK sees it.
import { HttpError } from '../http/httpError.js';
import { readJsonBody } from '../http/readJsonBody.js';
import { currentMcpRequest } from '../telemetry/spans/mcpRequest.js';
import type { ToolCatalog } from '../tools/catalog.js';
import type { Deadline } from './deadline.js';
import { eraOf } from './eraOf.js';
import { checkShape, messagesOf, type Era } from './jsonRpcMessages.js';
import { BATCHING_VERSIONS, MODERN_PROTOCOL_VERSION } from './serverInfo.js';
import { checkLegacyHeaders, requireJson } from './transportRules.js';

export interface Admitted {
  readonly era: Era;
  readonly body: unknown;
  readonly messages: readonly unknown[];
}

/**
 * The body of `request`, its messages and its era, by the SDK's own classification (so the two can never
 * disagree). Throws `HttpError`: `unsupported_media_type`, the body's (`body_too_large`, `parse_error`,
 * `request_aborted`, `request_timeout`), the 2025-era header rules', or the shape's (`invalid_request`,
 * `batch_too_large`, `batch_not_supported`).
 */
export async function admitRequest(request: Request, catalog: ToolCatalog, deadline: Deadline): Promise<Admitted> {
  requireJson(request);
  const body = await deadline.race(readJsonBody(request));
  const era = await eraOf(request, body);
  const version = era === 'legacy' ? checkLegacyHeaders(request) : MODERN_PROTOCOL_VERSION;
  checkShape(body);
  currentMcpRequest().message(body, version, catalog.tools);
  if (Array.isArray(body) && !BATCHING_VERSIONS.has(version)) {
    throw new HttpError('batch_not_supported', `JSON-RPC batches are not part of MCP ${version}; send one message per request`);
  }
  return { era, body, messages: messagesOf(body) };
}
