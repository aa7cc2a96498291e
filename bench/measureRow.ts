// One row of the table: a warm-up, then a measured load run with the server's CPU, RSS and downstream calls per request.
import { runLoad, type LoadTarget } from './load.js';
import { cpuMs, sampleRss } from './procStats.js';
import type { ServerProcess } from './serverProcess.js';
import type { DownstreamCounts } from './standIns.js';

/** Rows of 2025-11-25 requests, and (`...Modern`) the same ones as 2026-07-28 requests. */
export type RowKey = 'anchorList' | 'anchorEcho' | 'anchorGraph' | 'oursList' | 'oursWhoami' | 'graphDirect' | 'oursGraphTool' | 'telemetryWhoami' | 'telemetryGraphTool'
  | 'anchorListModern' | 'anchorEchoModern' | 'oursListModern' | 'oursWhoamiModern' | 'oursGraphToolModern';

export interface RowSpec {
  readonly key: RowKey;
  readonly label: string;
  /** An anchor row measured a second time, after ours: the two runs bracket ours and their gap is the run's noise. */
  readonly repeat?: boolean;
  /** The row whose req/s this one is compared with (same connections). */
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

export interface RowResult {
  readonly key: RowKey;
  readonly label: string;
  readonly repeat?: boolean;
  readonly reference: RowKey | undefined;
  readonly connections: number;
  /** Answered in the measured run: what req/s counts. */
  readonly requests: number;
  /** Sent in the measured run: what CPU and downstream calls are divided by. */
  readonly sent: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Null when the server is not involved. */
  readonly cpuMsPerRequest: number | null;
  readonly rssMaxMb: number | null;
  readonly perRequest: PerRequest;
  /** Warm-up and measured run together: any of these fails the bench. */
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

export interface RowTiming {
  readonly warmupSeconds: number;
  readonly seconds: number;
}

/** Long enough for requests still in flight when a run stops to finish on the server. */
const SETTLE_MS = 500;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

export async function measureRow(spec: RowSpec, counts: () => DownstreamCounts, timing: RowTiming): Promise<RowResult> {
  const pid = spec.server?.pid;
  const rss = pid === undefined ? undefined : sampleRss(pid);
  try {
    const warmup = await runLoad(spec.target, spec.connections, timing.warmupSeconds);
    await settle();
    const before = counts();
    const cpuBefore = pid === undefined ? 0 : cpuMs(pid);
    const load = await runLoad(spec.target, spec.connections, timing.seconds);
    await settle();
    const cpuUsed = pid === undefined ? 0 : cpuMs(pid) - cpuBefore;
    const after = counts();
    const per = (delta: number) => (load.sent === 0 ? Number.NaN : delta / load.sent);
    return {
      key: spec.key,
      label: spec.label,
      ...(spec.repeat === true && { repeat: true }),
      reference: spec.reference,
      connections: spec.connections,
      requests: load.requests,
      sent: load.sent,
      reqPerSec: load.reqPerSec,
      p50Ms: load.p50Ms,
      p99Ms: load.p99Ms,
      cpuMsPerRequest: pid === undefined ? null : per(cpuUsed),
      rssMaxMb: rss === undefined ? null : rss.stop(),
      perRequest: { jwks: per(after.jwks - before.jwks), obo: per(after.obo - before.obo), graph: per(after.graph - before.graph), table: per(after.table - before.table) },
      non2xx: warmup.non2xx + load.non2xx,
      errors: warmup.errors + load.errors,
      timeouts: warmup.timeouts + load.timeouts,
    };
  } finally {
    rss?.stop();
  }
}
