// MCP_TOOL_POLICY, MCP_ALLOWED_CLIENT_APPS and MCP_READ_ONLY: who may use which tool, read once at start.
import * as z from 'zod';
import { ConfigError } from './configError.js';
import type { SettingName } from './settings.js';
import { TOOL_NAMES_BY_SET } from './toolNames.js';
import { TOOLSETS, type Toolset } from './toolsets.js';

/** What the `everyone` entry, one app role or one client app is granted. */
export interface ToolGrant {
  /** The names of the tools granted, tool sets expanded. */
  readonly tools: ReadonlySet<string>;
  /** Only those of them that change nothing (`readOnlyHint`). */
  readonly readOnly: boolean;
}

export interface ToolPolicySettings {
  /**
   * Present when the policy says what users get: a caller gets what `everyone` grants and what each of
   * their app roles (token `roles`) grants, nothing else.
   */
  readonly users: { readonly everyone: ToolGrant | undefined; readonly roles: ReadonlyMap<string, ToolGrant> } | undefined;
  /** Present when the policy says what client apps get, by app id (`azp`): an app not named gets nothing. */
  readonly clientApps: ReadonlyMap<string, ToolGrant> | undefined;
}

export interface PolicySettings {
  /** MCP_TOOL_POLICY; undefined: every caller may use every tool offered. */
  readonly toolPolicy: ToolPolicySettings | undefined;
  /** MCP_ALLOWED_CLIENT_APPS, lower case; undefined: any client app. */
  readonly allowedClientApps: readonly string[] | undefined;
  /** MCP_READ_ONLY: every tool that changes something is hidden and refused. */
  readonly readOnly: boolean;
}

/** Far above any real policy (a few roles and apps), far below what would cost anything to parse. */
export const MAX_POLICY_CHARS = 16 * 1024;
const MAX_ROLES = 100;
const MAX_CLIENT_APPS = 50;
const MAX_ALLOWED_CLIENT_APPS = 50;
const MAX_TOOLS_PER_GRANT = 64;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An Entra app role value: at most 120 of these characters, no spaces, not starting with a dot. */
export const APP_ROLE_VALUE = /^(?!\.)[A-Za-z0-9!#$%&'()*+,\-./:;<=>?@[\]^_`{|}~]{1,120}$/;
const ALL_TOOL_NAMES: ReadonlySet<string> = new Set(TOOLSETS.flatMap((set) => TOOL_NAMES_BY_SET[set]));
const KNOWN_TOOLSETS: ReadonlySet<string> = new Set(TOOLSETS);
const NAME_LIKE = /^[\w.*-]{1,64}$/;

/** A value quoted in a message only when it looks like a name: a secret pasted into the wrong setting must not reach a log. */
function shown(value: unknown): string {
  return typeof value === 'string' && NAME_LIKE.test(value) ? JSON.stringify(value) : 'an entry that is not a name';
}

/** A JSONPath to the fault: `$.roles["Tools.Write"].toolsets[1]`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    if (/^[A-Za-z_]\w*$/.test(name)) return `${text}.${name}`;
    return `${text}[${APP_ROLE_VALUE.test(name) && name.length <= 60 ? JSON.stringify(name) : '…'}]`;
  }, '$');
}

const grantSchema = z.strictObject({
  toolsets: z.array(z.string()).max(TOOLSETS.length + 1).optional(),
  tools: z.array(z.string()).max(MAX_TOOLS_PER_GRANT).optional(),
  readOnly: z.boolean().optional(),
}).superRefine((grant, context) => {
  grant.toolsets?.forEach((name, index) => {
    if (name !== '*' && !KNOWN_TOOLSETS.has(name)) {
      context.addIssue({ code: 'custom', path: ['toolsets', index], message: `unknown tool set ${shown(name)}; use ${TOOLSETS.join(', ')}, or * for all` });
    }
  });
  grant.tools?.forEach((name, index) => {
    if (!ALL_TOOL_NAMES.has(name)) context.addIssue({ code: 'custom', path: ['tools', index], message: `unknown tool ${shown(name)}; tool names are listed in the README's Tools table` });
  });
  if ((grant.toolsets?.length ?? 0) + (grant.tools?.length ?? 0) === 0) {
    context.addIssue({ code: 'custom', message: 'grants nothing: name at least one tool set (toolsets) or tool (tools)' });
  }
});

type GrantInput = z.output<typeof grantSchema>;

const policySchema = z.strictObject({
  everyone: grantSchema.optional(),
  roles: z.record(z.string(), grantSchema).optional(),
  clientApps: z.record(z.string(), grantSchema).optional(),
}).superRefine((policy, context) => {
  const roles = Object.keys(policy.roles ?? {});
  if (roles.length > MAX_ROLES) context.addIssue({ code: 'custom', path: ['roles'], message: `names ${roles.length} roles; at most ${MAX_ROLES}` });
  for (const role of roles) {
    if (!APP_ROLE_VALUE.test(role)) {
      context.addIssue({ code: 'custom', path: ['roles', role], message: 'is not an Entra app role value: up to 120 letters, digits and punctuation, no spaces, not starting with a dot' });
    }
  }
  const apps = Object.keys(policy.clientApps ?? {});
  if (apps.length > MAX_CLIENT_APPS) context.addIssue({ code: 'custom', path: ['clientApps'], message: `names ${apps.length} client apps; at most ${MAX_CLIENT_APPS}` });
  for (const app of apps) {
    if (!GUID.test(app)) context.addIssue({ code: 'custom', path: ['clientApps', app], message: 'is not a client application id (a GUID, the token\'s azp)' });
  }
  if (policy.everyone === undefined && policy.roles === undefined && policy.clientApps === undefined) {
    context.addIssue({ code: 'custom', message: 'says nothing: give everyone, roles or clientApps (or leave the setting unset)' });
  }
});

/** Our words for zod's own issues; the custom ones already say what to do. */
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key ${issue.keys.map(shown).join(', ')}`;
    case 'invalid_type':
      return `must be ${issue.expected === 'record' || issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'an array' : `a ${issue.expected}`}`;
    case 'too_big':
      return `has too many entries (at most ${String(issue.maximum)})`;
    default:
      return issue.message;
  }
}

function expand(grant: GrantInput): ToolGrant {
  const sets: readonly Toolset[] = grant.toolsets?.includes('*') === true ? TOOLSETS : TOOLSETS.filter((set) => grant.toolsets?.includes(set) === true);
  return { tools: new Set([...sets.flatMap((set) => TOOL_NAMES_BY_SET[set]), ...(grant.tools ?? [])]), readOnly: grant.readOnly ?? false };
}

function grants(record: Record<string, GrantInput> | undefined, key: (name: string) => string): ReadonlyMap<string, ToolGrant> | undefined {
  return record === undefined ? undefined : new Map(Object.entries(record).map(([name, grant]) => [key(name), expand(grant)]));
}

/** Where a JSON syntax error is, without V8's message, which quotes the text around it. */
function syntaxPosition(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn !== null) return ` (line ${lineColumn[1]}, column ${lineColumn[2]})`;
  const position = /position (\d+)/.exec(message);
  return position === null ? '' : ` (at character ${position[1]})`;
}

const SETTING: SettingName = 'MCP_TOOL_POLICY';

/** MCP_TOOL_POLICY as JSON: its own schema, the first fault named by its JSONPath. */
export function parseToolPolicy(raw: string): ToolPolicySettings {
  if (raw.length > MAX_POLICY_CHARS) throw new ConfigError('setting_invalid', SETTING, `is ${raw.length} characters long; at most ${MAX_POLICY_CHARS}`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError('setting_invalid', SETTING, `is not valid JSON${syntaxPosition(error)}`);
  }
  const parsed = policySchema.safeParse(json);
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const more = rest.length > 0 ? ` (and ${rest.length} more ${rest.length === 1 ? 'problem' : 'problems'})` : '';
    throw new ConfigError('setting_invalid', SETTING, `at ${pathOf(first?.path ?? [])}: ${first === undefined ? 'is not valid' : describe(first)}${more}`);
  }
  const policy = parsed.data;
  return {
    users: policy.everyone === undefined && policy.roles === undefined
      ? undefined
      : { everyone: policy.everyone === undefined ? undefined : expand(policy.everyone), roles: grants(policy.roles, (name) => name) ?? new Map() },
    clientApps: grants(policy.clientApps, (app) => app.toLowerCase()),
  };
}

/** MCP_ALLOWED_CLIENT_APPS: client application ids (GUIDs) separated by commas. */
export function parseAllowedClientApps(raw: string): readonly string[] {
  const items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0 || items.some((item) => !GUID.test(item))) {
    throw new ConfigError('setting_invalid', 'MCP_ALLOWED_CLIENT_APPS', 'must be client application ids (GUIDs, as in the token\'s azp) separated by commas');
  }
  if (items.length > MAX_ALLOWED_CLIENT_APPS) throw new ConfigError('setting_invalid', 'MCP_ALLOWED_CLIENT_APPS', `lists ${items.length} apps; at most ${MAX_ALLOWED_CLIENT_APPS}`);
  return [...new Set(items.map((item) => item.toLowerCase()))];
}

/** MCP_READ_ONLY: `1`/`true` on, `0`/`false` off. */
export function parseReadOnly(raw: string): boolean {
  const value = raw.toLowerCase();
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new ConfigError('setting_invalid', 'MCP_READ_ONLY', 'must be 1 (writes off) or 0');
}

/** The three policy settings; empty counts as unset. Throws `ConfigError` (`setting_invalid`) naming the setting. */
export function readPolicySettings(env: Readonly<Record<string, string | undefined>>): PolicySettings {
  const value = (name: SettingName) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const policy = value('MCP_TOOL_POLICY');
  const apps = value('MCP_ALLOWED_CLIENT_APPS');
  const readOnly = value('MCP_READ_ONLY');
  return {
    toolPolicy: policy === undefined ? undefined : parseToolPolicy(policy),
    allowedClientApps: apps === undefined ? undefined : parseAllowedClientApps(apps),
    readOnly: readOnly === undefined ? false : parseReadOnly(readOnly),
  };
}
