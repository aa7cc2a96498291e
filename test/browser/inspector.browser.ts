// MCP Inspector 2.x as the README tells a new user to run it, against what `npm start` runs: add the server, set the client ID, sign in, consent, list the tools, call whoami.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PUBLIC_CLIENT_ID } from '../../sandbox/identity/registrations.js';
import { ADELE, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { DEV_OTHER_TENANT_ID } from '../../shared/config/devDefaults.js';
import { createToolCatalog } from '../../shared/tools/catalog.js';
import { launchChromium } from '../support/chromium.js';
import { startDevStack, type DevStack } from '../support/devStack.js';
import { installInspector, startInspector, type RunningInspector } from '../support/inspector.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
// The only outside requests Inspector's page makes: the web fonts its index.html links. They are refused here.
const FONT_HOSTS = new Set(['fonts.googleapis.com', 'fonts.gstatic.com']);

let launcher: string;
let stack: DevStack;
let browser: Browser;

beforeAll(async () => {
  [launcher, stack, browser] = await Promise.all([installInspector(), startDevStack(), launchChromium()]);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

let inspector: RunningInspector | undefined;
let context: BrowserContext | undefined;
let leftLoopback: string[] = [];

/** A browser profile that has accepted the identity provider's certificate (step 1 of the README) and reaches loopback only. */
async function newContext(): Promise<BrowserContext> {
  const created = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 960 } });
  await created.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK.has(url.hostname)) return route.continue();
    leftLoopback.push(url.href);
    return route.abort('blockedbyclient');
  });
  return created;
}

afterEach(async () => {
  await context?.close();
  await inspector?.close();
  context = undefined;
  inspector = undefined;
  leftLoopback = [];
});

/** Closes Inspector's notifications, which can lie over the buttons below them. */
async function dismissNotifications(page: Page): Promise<void> {
  for (const close of await page.getByRole('alert').getByRole('button').all()) await close.click({ timeout: 1000 }).catch(() => undefined);
}

/** Add Servers → + Add manually: Server ID, Transport streamable-http, URL. */
async function addServer(page: Page, id: string, url: string): Promise<void> {
  await page.getByRole('button', { name: 'Add Servers' }).click();
  await page.getByRole('menuitem', { name: '+ Add manually' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByRole('textbox', { name: 'Server ID' }).fill(id);
  await dialog.getByRole('textbox', { name: 'Transport' }).click();
  await page.getByRole('option', { name: 'streamable-http' }).click();
  await dialog.getByRole('textbox', { name: 'URL' }).fill(url);
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 }).catch(async () => {
    throw new Error(`Inspector did not add the server: ${(await page.getByRole('alert').allInnerTexts()).join('; ')}`);
  });
}

/** The server card's Settings → OAuth Settings → Client ID; returns the redirect URI Inspector shows there. */
async function setClientId(page: Page, clientId: string): Promise<string> {
  await dismissNotifications(page);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Server Settings' });
  await dialog.getByRole('button', { name: 'OAuth Settings' }).click();
  // Inspector's page saves the server's settings through its backend; connecting before that write lands
  // would connect without the client ID (a user takes longer than that, a test does not).
  const saved = page.waitForResponse((response) => response.request().method() !== 'GET' && new URL(response.url()).pathname.startsWith('/api/servers/'));
  await dialog.getByRole('textbox', { name: 'Client ID' }).fill(clientId);
  expect((await saved).ok()).toBe(true);
  const redirectUri = await dialog.getByRole('textbox', { name: 'Redirect URI' }).inputValue();
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await dialog.waitFor({ state: 'hidden' });
  return redirectUri;
}

/** What Inspector says went wrong: its notifications, and the page when it is not its own (the identity provider's error). */
async function whatWentWrong(page: Page, inspectorOrigin: string): Promise<string> {
  if (!page.url().startsWith(inspectorOrigin)) return `at ${page.url()}:\n${await page.locator('body').innerText()}`;
  return (await page.getByRole('alert').allInnerTexts()).join('\n') || (await page.locator('body').innerText());
}

/**
 * Flips the card's connect switch and signs `user` in on the identity provider's pages (pick the account,
 * Accept), then waits until Inspector says Connected. Throws with what Inspector or the sign-in page said.
 */
async function connectAndSignIn(page: Page, id: string, userName: string, inspectorOrigin: string): Promise<void> {
  await dismissNotifications(page);
  await page.getByRole('switch', { name: `Connect or disconnect "${id}"` }).click({ force: true });
  const idpOrigin = stack.sandbox.idp?.url ?? '';
  const reached = await Promise.race([
    page.waitForURL((url) => url.href.startsWith(idpOrigin), { timeout: 30_000 }).then(() => 'sign-in' as const),
    page.getByText('Failed', { exact: true }).waitFor({ timeout: 30_000 }).then(() => 'failed' as const),
  ]).catch(() => 'neither' as const);
  if (reached !== 'sign-in') throw new Error(`Inspector did not send the user to sign in:\n${await whatWentWrong(page, inspectorOrigin)}`);
  const account = page.getByRole('button', { name: userName });
  if (!(await account.isVisible().catch(() => false))) throw new Error(`The sign-in page shows no account to pick:\n${await whatWentWrong(page, inspectorOrigin)}`);
  await account.click();
  await page.getByRole('button', { name: 'Accept' }).click();
  const done = await Promise.race([
    page.getByText('Connected', { exact: true }).waitFor({ timeout: 30_000 }).then(() => true),
    page.getByText('Failed', { exact: true }).waitFor({ timeout: 30_000 }).then(() => false),
  ]).catch(() => false);
  if (!done) throw new Error(`Inspector did not connect after the sign-in:\n${await whatWentWrong(page, inspectorOrigin)}`);
}

/** The Tools screen, whoami selected and run; returns the result's text. */
async function runWhoami(page: Page): Promise<{ toolCount: string; result: string }> {
  await dismissNotifications(page);
  await page.getByRole('banner').getByText('Tools', { exact: true }).click();
  const heading = page.getByRole('heading', { name: /^Tools \(\d+\)$/ });
  await heading.waitFor();
  await page.getByRole('button', { name: /\bwhoami\b/ }).click();
  await page.getByRole('button', { name: 'Execute Tool' }).click();
  const results = page.getByRole('heading', { name: 'Results' });
  await results.waitFor();
  return { toolCount: await heading.innerText(), result: await page.locator('main').innerText() };
}

interface Case {
  /** How the user opens Inspector: the address it prints, or localhost, which a user may type instead. */
  readonly host: string;
  readonly user: SampleUser;
  /** The endpoint added to Inspector: /mcp, or the user's tenant's own (its metadata names her tenant). */
  readonly path: string;
}

const CASES: readonly Case[] = [
  { host: '127.0.0.1', user: ADELE, path: '/mcp' },
  { host: 'localhost', user: ADELE, path: '/mcp' },
  { host: '127.0.0.1', user: MEGAN, path: `/tenants/${DEV_OTHER_TENANT_ID}/mcp` },
];

describe(`MCP Inspector (the release test/support/inspector/package.json pins) against npm start's dev mode`, () => {
  it.each(CASES)('signs $user.name in at $path from Inspector opened at $host, lists the tools and calls whoami as her', async ({ host, user, path }) => {
    inspector = await startInspector(launcher, { caCertPath: stack.sandbox.caBundle?.path ?? '' });
    const opened = new URL(inspector.url);
    opened.hostname = host;
    context = await newContext();
    const page = await context.newPage();
    await page.goto(opened.href);

    await addServer(page, 'onbehalf', `${stack.sandbox.host.url}${path}`);
    const redirectUri = await setClientId(page, DEV_PUBLIC_CLIENT_ID);
    expect(redirectUri).toBe(`http://${host}:${opened.port}/oauth/callback`);
    await connectAndSignIn(page, 'onbehalf', user.name, opened.origin);

    const { toolCount, result } = await runWhoami(page);
    // Dev mode grants every scope and sets no policy: the Inspector lists every tool of the catalog.
    expect(toolCount).toBe(`Tools (${createToolCatalog(undefined).tools.size})`);
    expect(result).toContain(`${user.name} (${user.upn})`);
    expect(result).toContain(`tenant ${user.tid}, object id ${user.oid}`);
    expect(leftLoopback.every((url) => FONT_HOSTS.has(new URL(url).hostname))).toBe(true);
  }, 180_000);
});
