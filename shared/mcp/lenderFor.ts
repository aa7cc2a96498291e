// Whose access a borrowing tool (search) may use for one part of its work: a read-only tool it names that this caller may call now.
import type { VerifiedCaller } from '../auth/identity.js';
import type { ToolPolicy } from '../policy/toolPolicy.js';
import type { ToolCatalog } from '../tools/catalog.js';
import type { ToolDefinition } from '../tools/defineTool.js';

/**
 * The tool `name` when `tool` borrows it, this deployment offers it, it changes nothing, and the policy lets `caller`
 * call it; otherwise undefined. Its scopes, and no other, are what `tool` reaches Graph with for that part.
 */
export function lenderFor(tool: ToolDefinition, name: string, catalog: ToolCatalog, policy: ToolPolicy, caller: VerifiedCaller): ToolDefinition | undefined {
  if (tool.borrows?.includes(name) !== true) return undefined;
  const lender = catalog.tools.get(name);
  if (lender === undefined || !lender.annotations.readOnlyHint) return undefined;
  return policy.checkTool(caller.identity, lender) === undefined ? lender : undefined;
}
