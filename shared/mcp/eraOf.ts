// Which era's leg serves a POST body: the SDK's own classification, asked only where its answer is not already known.
import { isLegacyRequest } from '@modelcontextprotocol/server';
import { isObject, isRequest, type Era } from './jsonRpcMessages.js';

const CLAIM = 'io.modelcontextprotocol/protocolVersion';

/**
 * A request (not a response, not `initialize`) whose `_meta` carries the revision's envelope claim. The SDK
 * documents that it routes every such body to its 2026-07-28 path, an invalid claim included (that path answers
 * it), so asking it would only repeat the classification its handler runs anyway.
 */
function claimsModern(body: unknown): boolean {
  if (!isRequest(body) || body.method === 'initialize' || 'result' in body || 'error' in body) return false;
  const params = body.params;
  return isObject(params) && isObject(params['_meta']) && CLAIM in params['_meta'];
}

/** The era of a POST whose body was parsed as `body`, as the SDK routes it. */
export async function eraOf(request: Request, body: unknown): Promise<Era> {
  if (claimsModern(body)) return 'modern';
  return await isLegacyRequest(request, body) ? 'legacy' : 'modern';
}
