// The performance targets the server is held to, checked against one run's figures.
import type { BenchResults, TargetCheck } from './benchResults.js';
import type { RowKey, RowResult } from './measureRow.js';

const KB = 1024;

export function rowOf(rows: readonly RowResult[], key: RowKey, connections: number): RowResult {
  const row = rows.find((candidate) => candidate.key === key && candidate.connections === connections && candidate.repeat !== true);
  if (row === undefined) throw new Error(`no row ${key} at ${connections} connections`);
  return row;
}

/** The runs of one row (the first, and the repeat when it was measured again). */
function runsOf(rows: readonly RowResult[], key: RowKey | undefined, connections: number): RowResult[] {
  return rows.filter((candidate) => candidate.key === key && candidate.connections === connections);
}

/** req/s of a row: the mean of its runs, so that an anchor measured before and after ours brackets them. */
export function reqPerSecOf(rows: readonly RowResult[], key: RowKey, connections: number): number {
  const runs = runsOf(rows, key, connections);
  return runs.reduce((sum, run) => sum + run.reqPerSec, 0) / runs.length;
}

/** req/s of a row over its reference row's (both runs of it, when it was measured twice) at the same connections. */
export function ratioToReference(rows: readonly RowResult[], row: RowResult): number | undefined {
  if (row.reference === undefined || referenceOf(rows, row) === undefined) return undefined;
  return row.reqPerSec / reqPerSecOf(rows, row.reference, row.connections);
}

/** The row `row` is compared with, when it was measured (a partial run may leave it out). */
function referenceOf(rows: readonly RowResult[], row: RowResult): RowResult | undefined {
  return runsOf(rows, row.reference, row.connections).find((candidate) => candidate.repeat !== true);
}

/** How far apart the two runs of a row measured twice are, over their mean: the run's noise. Undefined if once. */
export function spreadOf(rows: readonly RowResult[], key: RowKey, connections: number): number | undefined {
  const runs = runsOf(rows, key, connections);
  if (runs.length < 2) return undefined;
  const values = runs.map((run) => run.reqPerSec);
  return (Math.max(...values) - Math.min(...values)) / reqPerSecOf(rows, key, connections);
}

/** Server CPU per request of a row over its reference row's; undefined when either has none (the direct Graph request). */
export function cpuRatioToReference(rows: readonly RowResult[], row: RowResult): number | undefined {
  if (row.cpuMsPerRequest === null) return undefined;
  const reference = referenceOf(rows, row)?.cpuMsPerRequest ?? null;
  return reference === null ? undefined : row.cpuMsPerRequest / reference;
}

const OURS: readonly RowKey[] = ['oursList', 'oursWhoami', 'oursGraphTool', 'telemetryWhoami', 'telemetryGraphTool', 'oursListModern', 'oursWhoamiModern', 'oursGraphToolModern'];
const fixed = (value: number, digits = 2) => value.toFixed(digits);

export function checkTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const { rows } = results;
  const ours = rows.filter((row) => OURS.includes(row.key));
  const whoami = rowOf(rows, 'oursWhoami', 32).reqPerSec / reqPerSecOf(rows, 'anchorEcho', 32);
  const list = rowOf(rows, 'oursList', 32).reqPerSec / reqPerSecOf(rows, 'anchorList', 32);
  const whoamiModern = rowOf(rows, 'oursWhoamiModern', 32).reqPerSec / reqPerSecOf(rows, 'anchorEchoModern', 32);
  const listModern = rowOf(rows, 'oursListModern', 32).reqPerSec / reqPerSecOf(rows, 'anchorListModern', 32);
  const overhead = Math.max(...results.graphPath.map((figure) => figure.overheadCpuMsPerCall));
  const raw = Math.max(...results.graphPath.map((figure) => figure.rawCpuMsPerCall));
  const jwks = Math.max(...ours.map((row) => row.perRequest.jwks));
  const obo = Math.max(...ours.map((row) => row.perRequest.obo));
  const tableOps = Math.max(...ours.map((row) => row.perRequest.table));
  const { bundled, speedup } = results.coldStart;
  const firstCall = results.firstCall.ours.medianMs;
  const telemetryCost = 1 - rowOf(rows, 'telemetryWhoami', 32).reqPerSec / rowOf(rows, 'oursWhoami', 32).reqPerSec;
  const idle = Math.max(results.idleRssMb.ours, results.idleRssMb.telemetry);
  const loaded = Math.max(...ours.filter((row) => row.connections === 32).map((row) => row.rssMaxMb ?? 0));
  const tool = results.graphTool.name;
  return [
    { name: 'whoami >= 0.9x anchor trivial tool (req/s, 32 conns)', measured: `${fixed(whoami)}x`, pass: whoami >= 0.9 },
    { name: 'tools/list >= 1.0x anchor tools/list (req/s, 32 conns)', measured: `${fixed(list)}x`, pass: list >= 1.0 },
    { name: '2026-07-28: whoami >= 0.9x anchor trivial tool (req/s, 32 conns)', measured: `${fixed(whoamiModern)}x`, pass: whoamiModern >= 0.9 },
    { name: '2026-07-28: tools/list >= 1.0x anchor tools/list (req/s, 32 conns)', measured: `${fixed(listModern)}x`, pass: listModern >= 1.0 },
    { name: `${tool} Graph path over a direct Graph request <= 0.5 ms CPU/call`, measured: `${fixed(overhead, 3)} ms (raw ${fixed(raw, 3)} ms/call)`, pass: overhead <= 0.5 },
    { name: 'warm requests: 0 JWKS fetches, 0 OBO requests', measured: `${fixed(jwks, 4)} JWKS, ${fixed(obo, 4)} OBO per request`, pass: jwks === 0 && obo === 0 },
    { name: '<= 0.25 Table operations per request', measured: `${fixed(tableOps, 4)} per request`, pass: tableOps <= 0.25 },
    { name: 'telemetry on (OTLP) costs <= 10% of whoami req/s (32 conns)', measured: `${fixed(100 * telemetryCost, 0)}%`, pass: telemetryCost <= 0.1 },
    { name: 'bundled cold import <= 150 ms', measured: `${fixed(bundled.medianMs, 0)} ms (CPU ${fixed(bundled.medianCpuMs, 0)} ms)`, pass: bundled.medianMs <= 150 },
    { name: 'process start to first list_events <= 250 ms (median)', measured: `${fixed(firstCall, 0)} ms (CPU ${fixed(results.firstCall.ours.medianCpuMs, 0)} ms; anchor ${fixed(results.firstCall.anchor.medianMs, 0)} ms)`, pass: firstCall <= 250 },
    { name: 'bundled import >= 3x faster than unbundled', measured: `${fixed(speedup)}x`, pass: speedup >= 3 },
    { name: 'idle RSS <= 90 MB', measured: `${fixed(idle, 1)} MB`, pass: idle <= 90 },
    { name: 'RSS under 32 connections <= 200 MB', measured: `${fixed(loaded, 1)} MB`, pass: loaded <= 200 },
    // Room for the tools still to come; the list is what every agent turn sends the model.
    { name: 'tools/list answer <= 55 KB (every tool set on)', measured: `${fixed(results.toolsList.bytes / KB, 1)} KB`, pass: results.toolsList.bytes <= 55 * KB },
  ];
}
