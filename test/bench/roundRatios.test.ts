// The bench's ratios are taken round by round: a slow moment of the machine must weigh on both rows of a round.
import { describe, expect, it } from 'vitest';
import type { RowKey, RowResult } from '../../bench/measureRows.js';
import { cpuRatioToReference, medianOverRounds, ratioToReference, spreadOf } from '../../bench/targets.js';

function row(key: RowKey, reqPerSec: readonly number[], cpu: readonly (number | null)[] = reqPerSec.map(() => null), reference?: RowKey): RowResult {
  const total = reqPerSec.reduce((sum, value) => sum + value, 0);
  return {
    key, label: key, reference, connections: 32, requests: total, sent: total, reqPerSec: total / reqPerSec.length, p50Ms: 1, p99Ms: 2,
    cpuMsPerRequest: cpu[0] ?? null, rssMaxMb: null, perRequest: { jwks: 0, obo: 0, graph: 0, table: 0 },
    rounds: reqPerSec.map((value, index) => ({ reqPerSec: value, cpuMsPerRequest: cpu[index] ?? null })),
    non2xx: 0, errors: 0, timeouts: 0,
  };
}

describe('round-by-round ratios', () => {
  it('pairs each round of a row with the same round of its reference and takes the median', () => {
    // The machine halves its speed in round 2: both rows slow down, and the ratio of that round stays 0.9.
    const anchor = row('anchorEcho', [1000, 500, 1000, 1000, 1000]);
    const ours = row('oursWhoami', [900, 450, 800, 950, 1200], undefined, 'anchorEcho');
    // Over the totals, the slow round would count against nothing: (4300 / 4500) = 0.96.
    expect(ratioToReference([anchor, ours], ours)).toEqual({ median: 0.9, least: 0.8, greatest: 1.2 });
  });

  it('pairs CPU per request the same way, and leaves rows without a server out', () => {
    const anchor = row('anchorEcho', [1, 1, 1], [0.4, 0.8, 0.4]);
    const ours = row('oursWhoami', [1, 1, 1], [0.5, 1.0, 0.6], 'anchorEcho');
    expect(cpuRatioToReference([anchor, ours], ours)?.median).toBeCloseTo(1.25);
    const direct = row('graphDirect', [500, 500, 500]);
    const tool = row('oursGraphTool', [400, 400, 400], [1, 1, 1], 'graphDirect');
    expect(cpuRatioToReference([direct, tool], tool)).toBeUndefined();
  });

  it('falls back to the ratio of the totals when the two rows were not measured side by side', () => {
    const anchor = row('anchorEcho', [1000, 1000]);
    const ours = row('oursWhoami', [900, 900, 900], undefined, 'anchorEcho');
    expect(ratioToReference([anchor, ours], ours)?.median).toBeCloseTo(0.9);
  });

  it('has no ratio when the reference was not measured', () => {
    const ours = row('oursWhoami', [900], undefined, 'anchorEcho');
    expect(ratioToReference([ours], ours)).toBeUndefined();
  });

  it('builds a figure of several rows from the same round of each, then takes the median', () => {
    const rows = [row('oursGraphTool', [1, 1, 1], [2.0, 4.0, 2.2]), row('oursWhoami', [1, 1, 1], [0.5, 1.0, 0.5])];
    const overWhoami = medianOverRounds(rows, ['oursGraphTool', 'oursWhoami'], 32, ([tool, whoami]) => tool!.cpuMsPerRequest! - whoami!.cpuMsPerRequest!);
    expect(overWhoami).toBeCloseTo(1.7);
  });

  it('reports the spread of a row\'s rounds over their median as the run\'s noise', () => {
    expect(spreadOf(row('anchorEcho', [900, 1000, 1200]))).toBeCloseTo(0.3);
    expect(spreadOf(row('anchorEcho', [1000]))).toBeUndefined();
  });
});
