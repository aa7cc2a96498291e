// Requests refused for their params, in either era: answered -32602 here, and audited when they call a write tool.
import type { JSONRPCErrorResponse } from '@modelcontextprotocol/server';
import type { VerifiedCaller } from '../auth/identity.js';
import { auditRefusals } from './auditRefusals.js';
import type { ServerDependencies } from './createServer.js';
import type { Deadline } from './deadline.js';
import { invalidParams } from './invalidParams.js';
import { isRequest, writeToolCalled, type Era } from './jsonRpcMessages.js';

/**
 * The -32602 answers of the requests in `messages` (of `era`) whose params their method's schema refuses, by message;
 * one `refused` audit row per write-tool call among them, within the deadline. Never throws.
 */
export async function refuseParams(messages: readonly unknown[], era: Era, caller: VerifiedCaller, deps: ServerDependencies, deadline: Deadline): Promise<ReadonlyMap<unknown, JSONRPCErrorResponse>> {
  const refused = new Map<unknown, JSONRPCErrorResponse>();
  const writes: string[] = [];
  for (const message of messages) {
    const refusal = isRequest(message) ? invalidParams(message, era) : undefined;
    if (refusal === undefined) continue;
    refused.set(message, refusal);
    const tool = writeToolCalled(message, deps.catalog);
    if (tool !== undefined) writes.push(tool);
  }
  if (writes.length > 0) await deadline.race(auditRefusals({ ...deps, caller }, writes, 'input_invalid')).catch(() => undefined);
  return refused;
}
