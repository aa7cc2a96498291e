// A tools/call the tool policy refuses: answered before any token exchange, a write audited, a read counted and logged.
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { VerifiedCaller } from '../auth/identity.js';
import { explainRefusal } from '../policy/explainRefusal.js';
import { recordPolicyRefusal } from '../telemetry/metrics/recorders.js';
import type { ToolDefinition } from '../tools/defineTool.js';
import { auditToolCall } from './auditToolCall.js';
import type { ServerDependencies } from './createServer.js';
import { toolErrorResult } from './toolErrorResult.js';

/** Undefined when `caller` may call `tool`; otherwise the `tool_not_allowed` result, once its refusal is recorded. */
export async function policyRefusal(caller: VerifiedCaller, tool: ToolDefinition, deps: ServerDependencies): Promise<CallToolResult | undefined> {
  const refusal = deps.policy.checkTool(caller.identity, tool);
  if (refusal === undefined) return undefined;
  const { message, hint } = explainRefusal(tool.name, refusal, caller.identity.appId);
  const result = toolErrorResult('tool_not_allowed', message, hint, {
    reason: refusal.reason,
    ...(refusal.reason === 'role' && { roles: refusal.roles }),
    ...(refusal.reason === 'client_app' && { clientApps: refusal.clientApps }),
  });
  recordPolicyRefusal(tool.name, refusal.reason, caller.identity.tid);
  if (tool.annotations.readOnlyHint) {
    deps.log.info('tool refused by policy', { tool: tool.name, reason: refusal.reason, tenant: caller.identity.tid, clientApp: caller.identity.appId, jti: caller.tokenHash });
  } else {
    await auditToolCall({ ...deps, caller, tool, input: {}, structured: undefined, result, refused: true });
  }
  return result;
}
