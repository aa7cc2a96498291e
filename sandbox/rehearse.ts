// `npm run foundry:rehearse [-- --revoke]`: Foundry's OAuth identity passthrough, rehearsed against the running `npm start`,
// configured only from `foundry:config -- --dev`.
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_TENANT_ID } from '../shared/config/devDefaults.js';
import { startAgentService, type AgentEvent, type AgentResponse, type McpCallItem } from './foundry/agentService.js';
import { connectionFromConfig } from './foundry/connection.js';
import { ResponsesApiError } from './foundry/toolSchemas.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const CHILD_MARK = 'ONBEHALF_REHEARSAL_TRUSTS_DEV_CA';
const CONSENT_WAIT_MS = 15 * 60_000;

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

function describe(event: AgentEvent): string {
  switch (event.kind) {
    case 'consent_requested': return 'Agent Service: no grant stored for this user and connection; the response carries an oauth_consent_request';
    case 'consent_completed': return `Agent Service: code received at the redirect URL, redeemed at the Token URL; tokens stored for ${event.signedInAs}`;
    case 'consent_refused': return `Agent Service: the sign-in ended with ${event.error}`;
    case 'token_refused': return `Agent Service: the MCP server refused the access token (${event.error}); refreshing it`;
    case 'token_refreshed': return 'Agent Service: the access token had expired; refreshed at the Refresh URL (new refresh token kept)';
    case 'refresh_refused': return `Agent Service: the Refresh URL refused the refresh token (${event.error}); the consent link comes back`;
    case 'tool_called': return `Agent Service: called ${event.tool} on the MCP server with the user's access token: ${event.ok ? 'ok' : 'failed'}`;
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
    onEvent: (event) => {
      if (event.kind === 'consent_completed') signedIn = event.upn;
      console.log(`   · ${describe(event)}`);
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
    await Promise.race([
      agent.waitForConsent(consent.id),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no sign-in within 15 minutes')), CONSENT_WAIT_MS).unref()),
    ]).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

    step(`2. Continue the conversation (previous_response_id=${first.id}): the pending call runs as you.`);
    show(only(await agent.createResponse({ user, previousResponseId: first.id }), 'mcp_call'));

    step('3. A later call, list_events for the next 7 days: no consent asked again.');
    const now = Date.now();
    show(only(await agent.createResponse({ user, tool: { name: 'list_events', arguments: { start: new Date(now).toISOString(), end: new Date(now + 7 * 86_400_000).toISOString() } } }), 'mcp_call'));

    step('4. Two hours later (the stand-in\'s clock jumps ahead): the access token has expired.');
    ahead += 2 * 3600_000;
    show(only(await agent.createResponse({ user, tool: { name: 'whoami', arguments: { profile: false } } }), 'mcp_call'));

    const revokeUrl = `${new URL(connection.authUrl).origin}/dev/revoke`;
    if (!process.argv.includes('--revoke')) {
      step(`Done: one consent, calls as you, no second prompt, a silent refresh. With -- --revoke the rehearsal also revokes your grant at ${revokeUrl} and shows the consent link come back.`);
      return;
    }
    step(`5. An admin revokes your consents and refresh tokens (${revokeUrl}); two hours later the access token has expired again.`);
    const revoked = await fetch(`${revokeUrl}?user=${encodeURIComponent(signedIn)}`, { method: 'POST' });
    if (!revoked.ok) fail(`revoking at ${revokeUrl} answered ${revoked.status}`);
    ahead += 2 * 3600_000;
    const again = await agent.createResponse({ user, tool: { name: 'whoami', arguments: {} } });
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
