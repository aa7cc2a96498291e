// Who is calling: the verified user, as every tool sees them.

export interface Identity {
  /** Tenant id (`tid`). */
  readonly tid: string;
  /** User object id in that tenant (`oid`). */
  readonly oid: string;
  /** Sign-in name (`preferred_username`, or `upn`). */
  readonly upn: string | undefined;
  /** Display name (`name`). */
  readonly name: string | undefined;
  /** Delegated scopes granted to the calling client (`scp`). */
  readonly scopes: readonly string[];
  /** The client application acting for the user (`azp`, or `appid` in v1 tokens). */
  readonly appId: string | undefined;
  /** App roles of this server assigned to the user, directly or through a group (`roles`); empty when none. */
  readonly roles: readonly string[];
}

/** A verified caller: the identity, and the token kept only for the On-Behalf-Of exchange. */
export interface VerifiedCaller {
  readonly identity: Identity;
  /** The caller's access token. Never logged, never sent anywhere but to Entra as an OBO assertion. */
  readonly assertion: string;
  /** Token expiry, seconds since the epoch. */
  readonly expiresAt: number;
  /**
   * SHA-256 of the whole token (base64url), safe for logs and, with tid and oid, the key of every cache
   * holding something of this caller: never a claim alone, which an issuer may repeat across users.
   */
  readonly tokenHash: string;
}
