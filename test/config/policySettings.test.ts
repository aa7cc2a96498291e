// MCP_TOOL_POLICY, MCP_ALLOWED_CLIENT_APPS and MCP_READ_ONLY: what they grant, and the precise message a bad one stops the start with.
import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../shared/config/configError.js';
import { parseConfig, type Env } from '../../shared/config/parseConfig.js';
import { MAX_POLICY_CHARS } from '../../shared/config/policySettings.js';
import { TOOL_NAMES_BY_SET } from '../../shared/config/toolNames.js';
import { TOOLSETS } from '../../shared/config/toolsets.js';
import { TOOLS_BY_SET } from '../../shared/tools/catalog.js';
import { configRefusal } from '../support/configRefusal.js';

const FOUNDRY = 'a3f5c1e2-7b4d-4c6e-9f80-1b2c3d4e5f60';
const REPORTING = 'c0ffee00-1234-4abc-8def-0123456789ab';

const policyOf = (env: Env) => parseConfig({ MCP_DEV_MODE: '1', ...env }).policy;
const withPolicy = (policy: unknown) => policyOf({ MCP_TOOL_POLICY: typeof policy === 'string' ? policy : JSON.stringify(policy) });

const refusal = (env: Env): ConfigError => configRefusal({ MCP_DEV_MODE: '1', ...env });

/** The message a policy stops the start with; the setting is always named and the code is setting_invalid. */
function policyRefusal(policy: unknown): string {
  const error = refusal({ MCP_TOOL_POLICY: typeof policy === 'string' ? policy : JSON.stringify(policy) });
  expect(error.code).toBe('setting_invalid');
  expect(error.setting).toBe('MCP_TOOL_POLICY');
  expect(error.message.startsWith('MCP_TOOL_POLICY: ')).toBe(true);
  return error.message;
}

describe('TOOL_NAMES_BY_SET', () => {
  it('names exactly the tools of each area, in catalog order', () => {
    for (const set of TOOLSETS) expect(TOOL_NAMES_BY_SET[set], set).toEqual(TOOLS_BY_SET[set].map((tool) => tool.name));
  });
});

describe('unset', () => {
  it('leaves every tool to every caller, from any client app, writes on', () => {
    expect(policyOf({})).toEqual({ toolPolicy: undefined, allowedClientApps: undefined, readOnly: false });
    expect(policyOf({ MCP_TOOL_POLICY: '  ', MCP_ALLOWED_CLIENT_APPS: '', MCP_READ_ONLY: '' })).toEqual({ toolPolicy: undefined, allowedClientApps: undefined, readOnly: false });
  });
});

describe('MCP_TOOL_POLICY', () => {
  it('expands tool sets, adds single tools, and keeps readOnly per grant', () => {
    const { toolPolicy } = withPolicy({
      everyone: { toolsets: ['*'], readOnly: true },
      roles: { 'Tools.Write': { toolsets: ['mail', 'calendar'] }, 'Mail.Send': { tools: ['send_mail'] } },
    });
    expect(toolPolicy?.users?.everyone).toEqual({ tools: new Set(TOOLSETS.flatMap((set) => TOOL_NAMES_BY_SET[set])), readOnly: true });
    expect(toolPolicy?.users?.roles.get('Tools.Write')).toEqual({ tools: new Set([...TOOL_NAMES_BY_SET.calendar, ...TOOL_NAMES_BY_SET.mail]), readOnly: false });
    expect(toolPolicy?.users?.roles.get('Mail.Send')).toEqual({ tools: new Set(['send_mail']), readOnly: false });
    expect(toolPolicy?.clientApps).toBeUndefined();
  });

  it('keys client apps by lower-case id, and leaves users unrestricted when it names no role and no everyone', () => {
    const { toolPolicy } = withPolicy({ clientApps: { [FOUNDRY.toUpperCase()]: { toolsets: ['*'] }, [REPORTING]: { toolsets: ['*'], readOnly: true } } });
    expect([...(toolPolicy?.clientApps?.keys() ?? [])]).toEqual([FOUNDRY, REPORTING]);
    expect(toolPolicy?.clientApps?.get(REPORTING)?.readOnly).toBe(true);
    expect(toolPolicy?.users).toBeUndefined();
  });

  it('with roles alone, grants nobody anything outside them (no everyone entry)', () => {
    const { toolPolicy } = withPolicy({ roles: { 'Tools.Read': { toolsets: ['profile'], readOnly: true } } });
    expect(toolPolicy?.users?.everyone).toBeUndefined();
    expect(toolPolicy?.users?.roles.size).toBe(1);
  });

  it.each([
    ['not JSON', '{"roles": {', /^MCP_TOOL_POLICY: is not valid JSON \((line \d+, column \d+|at character \d+)\)$/],
    ['a list', '[]', /^MCP_TOOL_POLICY: at \$: must be an object$/],
    ['nothing said', {}, /^MCP_TOOL_POLICY: at \$: says nothing: give everyone, roles or clientApps/],
    ['an unknown top-level key', { role: {} }, /^MCP_TOOL_POLICY: at \$: unknown key "role"/],
    ['an unknown tool set', { roles: { 'Tools.Write': { toolsets: ['mail', 'mial'] } } }, /^MCP_TOOL_POLICY: at \$\.roles\["Tools\.Write"\]\.toolsets\[1\]: unknown tool set "mial"; use profile, calendar, mail, files, teams, tasks, notes, meetings, search, or \* for all$/],
    ['an unknown tool', { everyone: { tools: ['whoami', 'sned_mail'] } }, /^MCP_TOOL_POLICY: at \$\.everyone\.tools\[1\]: unknown tool "sned_mail"/],
    ['an unknown key in a grant', { roles: { Senders: { toolsets: ['mail'], readonly: true } } }, /^MCP_TOOL_POLICY: at \$\.roles\.Senders: unknown key "readonly"$/],
    ['readOnly as a string', { roles: { Readers: { toolsets: ['*'], readOnly: 'yes' } } }, /^MCP_TOOL_POLICY: at \$\.roles\.Readers\.readOnly: must be a boolean$/],
    ['a grant of nothing', { roles: { Readers: { toolsets: [] } } }, /^MCP_TOOL_POLICY: at \$\.roles\.Readers: grants nothing/],
    ['a role with a space', { roles: { 'Tool Writers': { toolsets: ['mail'] } } }, /^MCP_TOOL_POLICY: at \$\.roles\[…\]: is not an Entra app role value/],
    ['a client app that is no GUID', { clientApps: { foundry: { toolsets: ['*'] } } }, /^MCP_TOOL_POLICY: at \$\.clientApps\.foundry: is not a client application id/],
    ['a tool list as a string', { clientApps: { [FOUNDRY]: { tools: 'send_mail' } } }, new RegExp(`^MCP_TOOL_POLICY: at \\$\\.clientApps\\["${FOUNDRY}"\\]\\.tools: must be an array$`)],
  ])('stops the start on %s, naming where', (_name, policy, message) => {
    expect(policyRefusal(policy)).toMatch(message);
  });

  it('counts the other problems after the first', () => {
    expect(policyRefusal({ roles: { A: { toolsets: ['x'] }, B: { tools: ['y'] } } })).toMatch(/\(and 1 more problem\)$/);
  });

  it('is bounded: too long, too many roles, too many tools in a grant', () => {
    expect(policyRefusal({ everyone: { tools: ['whoami'] }, padding: 'x'.repeat(MAX_POLICY_CHARS) })).toMatch(/^MCP_TOOL_POLICY: is 16\d{3} characters long; at most 16384$/);
    const roles = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`R${index}`, { tools: ['whoami'] }]));
    expect(policyRefusal({ roles })).toMatch(/^MCP_TOOL_POLICY: at \$\.roles: names 101 roles; at most 100$/);
    expect(policyRefusal({ everyone: { tools: Array.from({ length: 65 }, () => 'whoami') } })).toMatch(/^MCP_TOOL_POLICY: at \$\.everyone\.tools: has too many entries \(at most 64\)$/);
  });

  it('never quotes a value that is not name-like (a secret pasted into the wrong setting)', () => {
    const secret = 'Sup3r~Secr3t value/that+must=never leak';
    for (const policy of [{ everyone: { tools: [secret] } }, { roles: { [secret]: { tools: ['whoami'] } } }, `{"roles": ${secret}}`]) {
      const message = policyRefusal(policy);
      expect(message).not.toContain('Secr3t');
    }
  });
});

describe('MCP_ALLOWED_CLIENT_APPS', () => {
  it('lists app ids in lower case, once each', () => {
    expect(policyOf({ MCP_ALLOWED_CLIENT_APPS: ` ${FOUNDRY.toUpperCase()}, ${REPORTING},${FOUNDRY}` }).allowedClientApps).toEqual([FOUNDRY, REPORTING]);
  });

  it.each(['foundry', `${FOUNDRY};${REPORTING}`, ','])('refuses %j, naming the setting', (value) => {
    const error = refusal({ MCP_ALLOWED_CLIENT_APPS: value });
    expect(error.setting).toBe('MCP_ALLOWED_CLIENT_APPS');
    expect(error.code).toBe('setting_invalid');
  });
});

describe('MCP_READ_ONLY', () => {
  it.each([['1', true], ['true', true], ['0', false], ['FALSE', false]])('%s is %s', (value, on) => {
    expect(policyOf({ MCP_READ_ONLY: value }).readOnly).toBe(on);
  });

  it.each(['yes', 'on', '2'])('%s stops the start', (value) => {
    expect(refusal({ MCP_READ_ONLY: value }).setting).toBe('MCP_READ_ONLY');
  });
});
