// What a deployed-like bundle loads: with telemetry off the OpenTelemetry API only; the SDK, exporters or distro when configured, and they work from the bundle.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listenHttps } from '../../sandbox/httpsServer.js';
import { readTls } from '../../sandbox/tls.js';
import { REPO_ROOT } from '../infra/infraFiles.js';

const run = promisify(execFile);

// Every module of the telemetry API the request path will import, then a request handled with telemetry as
// configured (argv: off or otlp).
const PROBE = `
import { startTelemetry } from './shared/telemetry/start/startTelemetry.js';
import { readSdkSettings } from './shared/config/sdkSettings.js';
import { readOtlpExporterOptions } from './shared/config/otlpExporterOptions.js';
import { noteToolCall, traceMcpRequest } from './shared/telemetry/spans/mcpRequest.js';
import { traceTokenVerification } from './shared/telemetry/spans/tokenVerification.js';
import { traceOboExchange } from './shared/telemetry/spans/oboExchange.js';
import { noteGraphResponse, traceGraphRequest } from './shared/telemetry/spans/graphRequest.js';
import { traceTableOperation } from './shared/telemetry/spans/tableOperation.js';
import { activeTraceId, withRemoteParent } from './shared/telemetry/spans/traceContext.js';
import { createTelemetryLogger } from './shared/telemetry/logs/telemetryLogger.js';
import { recordAuditUnwritten } from './shared/telemetry/metrics/recorders.js';

const otlp = process.argv[2] === 'otlp' ? { traces: 'http://127.0.0.1:1/v1/traces', metrics: 'http://127.0.0.1:1/v1/metrics', logs: 'http://127.0.0.1:1/v1/logs', protocol: 'http/json',
  options: { traces: readOtlpExporterOptions({}, 'traces'), metrics: readOtlpExporterOptions({}, 'metrics'), logs: readOtlpExporterOptions({}, 'logs') } } : undefined;
const azureMonitor = process.argv[2] === 'azure' ? { connectionString: process.argv[3], managedIdentity: undefined } : undefined;
const handle = await startTelemetry({ azureMonitor, otlp, sampler: { name: 'always_on', arg: undefined }, sdk: readSdkSettings({}) }, 'probe');
const tools = new Set(['list_events']);
await withRemoteParent({ traceParent: undefined }, () => traceMcpRequest({ httpMethod: 'POST' }, async (request) => {
  await traceTokenVerification(async () => ({ identity: { tid: 't', oid: 'o' } }));
  request.message({ method: 'tools/call', params: { name: 'list_events' } }, '2025-06-18', tools);
  await traceTableOperation('RateLimits', 'getEntity', async () => undefined);
  await traceGraphRequest({ method: 'GET', url: '/me/calendarView', baseUrl: 'https://graph.microsoft.com' }, async () => {
    await traceOboExchange({ tid: 't', oid: 'o' }, ['Calendars.Read'], async () => 'token');
    noteGraphResponse(200, undefined);
  });
  noteToolCall('list_events', tools, {});
  createTelemetryLogger().info('done', { traceId: activeTraceId() });
  recordAuditUnwritten('list_events', tools, new Error('x'));
  return new Response(null, { status: 200 });
}));
if (azureMonitor !== undefined) await handle.flush();
process.stdout.write(JSON.stringify({ exporters: handle.exporters, failure: handle.failure?.message }));
process.exit(0);
`;

// Reports every file the child loads (its bundle chunks), on stderr, from Node's module hooks.
const HOOKS = `
import { writeSync } from 'node:fs';
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) writeSync(2, 'LOADED ' + url + '\\n');
  return nextLoad(url, context);
}
`;
const REGISTER = "import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);";

// What may load with telemetry off: our own code and the OpenTelemetry API packages, nothing else.
const SDK_INPUT = /node_modules\/(@opentelemetry\/(?!api\/|api-logs\/)|@azure\/monitor-opentelemetry|@azure\/msal-node|@azure\/identity|protobufjs|@grpc)/;

interface Bundle {
  readonly dir: string;
  /** Source files bundled into each output file, by absolute path. */
  readonly inputs: Map<string, string[]>;
  /** Output files the entry imports statically, transitively: what importing it compiles. */
  readonly atImport: Set<string>;
}

let bundle: Bundle;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'onbehalf-lazy-'));
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), REGISTER);
  // Bundled the way esbuild.config.mjs bundles the Functions entry: ESM, split, dependencies inside.
  const result = await build({
    stdin: { contents: PROBE, resolveDir: REPO_ROOT, sourcefile: 'probe.ts', loader: 'ts' },
    bundle: true, platform: 'node', target: 'node20', format: 'esm', splitting: true, outdir: join(dir, 'out'),
    entryNames: 'probe', chunkNames: 'chunks/[name]-[hash]', metafile: true, logLevel: 'silent', external: ['@azure/functions-core'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const outputs = result.metafile.outputs;
  const absolute = (path: string) => resolve(REPO_ROOT, path);
  const inputs = new Map(Object.entries(outputs).map(([path, output]) => [absolute(path), Object.keys(output.inputs)]));
  const entry = Object.keys(outputs).find((path) => path.endsWith('probe.js')) ?? '';
  const atImport = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const path = pending.pop() ?? '';
    if (atImport.has(absolute(path))) continue;
    atImport.add(absolute(path));
    for (const next of outputs[path]?.imports ?? []) if (next.kind === 'import-statement' && next.external !== true) pending.push(next.path);
  }
  bundle = { dir, inputs, atImport };
}, 120_000);

afterAll(() => {
  if (bundle !== undefined) rmSync(bundle.dir, { recursive: true, force: true });
});

function sdkInputs(files: Iterable<string>): string[] {
  return [...files].flatMap((file) => bundle.inputs.get(file) ?? []).filter((input) => SDK_INPUT.test(input.replaceAll('\\', '/')));
}

async function runProbe(mode: 'off' | 'otlp' | 'azure', ...args: string[]): Promise<{ exporters: string[]; failure?: string; loaded: string[] }> {
  const { stdout, stderr } = await run(process.execPath, ['--import', pathToFileURL(join(bundle.dir, 'register.mjs')).href, join(bundle.dir, 'out', 'probe.js'), mode, ...args], {
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_EXTRA_CA_CERTS: inject('tlsCertPath'),
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      OTEL_NODE_RESOURCE_DETECTORS: 'env',
    },
    timeout: 60_000,
  });
  const loaded = [...stderr.matchAll(/^LOADED (file:\S+)$/gm)].map((match) => fileURLToPath(match[1] ?? ''));
  return { ...(JSON.parse(stdout) as { exporters: string[]; failure?: string }), loaded };
}

describe('telemetry loading, in a bundle like the one deployed', () => {
  it('importing the telemetry API compiles no SDK, exporter or distro code', () => {
    expect(bundle.atImport.size).toBeGreaterThan(0);
    expect(sdkInputs(bundle.atImport)).toEqual([]);
  });

  it('the Functions entry, bundled as deployed, compiles no SDK, exporter or distro code at import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onbehalf-entry-'));
    try {
      const result = await build({
        entryPoints: { index: join(REPO_ROOT, 'functions', 'index.ts') }, absWorkingDir: REPO_ROOT,
        bundle: true, platform: 'node', target: 'node20', format: 'esm', splitting: true, outdir: dir,
        chunkNames: 'chunks/[name]-[hash]', metafile: true, logLevel: 'silent', external: ['@azure/functions-core'],
      });
      const outputs = result.metafile.outputs;
      const entry = Object.keys(outputs).find((path) => path.endsWith('index.js')) ?? '';
      const atImport = new Set<string>();
      const pending = [entry];
      while (pending.length > 0) {
        const path = pending.pop() ?? '';
        if (atImport.has(path)) continue;
        atImport.add(path);
        for (const next of outputs[path]?.imports ?? []) if (next.kind === 'import-statement' && next.external !== true) pending.push(next.path);
      }
      const inputs = [...atImport].flatMap((path) => Object.keys(outputs[path]?.inputs ?? {}));
      expect(inputs.some((input) => input.includes('shared/telemetry/start/startTelemetry'))).toBe(true);
      // msal-node is the server's own (On-Behalf-Of); the rest would be telemetry's.
      expect(inputs.filter((input) => SDK_INPUT.test(input.replaceAll('\\', '/')) && !input.includes('@azure/msal-node'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('off: handling a request loads no SDK, exporter or distro chunk', async () => {
    const { exporters, loaded } = await runProbe('off');
    expect(exporters).toEqual([]);
    expect(loaded.length).toBeGreaterThan(0);
    expect(sdkInputs(loaded)).toEqual([]);
  });

  it('OTLP: the SDK and the chosen exporter load when configured, and the distro does not', async () => {
    const { exporters, failure, loaded } = await runProbe('otlp');
    expect(failure).toBeUndefined();
    expect(exporters).toEqual(['otlp']);
    const inputs = sdkInputs(loaded).join('\n');
    expect(inputs).toMatch(/@opentelemetry\/sdk-trace/);
    expect(inputs).toMatch(/@opentelemetry\/exporter-trace-otlp-http/);
    expect(inputs).not.toMatch(/@opentelemetry\/exporter-trace-otlp-proto|@azure\/monitor-opentelemetry/);
  });

  it('Azure Monitor: the distro loads from the bundle and exports the request to the ingestion endpoint', async () => {
    const received: string[] = [];
    const ingestion = await listenHttps(readTls({ certPath: inject('tlsCertPath'), keyPath: inject('tlsKeyPath') }), 0, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url?.includes('/v2.1/track') === true) {
          const raw = Buffer.concat(chunks);
          const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
          for (const envelope of JSON.parse(text) as { data: { baseData: { name?: string } } }[]) received.push(envelope.data.baseData.name ?? '');
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"itemsReceived":0,"itemsAccepted":0,"errors":[]}');
      });
    });
    try {
      const { exporters, failure, loaded } = await runProbe('azure', `InstrumentationKey=00000000-1111-4222-8333-444444444444;IngestionEndpoint=${ingestion.url}/;LiveEndpoint=${ingestion.url}/`);
      expect(failure).toBeUndefined();
      expect(exporters).toEqual(['azureMonitor']);
      expect(sdkInputs(loaded).join('\n')).toMatch(/@azure\/monitor-opentelemetry/);
      expect(received).toEqual(expect.arrayContaining(['tools/call list_events', 'GET /me/calendarView', 'obo exchange']));
    } finally {
      await ingestion.close();
    }
  });
});
