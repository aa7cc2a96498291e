// Who may use which tool: the read-only switch, the client app's grant and the user's (everyone's and their roles'), decided the same way for tools/list and tools/call.
import type { Identity } from '../auth/identity.js';
import type { PolicySettings, ToolGrant } from '../config/policySettings.js';
import type { ToolDefinition } from '../tools/defineTool.js';

/** Why a tool is refused, in the order checked: no role or app can help with the first, no role with the second. */
export type RefusalReason = 'read_only' | 'client_app' | 'role';

export interface PolicyRefusal {
  readonly reason: RefusalReason;
  /** `role`: the app roles that grant the tool (at most `MAX_NAMED`), in policy order; empty when none does. */
  readonly roles: readonly string[];
  /** `client_app`: the client apps granted the tool (at most `MAX_NAMED`); empty when none is. */
  readonly clientApps: readonly string[];
}

export interface ToolPolicy {
  /**
   * The names of the tools among those offered that `identity` may call, in catalog order; undefined when no
   * setting restricts anyone (every offered tool). Equal sets have equal `key`s (the names, joined), so
   * answers built from them can be shared.
   */
  toolsFor(identity: Identity): AllowedTools | undefined;
  /** Undefined when `identity` may call `tool`; otherwise why not, and what would grant it. */
  checkTool(identity: Identity, tool: ToolDefinition): PolicyRefusal | undefined;
}

export interface AllowedTools {
  readonly names: ReadonlySet<string>;
  /** The names joined in catalog order: the same for every caller allowed the same tools. */
  readonly key: string;
}

/** Enough names for a user to act on; a policy may name a hundred roles. */
export const MAX_NAMED = 5;

function grants(grant: ToolGrant | undefined, tool: ToolDefinition): boolean {
  return grant !== undefined && grant.tools.has(tool.name) && (!grant.readOnly || tool.annotations.readOnlyHint);
}

/** The tools `tools` (the catalog's, in its order) as `settings` let each caller use them. */
export function createToolPolicy(settings: PolicySettings, tools: readonly ToolDefinition[]): ToolPolicy {
  const { toolPolicy, readOnly } = settings;
  const users = toolPolicy?.users;
  const clientApps = toolPolicy?.clientApps;
  const unrestricted = toolPolicy === undefined && !readOnly;

  function reasonFor(identity: Identity, tool: ToolDefinition): RefusalReason | undefined {
    if (readOnly && !tool.annotations.readOnlyHint) return 'read_only';
    // Client app ids are GUIDs: compared in lower case, as the policy keeps them.
    if (clientApps !== undefined && !grants(clientApps.get(identity.appId?.toLowerCase() ?? ''), tool)) return 'client_app';
    if (users !== undefined && !grants(users.everyone, tool) && !identity.roles.some((role) => grants(users.roles.get(role), tool))) return 'role';
    return undefined;
  }

  return {
    toolsFor(identity) {
      if (unrestricted) return undefined;
      const names = tools.filter((tool) => reasonFor(identity, tool) === undefined).map((tool) => tool.name);
      return { names: new Set(names), key: names.join(',') };
    },
    checkTool(identity, tool) {
      if (unrestricted) return undefined;
      const reason = reasonFor(identity, tool);
      if (reason === undefined) return undefined;
      const named = (entries: ReadonlyMap<string, ToolGrant> | undefined) =>
        [...(entries ?? [])].filter(([, grant]) => grants(grant, tool)).map(([name]) => name).slice(0, MAX_NAMED);
      return {
        reason,
        roles: reason === 'role' ? named(users?.roles) : [],
        clientApps: reason === 'client_app' ? named(clientApps) : [],
      };
    },
  };
}
