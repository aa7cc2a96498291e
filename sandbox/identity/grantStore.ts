// What the local identity provider remembers: consents, sign-in sessions, pending sign-ins, codes and refresh tokens.
import { randomBytes } from 'node:crypto';
import type { SampleUser } from '../sampleUsers.js';
import type { RedirectType } from './registrations.js';
import type { RequestedScopes } from './scopes.js';

/** A validated authorization request, waiting for the user on the sign-in or consent page. */
export interface AuthorizationRequest {
  /** The tenant segment of the authority (`organizations`, a tenant id...). */
  readonly tenantPath: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly redirectType: RedirectType;
  readonly responseMode: 'query' | 'fragment' | 'form_post';
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly scopes: RequestedScopes;
  readonly codeChallenge: string | undefined;
  readonly codeChallengeMethod: 'S256' | 'plain' | undefined;
  readonly loginHint: string | undefined;
  readonly prompt: string | undefined;
  /** The original query, to start over from the sign-in page. */
  readonly query: string;
  /** Set when the sign-in answers a device code: it ends on a page, not at a redirect URI. */
  readonly deviceCode?: string;
}

export interface Flow {
  readonly id: string;
  readonly request: AuthorizationRequest;
  /** The browser that started it (its cookie): the pages' answers must come from the same one. */
  readonly browser: string;
  readonly expiresAt: number;
  /** Set once the user picked an account. */
  user?: SampleUser;
  sessionId?: string;
}

export interface Session {
  readonly id: string;
  readonly user: SampleUser;
  readonly serial: number;
}

export interface AuthorizationCode {
  readonly request: AuthorizationRequest;
  readonly user: SampleUser;
  readonly sessionId: string;
  readonly expiresAt: number;
  /** Names every refresh token issued from this code and from those tokens' refreshes. */
  readonly family: string;
  redeemed: boolean;
}

export interface RefreshGrant {
  readonly clientId: string;
  readonly user: SampleUser;
  readonly tenantPath: string;
  readonly scopes: RequestedScopes;
  readonly redirectType: RedirectType;
  readonly sessionId: string;
  readonly expiresAt: number;
  /** The authorization code the grant descends from (a device code's grants have their own). */
  readonly family: string;
  /** Issue order: a revocation voids every grant and session issued before it. */
  readonly serial: number;
}

/** A device code grant: the device polls with `deviceCode` while the user enters `userCode` in a browser. */
export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly clientId: string;
  readonly tenantPath: string;
  readonly scopes: RequestedScopes;
  readonly expiresAt: number;
  status: 'pending' | 'approved' | 'declined';
  /** Set once approved. */
  user?: SampleUser;
  sessionId?: string;
}

const FLOW_LIFETIME_MS = 10 * 60_000;
// Entra's device codes live fifteen minutes.
const DEVICE_CODE_LIFETIME_MS = 15 * 60_000;
// Entra's user codes: nine letters and digits a person can read aloud.
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
// Entra's authorization codes live about ten minutes.
const CODE_LIFETIME_MS = 10 * 60_000;

function opaque(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

function userKey(user: SampleUser): string {
  return `${user.tid}:${user.oid}`;
}

export class GrantStore {
  private readonly consents = new Map<string, Set<string>>();
  private readonly flows = new Map<string, Flow>();
  private readonly sessions = new Map<string, Session>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly devices = new Map<string, DeviceAuthorization>();
  private readonly userCodes = new Map<string, string>();
  /** Per user: grants and sessions with a serial below this are void. */
  private readonly revokedBelow = new Map<string, number>();
  /** Code families whose refresh tokens are void: their code was presented again. */
  private readonly revokedFamilies = new Set<string>();
  private serial = 0;

  constructor(private readonly now: () => number) {}

  /** Consent keys the user has not yet given `clientId`, in the order asked. */
  missingConsent(user: SampleUser, clientId: string, keys: readonly string[]): string[] {
    const granted = this.consents.get(`${userKey(user)}:${clientId}`) ?? new Set<string>();
    return keys.filter((key) => !granted.has(key));
  }

  grantConsent(user: SampleUser, clientId: string, keys: readonly string[]): void {
    const id = `${userKey(user)}:${clientId}`;
    const granted = this.consents.get(id) ?? new Set<string>();
    for (const key of keys) granted.add(key);
    this.consents.set(id, granted);
  }

  /** Client ids the user has consented to, with what. */
  consentsOf(user: SampleUser): Map<string, readonly string[]> {
    const result = new Map<string, readonly string[]>();
    for (const [id, keys] of this.consents) {
      if (id.startsWith(`${userKey(user)}:`)) result.set(id.slice(userKey(user).length + 1), [...keys]);
    }
    return result;
  }

  /** Removes the user's consents and voids their refresh tokens and sessions, as revoking sign-in sessions does. */
  revoke(user: SampleUser): { consents: number; refreshTokens: number } {
    let consents = 0;
    for (const id of [...this.consents.keys()]) {
      if (id.startsWith(`${userKey(user)}:`)) {
        this.consents.delete(id);
        consents++;
      }
    }
    const revokedBelow = ++this.serial;
    this.revokedBelow.set(userKey(user), revokedBelow);
    const refreshTokens = [...this.refreshTokens.values()].filter((grant) => userKey(grant.user) === userKey(user) && grant.serial < revokedBelow && grant.expiresAt > this.now()).length;
    return { consents, refreshTokens };
  }

  isRevoked(user: SampleUser, serial: number): boolean {
    return serial < (this.revokedBelow.get(userKey(user)) ?? 0);
  }

  /**
   * Voids every refresh token issued from a code, as RFC 6749 §4.1.2 asks when the code is presented twice:
   * the second presenter may be a thief who intercepted it, and the first may be too.
   */
  revokeFamily(family: string): void {
    this.revokedFamilies.add(family);
  }

  isFamilyRevoked(family: string): boolean {
    return this.revokedFamilies.has(family);
  }

  startFlow(request: AuthorizationRequest, browser: string): Flow {
    const flow: Flow = { id: opaque(), request, browser, expiresAt: this.now() + FLOW_LIFETIME_MS };
    this.flows.set(flow.id, flow);
    return flow;
  }

  /** The live flow `id` started by `browser`. */
  flow(id: string, browser: string | undefined): Flow | undefined {
    const flow = this.flows.get(id);
    if (flow === undefined || flow.browser !== browser) return undefined;
    if (flow.expiresAt <= this.now()) {
      this.flows.delete(id);
      return undefined;
    }
    return flow;
  }

  endFlow(id: string): void {
    this.flows.delete(id);
  }

  startSession(user: SampleUser): Session {
    const session: Session = { id: opaque(), user, serial: ++this.serial };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session behind a cookie; sessions of a revoked user are gone. */
  session(id: string | undefined): Session | undefined {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (session === undefined) return undefined;
    if (this.isRevoked(session.user, session.serial)) {
      this.sessions.delete(session.id);
      return undefined;
    }
    return session;
  }

  issueCode(request: AuthorizationRequest, user: SampleUser, sessionId: string): string {
    const code = opaque(48);
    this.codes.set(code, { request, user, sessionId, expiresAt: this.now() + CODE_LIFETIME_MS, family: opaque(16), redeemed: false });
    return code;
  }

  code(code: string): AuthorizationCode | undefined {
    return this.codes.get(code);
  }

  issueRefreshToken(grant: Omit<RefreshGrant, 'serial'>): string {
    // Entra's refresh tokens are opaque to clients; so are these.
    const token = `0.dev.${opaque(64)}`;
    this.refreshTokens.set(token, { ...grant, serial: ++this.serial });
    return token;
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    return this.refreshTokens.get(token);
  }

  startDeviceAuthorization(grant: Pick<DeviceAuthorization, 'clientId' | 'tenantPath' | 'scopes'>): DeviceAuthorization {
    const bytes = randomBytes(9);
    const userCode = [...bytes].map((byte) => USER_CODE_ALPHABET[byte % USER_CODE_ALPHABET.length]).join('');
    const device: DeviceAuthorization = { ...grant, deviceCode: opaque(48), userCode, expiresAt: this.now() + DEVICE_CODE_LIFETIME_MS, status: 'pending' };
    this.devices.set(device.deviceCode, device);
    this.userCodes.set(userCode, device.deviceCode);
    return device;
  }

  /** The pending, live device authorization a user code names (any case, spaces and dashes ignored). */
  deviceByUserCode(userCode: string): DeviceAuthorization | undefined {
    const deviceCode = this.userCodes.get(userCode.toUpperCase().replace(/[\s-]/g, ''));
    const device = deviceCode === undefined ? undefined : this.devices.get(deviceCode);
    return device?.status === 'pending' && device.expiresAt > this.now() ? device : undefined;
  }

  device(deviceCode: string): DeviceAuthorization | undefined {
    return this.devices.get(deviceCode);
  }

  /** A device code is redeemed once: after that it names nothing. */
  endDevice(device: DeviceAuthorization): void {
    this.devices.delete(device.deviceCode);
    this.userCodes.delete(device.userCode);
  }
}
