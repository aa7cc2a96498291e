// Scale-from-zero: from a fresh process of ours being started to its first list_events answered (JWKS discovery, OBO,
// the Graph request and the first Table operations against the stand-ins included), median of fresh processes.
import { DAY_MS } from './subjects.js';
import { expectResult, mcpHeaders, post, toolCall } from './mcpRequests.js';
import { cpuMs } from './procStats.js';
import { startServerProcess } from './serverProcess.js';
import type { SubjectContext } from './subjects.js';
import { oursEnv, oursScript } from './subjects.js';

export interface FirstCallFigures {
  readonly medianMs: number;
  /** Of those, from the start to the process saying it is ready (imports, configuration, listening). */
  readonly medianReadyMs: number;
  readonly samplesMs: readonly number[];
  /** CPU the fresh process used up to its answer (every thread): what a busy machine does not stretch. */
  readonly medianCpuMs: number;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function measureFirstCall(context: SubjectContext, runs = 5): Promise<FirstCallFigures> {
  const samples: number[] = [];
  const ready: number[] = [];
  const cpu: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    const server = await startServerProcess({ name: `ours, fresh (${index + 1})`, script: oursScript(context), env: oursEnv(context) });
    const readyAt = performance.now();
    try {
      const call = toolCall('legacy', 'list_events', { start: new Date(Date.now() - 7 * DAY_MS).toISOString(), end: new Date(Date.now() + 7 * DAY_MS).toISOString(), top: 10 });
      expectResult(await post(`${server.baseUrl}/mcp`, mcpHeaders(context.token, call.headers), call.body), 'first list_events of a fresh process');
      samples.push(performance.now() - started);
      ready.push(readyAt - started);
      cpu.push(cpuMs(server.pid));
    } finally {
      await server.stop();
    }
  }
  return { medianMs: median(samples), medianReadyMs: median(ready), samplesMs: samples, medianCpuMs: median(cpu) };
}
