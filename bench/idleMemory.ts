// RSS of the servers once each kind of request has been served (code compiled, caches warm): a second after, and
// once they have been quiet long enough for V8 to give back what the warm-up grew, as an idle instance does.
import type { LoadTarget } from './load.js';
import { rssMb } from './procStats.js';
import type { ServerProcess } from './serverProcess.js';

export interface IdleMemory {
  /** One second after the warm-up's last request. */
  readonly afterWarmupMb: number;
  /** After `QUIET_SECONDS` with no request: what an instance between bursts holds. */
  readonly idleMb: number;
}

/**
 * V8's memory reducer shrinks the heap some 10 to 20 seconds after allocation stops (seen on Node 22 and 24); an
 * instance on Flex Consumption sits far longer than that between bursts.
 */
export const QUIET_SECONDS = 30;
const WARMUP_REQUESTS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function warmUp(server: ServerProcess, warmups: readonly LoadTarget[]): Promise<void> {
  for (const target of warmups) {
    for (let index = 0; index < WARMUP_REQUESTS; index++) {
      const answer = await fetch(target.url, { method: target.method, headers: target.perConnectionHeaders?.[0] ?? target.headers, body: target.body ?? null });
      if (!answer.ok) throw new Error(`warm-up of ${server.name}: HTTP ${answer.status}`);
      await answer.arrayBuffer();
    }
  }
}

/** Every subject warmed up in turn, then all left quiet together: one wait for all of them. */
export async function measureIdleMemory(subjects: readonly { readonly server: ServerProcess; readonly warmups: readonly LoadTarget[] }[]): Promise<IdleMemory[]> {
  const afterWarmup: number[] = [];
  for (const { server, warmups } of subjects) {
    await warmUp(server, warmups);
    await sleep(1000);
    afterWarmup.push(rssMb(server.pid));
  }
  await sleep(QUIET_SECONDS * 1000);
  return subjects.map(({ server }, index) => ({ afterWarmupMb: afterWarmup[index]!, idleMb: rssMb(server.pid) }));
}
