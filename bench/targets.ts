// The performance targets the server is held to, checked against one run's figures.
import type { BenchResults, TargetCheck } from './benchResults.js';
import { median } from './median.js';
import type { RoundFigures, RowKey, RowResult } from './measureRows.js';

const KB = 1024;

export function rowOf(rows: readonly RowResult[], key: RowKey, connections: number): RowResult {
  const row = rows.find((candidate) => candidate.key === key && candidate.connections === connections);
  if (row === undefined) throw new Error(`no row ${key} at ${connections} connections`);
  return row;
}

/** The row `row` is compared with, when it was measured (a partial run may leave it out). */
export function referenceOf(rows: readonly RowResult[], row: RowResult): RowResult | undefined {
  return rows.find((candidate) => candidate.key === row.reference && candidate.connections === row.connections);
}

/**
 * `of(subject round) / of(reference round)` for each round the two rows shared, or the one ratio of their totals
 * when they were not measured side by side.
 */
function pairedRatios(subject: RowResult, reference: RowResult, of: (figures: RoundFigures | RowResult) => number | null): number[] {
  if (subject.rounds.length === 0 || subject.rounds.length !== reference.rounds.length) {
    const [top, bottom] = [of(subject), of(reference)];
    return top === null || bottom === null ? [] : [top / bottom];
  }
  return subject.rounds.flatMap((round, index) => {
    const [top, bottom] = [of(round), of(reference.rounds[index]!)];
    return top === null || bottom === null ? [] : [top / bottom];
  });
}

/** The median, least and greatest of a row's round-by-round ratios to its reference. */
export interface Ratio {
  readonly median: number;
  readonly least: number;
  readonly greatest: number;
}

function summarize(ratios: readonly number[]): Ratio | undefined {
  if (ratios.length === 0) return undefined;
  return { median: median(ratios), least: Math.min(...ratios), greatest: Math.max(...ratios) };
}

/** req/s of a row over its reference row's at the same connections, round by round. */
export function ratioToReference(rows: readonly RowResult[], row: RowResult): Ratio | undefined {
  const reference = referenceOf(rows, row);
  return reference === undefined ? undefined : summarize(pairedRatios(row, reference, (figures) => figures.reqPerSec));
}

/** Server CPU per request of a row over its reference row's; undefined when either has none (the direct Graph request). */
export function cpuRatioToReference(rows: readonly RowResult[], row: RowResult): Ratio | undefined {
  const reference = referenceOf(rows, row);
  return reference === undefined ? undefined : summarize(pairedRatios(row, reference, (figures) => figures.cpuMsPerRequest));
}

/** How far apart a row's rounds are, over their median: the run's noise for a row that is only ever a reference. */
export function spreadOf(row: RowResult): number | undefined {
  if (row.rounds.length < 2) return undefined;
  const values = row.rounds.map((round) => round.reqPerSec);
  return (Math.max(...values) - Math.min(...values)) / median(values);
}

/** `figure(round i of each row)` for every round, its median taken: a figure made of several rows, paired by round. */
export function medianOverRounds(rows: readonly RowResult[], keys: readonly RowKey[], connections: number, figure: (rounds: readonly RoundFigures[]) => number): number {
  const measured = keys.map((key) => rowOf(rows, key, connections));
  const count = Math.min(...measured.map((row) => row.rounds.length));
  return median(Array.from({ length: count }, (_, index) => figure(measured.map((row) => row.rounds[index]!))));
}

const OURS: readonly RowKey[] = ['oursList', 'oursWhoami', 'oursGraphTool', 'telemetryWhoami', 'telemetryGraphTool', 'oursListModern', 'oursWhoamiModern', 'oursGraphToolModern', 'oursRefusedModern'];
const fixed = (value: number, digits = 2) => value.toFixed(digits);
/** A round-by-round ratio: its median, and the range of its rounds. */
export const times = (ratio: Ratio) => `${fixed(ratio.median)}x (rounds ${fixed(ratio.least)}-${fixed(ratio.greatest)}x)`;

export function checkTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const { rows } = results;
  const ours = rows.filter((row) => OURS.includes(row.key));
  const ratio = (key: RowKey) => ratioToReference(rows, rowOf(rows, key, 32)) ?? { median: Number.NaN, least: Number.NaN, greatest: Number.NaN };
  const whoami = ratio('oursWhoami');
  const list = ratio('oursList');
  const whoamiModern = ratio('oursWhoamiModern');
  const listModern = ratio('oursListModern');
  const overhead = Math.max(...results.graphPath.map((figure) => figure.overheadCpuMsPerCall));
  const raw = Math.max(...results.graphPath.map((figure) => figure.rawCpuMsPerCall));
  const jwks = Math.max(...ours.map((row) => row.perRequest.jwks));
  const obo = Math.max(...ours.map((row) => row.perRequest.obo));
  const tableOps = Math.max(...ours.map((row) => row.perRequest.table));
  const { bundled, speedup } = results.coldStart;
  const firstCall = results.firstCall.ours.medianMs;
  const telemetry = ratio('telemetryWhoami');
  const telemetryCost = 1 - telemetry.median;
  const idle = Math.max(results.idleRss.ours.idleMb, results.idleRss.telemetry.idleMb);
  const loaded = Math.max(...ours.filter((row) => row.connections === 32).map((row) => row.rssMaxMb ?? 0));
  const tool = results.graphTool.name;
  return [
    { name: 'whoami >= 0.9x anchor trivial tool (req/s, 32 conns)', measured: times(whoami), pass: whoami.median >= 0.9 },
    { name: 'tools/list >= 1.0x anchor tools/list (req/s, 32 conns)', measured: times(list), pass: list.median >= 1.0 },
    { name: '2026-07-28: whoami >= 0.9x anchor trivial tool (req/s, 32 conns)', measured: times(whoamiModern), pass: whoamiModern.median >= 0.9 },
    { name: '2026-07-28: tools/list >= 1.0x anchor tools/list (req/s, 32 conns)', measured: times(listModern), pass: listModern.median >= 1.0 },
    { name: `${tool} Graph path over a direct Graph request <= 0.5 ms CPU/call`, measured: `${fixed(overhead, 3)} ms (raw ${fixed(raw, 3)} ms/call)`, pass: overhead <= 0.5 },
    { name: 'warm requests: 0 JWKS fetches, 0 OBO requests', measured: `${fixed(jwks, 4)} JWKS, ${fixed(obo, 4)} OBO per request`, pass: jwks === 0 && obo === 0 },
    { name: '<= 0.25 Table operations per request', measured: `${fixed(tableOps, 4)} per request`, pass: tableOps <= 0.25 },
    { name: 'telemetry on (OTLP) costs <= 10% of whoami req/s (32 conns)', measured: `${fixed(100 * telemetryCost, 0)}% (rounds ${fixed(100 * (1 - telemetry.greatest), 0)} to ${fixed(100 * (1 - telemetry.least), 0)}%)`, pass: telemetryCost <= 0.1 },
    { name: 'bundled cold import <= 150 ms', measured: `${fixed(bundled.medianMs, 0)} ms (CPU ${fixed(bundled.medianCpuMs, 0)} ms)`, pass: bundled.medianMs <= 150 },
    { name: 'process start to first list_events <= 250 ms (median)', measured: `${fixed(firstCall, 0)} ms (CPU ${fixed(results.firstCall.ours.medianCpuMs, 0)} ms; anchor ${fixed(results.firstCall.anchor.medianMs, 0)} ms)`, pass: firstCall <= 250 },
    { name: 'bundled import >= 3x faster than unbundled', measured: `${fixed(speedup)}x`, pass: speedup >= 3 },
    { name: `idle RSS <= 90 MB (after ${results.idleRss.quietSeconds} s quiet)`, measured: `${fixed(idle, 1)} MB (anchor ${fixed(results.idleRss.anchor.idleMb, 1)} MB)`, pass: idle <= 90 },
    { name: 'RSS under 32 connections <= 200 MB', measured: `${fixed(loaded, 1)} MB`, pass: loaded <= 200 },
    // Room for the tools still to come; the list is what every agent turn sends the model.
    { name: 'tools/list answer <= 55 KB (every tool set on)', measured: `${fixed(results.toolsList.bytes / KB, 1)} KB`, pass: results.toolsList.bytes <= 55 * KB },
  ];
}
