// Signs the user in as a public client: the cached token, else a refresh, else a browser on a loopback redirect (PKCE) or a device code.
import { InteractionRequiredAuthError, PublicClientApplication, type AccountInfo, type AuthenticationResult, type DeviceCodeRequest } from '@azure/msal-node';
import type { Settings } from './settings.js';
import { fileCachePlugin, type FileCacheOptions } from './tokenCache.js';

/** What the device code sign-in asks the user to do: open `verificationUri` and enter `userCode`. */
export type DeviceCodePrompt = Parameters<DeviceCodeRequest['deviceCodeCallback']>[0];

export interface SignInOptions extends FileCacheOptions {
  /** Sends the user to the sign-in page; the answer comes back to MSAL's loopback listener. */
  readonly openBrowser: (url: string) => Promise<void>;
  readonly onDeviceCode: (prompt: DeviceCodePrompt) => void;
}

export interface SignedIn {
  readonly accessToken: string;
  readonly username: string;
  readonly name: string | undefined;
  /** Where the token came from: the cache as it was, a refresh token, or an interactive sign-in. */
  readonly source: 'cache' | 'refresh' | 'browser' | 'device-code';
}

export type SignInErrorCode = 'account_ambiguous' | 'no_token';

export class SignInError extends Error {
  constructor(readonly code: SignInErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignInError';
  }
}

const SUCCESS_PAGE = '<!doctype html><meta charset="utf-8"><title>Signed in</title><p>Signed in. You can close this window and go back to the terminal.</p>';
const ERROR_PAGE = '<!doctype html><meta charset="utf-8"><title>Sign-in failed</title><p>The sign-in did not complete. The terminal says why.</p>';

export function createClient(settings: Settings, options: FileCacheOptions = {}): PublicClientApplication {
  return new PublicClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: settings.authority,
      // Trust the configured host as is: a national cloud, or the local identity provider of `npm start`.
      knownAuthorities: [new URL(settings.authority).host],
    },
    cache: { cachePlugin: fileCachePlugin(settings.cacheFile, options) },
  });
}

/** The cached account to use: the one named by --account, or the only one. Throws `SignInError` `account_ambiguous`. */
async function cachedAccount(client: PublicClientApplication, settings: Settings): Promise<AccountInfo | undefined> {
  const accounts = await client.getTokenCache().getAllAccounts();
  if (settings.account !== undefined) return accounts.find((account) => account.username.toLowerCase() === settings.account?.toLowerCase());
  if (accounts.length > 1) {
    throw new SignInError('account_ambiguous', `the cache holds ${accounts.length} accounts (${accounts.map((account) => account.username).join(', ')}): pick one with --account`);
  }
  return accounts[0];
}

function signedIn(result: AuthenticationResult | null, source: SignedIn['source']): SignedIn {
  if (result === null || result.accessToken === '' || result.account === null) throw new SignInError('no_token', 'the sign-in returned no access token');
  return { accessToken: result.accessToken, username: result.account.username, name: result.account.name, source };
}

/**
 * An access token for `settings.scope` and nothing else. Silent first: MSAL answers from the cache file, or
 * refreshes when the token expires within five minutes. Interactive only when that needs the user
 * (no account, refresh token expired or revoked, consent or MFA asked). Throws `SignInError`, and MSAL's
 * errors for what the identity provider refused.
 */
export async function signIn(settings: Settings, options: SignInOptions): Promise<SignedIn> {
  const client = createClient(settings, options);
  const scopes = [settings.scope];
  const account = await cachedAccount(client, settings);
  if (account !== undefined) {
    try {
      const result = await client.acquireTokenSilent({ account, scopes });
      return signedIn(result, result.fromCache ? 'cache' : 'refresh');
    } catch (error) {
      if (!(error instanceof InteractionRequiredAuthError)) throw error;
    }
  }
  if (settings.flow === 'device-code') {
    return signedIn(await client.acquireTokenByDeviceCode({ scopes, deviceCodeCallback: options.onDeviceCode }), 'device-code');
  }
  return signedIn(await client.acquireTokenInteractive({
    scopes,
    openBrowser: options.openBrowser,
    successTemplate: SUCCESS_PAGE,
    errorTemplate: ERROR_PAGE,
    ...(settings.account !== undefined && { loginHint: settings.account }),
  }), 'browser');
}
