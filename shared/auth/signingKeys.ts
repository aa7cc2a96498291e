// Entra's signing keys: OIDC discovery, then one remote JWKS per authority, held for the process's life.
import { createLocalJWKSet, createRemoteJWKSet, errors, jwksCache, type ExportedJWKSCache, type JWKSCacheInput, type JWTVerifyGetKey } from 'jose';
import * as z from 'zod';
import { AuthError } from './authError.js';

export interface SigningKeysOptions {
  /** e.g. `https://login.microsoftonline.com` */
  readonly authorityHost: string;
  /** A tenant GUID, or `organizations`. */
  readonly tenant: string;
  /** Least time between two JWKS fetches caused by unknown `kid`s. Default 30 s. */
  readonly cooldownMs?: number;
  /** Age after which the key set is refreshed in the background. Default 24 h. */
  readonly maxAgeMs?: number;
}

const DiscoveryDocument = z.object({ jwks_uri: z.url() });
const FETCH_TIMEOUT_MS = 5_000;

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;

// Module scope on purpose: a warm Functions instance reuses keys across invocations.
const resolvers = new Map<string, JWTVerifyGetKey>();

/**
 * The key resolver for an authority and tenant, shared by every verifier in the process.
 * The resolver throws `AuthError` `key_unknown` (no such `kid`, even after a refetch) or
 * `jwks_unavailable` (discovery or JWKS unreachable and no key set known yet).
 */
export function signingKeysFor(options: SigningKeysOptions): JWTVerifyGetKey {
  const discoveryUrl = `${options.authorityHost}/${options.tenant}/v2.0/.well-known/openid-configuration`;
  const key = `${discoveryUrl}#${options.cooldownMs ?? ''}#${options.maxAgeMs ?? ''}`;
  let resolver = resolvers.get(key);
  if (resolver === undefined) {
    resolver = createResolver(discoveryUrl, options);
    resolvers.set(key, resolver);
  }
  return resolver;
}

function createResolver(discoveryUrl: string, options: SigningKeysOptions): JWTVerifyGetKey {
  // jose records each successful fetch here (`uat`, `jwks`): how we know a set's age and keep the last good one.
  const fetched: Partial<ExportedJWKSCache> = {};
  let remote: Promise<RemoteKeys> | undefined;
  let lastGood: { uat: number; local: JWTVerifyGetKey } | undefined;
  const maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;

  const remoteKeys = (): Promise<RemoteKeys> => {
    remote ??= discover(discoveryUrl).then(
      (jwksUri) => createRemoteJWKSet(new URL(jwksUri), {
        cooldownDuration: options.cooldownMs ?? 30_000,
        // Refreshing happens in the background below, so jose never blocks a request on a stale set.
        cacheMaxAge: Number.POSITIVE_INFINITY,
        timeoutDuration: FETCH_TIMEOUT_MS,
        [jwksCache]: fetched as JWKSCacheInput,
      }),
      (cause: unknown) => {
        remote = undefined; // try discovery again on the next request
        throw cause;
      },
    );
    return remote;
  };

  const lastGoodKeys = (): JWTVerifyGetKey | undefined => {
    const { uat, jwks } = fetched;
    if (uat === undefined || jwks === undefined) return undefined;
    if (lastGood?.uat !== uat) lastGood = { uat, local: createLocalJWKSet(jwks) };
    return lastGood.local;
  };

  return async (header, token) => {
    let keys: RemoteKeys;
    try {
      keys = await remoteKeys();
    } catch (cause) {
      throw new AuthError('jwks_unavailable', 'The identity provider metadata could not be fetched; try again shortly', { cause });
    }
    if (fetched.uat !== undefined && Date.now() - fetched.uat > maxAgeMs && !keys.reloading) {
      // Stale-while-revalidate: a slow or failing Entra endpoint must not stall every request.
      keys.reload().catch(() => {});
    }
    try {
      return await keys(header, token);
    } catch (cause) {
      if (isNoKey(cause)) throw keyUnknown(cause);
      const known = lastGoodKeys();
      if (known === undefined) {
        throw new AuthError('jwks_unavailable', 'The identity provider signing keys could not be fetched; try again shortly', { cause });
      }
      // The refetch for an unknown kid failed: the keys we already trust still decide.
      try {
        return await known(header, token);
      } catch (fallbackCause) {
        throw isNoKey(fallbackCause) ? keyUnknown(fallbackCause) : fallbackCause;
      }
    }
  };
}

function isNoKey(cause: unknown): boolean {
  return cause instanceof errors.JWKSNoMatchingKey || cause instanceof errors.JWKSMultipleMatchingKeys;
}

function keyUnknown(cause: unknown): AuthError {
  return new AuthError('key_unknown', 'The token was signed with a key the identity provider does not publish', { cause });
}

async function discover(discoveryUrl: string): Promise<string> {
  const response = await fetch(discoveryUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`OpenID discovery answered ${response.status}`);
  return DiscoveryDocument.parse(await response.json()).jwks_uri;
}
