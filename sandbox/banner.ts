// What `npm start` (and `npm run sandbox`) print once everything answers: where to connect, how to sign in, what moved.
import { DEV_OTHER_TENANT_ID } from '../shared/config/devDefaults.js';
import { DEV_PUBLIC_CLIENT_ID } from './identity/registrations.js';
import type { Sandbox } from './sandbox.js';
import { SAMPLE_USERS } from './sampleUsers.js';

export interface BannerOptions {
  /** A ready token, for curl and clients without OAuth. */
  readonly token?: { readonly user: string; readonly token: string };
  readonly forFunctionsHost?: boolean;
  /** The pid of another running `npm start` of this checkout, whose dev connection file is kept. */
  readonly connectionHeldBy?: number;
}

function moved(lines: string[], what: string, setting: string, placed: { port: number; wanted?: number } | undefined): void {
  if (placed?.wanted !== undefined) lines.push(`  Port ${placed.wanted} was in use: ${what} is on ${placed.port} instead (set ${setting} to choose).`);
}

export function bannerText(sandbox: Sandbox, options: BannerOptions = {}): string {
  const lines = [''];
  if (options.forFunctionsHost === true) {
    lines.push(`Sandbox for func start: the Functions host runs the server (expected at ${sandbox.mcpUrl}).`);
  } else {
    lines.push(`onbehalf is listening on ${sandbox.mcpUrl}`);
    moved(lines, 'the server', 'PORT', sandbox.host);
  }
  lines.push(`  Table Storage      ${sandbox.tables.description}`);
  if (sandbox.tables.moved !== undefined) lines.push(`  Azurite: ${sandbox.tables.moved}; it uses the free ports above instead.`);
  const { idp, graph, caBundle } = sandbox;
  if (!sandbox.devMode || idp === undefined || graph === undefined || caBundle === undefined) {
    lines.push('  Entra settings found: callers need real tokens for this API.', '', 'Stop with Ctrl+C.', '');
    return lines.join('\n');
  }
  lines.push(
    `  Identity provider  ${idp.url}   local stand-in for Entra ID: sample users, no passwords`,
    `  Microsoft Graph    ${graph.url}   local sandbox with sample mail, calendars and files`,
  );
  moved(lines, 'the identity provider', 'DEV_IDP_PORT', idp);
  moved(lines, 'the Graph sandbox', 'DEV_GRAPH_PORT', graph);
  if (caBundle.warning !== undefined) lines.push(`  Warning: ${caBundle.warning}`);
  lines.push('  Dev mode: nothing here reaches Entra or Microsoft Graph.');

  if (options.forFunctionsHost === true) {
    const defaults = sandbox.functionsStorage?.includes(':10000/') === true && sandbox.functionsStorage.includes(':10002/') && idp.url.endsWith(':7072') && graph.url.endsWith(':7073');
    lines.push(
      '',
      'In another terminal, with local.settings.json copied from local.settings.sample.json:',
      `  NODE_EXTRA_CA_CERTS=${caBundle.path} func start --port ${sandbox.host.port}`,
      ...(defaults
        ? ['  (the sample\'s values match this sandbox as they are)']
        : [
            '  and these values in local.settings.json, where the ports differ from the sample\'s:',
            `    "AzureWebJobsStorage": "${sandbox.functionsStorage ?? ''}",`,
            `    "TABLES_CONNECTION_STRING": "${sandbox.functionsStorage ?? ''}",`,
            `    "ENTRA_AUTHORITY_HOST": "${idp.url}",`,
            `    "GRAPH_BASE_URL": "${graph.url}"`,
          ]),
    );
  }

  lines.push(
    '',
    `Sign in from an MCP client by OAuth: client ID ${DEV_PUBLIC_CLIENT_ID} (public, no secret)`,
    `  1. Open ${idp.url}/ once in your browser and accept its certificate (made for this run).`,
    `  2. MCP Inspector 2.x (Node 22.19+): NODE_EXTRA_CA_CERTS=${caBundle.path} npx @modelcontextprotocol/inspector`,
    '     Open the address it prints, token included. Add Servers > + Add manually: transport streamable-http,',
    `     URL ${sandbox.mcpUrl}; the card's Settings > OAuth Settings > Client ID above; flip the connect switch,`,
    '     then pick a user and accept.',
    `     Users of the other sample tenant (megan): URL ${sandbox.host.url}/tenants/${DEV_OTHER_TENANT_ID}/mcp`,
    '',
    options.connectionHeldBy === undefined
      ? 'Rehearse Foundry\'s OAuth identity passthrough: npm run foundry:rehearse   (values: npm run foundry:config -- --dev)'
      : `Another npm start of this checkout (pid ${options.connectionHeldBy}) keeps the dev connection: foundry:config -- --dev and foundry:rehearse use that one, not this.`,
  );
  if (options.token !== undefined) {
    lines.push(
      '',
      `Or skip the sign-in with a token for ${options.token.user} (valid 12 h):`,
      `  ${options.token.token}`,
      `  Others: curl -sk "${idp.url}/dev/token?user=alex"   (users: ${SAMPLE_USERS.map((user) => user.key).join(', ')})`,
    );
  }
  lines.push('', `Revoke a user's consents and refresh tokens: ${idp.url}/dev/revoke`, 'Stop with Ctrl+C.', '');
  return lines.join('\n');
}
