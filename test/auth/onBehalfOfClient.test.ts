// The OBO exchange's own caching: repeats never reach Entra, and replacing MSAL's client (to bound its memory) loses nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifiedCaller } from '../../shared/auth/identity.js';
import { createOnBehalfOf } from '../../shared/auth/onBehalfOf.js';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identityProvider.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { testTls } from '../support/testStack.js';

let idp: IdentityProvider;
beforeAll(async () => {
  idp = await startIdentityProvider({ tls: testTls(), clientId: DEV_CLIENT_ID });
});
afterAll(async () => {
  await idp.close();
});

async function callerOf(user: SampleUser): Promise<VerifiedCaller> {
  const assertion = await idp.accessToken(user);
  return {
    identity: { tid: user.tid, oid: user.oid, upn: user.upn, name: user.name, scopes: ['access_as_user'], appId: undefined, roles: [] },
    assertion,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    tokenHash: `hash-of-${user.key}`,
  };
}

describe('createOnBehalfOf', () => {
  it('keeps serving every caller after MSAL\'s client is replaced, without asking Entra again', async () => {
    const acquire = createOnBehalfOf({
      authorityHost: idp.url,
      tenantId: DEV_TENANT_ID,
      clientId: DEV_CLIENT_ID,
      credential: { kind: 'secret', secret: DEV_CLIENT_SECRET },
      maxMsalCachedTokens: 2,
    });
    const callers = await Promise.all([ADELE, ALEX, MEGAN].map(callerOf));
    const first = [];
    for (const caller of callers) first.push(await acquire(caller, ['Calendars.Read']));
    expect(idp.counts.obo).toBe(3);
    // The client was replaced after the second fetch; repeats are still answered without Entra.
    for (const [index, caller] of callers.entries()) expect(await acquire(caller, ['Calendars.Read'])).toBe(first[index]);
    expect(idp.counts.obo).toBe(3);
    // A new scope set is a new exchange, on whichever client is current.
    await acquire(callers[0]!, ['Mail.Read']);
    expect(idp.oboRequests.at(-1)).toMatchObject({ oid: ADELE.oid, scopes: ['Mail.Read'] });
    expect(idp.counts.obo).toBe(4);
  });
});
