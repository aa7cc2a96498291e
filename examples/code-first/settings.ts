// What the example needs to know, from flags or from `npm run foundry:config -- --json` output: where the server is, who signs users in, what to ask for.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';

/** The dev identity provider's public client (`npm start`): a loopback redirect on any port, as Entra allows for http://localhost. */
export const DEV_PUBLIC_CLIENT_ID = 'b6f1c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

export const USAGE = `usage: npm run example:code-first -- [options]

Signs you in, then prints today's events from your calendar through onbehalf's list_events tool.
With no options, uses the running \`npm start\` (dev mode) and its public client.

  --config <file|->     output of \`npm run foundry:config -- --json\` (- reads it from stdin):
                        MCP server endpoint, Auth URL, Scopes and, when the deployment
                        registered one (REGISTER_PUBLIC_CLIENT), the Public client ID
  --client-id <id>      your public client app registration (needed for a deployment that
                        registered none: the Foundry client foundry:config names is confidential)
  --mcp-url <url>       the server's /mcp endpoint
  --authority <url>     e.g. https://login.microsoftonline.com/<tenant id>
  --scope <scope>       the server's scope, api://<server app id>/access_as_user
  --device-code         sign in with a code on another device instead of a browser here
  --account <upn>       which signed-in account of the cache to use
  --cache-file <path>   where tokens are kept (default ~/.onbehalf/code-first-cache.json, mode 0600)
  --date <YYYY-MM-DD>   another day than today
  --dev                 the running npm start, even with other options`;

export type SignInFlow = 'browser' | 'device-code';

export interface Settings {
  readonly mcpUrl: URL;
  /** `https://<host>/<tenant>`: what MSAL calls the authority. */
  readonly authority: string;
  readonly clientId: string;
  /** The one scope asked for: the server's `api://<id>/access_as_user` (MSAL adds openid, profile, offline_access). */
  readonly scope: string;
  readonly cacheFile: string;
  readonly flow: SignInFlow;
  readonly account?: string;
  /** The day to list, midnight to midnight in this machine's time zone. */
  readonly day: { readonly start: Date; readonly end: Date; readonly label: string };
  readonly timeZone: string;
}

/** What `foundry:config -- --json` prints; only these fields matter here. Its Client ID is Foundry's confidential client, never this one's. */
const printedConfig = z.object({
  'MCP server endpoint': z.string(),
  'Auth URL': z.string(),
  Scopes: z.string(),
  'Public client ID': z.string().optional(),
});

export type SettingsErrorCode = 'usage' | 'config_unreadable' | 'config_invalid' | 'setting_missing' | 'setting_invalid';

export class SettingsError extends Error {
  constructor(readonly code: SettingsErrorCode, message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** True when nothing says where the server is: the running `npm start` then provides it. */
  readonly dev: boolean;
}

export function parseFlags(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        'client-id': { type: 'string' },
        'mcp-url': { type: 'string' },
        authority: { type: 'string' },
        scope: { type: 'string' },
        'device-code': { type: 'boolean', default: false },
        account: { type: 'string' },
        'cache-file': { type: 'string' },
        date: { type: 'string' },
        dev: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new SettingsError('usage', error instanceof Error ? error.message : String(error));
  }
  const dev = values['dev'] === true || (values['config'] === undefined && values['mcp-url'] === undefined && values['authority'] === undefined);
  return { values, dev };
}

const GUID_SCOPE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/access_as_user$/i;

/**
 * `<server app id>/access_as_user` in its App ID URI form. The token answer names the scope that way, and
 * MSAL finds a cached token by the scopes the answer named: asked by the GUID form, every run would refresh.
 */
export function apiScope(scope: string): string {
  const guid = GUID_SCOPE.exec(scope);
  return guid === null ? scope : `api://${guid[1] ?? ''}/access_as_user`;
}

/** What the example takes from `foundry:config --json` output. */
export interface PrintedConfig {
  readonly mcpUrl: string;
  readonly authority: string;
  readonly scope: string;
  /** The deployment's public client, when it registered one. */
  readonly clientId?: string;
}

/** Reads `foundry:config --json` output: the text itself, already read from a file or stdin. */
export function fromPrintedConfig(text: string): PrintedConfig {
  let parsed: z.infer<typeof printedConfig>;
  try {
    parsed = printedConfig.parse(JSON.parse(text));
  } catch {
    throw new SettingsError('config_invalid', 'the config is not the output of npm run foundry:config -- --json (needs "MCP server endpoint", "Auth URL" and "Scopes")');
  }
  const authorize = /\/oauth2\/v2\.0\/authorize$/;
  if (!authorize.test(parsed['Auth URL'])) throw new SettingsError('config_invalid', 'the config\'s Auth URL does not end in /oauth2/v2.0/authorize');
  // Foundry also asks for offline_access; MSAL adds it on its own, so only the server's scope is kept.
  const scope = parsed.Scopes.split(' ').find((item) => item.endsWith('/access_as_user'));
  if (scope === undefined) throw new SettingsError('config_invalid', 'the config\'s Scopes name no <server>/access_as_user');
  const clientId = parsed['Public client ID'];
  return {
    mcpUrl: parsed['MCP server endpoint'], authority: parsed['Auth URL'].replace(authorize, ''), scope: apiScope(scope),
    ...(clientId !== undefined && { clientId }),
  };
}

export function readConfigFile(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new SettingsError('config_unreadable', `cannot read ${path === '-' ? 'stdin' : path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function url(name: string, value: string, { loopbackHttp }: { loopbackHttp: boolean }): URL {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new SettingsError('setting_invalid', `${name} must be an absolute URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(loopbackHttp && loopback && parsed.protocol === 'http:')) {
    throw new SettingsError('setting_invalid', `${name} must be https (http only on localhost)`);
  }
  return parsed;
}

/** Midnight to midnight of `date` (YYYY-MM-DD) or today, in this machine's time zone. */
export function dayOf(date: string | undefined, now = new Date()): Settings['day'] {
  let year = now.getFullYear();
  let month = now.getMonth();
  let day = now.getDate();
  if (date !== undefined) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (match === null) throw new SettingsError('setting_invalid', '--date must be YYYY-MM-DD');
    [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  }
  const start = new Date(year, month, day);
  if (start.getMonth() !== month || start.getDate() !== day) throw new SettingsError('setting_invalid', `--date ${date ?? ''} is not a day of the calendar`);
  const end = new Date(year, month, day + 1);
  const label = `${start.getFullYear()}-${String(start.getMonth() + 1).padStart(2, '0')}-${String(start.getDate()).padStart(2, '0')}`;
  return { start, end, label };
}

/**
 * Builds the settings: flags win over the config (`--config`), which wins over `base` (the running
 * `npm start` in dev mode). Throws `SettingsError` naming what is missing or wrong.
 */
export function resolveSettings(args: ParsedArgs, base: { mcpUrl?: string; authority?: string; scope?: string; clientId?: string } = {}): Settings {
  const flag = (name: string) => (typeof args.values[name] === 'string' ? args.values[name] : undefined);
  const configPath = flag('config');
  const config: Partial<PrintedConfig> = configPath === undefined ? {} : fromPrintedConfig(readConfigFile(configPath));
  const chosen = {
    mcpUrl: flag('mcp-url') ?? config.mcpUrl ?? base.mcpUrl,
    authority: flag('authority') ?? config.authority ?? base.authority,
    scope: flag('scope') ?? config.scope ?? base.scope,
    clientId: flag('client-id') ?? config.clientId ?? base.clientId,
  };
  const missing = Object.entries({ '--mcp-url': chosen.mcpUrl, '--authority': chosen.authority, '--scope': chosen.scope, '--client-id': chosen.clientId })
    .filter(([, value]) => value === undefined || value === '').map(([name]) => name);
  if (missing.length > 0) {
    const hint = configPath !== undefined && missing.includes('--client-id')
      ? 'the config names no Public client ID: pass your own with --client-id, or register one with azd env set REGISTER_PUBLIC_CLIENT true && azd provision'
      : 'or --config with the output of npm run foundry:config -- --json';
    throw new SettingsError('setting_missing', `missing ${missing.join(', ')} (${hint})`);
  }
  const authority = url('--authority', chosen.authority ?? '', { loopbackHttp: false });
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(chosen.clientId ?? '')) throw new SettingsError('setting_invalid', '--client-id must be an application (client) id, a GUID');
  if (!(chosen.scope ?? '').endsWith('/access_as_user') || /\s/.test(chosen.scope ?? '')) throw new SettingsError('setting_invalid', '--scope must be one scope, <server app id>/access_as_user');
  const account = flag('account');
  return {
    mcpUrl: url('--mcp-url', chosen.mcpUrl ?? '', { loopbackHttp: true }),
    authority: authority.href.replace(/\/$/, ''),
    clientId: chosen.clientId ?? '',
    scope: apiScope(chosen.scope ?? ''),
    cacheFile: flag('cache-file') ?? join(homedir(), '.onbehalf', 'code-first-cache.json'),
    flow: args.values['device-code'] === true ? 'device-code' : 'browser',
    ...(account !== undefined && { account }),
    day: dayOf(flag('date')),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
