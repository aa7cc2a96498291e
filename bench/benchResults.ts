// The shape of bench/results.json: every figure of one run.
import type { ColdStartFigures } from './coldStart.js';
import type { ProfileSummary } from './cpuProfile.js';
import type { DocumentMemoryFigures } from './documentMemory.js';
import type { FirstCalls } from './firstCall.js';
import type { IdleMemory } from './idleMemory.js';
import type { RowResult, RowTiming } from './measureRows.js';

export interface GraphPathFigures {
  readonly connections: number;
  /** Our server's CPU per list_events (or list_messages) call; the direct Graph request costs our server nothing. */
  readonly rawCpuMsPerCall: number;
  /** The same minus whoami{profile:false}: what the Graph path (OBO cache, Graph client, the request, parsing) costs. */
  readonly overWhoamiCpuMsPerCall: number;
  /** What a bare server's tool sending the same Graph request directly costs over its trivial tool (anchor). */
  readonly anchorGraphCpuMsPerCall: number;
  /** Ours over the bare server's: what our Graph path costs beyond sending the request directly. */
  readonly overheadCpuMsPerCall: number;
  readonly p50DeltaMs: number;
  readonly p99DeltaMs: number;
}

export interface TargetCheck {
  readonly name: string;
  readonly measured: string;
  readonly pass: boolean;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly wallSeconds: number;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGb: number;
    readonly node: string;
    readonly os: string;
    /** One-minute load average: other work on the machine skews every figure. */
    readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
  };
  readonly timing: RowTiming;
  readonly graphTool: { readonly name: string; readonly arguments: Record<string, unknown> };
  readonly rows: readonly RowResult[];
  readonly toolsList: { readonly bytes: number; readonly kb: number; readonly tools: number };
  /** RSS after a warm-up, and once quiet: the anchor, ours, and ours with telemetry on. */
  readonly idleRss: { readonly quietSeconds: number; readonly anchor: IdleMemory; readonly ours: IdleMemory; readonly telemetry: IdleMemory };
  /** RSS of ours with document workers: before any conversion, converting, idle, ended. */
  readonly documents: DocumentMemoryFigures;
  /** OTLP exports the local collector received from the telemetry-on server, by path: proof it was on. */
  readonly otlpExports: Readonly<Record<string, number>>;
  readonly coldStart: ColdStartFigures;
  /** Scale-from-zero: a fresh process started to its first Graph tool call answered, ours and the anchor's. */
  readonly firstCall: FirstCalls;
  readonly graphPath: readonly GraphPathFigures[];
  readonly targets: readonly TargetCheck[];
  /** With BENCH_CPU_PROFILE_DIR set. */
  readonly profiles?: readonly ProfileSummary[];
}
