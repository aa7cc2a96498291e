// What `npm start` sets up beside the server: ports with free fallbacks, the settings the host is told, and the CAs it trusts.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bannerText } from '../../sandbox/banner.js';
import { DevSettingError } from '../../sandbox/devSettings.js';
import { listenHttps, type RunningServer } from '../../sandbox/httpsServer.js';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox.js';
import { createTlsFiles, readTls, type TlsFiles } from '../../sandbox/tls.js';

/** Ports some other program holds, as another checkout's `npm start` would. */
async function occupy(count: number): Promise<{ ports: number[]; release(): Promise<void> }> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    servers.push(server);
  }
  return {
    ports: servers.map((server) => (server.address() as { port: number }).port),
    release: async () => {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

/** Fetches each URL from a fresh Node process that trusts `caFile` through NODE_EXTRA_CA_CERTS, as the host process does. */
function fetchFromChild(caFile: string | undefined, urls: readonly string[]): Promise<string[]> {
  const script = 'const out = []; for (const url of JSON.parse(process.argv[1])) { try { out.push(String((await fetch(url)).status)); } catch (error) { out.push(String(error.cause?.code ?? error.message)); } } console.log(JSON.stringify(out));';
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(urls)], { env: { PATH: process.env['PATH'] ?? '', ...(caFile !== undefined && { NODE_EXTRA_CA_CERTS: caFile }) } }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(stderr));
      else resolve(JSON.parse(stdout) as string[]);
    });
  });
}

describe('dev ports', () => {
  let held: Awaited<ReturnType<typeof occupy>>;
  let sandbox: Sandbox;

  beforeAll(async () => {
    held = await occupy(4);
    const [host, idp, graph, tables] = held.ports.map(String);
    sandbox = await startSandbox({ PORT: host, DEV_IDP_PORT: idp, DEV_GRAPH_PORT: graph, DEV_TABLES_PORT: tables });
  });

  afterAll(async () => {
    await sandbox.close();
    await held.release();
  });

  it('falls back to free ports when the wanted ones are taken, and says so in the banner', () => {
    const [host, idp, graph, tables] = held.ports;
    expect(sandbox.host.wanted).toBe(host);
    expect(sandbox.idp?.wanted).toBe(idp);
    expect(sandbox.graph?.wanted).toBe(graph);
    expect(held.ports).not.toContain(sandbox.host.port);
    expect(held.ports).not.toContain(sandbox.idp?.port);
    expect(held.ports).not.toContain(sandbox.graph?.port);
    const banner = bannerText(sandbox);
    for (const [port, setting] of [[host, 'PORT'], [idp, 'DEV_IDP_PORT'], [graph, 'DEV_GRAPH_PORT']] as const) {
      expect(banner).toContain(`Port ${port} was in use`);
      expect(banner).toContain(setting);
    }
    expect(banner).toContain(`port ${tables} (DEV_TABLES_PORT) was in use`);
  });

  it('tells the server where everything is through the settings a user could set', () => {
    expect(sandbox.hostEnv).toMatchObject({
      MCP_DEV_MODE: '1',
      PORT: String(sandbox.host.port),
      ENTRA_AUTHORITY_HOST: sandbox.idp?.url,
      GRAPH_BASE_URL: sandbox.graph?.url,
    });
    expect(sandbox.hostEnv['TABLES_CONNECTION_STRING']).toMatch(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;/);
    expect(sandbox.hostEnv['TABLES_CONNECTION_STRING']).not.toContain(`:${held.ports[3]}/`);
    // MCP clients send the endpoint as `resource`: the dev server app lists it, so they can sign in.
    expect(sandbox.idp?.registrations.server.identifierUris).toContain(sandbox.mcpUrl);
  });

  it('writes the connection foundry:config --dev prints, pointing at the ports in use', () => {
    expect(sandbox.devConnection?.values).toMatchObject({
      MCP_URL: sandbox.mcpUrl,
      FOUNDRY_AUTH_URL: `${sandbox.idp?.url}/organizations/oauth2/v2.0/authorize`,
      FOUNDRY_CLIENT_SECRET: sandbox.idp?.registrations.foundry.clientSecret,
    });
  });
});

describe('NODE_EXTRA_CA_CERTS', () => {
  let corporate: TlsFiles;
  let corporateServer: RunningServer;

  beforeAll(async () => {
    // A CA the user trusts already (a corporate proxy's): its server must stay reachable from the host process.
    corporate = await createTlsFiles();
    corporateServer = await listenHttps(readTls(corporate), 0, (_request, response) => response.writeHead(204).end());
  });

  afterAll(async () => {
    await corporateServer.close();
    rmSync(dirname(corporate.certPath), { recursive: true, force: true });
  });

  it('in dev mode, adds this run\'s certificate to the user\'s own instead of replacing them', async () => {
    const sandbox = await startSandbox({ NODE_EXTRA_CA_CERTS: corporate.certPath, PORT: '0', DEV_IDP_PORT: '0', DEV_GRAPH_PORT: '0', DEV_TABLES_PORT: '0' });
    try {
      const bundle = sandbox.hostEnv['NODE_EXTRA_CA_CERTS'] ?? '';
      expect(bundle).not.toBe(corporate.certPath);
      expect(readFileSync(bundle, 'utf8')).toContain(readFileSync(corporate.certPath, 'utf8').trim());
      const discovery = `${sandbox.idp?.url}/organizations/v2.0/.well-known/openid-configuration`;
      expect(await fetchFromChild(bundle, [discovery, corporateServer.url])).toEqual(['200', '204']);
      // The user's own file is left as it was.
      expect(readFileSync(corporate.certPath, 'utf8')).not.toContain(readFileSync(bundle, 'utf8').trim().slice(-200));
    } finally {
      await sandbox.close();
    }
  });

  it('in real mode, leaves it alone (set or not)', async () => {
    const real = { ENTRA_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47', ENTRA_CLIENT_ID: '6f2d1e4a-0000-4000-8000-000000000001', PORT: '0', DEV_TABLES_PORT: '0' };
    const withCa = await startSandbox({ ...real, NODE_EXTRA_CA_CERTS: corporate.certPath });
    const without = await startSandbox(real);
    try {
      expect(withCa.devMode).toBe(false);
      expect(withCa.idp).toBeUndefined();
      expect(withCa.hostEnv['NODE_EXTRA_CA_CERTS']).toBe(corporate.certPath);
      expect(without.hostEnv).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
      expect(withCa.hostEnv).not.toHaveProperty('ENTRA_AUTHORITY_HOST');
    } finally {
      await withCa.close();
      await without.close();
    }
  });

  it('warns, and still trusts the dev certificate, when the user\'s file cannot be read', async () => {
    const sandbox = await startSandbox({ NODE_EXTRA_CA_CERTS: '/nonexistent/corporate.pem', PORT: '0', DEV_IDP_PORT: '0', DEV_GRAPH_PORT: '0', DEV_TABLES_PORT: '0' });
    try {
      expect(sandbox.caBundle?.warning).toContain('/nonexistent/corporate.pem');
      expect(bannerText(sandbox)).toContain('Warning: NODE_EXTRA_CA_CERTS=/nonexistent/corporate.pem cannot be read');
    } finally {
      await sandbox.close();
    }
  });
});

describe('dev settings', () => {
  it.each([['DEV_IDP_PORT', 'https'], ['DEV_TABLES_PORT', '70000'], ['DEV_FOUNDRY_REDIRECT_URIS', 'http://evil.example/cb'], ['DEV_ACCESS_TOKEN_LIFETIME_SECONDS', '5']])('refuses %s=%s, naming it', async (name, value) => {
    await expect(startSandbox({ [name]: value })).rejects.toThrow(DevSettingError);
    await expect(startSandbox({ [name]: value })).rejects.toThrow(new RegExp(`^${name} `));
  });

  it('registers DEV_FOUNDRY_REDIRECT_URIS on the dev Foundry client and uses DEV_ACCESS_TOKEN_LIFETIME_SECONDS', async () => {
    const sandbox = await startSandbox({ DEV_FOUNDRY_REDIRECT_URIS: 'https://global.consent.azure-apihub.net/redirect/x, http://localhost/my/cb', DEV_ACCESS_TOKEN_LIFETIME_SECONDS: '120', PORT: '0', DEV_IDP_PORT: '0', DEV_GRAPH_PORT: '0', DEV_TABLES_PORT: '0' });
    try {
      expect(sandbox.idp?.registrations.foundry.redirectUris.map((redirect) => redirect.uri)).toEqual(['http://localhost/foundry/redirect', 'https://global.consent.azure-apihub.net/redirect/x', 'http://localhost/my/cb']);
      expect(sandbox.idp?.accessTokenLifetimeSeconds).toBe(120);
    } finally {
      await sandbox.close();
    }
  });
});

describe('npm run sandbox (for func start)', () => {
  it('starts Azurite\'s Blob service, which the Functions host\'s timer needs, and prints the func start command', async () => {
    const sandbox = await startSandbox({ DEV_BLOB_PORT: '0', DEV_QUEUE_PORT: '0', DEV_TABLES_PORT: '0', DEV_IDP_PORT: '0', DEV_GRAPH_PORT: '0' }, { forFunctionsHost: true });
    try {
      const blob = /BlobEndpoint=(http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1);/.exec(sandbox.functionsStorage ?? '')?.[1] ?? '';
      const answer = await fetch(`${blob}?comp=list`);
      // Azurite's Blob service answers (refusing the unsigned request), so the host can take its timer locks there.
      expect(answer.headers.get('server') ?? '').toMatch(/Azurite-Blob/);
      await answer.body?.cancel();
      const banner = bannerText(sandbox, { forFunctionsHost: true });
      expect(banner).toContain(`NODE_EXTRA_CA_CERTS=${sandbox.caBundle?.path ?? ''} func start`);
      expect(banner).toContain('"AzureWebJobsStorage"');
    } finally {
      await sandbox.close();
    }
  });
});
