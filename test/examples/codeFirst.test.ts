// The code-first example against the dev stack: its own sign-in (the pages completed over HTTP, the code received by
// MSAL's loopback listener), its token cache file, and the MCP call that prints the signed-in user's events.
import { chmod, copyFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main, showCalendar } from '../../examples/code-first/main.js';
import { DEV_PUBLIC_CLIENT_ID as EXAMPLE_DEV_CLIENT_ID, fromPrintedConfig, parseFlags, resolveSettings, SettingsError, type Settings } from '../../examples/code-first/settings.js';
import type { DeviceCodePrompt, SignedIn } from '../../examples/code-first/signIn.js';
import { readCacheFile, TokenCacheError } from '../../examples/code-first/tokenCache.js';
import { DEV_CLIENT_ID } from '../../shared/config/devDefaults.js';
import { currentWeekStart } from '../../sandbox/graph/calendarRoutes.js';
import { DEV_PUBLIC_CLIENT_ID } from '../../sandbox/identity/registrations.js';
import { HttpBrowser, type SignInResult } from '../support/httpBrowser.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const DAY = 86_400_000;
// Wednesday of this week (UTC), when each sample user has events of their own.
const WEDNESDAY = new Date(currentWeekStart() + 2 * DAY).toISOString().slice(0, 10);
const ADELE_ONLY = ['1:1 with Lee', 'Lunch with Nestor'];
const ALEX_ONLY = ['Focus time: launch copy'];
const MEGAN_ONLY = ['Customer call: Fabrikam Retail'];

let stack: TestStack;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  dir = await mkdtemp(join(tmpdir(), 'code-first-'));
});

afterAll(async () => {
  await stack.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  stack.idp.accessTokenLifetimeSeconds = 3600;
});

function settings(cacheFile: string, extra: string[] = []): Settings {
  return resolveSettings(parseFlags([
    '--mcp-url', stack.mcpUrl,
    '--authority', `${stack.idp.url}/organizations`,
    '--client-id', DEV_PUBLIC_CLIENT_ID,
    '--scope', `${DEV_CLIENT_ID}/access_as_user`,
    '--cache-file', cacheFile,
    '--date', WEDNESDAY,
    ...extra,
  ]));
}

interface Run {
  readonly user: SignedIn;
  readonly out: string;
  readonly err: string;
  /** The sign-in URL MSAL opened, and what the browser went through; undefined when none was needed. */
  readonly authorizationUrl?: URL;
  readonly signIn?: SignInResult;
}

/** Runs the example; a sign-in, if MSAL asks for one, is completed in a browser without JavaScript as `user`. */
async function run(cacheFile: string, user: string, extra: string[] = []): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  let authorizationUrl: URL | undefined;
  let signIn: SignInResult | undefined;
  let deviceSignIn: Promise<SignInResult> | undefined;
  const signedIn = await showCalendar(settings(cacheFile, extra), { out: (line) => out.push(line), err: (line) => err.push(line) }, {
    openBrowser: async (url) => {
      authorizationUrl = new URL(url);
      signIn = await new HttpBrowser().signIn(url, { user, consent: 'accept' });
    },
    onDeviceCode: (prompt: DeviceCodePrompt) => {
      deviceSignIn = new HttpBrowser().signIn(prompt.verificationUri, { deviceCode: prompt.userCode, user, consent: 'accept' });
    },
  });
  if (deviceSignIn !== undefined) signIn = await deviceSignIn;
  return { user: signedIn, out: out.join('\n'), err: err.join('\n'), ...(authorizationUrl !== undefined && { authorizationUrl }), ...(signIn !== undefined && { signIn }) };
}

function expectEventsOf(output: string, own: readonly string[], others: readonly string[]): void {
  for (const subject of own) expect(output).toContain(subject);
  for (const subject of others) expect(output).not.toContain(subject);
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('code-first example: browser sign-in, then list_events as that user', () => {
  const adeleCache = () => join(dir, 'adele', 'cache.json');

  it('signs in through the pages on a loopback redirect with PKCE, asking only for access_as_user, then prints that user\'s events', async () => {
    const authorizeBefore = stack.idp.counts.authorize;
    const result = await run(adeleCache(), 'adele');
    expect(result.user).toMatchObject({ username: 'AdeleV@contoso.example', source: 'browser' });
    expect(stack.idp.counts.authorize).toBeGreaterThan(authorizeBefore);

    const url = result.authorizationUrl ?? new URL('about:blank');
    expect(`${url.origin}${url.pathname}`).toBe(`${stack.idp.url}/organizations/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('client_id')).toBe(DEV_PUBLIC_CLIENT_ID);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(url.searchParams.get('redirect_uri') ?? '').hostname).toBe('localhost');
    expect(url.searchParams.has('resource')).toBe(false);
    const scopes = (url.searchParams.get('scope') ?? '').split(' ').filter((scope) => !['openid', 'profile', 'offline_access'].includes(scope));
    expect(scopes).toEqual([`api://${DEV_CLIENT_ID}/access_as_user`]);
    // The pages ended at MSAL's loopback listener, which took the code and answered with the example's page.
    expect(result.signIn?.pages).toEqual(['sign-in', 'consent', 'form-post']);
    expect(result.signIn?.last.html).toContain('Signed in. You can close this window');

    expect(result.out).toContain('Signed in as Adele Vance <AdeleV@contoso.example> (signed in with the browser)');
    expect(result.out).toContain(`Calendar for ${WEDNESDAY}`);
    expectEventsOf(result.out, ADELE_ONLY, [...ALEX_ONLY, ...MEGAN_ONLY]);
  });

  it('keeps the tokens in a file only its owner can read (0600), in a directory of its own (0700)', async () => {
    expect(await modeOf(adeleCache())).toBe(0o600);
    expect(await modeOf(join(dir, 'adele'))).toBe(0o700);
    const cache = JSON.parse(await readFile(adeleCache(), 'utf8')) as { RefreshToken?: Record<string, unknown> };
    expect(Object.keys(cache.RefreshToken ?? {})).toHaveLength(1);
  });

  it('answers the next run from the cache file: no sign-in, no token request', async () => {
    const before = { ...stack.idp.counts };
    const result = await run(adeleCache(), 'nobody');
    expect(result.authorizationUrl).toBeUndefined();
    expect(result.user).toMatchObject({ username: 'AdeleV@contoso.example', source: 'cache' });
    expect(stack.idp.counts.authorize).toBe(before.authorize);
    expect(stack.idp.counts.token).toBe(before.token);
    expectEventsOf(result.out, ADELE_ONLY, ALEX_ONLY);
  });

  it('narrows a cache file others can read back to 0600 before using it, and says so', async () => {
    const loose = join(dir, 'adele', 'loose.json');
    await copyFile(adeleCache(), loose);
    await chmod(loose, 0o644);
    const result = await run(loose, 'nobody');
    expect(result.user.source).toBe('cache');
    expect(await modeOf(loose)).toBe(0o600);
    expect(result.err).toContain('was readable by others (mode 644); it is now 600');
  });

  it('refreshes once the access token has expired, without a new sign-in, and the server takes the new token', async () => {
    // MSAL counts a token within five minutes of its end as expired: a one-minute token is expired at once.
    stack.idp.accessTokenLifetimeSeconds = 60;
    const alexCache = join(dir, 'alex', 'cache.json');
    const first = await run(alexCache, 'alex');
    expect(first.user).toMatchObject({ username: 'AlexW@contoso.example', source: 'browser' });
    const refreshTokenBefore = await readFile(alexCache, 'utf8');

    const before = { ...stack.idp.counts };
    const second = await run(alexCache, 'nobody');
    expect(second.authorizationUrl).toBeUndefined();
    expect(second.user).toMatchObject({ username: 'AlexW@contoso.example', source: 'refresh' });
    expect(second.user.accessToken).not.toBe(first.user.accessToken);
    expect(stack.idp.counts.authorize).toBe(before.authorize);
    expect(stack.idp.counts.token).toBe(before.token + 1);
    // A new refresh token came with the refresh and the file was rewritten, still 0600.
    expect(await readFile(alexCache, 'utf8')).not.toBe(refreshTokenBefore);
    expect(await modeOf(alexCache)).toBe(0o600);
    expect(second.out).toContain('(token refreshed from the cache, no sign-in)');
    expectEventsOf(second.out, ALEX_ONLY, ADELE_ONLY);
  });

  it('never serves one user from another user\'s cache file', async () => {
    // Alex's file serves Alex, Adele's serves Adele, each without a sign-in.
    const alex = await run(join(dir, 'alex', 'cache.json'), 'nobody');
    expect(alex.user.username).toBe('AlexW@contoso.example');
    expectEventsOf(alex.out, ALEX_ONLY, ADELE_ONLY);
    const adele = await run(adeleCache(), 'nobody');
    expect(adele.user.username).toBe('AdeleV@contoso.example');
    expectEventsOf(adele.out, ADELE_ONLY, ALEX_ONLY);

    // A third person with a file of their own signs in themselves, though the others' tokens are still valid.
    const megan = await run(join(dir, 'megan', 'cache.json'), 'megan');
    expect(megan.authorizationUrl).toBeDefined();
    expect(megan.user).toMatchObject({ username: 'MeganB@fabrikam.example', source: 'browser' });
    expectEventsOf(megan.out, MEGAN_ONLY, [...ADELE_ONLY, ...ALEX_ONLY]);

    // Asking Adele's file for another account signs that account in: Adele's token is not handed out for it.
    const other = await run(adeleCache(), 'alex', ['--account', 'AlexW@contoso.example']);
    expect(other.authorizationUrl?.searchParams.get('login_hint')).toBe('AlexW@contoso.example');
    expect(other.user).toMatchObject({ username: 'AlexW@contoso.example', source: 'browser' });
    expectEventsOf(other.out, ALEX_ONLY, ADELE_ONLY);
  });

  it('refuses to choose between accounts of one cache file', async () => {
    // Adele's file now also holds Alex (the test above): the example asks which one.
    await expect(run(adeleCache(), 'nobody')).rejects.toMatchObject({ code: 'account_ambiguous' });
    const adele = await run(adeleCache(), 'nobody', ['--account', 'adelev@contoso.example']);
    expect(adele.user).toMatchObject({ username: 'AdeleV@contoso.example', source: 'cache' });
  });
});

describe('code-first example: device code sign-in', () => {
  it('shows a code, the user enters it on the verification page and signs in there, then the example lists their events', async () => {
    stack.idp.deviceCodeIntervalSeconds = 1;
    const cacheFile = join(dir, 'device', 'cache.json');
    const result = await run(cacheFile, 'megan', ['--device-code']);
    expect(result.authorizationUrl).toBeUndefined();
    // Megan consented to this client in her browser sign-in above: no consent page this time.
    expect(result.signIn?.pages).toEqual(['device-code', 'sign-in']);
    expect(result.user).toMatchObject({ username: 'MeganB@fabrikam.example', source: 'device-code' });
    expectEventsOf(result.out, MEGAN_ONLY, [...ADELE_ONLY, ...ALEX_ONLY]);
    expect(await modeOf(cacheFile)).toBe(0o600);

    const again = await run(cacheFile, 'nobody', ['--device-code']);
    expect(again.user.source).toBe('cache');
  });
});

describe('code-first example: settings', () => {
  it('reads the output of foundry:config --json: endpoint, authority from the Auth URL, only the access_as_user scope', () => {
    const printed = JSON.stringify({
      'MCP server endpoint': 'https://onbehalf.example/mcp', 'Client ID': '11111111-2222-3333-4444-555555555555', 'Client secret': 'not stored',
      'Auth URL': 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize',
      'Token URL': 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token', 'Refresh URL': 'x',
      Scopes: '9a8b7c6d-0000-4000-8000-000000000001/access_as_user offline_access',
    });
    expect(fromPrintedConfig(printed)).toEqual({
      mcpUrl: 'https://onbehalf.example/mcp',
      authority: 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47',
      scope: 'api://9a8b7c6d-0000-4000-8000-000000000001/access_as_user',
    });
    expect(() => fromPrintedConfig('{"Scopes":"x"}')).toThrow(SettingsError);
  });

  it('knows the dev identity provider\'s public client', () => {
    expect(EXAMPLE_DEV_CLIENT_ID).toBe(DEV_PUBLIC_CLIENT_ID);
  });

  it('names what is missing or wrong, with exit code 2 and no stack trace', async () => {
    const err: string[] = [];
    const code = await main(['--mcp-url', 'https://onbehalf.example/mcp', '--authority', 'https://login.microsoftonline.com/organizations'], { out: () => undefined, err: (line) => err.push(line) });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/^example:code-first: missing --scope, --client-id/);
    expect(() => settings(join(dir, 'x.json'), ['--mcp-url', 'http://onbehalf.example/mcp'])).toThrow(/--mcp-url must be https/);
    expect(() => settings(join(dir, 'x.json'), ['--date', '2025-02-30'])).toThrow(/not a day of the calendar/);
  });

  it('refuses a cache path that is not a file', async () => {
    await expect(readCacheFile(dir)).rejects.toBeInstanceOf(TokenCacheError);
  });
});
