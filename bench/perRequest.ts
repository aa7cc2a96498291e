// `npm run bench:cpu`: CPU and garbage-collection time per request of the app's own handler, called in process (no HTTP
// server, no sockets), for each kind of request, beside the bare SDK handler serving the same tools/list and list_events'
// Graph request sent directly, and through both hosts with telemetry off and on: figures that move far less than req/s
// on a shared machine, for finding and removing per-request work.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { fileURLToPath } from 'node:url';
import functions from '@azure/functions';
import { GRAPH_AUDIENCE } from '../sandbox/identityProvider.js';
import { ADELE } from '../sandbox/sampleUsers.js';
import { serveFetch } from '../sandbox/nodeFetch.js';
import { createTlsFiles } from '../sandbox/tls.js';
import { DEV_CLIENT_ID } from '../shared/config/devDefaults.js';
import { silentLogger } from '../shared/log/logger.js';
import { EVENT_SUMMARY_SELECT } from '../shared/tools/calendar/eventFields.js';
import { deployedNodeOptions } from './deployedNodeOptions.js';
import { mcpHeaders, toolCall, toolsList, type EraRequest } from './mcpRequests.js';
import { startStandIns } from './standIns.js';

const self = fileURLToPath(import.meta.url);
const DAY_MS = 24 * 3600 * 1000;
/**
 * Requests in flight at once: enough to overlap awaits as a loaded instance does, few enough to stay in cache.
 * BENCH_CONCURRENCY=2 shows the lightly loaded instance, where each Graph answer wakes the event loop on its own.
 */
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
/**
 * BENCH_LOOPBACK=1: ours, the anchor and the local host each behind the local host's HTTP plumbing on loopback,
 * called with fetch from this process. The figures then hold Node's HTTP server and a client's share too, the same
 * for both, and show what a real socket and a streamed body add to each: a handler can be level in process and
 * not over HTTP.
 */
const LOOPBACK = process.env['BENCH_LOOPBACK'] === '1';
/**
 * BENCH_DEPLOYED_HEAP=1: the measuring processes keep a deployment's young generation, where what collections cost
 * shows as it would deployed (external memory included), but allocations cannot be counted.
 */
const DEPLOYED_HEAP = process.env['BENCH_DEPLOYED_HEAP'] === '1';
/** BENCH_MEASURE_EXEC_ARGV: more Node options for the measuring processes (e.g. --trace-gc). */
const EXTRA_MEASURE_ARGV = (process.env['BENCH_MEASURE_EXEC_ARGV'] ?? '').split(' ').filter((word) => word !== '');

type Fetch = (request: Request) => Promise<Response>;

interface Probe {
  readonly label: string;
  readonly handler: Fetch;
  readonly request: EraRequest;
  readonly token?: string;
}

let gcMs = 0;
let gcCount = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    gcCount++;
  }
}).observe({ entryTypes: ['gc'] });

async function drive(probe: Probe, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next++ < count) {
      const response = await probe.handler(new Request('http://localhost/mcp', { method: 'POST', headers: mcpHeaders(probe.token, probe.request.headers), body: probe.request.body }));
      if (response.status !== 200) throw new Error(`${probe.label}: HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
      await response.arrayBuffer();
      // A turn of the event loop between requests, as a served instance has: timers and immediates run.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
/** Requests whose allocations are counted: few enough that the (enlarged) young generation holds them all. */
const COUNTED = 200;

interface Figures {
  /** The least of the rounds': other work on the machine only ever adds. */
  readonly cpuMs: number;
  readonly gcMs: number;
  /** Heap bytes allocated per request (undefined when a collection ran meanwhile, or without --expose-gc). */
  readonly allocatedKb: number | undefined;
}

/** Per request, over `count` requests in each of `ROUNDS` rounds, after a warm-up. */
async function measure(probe: Probe, count: number): Promise<Figures> {
  await drive(probe, Math.ceil(count / 4));
  let cpuMs = Number.POSITIVE_INFINITY;
  let leastGcMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const gcBefore = gcMs;
    const before = process.cpuUsage();
    await drive(probe, count);
    const used = process.cpuUsage(before);
    cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000 / count);
    leastGcMs = Math.min(leastGcMs, (gcMs - gcBefore) / count);
  }
  return { cpuMs, gcMs: leastGcMs, allocatedKb: await allocated(probe) };
}

async function allocated(probe: Probe): Promise<number | undefined> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) return undefined;
  collect();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const collections = gcCount;
  const before = getHeapStatistics().used_heap_size;
  await drive(probe, COUNTED);
  const after = getHeapStatistics().used_heap_size;
  return gcCount === collections ? (after - before) / COUNTED / 1024 : undefined;
}

interface SamplingNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly selfSize: number;
  readonly children: readonly SamplingNode[];
}

/** Where one kind of request allocates: V8's sampling heap profile over COUNTED requests, collected objects included. */
async function profileAllocations(probe: Probe): Promise<void> {
  await drive(probe, 500);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await drive(probe, COUNTED);
  const { profile } = await session.post('HeapProfiler.stopSampling') as unknown as { profile: { head: SamplingNode } };
  session.disconnect();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const walk = (node: SamplingNode, stack: ReadonlySet<string>): number => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/dist\//, '').replace(/^.*node_modules\//, '')}:${lineNumber + 1}:${columnNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + node.selfSize);
    let total = node.selfSize;
    const inner = new Set(stack).add(name);
    for (const child of node.children) total += walk(child, inner);
    if (!stack.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + total);
    return total;
  };
  const all = walk(profile.head, new Set());
  const top = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env["BENCH_HEAP_TOP"] ?? 40))
    .map(([name, bytes]) => `${(bytes / COUNTED / 1024).toFixed(2).padStart(8)} KB/req  ${name}`).join('\n');
  process.stdout.write(`${probe.label}: ${(all / COUNTED / 1024).toFixed(1)} KB sampled per request\nself:\n${top(self)}\ninclusive:\n${top(inclusive)}\n`);
}

/**
 * list_events' Graph request sent directly with fetch (a Graph token for the same user and scope, its JSON parsed):
 * what calling Graph costs any Node program, the floor under the Graph path's overhead over whoami.
 */
function directGraph(events: { start: string; end: string; top: number }): Fetch {
  const query = Object.entries({ startDateTime: events.start, endDateTime: events.end, $select: EVENT_SUMMARY_SELECT, $orderby: 'start/dateTime', $top: events.top })
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`).join('&');
  const url = `${process.env['GRAPH_BASE_URL'] ?? ''}/v1.0/me/calendarView?${query}`;
  const headers = { authorization: `Bearer ${process.env['BENCH_GRAPH_TOKEN'] ?? ''}`, prefer: 'outlook.timezone="UTC"' };
  return async () => {
    const answer = await fetch(url, { headers });
    const text = await answer.text();
    if (answer.status !== 200) return new Response(text, { status: answer.status });
    JSON.parse(text);
    return new Response('{}');
  };
}

/** A request through the Functions adapter, as the host hands it over: under the host's span for the HTTP request. */
async function functionsHandler(): Promise<Fetch> {
  const { mcp } = await import('../functions/mcp.js');
  let invocation = 0;
  return async (request) => {
    const traceId = randomBytes(16).toString('hex');
    const context = new functions.InvocationContext({
      invocationId: String(invocation++),
      functionName: 'mcp',
      logHandler: () => {},
      traceContext: { traceParent: `00-${traceId}-${randomBytes(8).toString('hex')}-00`, traceState: '', attributes: {} },
    });
    const hosted = new functions.HttpRequest({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: { string: await request.text() },
    });
    const answer = await mcp(hosted, context);
    return new Response(answer.body as BodyInit | undefined, { status: answer.status ?? 200, headers: answer.headers });
  };
}

/** `handler` as it is or, with BENCH_LOOPBACK=1, served on loopback and called with fetch. */
async function overLoopback(handler: Fetch): Promise<Fetch> {
  if (!LOOPBACK) return handler;
  const served = await serveFetch(handler);
  const origin = `http://127.0.0.1:${served.port}`;
  return async (request) => fetch(`${origin}${new URL(request.url).pathname}`, { method: request.method, headers: request.headers, body: await request.text() });
}

/** What this measuring process reports to the stand-ins' process, which compares telemetry on with off. */
export interface ProbeFigures {
  readonly label: string;
  readonly cpuMs: number;
}

/** Before each probe: ready, then wait for the stand-ins' process to start it beside its counterpart. */
interface ProbeSignal {
  readonly ready?: string;
  readonly go?: string;
}

function startSignal(label: string): Promise<void> {
  if (process.send === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = (message: ProbeSignal) => {
      if (message.go !== label) return;
      process.off('message', listener);
      resolve();
    };
    process.on('message', listener);
    process.send?.({ ready: label } satisfies ProbeSignal);
  });
}

/**
 * The measuring process: the app, configured for the stand-ins of the process that started it. With telemetry off
 * it measures every probe; with telemetry on (BENCH_TELEMETRY_ON=1, exporting to the stand-ins' collector), only
 * the requests through the two hosts, as a deployment serves them.
 */
async function measureAll(): Promise<void> {
  const token = process.env['BENCH_TOKEN'] ?? '';
  const telemetryOn = process.env['BENCH_TELEMETRY_ON'] === '1';
  const [{ app, telemetryStarted }, { createAnchorHandler }, { localHostHandler }] = await Promise.all([
    import('../shared/mcp/defaultApp.js'), import('./anchorHandler.js'), import('../sandbox/localHost.js'),
  ]);
  const handle = await telemetryStarted;
  if (telemetryOn && handle.exporters.length === 0) throw new Error(`telemetry did not start: ${handle.failure?.message ?? 'no exporter configured'}`);
  const ours = await overLoopback((request) => app.mcp(request, silentLogger));
  const anchor = await overLoopback(createAnchorHandler());
  const localHost = await overLoopback(localHostHandler(app));
  const functionsHost = await functionsHandler();
  const events = { start: new Date(Date.now() - 7 * DAY_MS).toISOString(), end: new Date(Date.now() + 7 * DAY_MS).toISOString(), top: 10 };
  const probes: Probe[] = [];
  const suffix = telemetryOn ? ', telemetry on' : '';
  for (const era of ['legacy', 'modern'] as const) {
    if (!telemetryOn) {
      probes.push(
        { label: `anchor tools/list ${era}`, handler: anchor, request: toolsList(era), token },
        { label: `ours tools/list ${era}`, handler: ours, request: toolsList(era), token },
        { label: `anchor echo ${era}`, handler: anchor, request: toolCall(era, 'echo', {}), token },
        { label: `ours whoami ${era}`, handler: ours, request: toolCall(era, 'whoami', { profile: false }), token },
        { label: `ours list_events ${era}`, handler: ours, request: toolCall(era, 'list_events', events), token },
      );
    }
    probes.push(
      { label: `local host whoami ${era}${suffix}`, handler: localHost, request: toolCall(era, 'whoami', { profile: false }), token },
      { label: `Functions whoami ${era}${suffix}`, handler: functionsHost, request: toolCall(era, 'whoami', { profile: false }), token },
    );
  }
  if (!telemetryOn) probes.push({ label: 'direct Graph (fetch)', handler: directGraph(events), request: toolsList('legacy') });
  probes.push({ label: `local host list_events legacy${suffix}`, handler: localHost, request: toolCall('legacy', 'list_events', events), token });
  const only = (process.env['BENCH_PROBES'] ?? '').split(',').filter((word) => word !== '');
  const heapProfiled = process.env['BENCH_HEAP_PROFILE'];
  if (heapProfiled !== undefined) {
    const probe = probes.find((candidate) => candidate.label.includes(heapProfiled));
    // The other measuring process (telemetry off or on) may hold the probe: this one says so and ends.
    if (probe === undefined) process.stderr.write(`no probe "${heapProfiled}" with telemetry ${telemetryOn ? 'on' : 'off'}\n`);
    else await profileAllocations(probe);
    process.exit(0);
  }
  const count = Number(process.env['BENCH_REQUESTS'] ?? 2000);
  for (const probe of probes) {
    if (only.length > 0 && !only.some((word) => probe.label.includes(word))) continue;
    await startSignal(probe.label);
    const figures = await measure(probe, /list_events|Graph/.test(probe.label) ? Math.ceil(count / 4) : count);
    const kb = figures.allocatedKb === undefined ? '-' : figures.allocatedKb.toFixed(1);
    process.stdout.write(`${probe.label.padEnd(40)} ${figures.cpuMs.toFixed(3).padStart(7)} ms CPU/req  ${figures.gcMs.toFixed(3).padStart(7)} ms GC/req  ${kb.padStart(7)} KB allocated/req\n`);
    process.send?.({ label: probe.label, cpuMs: figures.cpuMs } satisfies ProbeFigures);
  }
  // Whatever is still batched is exported (and its serialisation counted by a profile) before the process ends.
  await handle.shutdown();
  process.exit(0);
}

/** The stand-ins' process (the run's certificate trusted): starts them, then the measuring process against them. */
async function serveStandIns(): Promise<void> {
  const tls = { cert: readFileSync(process.env['BENCH_TLS_CERT'] ?? '', 'utf8'), key: readFileSync(process.env['BENCH_TLS_KEY'] ?? '', 'utf8') };
  const standIns = await startStandIns(tls);
  const token = await standIns.idp.accessToken(ADELE, {}, { lifetimeSeconds: 3600 });
  const now = Math.floor(Date.now() / 1000);
  const graphToken = await standIns.idp.sign({
    aud: GRAPH_AUDIENCE, iss: standIns.idp.issuer(ADELE.tid), iat: now, nbf: now, exp: now + 3600,
    tid: ADELE.tid, oid: ADELE.oid, scp: 'Calendars.Read', upn: ADELE.upn, name: ADELE.name, azp: DEV_CLIENT_ID, idtyp: 'user', ver: '1.0', uti: randomUUID(),
  });
  const env = {
    ...process.env,
    BENCH_TOKEN: token,
    BENCH_GRAPH_TOKEN: graphToken,
    MCP_DEV_MODE: '1',
    ENTRA_AUTHORITY_HOST: standIns.idp.url,
    GRAPH_BASE_URL: standIns.graph.url,
    TABLES_CONNECTION_STRING: standIns.tablesConnectionString,
    TABLES_PREFIX: `cpu${Date.now()}`,
    RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
    RATE_LIMIT_USER_PER_MINUTE: '1000000',
  };
  const figures = new Map<string, number>();
  // Configuration is read once, when the app's modules load: each measuring process gets it in its environment.
  // The two run side by side, probe by probe, so whatever else the machine is doing weighs on both alike.
  // BENCH_TELEMETRY=off runs only the first; =only only the second.
  const which = process.env['BENCH_TELEMETRY'];
  // Telemetry on at the documented defaults: only the collector's endpoint is added (OTEL_* set for the run still apply).
  const telemetryOn = { ...env, BENCH_TELEMETRY_ON: '1', OTEL_EXPORTER_OTLP_ENDPOINT: standIns.otlp.endpoint };
  const pairing = new ProbePairing(which === undefined || which === '');
  const codes = await Promise.all([
    which === 'only' ? 0 : runMeasuring(env, figures, pairing),
    which === 'off' ? 0 : runMeasuring(telemetryOn, figures, pairing),
  ]);
  const code = codes.find((exitCode) => exitCode !== 0) ?? 0;
  if (which !== 'off') {
    const received = [...standIns.otlp.exports].map(([path, count]) => `${path} ${count}`).join(', ');
    process.stdout.write(`OTLP exports received: ${received === '' ? 'none' : received}\n`);
  }
  for (const [label, on] of figures) {
    if (!label.endsWith(TELEMETRY_ON)) continue;
    const off = figures.get(label.slice(0, -TELEMETRY_ON.length));
    if (off !== undefined) process.stdout.write(`telemetry cost, ${label.slice(0, -TELEMETRY_ON.length).padEnd(26)} +${(on - off).toFixed(3)} ms CPU/req (${((on / off - 1) * 100).toFixed(0)}%)\n`);
  }
  await standIns.close();
  process.exit(code);
}

const TELEMETRY_ON = ', telemetry on';

/** Starts a probe of one process with its counterpart in the other (same label, telemetry on), the rest at once. */
class ProbePairing {
  private readonly waiting = new Map<string, () => void>();

  constructor(private readonly paired: boolean) {}

  ready(label: string, go: () => void): void {
    const key = label.endsWith(TELEMETRY_ON) ? label.slice(0, -TELEMETRY_ON.length) : label;
    if (!this.paired || !(key.startsWith('local host') || key.startsWith('Functions'))) return go();
    const other = this.waiting.get(key);
    if (other === undefined) {
      this.waiting.set(key, go);
      return;
    }
    this.waiting.delete(key);
    other();
    go();
  }
}

/** One measuring process, its figures collected into `figures`; its exit code. */
async function runMeasuring(env: NodeJS.ProcessEnv, figures: Map<string, number>, pairing: ProbePairing): Promise<number> {
  const measuring: ChildProcess = fork(self, ['--measure'], {
    env,
    // The Node options a deployment runs with (on Node 22, AsyncLocalStorage on AsyncContextFrame, which telemetry's
    // context rides on), then a young generation large enough to hold COUNTED requests' allocations, so they can be
    // counted (the later size wins), unless DEPLOYED_HEAP.
    execArgv: [...deployedNodeOptions(), '--expose-gc', ...(DEPLOYED_HEAP ? [] : ['--max-semi-space-size=128']), ...(process.env['BENCH_CPU_PROFILE_DIR'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_CPU_PROFILE_DIR']]), ...EXTRA_MEASURE_ARGV],
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  measuring.on('message', (message: ProbeFigures | ProbeSignal) => {
    if ('cpuMs' in message) figures.set(message.label, message.cpuMs);
    const ready = 'ready' in message ? message.ready : undefined;
    if (ready !== undefined) pairing.ready(ready, () => measuring.send({ go: ready } satisfies ProbeSignal));
  });
  return new Promise<number>((resolve) => measuring.on('exit', (exitCode) => resolve(exitCode ?? 1)));
}

if (process.argv.includes('--measure')) await measureAll();
else if (process.argv.includes('--stand-ins')) await serveStandIns();
else {
  // NODE_EXTRA_CA_CERTS is read once at start: the stand-ins' and the measuring processes start with it set.
  const files = await createTlsFiles();
  const standIns = fork(self, ['--stand-ins'], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: files.certPath, BENCH_TLS_CERT: files.certPath, BENCH_TLS_KEY: files.keyPath },
    stdio: 'inherit',
  });
  standIns.on('exit', (code) => {
    rmSync(dirname(files.certPath), { recursive: true, force: true });
    process.exit(code ?? 1);
  });
}
