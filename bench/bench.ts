// The benchmark process (run.ts starts it with the run's certificate trusted): every row, cold start, targets, results.json.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ADELE } from '../sandbox/sampleUsers.js';
import type { BenchResults, GraphPathFigures } from './benchResults.js';
import { measureColdStart, type ColdStartFigures } from './coldStart.js';
import { measureFirstCalls, type FirstCalls } from './firstCall.js';
import { measureDocumentMemory } from './documentMemory.js';
import { renderProfile, summarizeProfile, type ProfileSummary } from './cpuProfile.js';
import { runLoad, type LoadTarget } from './load.js';
import { measureGroup, type RoundFigures, type RowKey, type RowResult, type RowSpec, type RowTiming } from './measureRows.js';
import { describeFirstCall, describeIdleMemory, renderReport, renderRows } from './report.js';
import { measureIdleMemory, QUIET_SECONDS } from './idleMemory.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';
import { downstreamCounts, startStandIns } from './standIns.js';
import { oursEnv, oursScript, startAnchor, startOurs, startWithTelemetry, type SubjectContext } from './subjects.js';
import { checkTargets, medianOverRounds, rowOf } from './targets.js';

function positive(name: string): number | undefined {
  const value = Number(process.env[name] ?? Number.NaN);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
/** `BENCH_SLICE_SECONDS` and `BENCH_ROUNDS` change how long each row runs per round, and how many rounds. */
const TIMING: RowTiming = { warmupSeconds: 2, sliceSeconds: positive('BENCH_SLICE_SECONDS') ?? 2, rounds: positive('BENCH_ROUNDS') ?? 5 };
const MAX_CONNECTIONS = 32;
/**
 * `BENCH_ROWS=oursList,anchorList` (row keys; `coldStart`, `firstCall` and `idleRss` for those figures) measures only
 * those, and `BENCH_CONNECTIONS=32` only that many connections: a quick look at one figure, with no targets checked
 * and bench/results.json left as it was.
 */
const selected = (process.env['BENCH_ROWS'] ?? '').split(',').map((key) => key.trim()).filter((key) => key !== '');
const partial = selected.length > 0;
const CONNECTIONS: readonly number[] = (process.env['BENCH_CONNECTIONS'] ?? '').split(',').map(Number).filter((count) => count > 0).length > 0
  ? (process.env['BENCH_CONNECTIONS'] ?? '').split(',').map(Number).filter((count) => count > 0)
  : [2, 32];
const wanted = (key: RowKey) => !partial || selected.includes(key);

const certPath = process.env['BENCH_TLS_CERT'];
const keyPath = process.env['BENCH_TLS_KEY'];
if (certPath === undefined || keyPath === undefined) throw new Error('start the bench with `npm run bench` (node dist/bench/run.js)');
const tls = { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };

const closers: (() => Promise<void>)[] = [];
const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const track = (server: ServerProcess) => closers.push(() => server.stop());

async function closeAll(): Promise<void> {
  while (closers.length > 0) await closers.pop()?.().catch(() => undefined);
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const wallStart = performance.now();
  const loadAverageAtStart = loadavg()[0] ?? 0;

  let coldStart: ColdStartFigures | undefined;
  if (!partial || selected.includes('coldStart')) {
    progress('cold start: bundle vs unbundled build, 5 fresh processes each');
    coldStart = await measureColdStart(root, join(here, 'coldImport.js'));
  }

  const standIns = await startStandIns(tls);
  closers.push(() => standIns.close());
  const context: SubjectContext = { dist: join(root, 'dist'), standIns, certPath: certPath!, token: await standIns.idp.accessToken(ADELE, {}, { lifetimeSeconds: 3600 }), track };
  progress('starting the anchor, ours, and ours with telemetry on');
  // Ours first: the anchor's Graph tool sends the very request ours' Graph tool makes, learnt from ours.
  const ours = await startOurs(context);
  let firstCall: FirstCalls | undefined;
  if (!partial || selected.includes('firstCall')) {
    progress('scale-from-zero: process start to first Graph tool call answered, 5 fresh processes each of ours and the anchor');
    firstCall = await measureFirstCalls(context, ours);
  }
  const measuresIdle = !partial || selected.includes('idleRss');
  const anchor = measuresIdle || selected.some((key) => key.startsWith('anchor')) ? await startAnchor(context, ours) : undefined;
  const telemetry = measuresIdle || selected.some((key) => key.startsWith('telemetry')) ? await startWithTelemetry(context, ours) : undefined;
  let idle: BenchResults['idleRss'] | undefined;
  if (measuresIdle && anchor !== undefined && telemetry !== undefined) {
    progress(`idle memory: each server warmed up, then ${QUIET_SECONDS} s quiet`);
    const [anchorIdle, oursIdle, telemetryIdle] = await measureIdleMemory([anchor, ours, telemetry]);
    idle = { quietSeconds: QUIET_SECONDS, anchor: anchorIdle!, ours: oursIdle!, telemetry: telemetryIdle! };
  }

  // Each comparison is one group, measured in alternating slices: ours and what it is compared with see the same
  // moments of the machine, and each ratio is the median of its rounds'.
  const rows: RowResult[] = [];
  for (const connections of CONNECTIONS) {
    const groups: (RowSpec | undefined)[][] = [
      [
        anchor && { key: 'anchorList', label: 'anchor tools/list', server: anchor.server, target: anchor.toolsList, connections },
        { key: 'oursList', label: 'ours tools/list', reference: 'anchorList', server: ours.server, target: ours.toolsList, connections },
      ],
      // Neighbours are compared; the Graph path figure pairs four of these rows round by round.
      [
        anchor && { key: 'anchorEcho', label: 'anchor echo (trivial tool)', server: anchor.server, target: anchor.echo, connections },
        { key: 'oursWhoami', label: 'ours whoami {profile:false}', reference: 'anchorEcho', server: ours.server, target: ours.whoami, connections },
        // The same two calls with telemetry on at the defaults (OTLP/HTTP protobuf to a local collector).
        telemetry && { key: 'telemetryWhoami', label: 'ours whoami, telemetry on (OTLP)', reference: 'oursWhoami', server: telemetry.server, target: telemetry.whoami, connections },
        telemetry && { key: 'telemetryGraphTool', label: `ours ${ours.graphToolCall.name}, telemetry on (OTLP)`, reference: 'oursGraphTool', server: telemetry.server, target: telemetry.graphTool, connections },
        { key: 'oursGraphTool', label: `ours ${ours.graphToolCall.name}`, reference: 'graphDirect', server: ours.server, target: ours.graphTool, connections },
        anchor && { key: 'anchorGraph', label: `anchor graph tool (fetch ${ours.directPath})`, reference: 'graphDirect', server: anchor.server, target: anchor.graph, connections },
        { key: 'graphDirect', label: `direct Graph ${ours.directPath}`, server: undefined, target: ours.direct, connections },
        { key: 'oursGraphToolModern', label: `ours ${ours.graphToolCall.name}, 2026-07-28`, reference: 'graphDirect', server: ours.server, target: ours.modern.graphTool, connections },
      ],
      // The same requests as a 2026-07-28 client sends them: `_meta` on each, no session, no batch.
      [
        anchor && { key: 'anchorListModern', label: 'anchor tools/list, 2026-07-28', server: anchor.server, target: anchor.modern.toolsList, connections },
        { key: 'oursListModern', label: 'ours tools/list, 2026-07-28', reference: 'anchorListModern', server: ours.server, target: ours.modern.toolsList, connections },
      ],
      [
        anchor && { key: 'anchorEchoModern', label: 'anchor echo, 2026-07-28', server: anchor.server, target: anchor.modern.echo, connections },
        { key: 'oursWhoamiModern', label: 'ours whoami, 2026-07-28', reference: 'anchorEchoModern', server: ours.server, target: ours.modern.whoami, connections },
        // Every check of ours, answered before the SDK's stage: the rest of the whole call is that stage's.
        { key: 'oursRefusedModern', label: 'ours whoami refused for its params, 2026-07-28', reference: 'anchorEchoModern', server: ours.server, target: ours.modern.refused, connections },
      ],
    ];
    for (const group of groups) {
      const specs = group.filter((spec): spec is RowSpec => spec !== undefined && wanted(spec.key));
      if (specs.length === 0) continue;
      progress(`${specs.map((spec) => spec.label).join(' | ')} at ${connections} connections`);
      rows.push(...await measureGroup(specs, () => downstreamCounts(standIns), TIMING, progress));
    }
  }
  // On ours, which has converted nothing so far: its RSS with document workers idle, busy and ended.
  const documents = partial ? undefined : await measureDocumentMemory(ours.server, standIns.graph, context.token, progress);
  await Promise.all([anchor?.server.stop(), ours.server.stop(), telemetry?.server.stop()]);

  const profileLoads: { key: RowKey; label: string; target: LoadTarget; env?: Record<string, string> }[] = [
    { key: 'oursList', label: 'tools/list', target: ours.toolsList },
    { key: 'oursListModern', label: 'tools/list, 2026-07-28', target: ours.modern.toolsList },
    { key: 'oursWhoami', label: 'whoami {profile:false}', target: ours.whoami },
    { key: 'oursWhoamiModern', label: 'whoami, 2026-07-28', target: ours.modern.whoami },
    { key: 'oursGraphTool', label: ours.graphToolCall.name, target: ours.graphTool },
    { key: 'telemetryWhoami', label: 'whoami, telemetry on (OTLP)', target: ours.whoami, env: { OTEL_EXPORTER_OTLP_ENDPOINT: context.standIns.otlp.endpoint } },
  ];
  // A full run profiles the three calls every agent turn makes; a partial one, those of its rows.
  const profiles = await maybeProfile(context, profileLoads.filter((load) => (partial ? selected.includes(load.key) : load.key !== 'oursListModern' && load.key !== 'oursWhoamiModern')));
  if (partial) {
    if (coldStart !== undefined) process.stdout.write(`\ncold import: bundle ${coldStart.bundled.medianMs.toFixed(0)} ms (CPU ${coldStart.bundled.medianCpuMs.toFixed(0)} ms), unbundled ${coldStart.unbundled.medianMs.toFixed(0)} ms (medians)\n`);
    if (firstCall !== undefined) process.stdout.write(`\nprocess start to first list_events: ${describeFirstCall(firstCall.ours)}\nthe anchor's, to its first graph call: ${describeFirstCall(firstCall.anchor)}\n`);
    if (idle !== undefined) process.stdout.write(`\n${describeIdleMemory(idle)}\n`);
    process.stdout.write(`\n${renderRows(rows)}\n`);
    for (const profile of profiles ?? []) process.stdout.write(`\n${renderProfile(profile)}\n`);
    return brokenRows(rows);
  }

  const graphPath: GraphPathFigures[] = CONNECTIONS.map((connections) => {
    const tool = rowOf(rows, 'oursGraphTool', connections);
    const direct = rowOf(rows, 'graphDirect', connections);
    // Each from the rounds of its rows, paired: the four rows of a round ran within seconds of each other.
    const cpu = (rounds: readonly RoundFigures[], index: number) => rounds[index]?.cpuMsPerRequest ?? Number.NaN;
    const over = (keys: readonly RowKey[]) => medianOverRounds(rows, keys, connections, (rounds) => cpu(rounds, 0) - cpu(rounds, 1));
    return {
      connections,
      rawCpuMsPerCall: tool.cpuMsPerRequest ?? Number.NaN,
      overWhoamiCpuMsPerCall: over(['oursGraphTool', 'oursWhoami']),
      anchorGraphCpuMsPerCall: over(['anchorGraph', 'anchorEcho']),
      overheadCpuMsPerCall: medianOverRounds(rows, ['oursGraphTool', 'oursWhoami', 'anchorGraph', 'anchorEcho'], connections,
        (rounds) => cpu(rounds, 0) - cpu(rounds, 1) - (cpu(rounds, 2) - cpu(rounds, 3))),
      p50DeltaMs: tool.p50Ms - direct.p50Ms,
      p99DeltaMs: tool.p99Ms - direct.p99Ms,
    };
  });
  const figures: Omit<BenchResults, 'targets'> = {
    startedAt: startedAt.toISOString(),
    wallSeconds: (performance.now() - wallStart) / 1000,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      os: `${type()} ${release()}`,
      loadAverage: { atStart: loadAverageAtStart, atEnd: loadavg()[0] ?? 0 },
    },
    timing: TIMING,
    graphTool: ours.graphToolCall,
    rows,
    toolsList: { bytes: ours.toolsListBytes, kb: ours.toolsListBytes / 1024, tools: ours.toolCount },
    idleRss: idle!,
    documents: documents!,
    otlpExports: Object.fromEntries(standIns.otlp.exports),
    coldStart: coldStart!,
    firstCall: firstCall!,
    graphPath,
    ...(profiles !== undefined && { profiles }),
  };
  const results: BenchResults = { ...figures, targets: checkTargets(figures) };
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\n${renderReport(results)}\n`);
  for (const profile of profiles ?? []) process.stdout.write(`\n${renderProfile(profile)}\n`);
  return brokenRows(rows);
}

/** 1, said loudly, when any row had a failed request. */
function brokenRows(rows: readonly RowResult[]): number {
  const broken = rows.filter((row) => row.non2xx + row.errors + row.timeouts > 0);
  if (broken.length === 0) return 0;
  const which = broken.map((row) => `${row.label} at ${row.connections} (non-2xx ${row.non2xx}, errors ${row.errors}, timeouts ${row.timeouts})`);
  process.stderr.write(`\nBENCH BROKEN: failed requests in ${which.join('; ')}\n`);
  return 1;
}

/** With BENCH_CPU_PROFILE_DIR set: a --cpu-prof server of ours under each 32-connection load given, summarised. */
async function maybeProfile(context: SubjectContext, loads: readonly { label: string; target: LoadTarget; env?: Record<string, string> }[]): Promise<ProfileSummary[] | undefined> {
  const base = process.env['BENCH_CPU_PROFILE_DIR'];
  if (base === undefined || base === '') return undefined;
  const summaries: ProfileSummary[] = [];
  for (const [index, load] of loads.entries()) {
    const dir = join(base, `${index + 1}-${load.label.replace(/\W+/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    progress(`CPU profile of ours under ${load.label} at ${MAX_CONNECTIONS} connections, into ${dir}`);
    const execArgv = ['--import', pathToFileURL(join(here, 'exitOnSigterm.js')).href, '--cpu-prof', '--cpu-prof-dir', dir];
    const server = await startServerProcess({ name: 'ours profiled', script: oursScript(context), env: { ...oursEnv(context), ...load.env }, execArgv });
    track(server);
    const target = { ...load.target, url: `${server.baseUrl}/mcp` };
    await runLoad(target, MAX_CONNECTIONS, TIMING.warmupSeconds);
    await runLoad(target, MAX_CONNECTIONS, TIMING.sliceSeconds * TIMING.rounds);
    await server.stop();
    const newest = readdirSync(dir)
      .filter((file) => file.endsWith('.cpuprofile'))
      .map((file) => join(dir, file))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (newest !== undefined) summaries.push(summarizeProfile(`${load.label} at ${MAX_CONNECTIONS} connections`, newest));
  }
  return summaries;
}

// Ctrl-C reaches us twice (from the terminal and forwarded by run.ts): stop once, ignore the rest.
let stopping = false;
const stopOnSignal = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  progress(`${signal}: stopping everything`);
  void closeAll().finally(() => process.exit(130));
};
process.on('SIGINT', stopOnSignal);
process.on('SIGTERM', stopOnSignal);

let code = 1;
try {
  code = await main();
} catch (error) {
  process.stderr.write(`\nBENCH BROKEN: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await closeAll();
}
process.exit(code);
