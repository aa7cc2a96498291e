// Prints the values for Foundry's OAuth identity passthrough connection from the azd environment (`npm run foundry:config`).
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
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
/** The public client for code-first agents (REGISTER_PUBLIC_CLIENT): its key in --json, which examples/code-first reads. */
const PUBLIC_CLIENT = ['Public client ID', 'PUBLIC_CLIENT_APP_ID'];
/** Where `npm start` in dev mode writes its connection (sandbox/devConnection.ts). */
const DEV_CONNECTION_FILE = join('node_modules', '.cache', 'onbehalf', 'dev-connection.json');

const USAGE = `usage: npm run foundry:config [-- --env-file <path> | --environment <name> | --dev [--dev-file <path>]] [--json]

Reads the azd environment (.azure/<default environment>/.env unless told otherwise; the process
environment when there is none) and prints what to enter in Foundry for OAuth identity passthrough.
--dev prints the connection of the running \`npm start\` in dev mode instead, with the dev Foundry
client's secret: the values \`npm run foundry:rehearse\` uses.`;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 6749 §3.3 scope-token characters, separated by single spaces.
const SCOPES = /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/;
// What a dev secret is made of; Entra's secrets use the same characters.
const SECRET = /^[A-Za-z0-9._~-]{16,200}$/;
// Characters a terminal may act on: C0 and C1 controls (ESC, CSI...), DEL, and the Unicode line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Shows a value that failed validation without letting it act on the terminal. */
function printable(value) {
  const shown = value.length > 120 ? `${value.slice(0, 120)}…` : value;
  return `"${shown.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Removes what a terminal would act on from text we print but did not validate. */
function stripControls(value) {
  return value.replace(CONTROL, '');
}

/** Quotes for POSIX shells, unless the value is made only of characters no shell treats specially. */
function shellQuote(value) {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * An absolute https URL (http only on a loopback host, which only dev mode uses), nothing a shell or
 * terminal would act on, no credentials in it.
 */
function checkUrl(value, { loopbackHttp }) {
  if (typeof value !== 'string' || /\s/.test(value) || HAS_CONTROL.test(value)) return 'must be a URL without spaces or control characters';
  let url;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL';
  }
  const local = loopbackHttp && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !local) return 'must be an https:// URL';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (/['"`$\\<>]/.test(value)) return 'must not contain quotes, backslashes, $, ` or angle brackets';
  return undefined;
}

/** Checks every value the script prints; returns one message per bad value, naming the field. */
function validate(values, { dev = false } = {}) {
  const problems = [];
  const check = (name, reason) => {
    if (reason !== undefined) problems.push(`${name} ${reason}: ${printable(values[name === 'caCertPath' ? 'DEV_CA_CERTS' : name] ?? '')}`);
  };
  for (const name of ['CLIENT_APP_ID', 'SERVER_APP_ID']) check(name, GUID.test(values[name]) ? undefined : 'must be a GUID');
  if (publicClientId(values) !== undefined) check(PUBLIC_CLIENT[1], GUID.test(values[PUBLIC_CLIENT[1]]) ? undefined : 'must be a GUID');
  check('AZURE_TENANT_ID', GUID.test(values.AZURE_TENANT_ID) || ['organizations', 'common'].includes(values.AZURE_TENANT_ID) ? undefined : 'must be a tenant GUID or organizations');
  for (const name of ['MCP_URL', 'FOUNDRY_AUTH_URL', 'FOUNDRY_TOKEN_URL', 'FOUNDRY_REFRESH_URL']) check(name, checkUrl(values[name], { loopbackHttp: dev }));
  if ((values.ADMIN_CONSENT_URL ?? '') !== '') check('ADMIN_CONSENT_URL', checkUrl(values.ADMIN_CONSENT_URL, { loopbackHttp: false }));
  // Redirect URIs may be loopback http in any mode: Entra accepts them for development.
  for (const uri of (values.FOUNDRY_REDIRECT_URI ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '')) {
    const reason = checkUrl(uri, { loopbackHttp: true });
    if (reason !== undefined) problems.push(`FOUNDRY_REDIRECT_URI ${reason}: ${printable(uri)}`);
  }
  check('FOUNDRY_SCOPES', SCOPES.test(values.FOUNDRY_SCOPES) ? undefined : 'must be scopes separated by single spaces');
  if (dev) {
    check('FOUNDRY_CLIENT_SECRET', SECRET.test(values.FOUNDRY_CLIENT_SECRET ?? '') ? undefined : 'must be a dev client secret');
    const ca = values.DEV_CA_CERTS ?? '';
    check('caCertPath', isAbsolute(ca) && !HAS_CONTROL.test(ca) ? undefined : 'must be an absolute file path');
  }
  return problems;
}

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

class UsageError extends Error {}

/** True while process `pid` runs (EPERM: it runs, as another user). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The connection a running `npm start` in dev mode wrote. */
function loadDev(options, cwd) {
  const path = resolve(cwd, options['dev-file'] ?? DEV_CONNECTION_FILE);
  if (!existsSync(path)) throw new UsageError(`no dev connection at ${path}: start the server with npm start (dev mode) in this checkout first`);
  let connection;
  try {
    connection = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new UsageError(`${path} is not a dev connection file`);
  }
  if (connection?.version !== 1 || typeof connection.values !== 'object' || connection.values === null) throw new UsageError(`${path} is not a dev connection file`);
  if (!Number.isInteger(connection.pid) || !alive(connection.pid)) throw new UsageError(`the npm start that wrote ${path} is no longer running; start it again`);
  const values = Object.fromEntries(Object.entries(connection.values).filter(([, value]) => typeof value === 'string'));
  // Checked with the other values: the certificates a process must trust to reach the local identity provider.
  values.DEV_CA_CERTS = typeof connection.caCertPath === 'string' ? connection.caCertPath : '';
  return { source: `the running npm start (dev mode), ${path}`, values };
}

/** Where the values come from: an explicit file, the named or default azd environment, or the process environment. */
function loadValues(options, cwd) {
  if (options.dev || options['dev-file'] !== undefined) return loadDev(options, cwd);
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
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === '.' || name === '..') throw new UsageError(`azd environment names are letters, digits, '-', '_' and '.': ${printable(name)}`);
    const path = join(azureDir, name, '.env');
    if (!existsSync(path)) throw new UsageError(`azd environment "${name}" has no ${path}; run azd provision first`);
    return { source: path, values: parseDotenv(readFileSync(path, 'utf8')) };
  }
  return { source: 'the process environment', values: { ...process.env } };
}

/** The public client's id, when the deployment registered one (azd writes the output empty otherwise). */
function publicClientId(values) {
  const value = values[PUBLIC_CLIENT[1]] ?? '';
  return value === '' ? undefined : value;
}

function secretCommand(clientAppId) {
  return `az ad app credential reset --id ${shellQuote(clientAppId)} --display-name foundry --years 1`;
}

function render(values, source, dev) {
  const width = Math.max(...FIELDS.map(([label]) => label.length), 'Client secret'.length) + 2;
  const row = (label, value) => `  ${label.padEnd(width)}${value}`;
  const redirects = redirectUris(values);
  const lines = [
    dev
      ? `Dev connection (local identity provider, not Entra), values from ${stripControls(source)}`
      : `Foundry: Build > Tools > Connect a tool > Custom > Model Context Protocol (MCP), values from ${stripControls(source)}`,
    '',
    row('MCP server endpoint', values.MCP_URL),
    row('Authentication', 'OAuth Identity Passthrough (custom OAuth)'),
    row('Client ID', values.CLIENT_APP_ID),
    ...(dev
      ? [row('Client secret', values.FOUNDRY_CLIENT_SECRET), row('', '(the dev Foundry client\'s; valid until this npm start stops)')]
      : [row('Client secret', 'never printed; create one (copy the "password" it shows) with:'), row('', secretCommand(values.CLIENT_APP_ID))]),
    row('Auth URL', values.FOUNDRY_AUTH_URL),
    row('Token URL', values.FOUNDRY_TOKEN_URL),
    row('Refresh URL', values.FOUNDRY_REFRESH_URL),
    row('Scopes', values.FOUNDRY_SCOPES),
    '',
  ];
  if (dev) {
    lines.push(
      'Redirect URLs the dev Foundry client accepts (a loopback URL matches on any port):',
      ...redirects.map((uri) => `  ${uri}`),
      '  (add yours with DEV_FOUNDRY_REDIRECT_URIS=<url>[,<url>] before npm start)',
      '',
      'Certificates to trust for the local identity provider (NODE_EXTRA_CA_CERTS):',
      `  ${values.DEV_CA_CERTS}`,
      '',
      'Foundry itself cannot reach a server on this machine: these values drive the local rehearsal of',
      'its passthrough flow, and any OAuth client you point at npm start.',
      '  npm run foundry:rehearse',
      '',
      'Step by step: docs/foundry.md, "Rehearse it locally"',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    'After saving, Foundry shows a redirect URL. Register it on the client app:',
    `  azd env set FOUNDRY_REDIRECT_URI '<redirect URL>' && azd provision`,
    redirects.length === 0 ? '  (no FOUNDRY_REDIRECT_URI is registered yet)' : `  (registered now: ${redirects.join(', ')})`,
    '',
    "A tenant admin grants the server's Microsoft Graph permissions once:",
    `  ${(values.ADMIN_CONSENT_URL ?? '') !== '' ? values.ADMIN_CONSENT_URL : `https://login.microsoftonline.com/${values.AZURE_TENANT_ID}/adminconsent?client_id=${values.SERVER_APP_ID}`}`,
    '',
    'Step by step and troubleshooting: docs/foundry.md',
  );
  const publicClient = publicClientId(values);
  if (publicClient !== undefined) {
    lines.push(
      '',
      'Code-first agents sign users in with the public client (no secret):',
      row(PUBLIC_CLIENT[0], publicClient),
      '  npm run -s foundry:config -- --json > onbehalf.json',
      '  npm run example:code-first -- --config onbehalf.json',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** JSON.stringify leaves C1 controls and U+2028/2029 raw; escape them too, so the output is safe on a terminal. */
function safeJson(value) {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function toJson(values, dev) {
  const fields = Object.fromEntries(FIELDS.map(([label, name]) => [label, values[name]]));
  const secret = dev ? values.FOUNDRY_CLIENT_SECRET : `not stored; create with: ${secretCommand(values.CLIENT_APP_ID)}`;
  const publicClient = publicClientId(values);
  // Dev mode adds what a local client needs besides the form: the redirect URLs the dev Foundry client accepts,
  // and the certificates to trust (NODE_EXTRA_CA_CERTS) to reach the local identity provider over https.
  const extra = dev ? { 'Redirect URLs': redirectUris(values), 'CA certificates': values.DEV_CA_CERTS } : {};
  return `${safeJson({ ...fields, 'Client secret': secret, ...(publicClient !== undefined && { [PUBLIC_CLIENT[0]]: publicClient }), ...extra })}\n`;
}

function redirectUris(values) {
  return (values.FOUNDRY_REDIRECT_URI ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function main(argv = process.argv.slice(2), cwd = process.cwd()) {
  let options;
  try {
    ({ values: options } = parseArgs({
      args: argv,
      options: {
        'env-file': { type: 'string' },
        environment: { type: 'string', short: 'e' },
        dev: { type: 'boolean', default: false },
        'dev-file': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${stripControls(error.message)}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dev = options.dev || options['dev-file'] !== undefined;
  let loaded;
  try {
    loaded = loadValues(options, cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`foundry:config: ${stripControls(error.message)}\n`);
    return 1;
  }
  const { source, values } = loaded;
  const missing = REQUIRED.filter((name) => (values[name] ?? '').trim() === '');
  if (missing.length > 0) {
    process.stderr.write(
      `foundry:config: missing ${missing.join(', ')} in ${stripControls(source)}.\n` +
        'These are outputs of infra/main.bicep; run azd provision (or pass --env-file) and try again.\n',
    );
    return 1;
  }
  const problems = validate(values, { dev });
  if (problems.length > 0) {
    process.stderr.write(`foundry:config: ${stripControls(source)} has values that cannot be right:\n${problems.map((problem) => `  ${problem}`).join('\n')}\n`);
    return 1;
  }
  process.stdout.write(options.json ? toJson(values, dev) : render(values, source, dev));
  return 0;
}

process.exitCode = main();
