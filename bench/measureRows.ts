// The rows of one comparison measured in alternating slices: each row warmed up, then every row in turn for a few
// seconds, round after round, so that what the machine does meanwhile falls on reference and subject alike.
import { percentile, runLoad, type LoadStats, type LoadTarget } from './load.js';
import { cpuMs, sampleRss } from './procStats.js';
import type { ServerProcess } from './serverProcess.js';
import type { DownstreamCounts } from './standIns.js';

/** Rows of 2025-11-25 requests, and (`...Modern`) the same ones as 2026-07-28 requests. */
export type RowKey = 'anchorList' | 'anchorEcho' | 'anchorGraph' | 'oursList' | 'oursWhoami' | 'graphDirect' | 'oursGraphTool' | 'telemetryWhoami' | 'telemetryGraphTool'
  | 'anchorListModern' | 'anchorEchoModern' | 'oursListModern' | 'oursWhoamiModern' | 'oursGraphToolModern' | 'oursRefusedModern';

export interface RowSpec {
  readonly key: RowKey;
  readonly label: string;
  /** The row whose req/s this one is compared with: measured in the same group, so their rounds pair up. */
  readonly reference?: RowKey;
  /** Undefined when no server of ours or the anchor is involved (the direct Graph request). */
  readonly server: ServerProcess | undefined;
  readonly target: LoadTarget;
  readonly connections: number;
}

export interface PerRequest {
  readonly jwks: number;
  readonly obo: number;
  readonly graph: number;
  readonly table: number;
}

/** One slice of a row: round `i` of every row of a group ran within seconds of each other. */
export interface RoundFigures {
  readonly reqPerSec: number;
  /** Null when the server is not involved. */
  readonly cpuMsPerRequest: number | null;
}

export interface RowResult {
  readonly key: RowKey;
  readonly label: string;
  readonly reference: RowKey | undefined;
  readonly connections: number;
  /** Answered in the measured slices: what req/s counts. */
  readonly requests: number;
  /** Sent in the measured slices: what CPU and downstream calls are divided by. */
  readonly sent: number;
  /** Over all measured slices together. */
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Null when the server is not involved. */
  readonly cpuMsPerRequest: number | null;
  readonly rssMaxMb: number | null;
  readonly perRequest: PerRequest;
  /** Each measured slice on its own, in order: ratios are taken round by round. */
  readonly rounds: readonly RoundFigures[];
  /** Warm-up and measured slices together: any of these fails the bench. */
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

export interface RowTiming {
  readonly warmupSeconds: number;
  /** How long each row runs in each round. */
  readonly sliceSeconds: number;
  readonly rounds: number;
}

/** Long enough for requests still in flight when a slice stops to finish on the server. */
const SETTLE_MS = 500;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** One load run and the server's largest RSS while it ran (undefined when no server is involved). */
interface Loaded {
  readonly load: LoadStats;
  readonly rssMaxMb: number | undefined;
}

interface Slice extends Loaded {
  readonly cpuMs: number;
  readonly downstream: DownstreamCounts;
}

const minus = (after: DownstreamCounts, before: DownstreamCounts): DownstreamCounts => ({
  jwks: after.jwks - before.jwks, obo: after.obo - before.obo, graph: after.graph - before.graph, table: after.table - before.table,
});

/**
 * One load run of `spec` and the settling after it, with the server's largest RSS meanwhile: sampled only while
 * this row runs, since one server serves several rows of a group.
 */
async function loadAndSettle(spec: RowSpec, seconds: number): Promise<Loaded> {
  const rss = spec.server === undefined ? undefined : sampleRss(spec.server.pid);
  try {
    const load = await runLoad(spec.target, spec.connections, seconds);
    await settle();
    return { load, rssMaxMb: rss?.stop() };
  } finally {
    rss?.stop();
  }
}

async function measureSlice(spec: RowSpec, counts: () => DownstreamCounts, seconds: number): Promise<Slice> {
  const pid = spec.server?.pid;
  const before = counts();
  const cpuBefore = pid === undefined ? 0 : cpuMs(pid);
  const { load, rssMaxMb } = await loadAndSettle(spec, seconds);
  return { load, cpuMs: pid === undefined ? 0 : cpuMs(pid) - cpuBefore, downstream: minus(counts(), before), rssMaxMb };
}

/**
 * Every row of `specs` warmed up, then `timing.rounds` rounds of one slice each, the order reversed every other
 * round so that a trend over the group's minute favours no row.
 */
export async function measureGroup(specs: readonly RowSpec[], counts: () => DownstreamCounts, timing: RowTiming, progress: (message: string) => void): Promise<RowResult[]> {
  const warmups: Loaded[] = [];
  for (const spec of specs) warmups.push(await loadAndSettle(spec, timing.warmupSeconds));
  const slices: Slice[][] = specs.map(() => []);
  for (let round = 0; round < timing.rounds; round++) {
    progress(`  round ${round + 1} of ${timing.rounds}`);
    const order = specs.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const index of order) slices[index]!.push(await measureSlice(specs[index]!, counts, timing.sliceSeconds));
  }
  return specs.map((spec, index) => toRow(spec, warmups[index]!, slices[index]!));
}

function toRow(spec: RowSpec, warmup: Loaded, slices: readonly Slice[]): RowResult {
  const sum = (of: (slice: Slice) => number) => slices.reduce((total, slice) => total + of(slice), 0);
  const sent = sum((slice) => slice.load.sent);
  const requests = sum((slice) => slice.load.requests);
  const per = (total: number) => (sent === 0 ? Number.NaN : total / sent);
  const involved = spec.server !== undefined;
  const latencies = Float64Array.from(slices.flatMap((slice) => [...slice.load.latencies])).sort();
  return {
    key: spec.key,
    label: spec.label,
    reference: spec.reference,
    connections: spec.connections,
    requests,
    sent,
    reqPerSec: requests / sum((slice) => slice.load.seconds),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    cpuMsPerRequest: involved ? per(sum((slice) => slice.cpuMs)) : null,
    rssMaxMb: involved ? Math.max(warmup.rssMaxMb ?? 0, ...slices.map((slice) => slice.rssMaxMb ?? 0)) : null,
    perRequest: {
      jwks: per(sum((slice) => slice.downstream.jwks)),
      obo: per(sum((slice) => slice.downstream.obo)),
      graph: per(sum((slice) => slice.downstream.graph)),
      table: per(sum((slice) => slice.downstream.table)),
    },
    rounds: slices.map((slice) => ({
      reqPerSec: slice.load.reqPerSec,
      cpuMsPerRequest: involved && slice.load.sent > 0 ? slice.cpuMs / slice.load.sent : null,
    })),
    non2xx: warmup.load.non2xx + sum((slice) => slice.load.non2xx),
    errors: warmup.load.errors + sum((slice) => slice.load.errors),
    timeouts: warmup.load.timeouts + sum((slice) => slice.load.timeouts),
  };
}
