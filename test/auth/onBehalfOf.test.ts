// The On-Behalf-Of exchange end to end: least privilege, the token cache, and every Entra failure's answer.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectClient } from '../support/mcpClient.js';
import { callToolMessage, postMcp, toolErrorCode } from '../support/rawMcp.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.idp.oboRequests.length = 0;
  stack.idp.oboFailures.clear();
  stack.idp.oboTokenLifetimeSeconds = 3600;
});

describe('least privilege', () => {
  it('asks Entra for exactly the scopes of the tool called', async () => {
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
    await client.callTool({ name: 'whoami', arguments: {} });
    const people = await client.callTool({ name: 'find_people', arguments: { query: 'lee' } });
    expect(people.isError, JSON.stringify(people)).toBeFalsy();
    expect(stack.idp.oboRequests.map((request) => request.scopes)).toEqual([['User.Read'], ['People.Read']]);
    await client.close();
  });

  it('has Graph refuse a token without the scope an endpoint needs', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await stack.idp.sign({ aud: 'https://graph.microsoft.com', iss: stack.idp.issuer(ADELE.tid), tid: ADELE.tid, oid: ADELE.oid, scp: 'Mail.Read', iat: now, exp: now + 600 });
    const response = await fetch(`${stack.graph.url}/v1.0/me/people`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(403);
  });
});

describe('token cache', () => {
  it('exchanges once for 50 calls of one user, and once more for a second user', async () => {
    const adele = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
    for (let call = 0; call < 50; call++) {
      const result = await adele.callTool({ name: 'whoami', arguments: {} });
      expect(result.isError).toBeFalsy();
    }
    expect(stack.idp.oboRequests).toHaveLength(1);
    const alex = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ALEX));
    await alex.callTool({ name: 'whoami', arguments: {} });
    await alex.callTool({ name: 'whoami', arguments: {} });
    expect(stack.idp.oboRequests.map((request) => request.oid)).toEqual([ADELE.oid, ALEX.oid]);
    await adele.close();
    await alex.close();
  });

  it('makes one exchange for 50 concurrent calls of one user with a fresh token', async () => {
    const token = await stack.idp.accessToken(ALEX);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postMcp(stack.mcpUrl, token, callToolMessage('whoami', {}, i + 1))));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect((answer.body as { result: { isError?: boolean; structuredContent: unknown } }).result.structuredContent).toMatchObject({ oid: ALEX.oid, profile: { displayName: ALEX.name } });
    }
    expect(stack.idp.oboRequests).toEqual([{ tenant: ALEX.tid, oid: ALEX.oid, scopes: ['User.Read'] }]);
  });

  it('keys Graph tokens by tenant, user and the whole token: callers whose tokens share a jti each get their own', async () => {
    // The issuer chooses jti; nothing stops two tokens, even of two tenants, from carrying the same one.
    const users = [ADELE, ALEX, MEGAN];
    const tokens = await Promise.all([...users, ADELE].map((user, i) => stack.idp.accessToken(user, { jti: 'shared-jti', ...(i === 3 && { azp: 'c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f' }) })));
    for (const [i, user] of [...users, ADELE].entries()) {
      const before = stack.graph.requests.length;
      const whoami = await postMcp(stack.mcpUrl, tokens[i], callToolMessage('whoami', {}, 1));
      const profile = (whoami.body as { result: { structuredContent: { oid: string; profile?: { displayName?: string; mail?: string } } } }).result.structuredContent;
      expect(profile.oid).toBe(user.oid);
      expect(profile.profile?.displayName).toBe(user.name);
      const mail = await postMcp(stack.mcpUrl, tokens[i], callToolMessage('list_messages', { top: 3 }, 2));
      expect((mail.body as { result: { isError?: boolean } }).result.isError).toBeFalsy();
      // Graph saw only this user's own Graph token, for the profile and the mail.
      const made = stack.graph.requests.slice(before);
      expect(made.length).toBeGreaterThanOrEqual(2);
      expect(new Set(made.map((request) => request.oid))).toEqual(new Set([user.oid]));
    }
    // One exchange per token and scope set, the fourth token (same user, another app) included.
    expect(stack.idp.oboRequests.map((request) => request.oid)).toEqual([ADELE, ADELE, ALEX, ALEX, MEGAN, MEGAN, ADELE, ADELE].map((user) => user.oid));
  });

  it('renews a cached Graph token that is about to expire', async () => {
    // MSAL treats tokens within 5 minutes of expiry as expired: a 60 s token is renewed on every use.
    stack.idp.oboTokenLifetimeSeconds = 60;
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(MEGAN));
    await client.callTool({ name: 'whoami', arguments: {} });
    await client.callTool({ name: 'whoami', arguments: {} });
    expect(stack.idp.oboRequests).toHaveLength(2);
    await client.close();
  });
});

describe('Entra failures', () => {
  it('turns missing consent into a tool error with the admin-consent URL of the caller\'s tenant', async () => {
    stack.idp.oboFailures.set(ALEX.oid, { failure: 'consent_required' });
    const token = await stack.idp.accessToken(ALEX, { jti: 'consent-case' });
    const answer = await postMcp(stack.mcpUrl, token, callToolMessage('whoami'));
    expect(answer.status).toBe(200);
    const result = (answer.body as { result: { isError: boolean; _meta: Record<string, { consentUrl?: string; correlationId?: string; traceId?: string }> } }).result;
    expect(result.isError).toBe(true);
    expect(toolErrorCode(result)).toBe('consent_required');
    expect(result._meta['onbehalf/error']?.consentUrl).toBe(`${stack.idp.url}/${ALEX.tid}/adminconsent?client_id=${stack.config.clientId}`);
    // The request's own id, which its log lines carry too; with tracing off there is no trace id beside it.
    expect(result._meta['onbehalf/error']?.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(result._meta['onbehalf/error']?.traceId).toBeUndefined();
  });

  it('answers an MFA / Conditional Access claims challenge with HTTP 401 insufficient_claims', async () => {
    stack.idp.oboFailures.set(ALEX.oid, { failure: 'mfa_required' });
    const answer = await postMcp(stack.mcpUrl, await stack.idp.accessToken(ALEX, { jti: 'mfa-case' }), callToolMessage('whoami'));
    expect(answer.status).toBe(401);
    const challenge = answer.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="insufficient_claims"');
    expect(challenge).toContain(`resource_metadata="${new URL(stack.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp"`);
    const claims = /claims="([^"]+)"/.exec(challenge)?.[1] ?? '';
    expect(JSON.parse(Buffer.from(claims, 'base64').toString('utf8'))).toHaveProperty('access_token.capolids');
    expect((answer.body as { error: { data: { code: string } } }).error.data.code).toBe('claims_challenge');
  });

  it('answers a refused assertion with HTTP 401 invalid_token', async () => {
    stack.idp.oboFailures.set(ALEX.oid, { failure: 'assertion_refused' });
    const answer = await postMcp(stack.mcpUrl, await stack.idp.accessToken(ALEX, { jti: 'refused-case' }), callToolMessage('whoami'));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((answer.body as { error: { data: { code: string } } }).error.data.code).toBe('assertion_refused');
  });

  it('retries once when the connection to Entra drops, and succeeds', async () => {
    stack.idp.oboFailures.set(ALEX.oid, { failure: 'connection_reset', times: 1 });
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ALEX, { jti: 'retry-case' }));
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(stack.idp.oboRequests).toHaveLength(2);
    await client.close();
  });

  // Last, and in the second tenant: after a 5xx, MSAL holds back the same request (scopes, tenant) for a minute.
  it('gives a tool error with a correlation id when Entra answers 5xx, and never a 401', async () => {
    stack.idp.oboFailures.set(MEGAN.oid, { failure: 'server_error' });
    const answer = await postMcp(stack.mcpUrl, await stack.idp.accessToken(MEGAN, { jti: 'down-case' }), callToolMessage('whoami'));
    expect(answer.status).toBe(200);
    const result = (answer.body as { result: { isError: boolean; _meta: Record<string, { code?: string; correlationId?: string }> } }).result;
    expect(result.isError).toBe(true);
    expect(toolErrorCode(result)).toBe('entra_unavailable');
    expect(result._meta['onbehalf/error']?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    // The retry is held back by MSAL's own throttling, so Entra sees the request once.
    expect(stack.idp.oboRequests).toHaveLength(1);
  });
});
