// Prints the values for Foundry's OAuth identity passthrough connection from the azd environment (`npm run foundry:config`).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Label shown to the reader, and the azd output it comes from (names match infra/main.bicep outputs). */
const FIELDS = [
  ['MCP server endpoint', 'MCP_URL'],
  ['Client ID', 'CLIENT_APP_ID'],
  ['Auth URL', 'FOUNDRY_AUTH_URL'],
  ['Token URL', 'FOUNDRY_TOKEN_URL'],
  ['Refresh URL', 'FOUNDRY_REFRESH_URL'],
  ['Scopes', 'FOUNDRY_SCOPES'],
];
const REQUIRED = [...FIELDS.map(([, name]) => name), 'SERVER_APP_ID', 'AZURE_TENANT_ID'];

const USAGE = `usage: npm run foundry:config [-- --env-file <path> | --environment <name>] [--json]

Reads the azd environment (.azure/<default environment>/.env unless told otherwise; the process
environment when there is none) and prints what to enter in Foundry for OAuth identity passthrough.`;

/** Parses a dotenv file the way azd writes it: KEY="value" lines, double quotes with backslash escapes. */
function parseDotenv(text) {
  const values = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, key, rest] = match;
    values[key] = unquote(rest);
  }
  return values;
}

function unquote(value) {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\nrt$])/g, (_, ch) => ({ n: '\n', r: '\r', t: '\t' })[ch] ?? ch);
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value;
}

/** Where the values come from: an explicit file, the named or default azd environment, or the process environment. */
function loadValues(options, cwd) {
  if (options['env-file'] !== undefined) {
    const path = resolve(cwd, options['env-file']);
    if (!existsSync(path)) throw new UsageError(`env file not found: ${path}`);
    return { source: path, values: parseDotenv(readFileSync(path, 'utf8')) };
  }
  const azureDir = join(cwd, '.azure');
  let name = options.environment;
  if (name === undefined && existsSync(join(azureDir, 'config.json'))) {
    const config = JSON.parse(readFileSync(join(azureDir, 'config.json'), 'utf8'));
    if (typeof config.defaultEnvironment === 'string' && config.defaultEnvironment !== '') name = config.defaultEnvironment;
  }
  if (name !== undefined) {
    const path = join(azureDir, name, '.env');
    if (!existsSync(path)) throw new UsageError(`azd environment "${name}" has no ${path}; run azd provision first`);
    return { source: path, values: parseDotenv(readFileSync(path, 'utf8')) };
  }
  return { source: 'the process environment', values: { ...process.env } };
}

class UsageError extends Error {}

function secretCommand(clientAppId) {
  return `az ad app credential reset --id ${clientAppId} --display-name foundry --years 1`;
}

function render(values, source) {
  const width = Math.max(...FIELDS.map(([label]) => label.length), 'Client secret'.length) + 2;
  const row = (label, value) => `  ${label.padEnd(width)}${value}`;
  const redirect = values.FOUNDRY_REDIRECT_URI ?? '';
  const lines = [
    `Foundry: Build > Tools > Connect a tool > Custom > Model Context Protocol (MCP), values from ${source}`,
    '',
    row('MCP server endpoint', values.MCP_URL),
    row('Authentication', 'OAuth Identity Passthrough (custom OAuth)'),
    row('Client ID', values.CLIENT_APP_ID),
    row('Client secret', 'never printed; create one (copy the "password" it shows) with:'),
    row('', secretCommand(values.CLIENT_APP_ID)),
    row('Auth URL', values.FOUNDRY_AUTH_URL),
    row('Token URL', values.FOUNDRY_TOKEN_URL),
    row('Refresh URL', values.FOUNDRY_REFRESH_URL),
    row('Scopes', values.FOUNDRY_SCOPES),
    '',
    'After saving, Foundry shows a redirect URL. Register it on the client app:',
    `  azd env set FOUNDRY_REDIRECT_URI '<redirect URL>' && azd provision`,
    redirect === '' ? '  (no FOUNDRY_REDIRECT_URI is registered yet)' : `  (registered now: ${redirect})`,
    '',
    "A tenant admin grants the server's Microsoft Graph permissions once:",
    `  ${values.ADMIN_CONSENT_URL ?? `https://login.microsoftonline.com/${values.AZURE_TENANT_ID}/adminconsent?client_id=${values.SERVER_APP_ID}`}`,
    '',
    'Step by step and troubleshooting: docs/foundry.md',
  ];
  return `${lines.join('\n')}\n`;
}

function toJson(values) {
  const fields = Object.fromEntries(FIELDS.map(([label, name]) => [label, values[name]]));
  return `${JSON.stringify({ ...fields, 'Client secret': `not stored; create with: ${secretCommand(values.CLIENT_APP_ID)}` }, null, 2)}\n`;
}

function main(argv = process.argv.slice(2), cwd = process.cwd()) {
  let options;
  try {
    ({ values: options } = parseArgs({
      args: argv,
      options: {
        'env-file': { type: 'string' },
        environment: { type: 'string', short: 'e' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let loaded;
  try {
    loaded = loadValues(options, cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`foundry:config: ${error.message}\n`);
    return 1;
  }
  const { source, values } = loaded;
  const missing = REQUIRED.filter((name) => (values[name] ?? '').trim() === '');
  if (missing.length > 0) {
    process.stderr.write(
      `foundry:config: missing ${missing.join(', ')} in ${source}.\n` +
        'These are outputs of infra/main.bicep; run azd provision (or pass --env-file) and try again.\n',
    );
    return 1;
  }
  process.stdout.write(options.json ? toJson(values) : render(values, source));
  return 0;
}

process.exitCode = main();
