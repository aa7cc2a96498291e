// The sign-in and consent pages in a real browser: with JavaScript off, on a phone-sized screen, and through a rehearsal's consent link.
import { DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID } from '../../shared/config/devDefaults.js';
import { startAgentService, type AgentService } from '../../sandbox/foundry/agentService.js';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identityProvider.js';
import { DEV_PUBLIC_CLIENT_ID } from '../../sandbox/identity/registrations.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { launchChromium } from '../support/chromium.js';
import { printedConnection } from '../support/foundryConnection.js';
import { startTestStack, testTls, type TestStack } from '../support/testStack.js';

let browser: Browser;
let idp: IdentityProvider;
let client: Server;
let redirectUri = '';

beforeAll(async () => {
  browser = await launchChromium();
  idp = await startIdentityProvider({ tls: testTls(), clientId: DEV_CLIENT_ID });
  // The client's redirect URI: a loopback page that shows what it received.
  client = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>client</title><h1>Back at the client</h1>');
  });
  await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', () => resolve()));
  redirectUri = `http://127.0.0.1:${(client.address() as AddressInfo).port}/callback`;
});

afterAll(async () => {
  await browser.close();
  await idp.close();
  await new Promise((resolve) => client.close(resolve));
});

function startSignIn(extra: Record<string, string> = {}): { url: string; verifier: string } {
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: DEV_PUBLIC_CLIENT_ID, response_type: 'code', redirect_uri: redirectUri, scope: `api://${DEV_CLIENT_ID}/access_as_user openid`,
    state: 'browser-state', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', ...extra,
  });
  return { url: `${idp.url}/organizations/oauth2/v2.0/authorize?${params.toString()}`, verifier };
}

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  // The identity provider's certificate is made per run; this profile takes it as the user would, by accepting it.
  return browser.newContext({ ignoreHTTPSErrors: true, ...options });
}

async function backAtClient(page: Page): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  return new URL(page.url());
}

describe('with JavaScript off', () => {
  let context: BrowserContext;

  beforeAll(async () => {
    context = await newContext({ javaScriptEnabled: false });
  });

  afterAll(async () => {
    await context.close();
  });

  it('picks an account by its name, accepts the permissions in words, and lands at the client with a code', async () => {
    const page = await context.newPage();
    const { url, verifier } = startSignIn();
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'Pick an account' }).isVisible()).resolves.toBe(true);
    for (const user of [ADELE, ALEX, MEGAN]) await expect(page.getByRole('button', { name: user.name }).isVisible()).resolves.toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.getByRole('button', { name: ADELE.name }).click();
    await expect(page.getByRole('heading', { name: 'Permissions requested' }).isVisible()).resolves.toBe(true);
    const permissions = await page.getByRole('list', { name: 'This app would like to:' }).innerText();
    expect(permissions).toContain('Use onbehalf as you');
    expect(permissions).toContain('Sign you in');

    await page.getByRole('button', { name: 'Accept' }).click();
    const back = await backAtClient(page);
    expect(back.searchParams.get('state')).toBe('browser-state');
    const tokens = await fetch(`${idp.url}/organizations/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: DEV_PUBLIC_CLIENT_ID, code: back.searchParams.get('code') ?? '', redirect_uri: redirectUri, code_verifier: verifier }),
    }).then((response) => response.json() as Promise<{ access_token: string }>);
    expect(decodeJwt(tokens.access_token)).toMatchObject({ oid: ADELE.oid, aud: DEV_CLIENT_ID, scp: 'access_as_user' });
    await page.close();
  });

  it('signs in again without a page: the session cookie and the consent are remembered', async () => {
    const page = await context.newPage();
    await page.goto(startSignIn().url);
    expect((await backAtClient(page)).searchParams.has('code')).toBe(true);
    await page.close();
  });

  it('sends access_denied to the client when the user presses Cancel', async () => {
    const page = await context.newPage();
    await page.goto(startSignIn({ prompt: 'select_account' }).url);
    await page.getByRole('button', { name: ALEX.name }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    const back = await backAtClient(page);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.has('code')).toBe(false);
    await page.close();
  });

  it('shows Entra\'s error on a page, and sends nothing, for a redirect URI the app does not list', async () => {
    const page = await context.newPage();
    const response = await page.goto(startSignIn({ redirect_uri: 'https://attacker.example/cb' }).url);
    expect(response?.status()).toBe(400);
    expect(await page.getByRole('alert').innerText()).toContain('AADSTS50011');
    expect(page.url().startsWith(idp.url)).toBe(true);
    await page.close();
  });
});

describe('the revoke page', () => {
  it('revokes a user\'s consents from its button', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${idp.url}/dev/revoke`);
      await page.getByRole('button', { name: `Revoke ${ADELE.name}'s consents and refresh tokens` }).click();
      expect(await page.getByRole('status').innerText()).toContain(`Revoked ${ADELE.name}'s`);
    } finally {
      await context.close();
    }
  });
});

describe('on a phone-sized screen', () => {
  it('fits the width, with buttons large enough to tap', async () => {
    const context = await newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      const page = await context.newPage();
      await page.goto(startSignIn({ prompt: 'login' }).url);
      const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(await fits()).toBe(true);
      for (const button of await page.getByRole('button').all()) expect((await button.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(44);
      await page.getByRole('button', { name: MEGAN.name }).click();
      await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
      expect(await fits()).toBe(true);
      for (const name of ['Accept', 'Cancel']) expect((await page.getByRole('button', { name }).boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(44);
    } finally {
      await context.close();
    }
  });
});

describe('the rehearsal\'s consent link, opened in the browser', () => {
  let stack: TestStack;
  let agent: AgentService;

  beforeAll(async () => {
    stack = await startTestStack();
    agent = await startAgentService({ connection: await printedConnection(stack), projectTenantId: DEV_TENANT_ID });
  });

  afterAll(async () => {
    await agent.close();
    await stack.close();
  });

  it('signs the user in and lets the agent call the tool as them', async () => {
    const first = await agent.createResponse({ user: 'browser-user', tool: { name: 'whoami', arguments: {} } });
    const [item] = first.output;
    if (item?.type !== 'oauth_consent_request') throw new Error('expected a consent request');
    const context = await newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(item.consent_link);
      await page.getByRole('button', { name: ALEX.name }).click();
      await page.getByRole('button', { name: 'Accept' }).click();
      await page.getByRole('heading', { name: 'Connected' }).waitFor();
      await agent.waitForConsent(item.id);
    } finally {
      await context.close();
    }
    const [call] = (await agent.createResponse({ user: 'browser-user', previousResponseId: first.id })).output;
    expect(call?.type === 'mcp_call' ? call.structured_content : undefined).toMatchObject({ oid: ALEX.oid });
  });
});
