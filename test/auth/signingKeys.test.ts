// Entra signing keys (JWKS): fetched once, rotation picked up, unknown kids rate-limited, and Entra outages survived.
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt, type FlattenedJWSInput } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeysFor } from '../../shared/auth/signingKeys.js';
import { DEV_CLIENT_ID, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { mcpHeaders } from '../support/mcpClient.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { startIdentityProvider } from '../../sandbox/identityProvider.js';
import { startTestStack, testTls, type TestStack } from '../support/testStack.js';
import type { RpcErrorBody } from '../http/rawRequest.js';

/** Rate limiting is not what these tests are about: 0 turns both buckets off (DESIGN §2). */
const NO_LIMITS = { RATE_LIMIT_TENANT_PER_MINUTE: '0', RATE_LIMIT_USER_PER_MINUTE: '0' };

const TOOLS_LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} } as const;

async function toolsList(stack: TestStack, token: string): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(stack.mcpUrl, {
    method: 'POST',
    headers: mcpHeaders(token, { 'mcp-protocol-version': '2025-11-25' }),
    body: JSON.stringify(TOOLS_LIST),
  });
  return { status: response.status, headers: response.headers, body: await response.json() as unknown };
}

function errorCode(body: unknown): string | undefined {
  return (body as Partial<RpcErrorBody>).error?.data?.code;
}

describe('one JWKS fetch serves many requests', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: NO_LIMITS });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('1,000 verified requests, in concurrent batches, fetch the JWKS exactly once', async () => {
    const tokens = await Promise.all([ADELE, ALEX, MEGAN].map((user) => stack.idp.accessToken(user)));
    const statuses: number[] = [];
    const batch = 25;
    for (let sent = 0; sent < 1000; sent += batch) {
      const answers = await Promise.all(Array.from({ length: batch }, (_, i) => toolsList(stack, tokens[(sent + i) % tokens.length] ?? '')));
      statuses.push(...answers.map((answer) => answer.status));
    }
    expect(statuses).toHaveLength(1000);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(stack.idp.counts.jwks).toBe(1);
    expect(stack.idp.counts.discovery).toBe(1);
  }, 120_000); // a thousand HTTP round trips: on a busy runner they need more than the default 20 s
});

describe('default cooldown (30 s)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: NO_LIMITS });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('an unknown kid within the cooldown does not refetch the JWKS', async () => {
    expect((await toolsList(stack, await stack.idp.accessToken(ADELE))).status).toBe(200);
    expect(stack.idp.counts.jwks).toBe(1);
    for (let i = 0; i < 5; i++) {
      const forged = await stack.idp.sign(decodeJwt(await stack.idp.accessToken(ADELE)), { kid: `unknown-kid-${i}` });
      const answer = await toolsList(stack, forged);
      expect(answer.status).toBe(401);
      expect(errorCode(answer.body)).toBe('key_unknown');
    }
    expect(stack.idp.counts.jwks).toBe(1);
  });

  it('with Entra down after the keys were fetched, tokens with a known kid still verify', async () => {
    expect((await toolsList(stack, await stack.idp.accessToken(ADELE))).status).toBe(200);
    stack.idp.available = false;
    try {
      for (const user of [ADELE, ALEX, MEGAN]) {
        expect((await toolsList(stack, await stack.idp.accessToken(user))).status).toBe(200);
      }
    } finally {
      stack.idp.available = true;
    }
  });
});

describe('short cooldown (100 ms)', () => {
  // jose refuses to refetch the JWKS for an unknown kid until the cooldown since the last fetch has passed
  // (so a flood of forged kids cannot hammer Entra). A rotated key is such an unknown kid, so the test runs with
  // a 100 ms cooldown and waits past it, rather than 30 s.
  const COOLDOWN_MS = 100;
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: NO_LIMITS, app: { jwksCooldownMs: COOLDOWN_MS } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('picks up a rotated key (new kid) without a restart', async () => {
    expect((await toolsList(stack, await stack.idp.accessToken(ADELE))).status).toBe(200);
    const before = stack.idp.counts.jwks;
    const oldToken = await stack.idp.accessToken(ALEX);
    const rotated = await stack.idp.rotateKeys();
    await sleep(COOLDOWN_MS * 2);
    const newToken = await stack.idp.accessToken(ADELE);
    expect(JSON.parse(Buffer.from(newToken.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).toMatchObject({ kid: rotated.kid });
    expect((await toolsList(stack, newToken)).status).toBe(200);
    expect(stack.idp.counts.jwks).toBe(before + 1);
    // The previous key stays published, so tokens signed before the rotation keep working.
    expect((await toolsList(stack, oldToken)).status).toBe(200);
    expect(stack.idp.counts.jwks).toBe(before + 1);
  });

  it('with Entra down, an unknown kid past the cooldown is key_unknown (not 503) and known kids keep working', async () => {
    expect((await toolsList(stack, await stack.idp.accessToken(ADELE))).status).toBe(200);
    stack.idp.available = false;
    try {
      await sleep(COOLDOWN_MS * 2);
      const forged = await stack.idp.sign(decodeJwt(await stack.idp.accessToken(ADELE)), { kid: 'kid-entra-never-published' });
      const refused = await toolsList(stack, forged);
      expect(refused.status).toBe(401);
      expect(errorCode(refused.body)).toBe('key_unknown');
      expect((await toolsList(stack, await stack.idp.accessToken(ALEX))).status).toBe(200);
    } finally {
      stack.idp.available = true;
    }
  });
});

describe('cold start with Entra down', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: NO_LIMITS });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers 503 with Retry-After and jwks_unavailable, then recovers when Entra is back', async () => {
    const token = await stack.idp.accessToken(ADELE);
    stack.idp.available = false;
    const refused = await toolsList(stack, token);
    expect(refused.status).toBe(503);
    const retryAfter = refused.headers.get('retry-after');
    expect(retryAfter).not.toBeNull();
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(errorCode(refused.body)).toBe('jwks_unavailable');
    expect(JSON.stringify(refused.body).includes(token)).toBe(false);

    stack.idp.available = true;
    expect((await toolsList(stack, token)).status).toBe(200);
    expect(stack.idp.counts.jwks).toBe(1);
  });
});

describe('signingKeysFor: background refresh after the maximum age', () => {
  // Entra retires keys: a key removed from the JWKS must stop being trusted once the set is older than maxAgeMs,
  // even while requests keep coming. The resolver refreshes in the background when its set is older than maxAgeMs;
  // "older" must count from the last fetch, not from the last request.
  it('refetches the key set once it is older than maxAgeMs, even under steady traffic', async () => {
    const idp = await startIdentityProvider({ tls: testTls(), clientId: DEV_CLIENT_ID });
    try {
      const maxAgeMs = 100;
      const resolve = signingKeysFor({ authorityHost: idp.url, tenant: DEV_TENANT_ID, maxAgeMs });
      const header = { alg: 'RS256', kid: idp.currentKey.kid };
      const token: FlattenedJWSInput = { payload: '', signature: '', protected: '' };
      await resolve(header, token);
      expect(idp.counts.jwks).toBe(1);
      // A request every 40 ms for well over maxAgeMs: at least one must find the set stale and refresh it.
      for (let i = 0; i < 8; i++) {
        await sleep(40);
        await resolve(header, token);
      }
      await sleep(50); // let a background refresh, if started, land
      expect(idp.counts.jwks).toBeGreaterThan(1);
    } finally {
      await idp.close();
    }
  });
});
