// The tool policy's decisions and words: the order of its checks, exact role names, one decision for listing and calling, and what a refusal names.
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../shared/auth/identity.js';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { explainRefusal } from '../../shared/policy/explainRefusal.js';
import { createToolPolicy, MAX_NAMED } from '../../shared/policy/toolPolicy.js';
import { TOOLS } from '../../shared/tools/catalog.js';
import type { ToolDefinition } from '../../shared/tools/defineTool.js';

const FOUNDRY = 'a3f5c1e2-7b4d-4c6e-9f80-1b2c3d4e5f60';
const OTHER_APP = 'c0ffee00-1234-4abc-8def-0123456789ab';

function policyOf(env: Record<string, string>) {
  return createToolPolicy(parseConfig({ MCP_DEV_MODE: '1', ...env }).policy, TOOLS);
}

function caller(roles: readonly string[], appId: string | undefined = FOUNDRY): Identity {
  return { tid: 't', oid: 'o', upn: undefined, name: undefined, scopes: ['access_as_user'], appId, roles };
}

const tool = (name: string): ToolDefinition => {
  const found = TOOLS.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(name);
  return found;
};

const POLICY = JSON.stringify({
  everyone: { tools: ['whoami'] },
  roles: { 'Tools.Read': { toolsets: ['*'], readOnly: true }, 'Tools.Write': { toolsets: ['mail'] }, 'Mail.Send': { tools: ['send_mail'] } },
  clientApps: { [FOUNDRY.toUpperCase()]: { toolsets: ['*'] } },
});

describe('createToolPolicy', () => {
  it('restricts nothing, and builds nothing per caller, when no setting is present', () => {
    const policy = policyOf({});
    expect(policy.toolsFor(caller([]))).toBeUndefined();
    expect(policy.checkTool(caller([]), tool('send_mail'))).toBeUndefined();
  });

  it('checks the read-only switch first, then the client app, then the roles', () => {
    const readOnly = policyOf({ MCP_TOOL_POLICY: POLICY, MCP_READ_ONLY: '1' });
    expect(readOnly.checkTool(caller([], OTHER_APP), tool('send_mail'))?.reason).toBe('read_only');
    const policy = policyOf({ MCP_TOOL_POLICY: POLICY });
    expect(policy.checkTool(caller([], OTHER_APP), tool('send_mail'))).toEqual({ reason: 'client_app', roles: [], clientApps: [FOUNDRY] });
    expect(policy.checkTool(caller([], FOUNDRY), tool('send_mail'))).toEqual({ reason: 'role', roles: ['Tools.Write', 'Mail.Send'], clientApps: [] });
    expect(policy.checkTool(caller(['Mail.Send'], FOUNDRY), tool('send_mail'))).toBeUndefined();
  });

  it('matches role values exactly, as Entra writes them', () => {
    const policy = policyOf({ MCP_TOOL_POLICY: POLICY });
    expect(policy.checkTool(caller(['tools.write', 'Tools.Write '], FOUNDRY), tool('send_mail'))?.reason).toBe('role');
  });

  it('keeps a grant read-only: Tools.Read never reaches a write, whatever sets it names', () => {
    const policy = policyOf({ MCP_TOOL_POLICY: POLICY });
    const names = policy.toolsFor(caller(['Tools.Read']))?.names ?? new Set();
    expect([...names]).toEqual(TOOLS.filter((candidate) => candidate.annotations.readOnlyHint).map((candidate) => candidate.name));
  });

  it('lists exactly what it lets each caller call, for every role, app and tool', () => {
    const policy = policyOf({ MCP_TOOL_POLICY: POLICY });
    for (const roles of [[], ['Tools.Read'], ['Tools.Write'], ['Mail.Send'], ['Tools.Read', 'Tools.Write'], ['Unknown']]) {
      for (const appId of [FOUNDRY, FOUNDRY.toUpperCase(), OTHER_APP, undefined]) {
        const who = caller(roles, appId);
        const listed = policy.toolsFor(who)?.names;
        for (const candidate of TOOLS) expect(listed?.has(candidate.name), `${roles.join('+')} ${appId} ${candidate.name}`).toBe(policy.checkTool(who, candidate) === undefined);
      }
    }
  });

  it('gives callers allowed the same tools the same key, and others another', () => {
    const policy = policyOf({ MCP_TOOL_POLICY: POLICY });
    const reader = policy.toolsFor(caller(['Tools.Read']));
    expect(policy.toolsFor({ ...caller(['Tools.Read', 'Unknown']), oid: 'another' })?.key).toBe(reader?.key);
    expect(policy.toolsFor(caller(['Tools.Read', 'Mail.Send']))?.key).not.toBe(reader?.key);
    expect(reader?.key).toBe([...(reader?.names ?? [])].join(','));
  });

  it(`names at most ${MAX_NAMED} roles that would grant a tool`, () => {
    const roles = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`Senders.${index}`, { tools: ['send_mail'] }]));
    const policy = policyOf({ MCP_TOOL_POLICY: JSON.stringify({ roles }) });
    expect(policy.checkTool(caller([]), tool('send_mail'))?.roles).toEqual(['Senders.0', 'Senders.1', 'Senders.2', 'Senders.3', 'Senders.4']);
  });
});

describe('explainRefusal', () => {
  it('names the one role, or every role, that would grant it, and says a new token is needed', () => {
    expect(explainRefusal('send_mail', { reason: 'role', roles: ['Tools.Write'], clientApps: [] }, FOUNDRY)).toEqual({
      message: 'send_mail needs the app role Tools.Write, which you do not hold.',
      hint: 'Ask your administrator to assign you that role on the onbehalf app in Microsoft Entra ID, then sign in again: a new token carries it.',
    });
    expect(explainRefusal('send_mail', { reason: 'role', roles: ['A', 'B', 'C'], clientApps: [] }, FOUNDRY).message).toBe('send_mail needs the app role A, B or C, which you do not hold.');
    expect(explainRefusal('create_event', { reason: 'role', roles: [], clientApps: [] }, FOUNDRY).message).toBe('create_event is not granted to any app role by this server\'s policy.');
  });

  it('names the caller\'s app and the apps granted the tool', () => {
    const text = explainRefusal('send_mail', { reason: 'client_app', roles: [], clientApps: [FOUNDRY] }, OTHER_APP);
    expect(text.message).toBe(`send_mail is not available through client app ${OTHER_APP}.`);
    expect(text.hint).toContain(`through client app ${FOUNDRY}; use that app`);
  });

  it('says writes are off for now', () => {
    expect(explainRefusal('send_mail', { reason: 'read_only', roles: [], clientApps: [] }, FOUNDRY).message).toBe('send_mail is turned off: this server is read-only for now (MCP_READ_ONLY).');
  });
});
