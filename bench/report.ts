// Renders one run as plain text: the load table with ratios, the other figures, and PASS/FAIL per target.
import type { BenchResults } from './benchResults.js';
import type { FirstCallFigures } from './firstCall.js';
import type { IdleMemory } from './idleMemory.js';
import type { RowKey, RowResult } from './measureRows.js';
import { cpuRatioToReference, ratioToReference, referenceOf, rowOf, spreadOf, times } from './targets.js';

const SHORT: Record<RowKey, string> = {
  anchorList: 'anchor tools/list',
  anchorEcho: 'anchor echo',
  anchorGraph: 'anchor Graph tool',
  oursList: 'ours tools/list',
  oursWhoami: 'ours whoami',
  graphDirect: 'direct Graph',
  oursGraphTool: 'ours Graph tool',
  telemetryWhoami: 'ours whoami, telemetry on',
  telemetryGraphTool: 'ours Graph tool, telemetry on',
  anchorListModern: 'anchor tools/list 2026',
  anchorEchoModern: 'anchor echo 2026',
  oursListModern: 'ours tools/list 2026',
  oursWhoamiModern: 'ours whoami 2026',
  oursGraphToolModern: 'ours Graph tool 2026',
  oursRefusedModern: 'ours refused 2026',
};

/** Columns padded to their widest cell; the first left-aligned, the rest right-aligned. */
export function alignColumns(lines: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const line of lines) line.forEach((cell, index) => { widths[index] = Math.max(widths[index] ?? 0, cell.length); });
  return lines
    .map((line) => line.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
const num = (value: number | null, digits: number) => (value === null || Number.isNaN(value) ? '-' : value.toFixed(digits));

/** The load table: each row with its ratios to its reference (when that row was measured too). */
export function renderRows(rows: readonly RowResult[]): string {
  const header = ['row', 'conns', 'req/s', 'x ref', 'rounds', 'ref', 'p50 ms', 'p99 ms', 'CPU ms/req', 'CPU x ref', 'RSS max MB', 'JWKS/req', 'OBO/req', 'Graph/req', 'Table/req', 'non-2xx'];
  const lines = rows.map((row) => {
    const ratio = ratioToReference(rows, row);
    const cpuRatio = cpuRatioToReference(rows, row);
    return [
      row.label,
      String(row.connections),
      num(row.reqPerSec, 0),
      ratio === undefined ? '' : `${ratio.median.toFixed(2)}x`,
      ratio === undefined ? '' : `${ratio.least.toFixed(2)}-${ratio.greatest.toFixed(2)}`,
      row.reference === undefined ? '' : SHORT[row.reference],
      num(row.p50Ms, 2),
      num(row.p99Ms, 2),
      num(row.cpuMsPerRequest, 3),
      cpuRatio === undefined ? '' : `${cpuRatio.median.toFixed(2)}x`,
      num(row.rssMaxMb, 1),
      num(row.perRequest.jwks, 3),
      num(row.perRequest.obo, 3),
      num(row.perRequest.graph, 3),
      num(row.perRequest.table, 3),
      String(row.non2xx + row.errors + row.timeouts),
    ];
  });
  return alignColumns([header, ...lines]);
}

export function describeIdleMemory(idle: BenchResults['idleRss']): string {
  const one = ({ afterWarmupMb, idleMb }: IdleMemory) => `${afterWarmupMb.toFixed(1)} MB, idle ${idleMb.toFixed(1)} MB`;
  return `anchor ${one(idle.anchor)}; ours ${one(idle.ours)}; telemetry on ${one(idle.telemetry)} (idle: after ${idle.quietSeconds} s quiet)`;
}

export function describeFirstCall(figures: FirstCallFigures): string {
  return `${figures.medianMs.toFixed(0)} ms median, CPU ${figures.medianCpuMs.toFixed(0)} ms (ready after ${figures.medianReadyMs.toFixed(0)} ms); runs ${figures.samplesMs.map((ms) => ms.toFixed(0)).join(', ')} ms`;
}

/**
 * Where a 2026-07-28 whoami's CPU goes: ours' own checks (a call refused for its params has passed all of them and
 * is answered before the SDK's stage), the rest of the whole call (the SDK's stage and the tool), and the anchor's
 * whole trivial call beside them.
 */
function describeModernWhoami(rows: readonly RowResult[], refused: RowResult): string {
  const checks = refused.cpuMsPerRequest ?? Number.NaN;
  // Measured in the refused call's group, so present whenever it is.
  const whole = rowOf(rows, 'oursWhoamiModern', refused.connections).cpuMsPerRequest ?? Number.NaN;
  const anchor = referenceOf(rows, refused)?.cpuMsPerRequest ?? Number.NaN;
  return `ours' own checks, HTTP included (a call refused for its params) ${num(checks, 3)} ms CPU/req; the whole call ${num(whole, 3)} ms, ` +
    `so ${num(whole - checks, 3)} ms in the SDK's stage and the tool; the anchor's whole trivial call ${num(anchor, 3)} ms`;
}

export function renderReport(results: BenchResults): string {
  const { coldStart, toolsList, documents } = results;
  const rss = documents.rssMb;
  const noise = results.rows
    .filter((row) => row.connections === 32 && row.reference === undefined && row.cpuMsPerRequest !== null)
    .map((row) => `${SHORT[row.key]} ${(100 * (spreadOf(row) ?? Number.NaN)).toFixed(0)}%`);
  const figures = [
    ...(noise.length > 0 ? [['noise: anchor rounds apart (32 conns)', `${noise.join(', ')} (least to greatest, over the median)`]] : []),
    ['tools/list answer', `${toolsList.bytes} bytes (${toolsList.kb.toFixed(1)} KB) for ${toolsList.tools} tools`],
    ['RSS after warm-up, and idle', describeIdleMemory(results.idleRss)],
    ['document workers, RSS', `${rss.beforeAnyConversion.toFixed(1)} MB before any conversion; ${documents.workers} converting ${(documents.pageBytes / 2 ** 20).toFixed(0)} MiB pages, peak ${rss.convertingPeak.toFixed(1)} MB; holding hostile pages to their limit, peak ${rss.hostilePeak.toFixed(1)} MB; idle ${rss.workersIdle.toFixed(1)} MB; ended ${rss.afterWorkersEnded.toFixed(1)} MB, ${rss.afterSecondRound.toFixed(1)} MB after a second round`],
    [`read_page, ${(documents.pageBytes / 2 ** 20).toFixed(0)} MiB page`, `${documents.pageMedianMs.toFixed(0)} ms median (converted in a worker)`],
    ['OTLP exports received (telemetry on)', Object.entries(results.otlpExports).map(([path, count]) => `${path} ${count}`).join(', ') || 'none'],
    ['cold import, bundle', `${coldStart.bundled.medianMs.toFixed(0)} ms median (CPU ${coldStart.bundled.medianCpuMs.toFixed(0)} ms), RSS ${coldStart.bundled.medianRssMb.toFixed(1)} MB (dist/functions/index.js)`],
    ['cold import, unbundled', `${coldStart.unbundled.medianMs.toFixed(0)} ms median, RSS ${coldStart.unbundled.medianRssMb.toFixed(1)} MB (dist/unbundled/functions/index.js)`],
    ['cold import ratio', `bundle ${coldStart.speedup.toFixed(2)}x faster`],
    ['process start to first list_events', describeFirstCall(results.firstCall.ours)],
    ['anchor: start to first graph call', describeFirstCall(results.firstCall.anchor)],
    ...results.graphPath.map((figure) => [
      `${results.graphTool.name} vs direct Graph, ${figure.connections} conns`,
      `our CPU ${figure.rawCpuMsPerCall.toFixed(3)} ms/call, ${figure.overWhoamiCpuMsPerCall.toFixed(3)} ms over whoami, where the anchor's direct fetch costs ${figure.anchorGraphCpuMsPerCall.toFixed(3)} ms over its trivial tool: Graph path overhead ${figure.overheadCpuMsPerCall.toFixed(3)} ms; latency ${signed(figure.p50DeltaMs)} ms p50, ${signed(figure.p99DeltaMs)} ms p99`,
    ]),
    ...results.rows.filter((row) => row.key === 'telemetryGraphTool').map((row) => {
      const whoami = results.rows.find((candidate) => candidate.key === 'telemetryWhoami' && candidate.connections === row.connections);
      const cost = (measured: RowResult | undefined) => {
        const reference = measured === undefined ? undefined : referenceOf(results.rows, measured);
        const cpu = (measured?.cpuMsPerRequest ?? Number.NaN) - (reference?.cpuMsPerRequest ?? Number.NaN);
        const ratio = measured === undefined ? undefined : ratioToReference(results.rows, measured);
        return `${signed(cpu)} ms CPU/req, ${ratio === undefined ? '-' : times(ratio)} req/s`;
      };
      return [`telemetry on (OTLP, default sampler: one new trace in ten), ${row.connections} conns`, `whoami ${cost(whoami)}; ${results.graphTool.name} ${cost(row)}`];
    }),
    ...results.rows.filter((row) => row.key === 'oursRefusedModern').map((row) => [`2026-07-28 whoami, ${row.connections} conns`, describeModernWhoami(results.rows, row)]),
  ];
  const targets = results.targets.map((target) => [target.pass ? 'PASS' : 'FAIL', target.name, target.measured]);
  const { machine } = results;
  return [
    `onbehalf bench: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.os}; ` +
      `load average ${machine.loadAverage.atStart.toFixed(2)} at start, ${machine.loadAverage.atEnd.toFixed(2)} at end; ` +
      `${results.timing.warmupSeconds} s warm-up, then ${results.timing.rounds} rounds of ${results.timing.sliceSeconds} s per row, the rows of a comparison in turn; Graph tool ${results.graphTool.name} ${JSON.stringify(results.graphTool.arguments)}`,
    '',
    renderRows(results.rows),
    '',
    figures.map(([name, value]) => `${(name ?? '').padEnd(38)} ${value ?? ''}`).join('\n'),
    '',
    targets.map(([verdict, name, measured]) => `${verdict ?? ''}  ${(name ?? '').padEnd(56)} ${measured ?? ''}`).join('\n'),
    '',
    `wall clock ${results.wallSeconds.toFixed(0)} s; results in bench/results.json`,
  ].join('\n');
}
