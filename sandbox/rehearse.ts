// `npm run foundry:rehearse [-- --revoke] [--real-expiry] [--toolbox]`: Foundry's OAuth identity passthrough, for a prompt agent
// or (--toolbox) a hosted agent through a toolbox, rehearsed against the running `npm start`, configured only from `foundry:config -- --dev`.
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_TENANT_ID } from '../shared/config/devDefaults.js';
import { startAgentService, type AgentEvent, type AgentResponse, type ConsentRequestItem, type McpCallItem } from './foundry/agentService.js';
import { connectionFromConfig } from './foundry/connection.js';
import { runHostedTurn } from './foundry/hostedAgent.js';
import { startToolbox } from './foundry/toolbox.js';
import { ResponsesApiError } from './foundry/toolSchemas.js';
import { CALL_ID_HEADER, createTurns } from './foundry/turns.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const CHILD_MARK = 'ONBEHALF_REHEARSAL_TRUSTS_DEV_CA';
const CONSENT_WAIT_MS = 15 * 60_000;
// --real-expiry: how often the server is asked, and for how long, while the access token ages past exp plus the server's skew.
const EXPIRY_POLL_MS = 20_000;
const EXPIRY_WAIT_MS = 90 * 60_000;
const realExpiry = process.argv.includes('--real-expiry');

function fail(message: string): never {
  console.error(`foundry:rehearse: ${message}`);
  process.exit(1);
}

// The stand-in calls the local identity provider over https: trust this run's certificate (and the user's
// own extra CAs, which the bundle keeps) by starting again with NODE_EXTRA_CA_CERTS, which Node reads only at start.
if (process.env[CHILD_MARK] !== '1') {
  const caCertPath = (JSON.parse(printed()) as { 'CA certificates'?: unknown })['CA certificates'];
  if (typeof caCertPath !== 'string') fail('foundry:config -- --dev --json gave no CA certificates: start the server with npm start (dev mode) in this checkout again');
  const child = spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath, [CHILD_MARK]: '1' } });
  child.on('exit', (code) => process.exit(code ?? 1));
  process.on('SIGINT', () => child.kill('SIGINT'));
} else if (process.argv.includes('--toolbox')) {
  await rehearseToolbox();
} else {
  await rehearse();
}

function printed(): string {
  try {
    return execFileSync(process.execPath, ['--', join(repoRoot, 'infra', 'scripts', 'foundryConfig.mjs'), '--dev', '--json'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    fail(String((error as { stderr?: unknown }).stderr ?? error).trim().replace(/^foundry:config: /, ''));
  }
}

function show(item: McpCallItem): void {
  if (item.error !== null) {
    console.log(`   ✗ ${item.name} failed: ${item.error}`);
    return;
  }
  const text = (item.output ?? '').split('\n');
  for (const line of text.slice(0, 12)) console.log(`   │ ${line}`);
  if (text.length > 12) console.log(`   │ … (${text.length - 12} more lines)`);
}

function describe(event: AgentEvent, who: string): string {
  switch (event.kind) {
    case 'consent_requested': return `${who}: no grant stored for this user and connection; ${who === 'Toolbox' ? 'JSON-RPC -32006 with CONSENT_REQUIRED and the consent link' : 'the response carries an oauth_consent_request'}`;
    case 'consent_completed': return `${who}: code received at the redirect URL, redeemed at the Token URL; tokens stored for ${event.signedInAs}`;
    case 'consent_refused': return `${who}: the sign-in ended with ${event.error}`;
    case 'token_refused': return `${who}: the MCP server refused the access token (${event.error}); refreshing it`;
    case 'token_refreshed': return `${who}: the access token was due; refreshed at the Refresh URL (the new refresh token kept; Entra leaves the old one valid too)`;
    case 'refresh_refused': return `${who}: the Refresh URL refused the refresh token (${event.error}); consent is required again`;
    case 'tool_called': return `${who}: called ${event.tool} on the MCP server with the user's access token: ${event.ok ? 'ok' : 'failed'}`;
  }
}

function waitForSignIn(wait: Promise<void>): Promise<unknown> {
  return Promise.race([
    wait,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no sign-in within 15 minutes')), CONSENT_WAIT_MS).unref()),
  ]).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
}

/**
 * Calls `call` every 20 s until the MCP server has refused the held access token once (a `token_refused` event): a real
 * expiry, which the server sees only once the token is past its `exp` plus the 300 s of clock skew it allows.
 */
async function untilRefused(events: readonly AgentEvent[], call: () => Promise<void>): Promise<void> {
  const from = events.length;
  const started = Date.now();
  console.log('   Calling whoami every 20 s until the server refuses the token: its lifetime (DEV_ACCESS_TOKEN_LIFETIME_SECONDS of npm start) plus the server\'s 300 s of clock skew.');
  for (;;) {
    await call();
    if (events.slice(from).some((event) => event.kind === 'token_refused')) return;
    if (Date.now() - started > EXPIRY_WAIT_MS) fail('the server still accepts the token after 90 minutes; start npm start with DEV_ACCESS_TOKEN_LIFETIME_SECONDS=30 to wait less');
    await new Promise((resolve) => setTimeout(resolve, EXPIRY_POLL_MS));
  }
}

function only<T extends AgentResponse['output'][number]['type']>(response: AgentResponse, type: T): Extract<AgentResponse['output'][number], { type: T }> {
  const item = response.output.find((candidate) => candidate.type === type);
  if (item === undefined) fail(`expected ${type}, got ${JSON.stringify(response.output)}`);
  return item as Extract<AgentResponse['output'][number], { type: T }>;
}

async function rehearse(): Promise<void> {
  const connection = connectionFromConfig(JSON.parse(printed()));
  let ahead = 0;
  let signedIn = '';
  const agent = await startAgentService({
    connection,
    projectTenantId: DEV_TENANT_ID,
    port: Number(process.env['DEV_REHEARSAL_PORT'] ?? 0) || 0,
    now: () => Date.now() + ahead,
    ...(realExpiry && { refresh: 'when-refused' as const }),
    onEvent: (event) => {
      if (event.kind === 'consent_completed') signedIn = event.upn;
      console.log(`   · ${describe(event, 'Agent Service')}`);
    },
  });
  process.on('SIGINT', () => void agent.close().then(() => process.exit(130)));
  const user = 'you';
  const step = (text: string) => console.log(`\n${text}`);
  try {
    console.log(`Rehearsing Foundry's OAuth identity passthrough against ${connection.mcpUrl}`);
    console.log(`  connection from npm run foundry:config -- --dev: Client ID ${connection.clientId}, Auth URL ${connection.authUrl}`);
    console.log(`  redirect URL of this stand-in: ${agent.redirectUri}`);

    step('1. The agent wants to call whoami for you.');
    const first = await agent.createResponse({ user, tool: { name: 'whoami', arguments: {} } });
    const consent = only(first, 'oauth_consent_request');
    console.log(`\n   Open this consent link in your browser (accept the local certificate if asked), pick a user and accept:\n\n   ${consent.consent_link}\n`);
    console.log('   (The project is in the Contoso tenant: Adele and Alex are its users. Megan is of the second tenant and is refused after her sign-in, as Foundry serves its project\'s tenant only.)');
    console.log('   Waiting for the sign-in…');
    await waitForSignIn(agent.waitForConsent(consent.id));

    step(`2. Continue the conversation (previous_response_id=${first.id}): the pending call runs as you.`);
    show(only(await agent.createResponse({ user, previousResponseId: first.id }), 'mcp_call'));

    step('3. A later call, list_events for the next 7 days: no consent asked again.');
    const now = Date.now();
    show(only(await agent.createResponse({ user, tool: { name: 'list_events', arguments: { start: new Date(now).toISOString(), end: new Date(now + 7 * 86_400_000).toISOString() } } }), 'mcp_call'));

    if (realExpiry) {
      step('4. A real expiry: the stand-in keeps sending the token until the server refuses it, then refreshes it.');
      await untilRefused(agent.events, async () => show(only(await agent.createResponse({ user, tool: { name: 'whoami', arguments: { profile: false } } }), 'mcp_call')));
    } else {
      step('4. Two hours later (the stand-in\'s clock jumps ahead; the server never sees this jump: -- --real-expiry waits for a real one): the stand-in refreshes the token before using it.');
      ahead += 2 * 3600_000;
      show(only(await agent.createResponse({ user, tool: { name: 'whoami', arguments: { profile: false } } }), 'mcp_call'));
    }

    const revokeUrl = `${new URL(connection.authUrl).origin}/dev/revoke`;
    if (!process.argv.includes('--revoke')) {
      step(`Done: one consent, calls as you, no second prompt, a silent refresh. With -- --revoke the rehearsal also revokes your grant at ${revokeUrl} and shows the consent link come back.`);
      return;
    }
    step(`5. An admin revokes your consents and refresh tokens (${revokeUrl}); two hours later the access token has expired again.`);
    const revoked = await fetch(`${revokeUrl}?user=${encodeURIComponent(signedIn)}`, { method: 'POST' });
    if (!revoked.ok) fail(`revoking at ${revokeUrl} answered ${revoked.status}`);
    ahead += 2 * 3600_000;
    let again = await agent.createResponse({ user, tool: { name: 'whoami', arguments: {} } });
    // With --real-expiry the stand-in refreshes only once the server refuses the token: wait for that, as in step 4.
    while (realExpiry && again.output.some((item) => item.type === 'mcp_call')) {
      await new Promise((resolve) => setTimeout(resolve, EXPIRY_POLL_MS));
      again = await agent.createResponse({ user, tool: { name: 'whoami', arguments: {} } });
    }
    console.log(`\n   The consent link is back: ${only(again, 'oauth_consent_request').consent_link}`);
    step('Done: one consent, calls as you, no second prompt, a silent refresh, and a new consent link once the grant is revoked.');
  } catch (error) {
    // What Foundry would answer instead of running the agent, such as a tool schema outside its subset.
    if (error instanceof ResponsesApiError) fail(`Agent Service answered HTTP ${error.status} ${error.message}`);
    throw error;
  } finally {
    await agent.close();
  }
}

function showItem(item: ConsentRequestItem | McpCallItem): void {
  if (item.type === 'mcp_call') show(item);
  else console.log(`   ✗ expected the tool's answer, got a consent request: ${item.consent_link}`);
}

async function rehearseToolbox(): Promise<void> {
  const connection = connectionFromConfig(JSON.parse(printed()));
  const authority = new URL(connection.authUrl).origin;
  let ahead = 0;
  let signedIn = '';
  const turns = createTurns();
  const toolbox = await startToolbox({
    connection,
    projectTenantId: DEV_TENANT_ID,
    turns,
    port: Number(process.env['DEV_REHEARSAL_PORT'] ?? 0) || 0,
    now: () => Date.now() + ahead,
    ...(realExpiry && { refresh: 'when-refused' as const }),
    onEvent: (event) => {
      if (event.kind === 'consent_completed') signedIn = event.upn;
      console.log(`   · ${describe(event, 'Toolbox')}`);
    },
  });
  process.on('SIGINT', () => void toolbox.close().then(() => process.exit(130)));
  const agent = { toolboxMcpUrl: toolbox.mcpUrl, identityEndpoint: `${authority}/dev/agent-identity/token`, serverLabel: toolbox.serverLabel };
  const step = (text: string) => console.log(`\n${text}`);
  const turn = (user: string, tool = { name: 'whoami', arguments: {} }) => {
    const headers = turns.start(user);
    console.log(`   · Platform: a message of ${user} reaches the hosted agent (${CALL_ID_HEADER}: ${headers[CALL_ID_HEADER].slice(0, 8)}…); it calls ${toolbox.serverLabel}___${tool.name} on the toolbox with its own token for https://ai.azure.com`);
    return runHostedTurn(agent, { turn: headers, tool });
  };
  const consentOf = (item: ConsentRequestItem | McpCallItem): ConsentRequestItem => {
    if (item.type !== 'oauth_consent_request') fail(`expected a consent request, got ${JSON.stringify(item)}`);
    return item;
  };
  try {
    console.log(`Rehearsing a hosted agent acting as its user through a Foundry toolbox, against ${connection.mcpUrl}`);
    console.log(`  toolbox MCP endpoint (TOOLBOX_ENDPOINT): ${toolbox.mcpUrl}`);
    console.log(`  its OAuth passthrough connection, from npm run foundry:config -- --dev: Client ID ${connection.clientId}, Auth URL ${connection.authUrl}`);
    console.log(`  the connection's redirect URL: ${toolbox.redirectUri}`);

    step('1. Your message reaches the hosted agent, which wants to call whoami.');
    const first = consentOf(await turn('you'));
    console.log(`\n   The agent surfaces an oauth_consent_request. Open its link in your browser (accept the local certificate if asked), pick a user and accept:\n\n   ${first.consent_link}\n`);
    console.log('   (The project is in the Contoso tenant: Adele and Alex are its users. Megan is of the second tenant and is refused after her sign-in.)');
    console.log('   Waiting for the sign-in…');
    await waitForSignIn(toolbox.waitForConsent(first.id));

    step('2. You send the prompt again: a new turn, and the tool answers as you.');
    showItem(await turn('you'));

    step('3. A colleague talks to the same agent: their turn finds no grant of theirs, so they get a consent link of their own.');
    const colleague = consentOf(await turn('a colleague'));
    console.log(`   (theirs, not yours: ${colleague.consent_link})`);

    if (realExpiry) {
      step('4. A real expiry: the toolbox keeps sending your token until the server refuses it, then refreshes it; the agent sees nothing of it.');
      await untilRefused(toolbox.events, async () => showItem(await turn('you')));
    } else {
      step('4. Two hours later (the toolbox\'s clock jumps ahead; the server never sees this jump: -- --real-expiry waits for a real one): the toolbox refreshes your token; the agent sees nothing of it.');
      ahead += 2 * 3600_000;
      showItem(await turn('you'));
    }

    const revokeUrl = `${authority}/dev/revoke`;
    step(`5. An admin revokes your consents and refresh tokens (${revokeUrl}); two hours later the access token has expired again.`);
    const revoked = await fetch(`${revokeUrl}?user=${encodeURIComponent(signedIn)}`, { method: 'POST' });
    if (!revoked.ok) fail(`revoking at ${revokeUrl} answered ${revoked.status}`);
    let again = await (async () => {
      ahead += 2 * 3600_000;
      return turn('you');
    })();
    // With --real-expiry the toolbox refreshes only once the server refuses the token: wait for that, as in step 4.
    while (realExpiry && again.type === 'mcp_call') {
      await new Promise((resolve) => setTimeout(resolve, EXPIRY_POLL_MS));
      again = await turn('you');
    }
    console.log(`\n   Consent is required again: ${consentOf(again).consent_link}`);
    step('Done: consent required, the consent page, the prompt sent again, the tool as you, a colleague apart, a silent refresh, and consent required again once the grant is revoked.');
  } finally {
    await toolbox.close();
  }
}
