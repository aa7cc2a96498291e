// MSAL, loaded on first use: 450 KB (with its JWT and semver libraries) that a cold start need not compile before a
// request asks for a token.
import type * as Msal from '@azure/msal-node';

export type MsalModule = typeof Msal;

let loading: Promise<MsalModule> | undefined;

/** The one copy of MSAL, loaded by the first caller; every later one gets the same module. */
export function loadMsal(): Promise<MsalModule> {
  return loading ??= import('@azure/msal-node');
}
