// The dev app registrations: the server API, the confidential client Foundry signs users in with, and a public client for local MCP clients.
import { randomBytes } from 'node:crypto';
import { DEV_CLIENT_SECRET } from '../../shared/config/devDefaults.js';
import type { FederatedCredential } from '../clientAssertion.js';

/** How Entra treats a redirect URI: a web app's, a single-page app's (CORS token redemption, PKCE), or a native app's. */
export type RedirectType = 'web' | 'spa' | 'publicClient';

export interface RedirectUri {
  readonly uri: string;
  readonly type: RedirectType;
}

/** The platform names of Entra's Authentication blade. */
const PLATFORM_NAMES: Readonly<Record<RedirectType, string>> = { web: 'Web', spa: 'Single-page application', publicClient: 'Mobile and desktop applications' };

/** `uri (platform)`, as the pages show a registered redirect URI. */
export function describeRedirectUri(redirect: RedirectUri): string {
  return `${redirect.uri} (${PLATFORM_NAMES[redirect.type]})`;
}

export interface AppRegistration {
  readonly clientId: string;
  readonly displayName: string;
  /** Confidential clients only; a public client presents none. */
  readonly clientSecret?: string;
  readonly redirectUris: readonly RedirectUri[];
  /** A federated identity credential: a `client_assertion` matching it proves the app instead of a secret. */
  readonly federatedCredential?: FederatedCredential;
}

export interface ApiRegistration extends AppRegistration {
  /**
   * The App ID URIs: scopes are named by one of them (or the GUID), and Entra v2 accepts an RFC 8707
   * `resource` parameter only when it is one of them, byte for byte.
   */
  readonly identifierUris: string[];
  /** Delegated scopes the API exposes, with the words the consent page shows. */
  readonly scopes: Readonly<Record<string, string>>;
  /** Clients pre-authorized on every exposed scope: users are not asked to consent to those. */
  readonly preAuthorizedClients: readonly string[];
  /** App roles users may be assigned (`value` → description), as infra/ defines them by default. */
  readonly appRoles: Readonly<Record<string, string>>;
}

export interface Registrations {
  readonly server: ApiRegistration;
  readonly foundry: AppRegistration;
  readonly publicClient: AppRegistration;
  byClientId(clientId: string): AppRegistration | undefined;
}

/** The app roles of the dev server app, as infra/ defines them by default; sample users hold some (sampleUsers.ts). */
export const DEV_APP_ROLES: Readonly<Record<string, string>> = {
  'Tools.Read': 'Use the tools that only read',
  'Tools.Write': 'Use the tools that send, post, create, change or cancel',
};

/** The dev Foundry client: confidential, like the "onbehalf Foundry client" registration `infra/` creates. */
export const DEV_FOUNDRY_CLIENT_ID = 'a3f5c1e2-7b4d-4c6e-9f80-1b2c3d4e5f60';
/** The dev public client for MCP Inspector, VS Code and other local MCP clients (also the `azp` of the banner's token). */
export const DEV_PUBLIC_CLIENT_ID = 'b6f1c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** Where the rehearsal's stand-in of Agent Service receives codes; a loopback URI, so any port matches. */
export const REHEARSAL_REDIRECT_URI = 'http://localhost/foundry/redirect';

/** The loopback forms a native client may redirect to (RFC 8252 §7.3); Entra ignores their port. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1'] as const;

/** A redirect path on both loopback forms, any port. */
function loopback(path: string, type: RedirectType): RedirectUri[] {
  return LOOPBACK_HOSTS.map((host) => ({ uri: `http://${host}${path}`, type }));
}

/**
 * What local MCP clients use, registered as each one redeems its code. Entra ignores the port of a
 * loopback redirect URI but compares the path; each URI here has one platform:
 * - mobile and desktop (`publicClient`, redeemed from a process with no `Origin`): MSAL's loopback
 *   root (VS Code's Microsoft sign-in, the code-first example) and VS Code's own loopback root
 *   (`http://127.0.0.1:33418/`, or any free port), the SDKs' and CLIs' `/callback`, MCP Inspector
 *   2.x's `/oauth/callback` (its backend redeems the code), and VS Code's `https://vscode.dev/redirect`
 *   bounce, its other way back when the loopback flow is not used;
 * - single-page app (`spa`, redeemed cross-origin from the page): only MCP Inspector 0.x's OAuth
 *   debugger callback, the one client here that still redeems in the browser.
 */
const PUBLIC_CLIENT_REDIRECTS: readonly RedirectUri[] = [
  ...loopback('', 'publicClient'),
  ...loopback('/callback', 'publicClient'),
  ...loopback('/oauth/callback', 'publicClient'),
  { uri: 'https://vscode.dev/redirect', type: 'publicClient' },
  ...loopback('/oauth/callback/debug', 'spa'),
];

export interface RegistrationOptions {
  /** The server app registration tokens are minted for. */
  readonly serverClientId: string;
  /** The server's OBO credential (default: the dev secret). */
  readonly serverClientSecret?: string;
  /** The Foundry client's secret (default: a fresh one per start). */
  readonly foundryClientSecret?: string;
  /** App ID URIs of the server besides `api://<id>`: dev mode adds the local MCP endpoint, so MCP clients that send it as `resource` are accepted. */
  readonly serverIdentifierUris?: readonly string[];
  /** Redirect URIs of the Foundry client besides the rehearsal's own (Foundry shows one per connection). */
  readonly foundryRedirectUris?: readonly string[];
  /** A federated credential on the server app (a managed identity used as its client credential). */
  readonly serverFederatedCredential?: FederatedCredential;
}

export function devRegistrations(options: RegistrationOptions): Registrations {
  const server: ApiRegistration = {
    clientId: options.serverClientId,
    displayName: 'onbehalf MCP server (dev)',
    clientSecret: options.serverClientSecret ?? DEV_CLIENT_SECRET,
    redirectUris: [],
    identifierUris: [`api://${options.serverClientId}`, ...(options.serverIdentifierUris ?? [])],
    scopes: { access_as_user: 'Use onbehalf as you: read and change your mail, calendar and files through its tools, never more than you can' },
    // As infra/ does: users of the Foundry client are not asked to consent to onbehalf itself.
    preAuthorizedClients: [DEV_FOUNDRY_CLIENT_ID],
    appRoles: DEV_APP_ROLES,
    ...(options.serverFederatedCredential !== undefined && { federatedCredential: options.serverFederatedCredential }),
  };
  const foundry: AppRegistration = {
    clientId: DEV_FOUNDRY_CLIENT_ID,
    displayName: 'onbehalf Foundry client (dev)',
    clientSecret: options.foundryClientSecret ?? `dev~${randomBytes(24).toString('base64url')}`,
    redirectUris: [REHEARSAL_REDIRECT_URI, ...(options.foundryRedirectUris ?? [])].map((uri) => ({ uri, type: 'web' })),
  };
  const publicClient: AppRegistration = {
    clientId: DEV_PUBLIC_CLIENT_ID,
    displayName: 'Local MCP clients (dev)',
    redirectUris: PUBLIC_CLIENT_REDIRECTS,
  };
  const all = [server, foundry, publicClient];
  return {
    server,
    foundry,
    publicClient,
    byClientId: (clientId) => all.find((app) => app.clientId === clientId.toLowerCase()),
  };
}

const LOOPBACK: ReadonlySet<string> = new Set(LOOPBACK_HOSTS);

/** Entra's comparison: exact, except that a loopback URI's port is ignored; a URI without a path has `/`. */
export function matchRedirectUri(app: AppRegistration, requested: string): RedirectUri | undefined {
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return undefined;
  }
  if (url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
  return app.redirectUris.find((registered) => {
    const expected = new URL(registered.uri);
    if (LOOPBACK.has(expected.hostname) && LOOPBACK.has(url.hostname)) {
      return url.protocol === expected.protocol && url.hostname === expected.hostname && url.pathname === expected.pathname && url.search === expected.search;
    }
    return url.href === expected.href;
  });
}
