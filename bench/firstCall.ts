// Scale-from-zero: from a fresh process being started to its first Graph tool call answered, median of fresh
// processes. Ours answers list_events (JWKS discovery, OBO, the Graph request and the first Table operations against
// the stand-ins included); the anchor, the bare SDK handler, answers its graph tool (the same Graph request, with a
// token it was handed): the floor any Node MCP server with a Graph call pays on this machine.
import { join } from 'node:path';
import { anchorEnv, DAY_MS, oursEnv, oursScript, type Ours, type SubjectContext } from './subjects.js';
import { expectResult, mcpHeaders, post, toolCall, type EraRequest } from './mcpRequests.js';
import { median } from './median.js';
import { cpuMs } from './procStats.js';
import { startServerProcess } from './serverProcess.js';

export interface FirstCallFigures {
  readonly medianMs: number;
  /** Of those, from the start to the process saying it is ready (imports, configuration, listening). */
  readonly medianReadyMs: number;
  readonly samplesMs: readonly number[];
  /** CPU the fresh process used up to its answer (every thread): what a busy machine does not stretch. */
  readonly medianCpuMs: number;
}

export interface FirstCalls {
  readonly ours: FirstCallFigures;
  readonly anchor: FirstCallFigures;
}

interface Fresh {
  readonly name: string;
  readonly script: string;
  readonly env: () => Record<string, string>;
  readonly call: () => EraRequest;
  readonly token?: string;
}

async function once(subject: Fresh): Promise<{ ms: number; readyMs: number; cpuMs: number }> {
  const started = performance.now();
  const server = await startServerProcess({ name: subject.name, script: subject.script, env: subject.env() });
  const readyAt = performance.now();
  try {
    const call = subject.call();
    expectResult(await post(`${server.baseUrl}/mcp`, mcpHeaders(subject.token, call.headers), call.body), `first call of ${subject.name}`);
    return { ms: performance.now() - started, readyMs: readyAt - started, cpuMs: cpuMs(server.pid) };
  } finally {
    await server.stop();
  }
}

function figures(samples: readonly { ms: number; readyMs: number; cpuMs: number }[]): FirstCallFigures {
  return {
    medianMs: median(samples.map((sample) => sample.ms)),
    medianReadyMs: median(samples.map((sample) => sample.readyMs)),
    samplesMs: samples.map((sample) => sample.ms),
    medianCpuMs: median(samples.map((sample) => sample.cpuMs)),
  };
}

/** Fresh processes of ours and of the anchor in turn, so that both see the same machine. */
export async function measureFirstCalls(context: SubjectContext, ours: Ours, runs = 5): Promise<FirstCalls> {
  const oursFresh: Fresh = {
    name: 'ours, fresh',
    script: oursScript(context),
    // A table prefix of its own each time: every fresh process finds its tables missing, as a new deployment does.
    env: () => oursEnv(context),
    call: () => toolCall('legacy', 'list_events', { start: new Date(Date.now() - 7 * DAY_MS).toISOString(), end: new Date(Date.now() + 7 * DAY_MS).toISOString(), top: 10 }),
    token: context.token,
  };
  const anchorFresh: Fresh = {
    name: 'anchor, fresh',
    script: join(context.dist, 'bench', 'anchorServer.js'),
    env: () => anchorEnv(context, ours),
    call: () => toolCall('legacy', 'graph', {}),
    token: context.token,
  };
  const samples = { ours: [] as Awaited<ReturnType<typeof once>>[], anchor: [] as Awaited<ReturnType<typeof once>>[] };
  for (let index = 0; index < runs; index++) {
    samples.ours.push(await once(oursFresh));
    samples.anchor.push(await once(anchorFresh));
  }
  return { ours: figures(samples.ours), anchor: figures(samples.anchor) };
}
